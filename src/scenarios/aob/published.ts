// Finding and reading the published AssetOpsBench files: all_utterance.jsonl and the
// competition's phases (development, evaluation, or any phase file given by path), as items with
// the fields the suite uses. Competition items keep their phase and their twin (paired_with).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../util/errors.ts';

/** Where all_utterance.jsonl may sit under the given folder (our reference copy, the folder itself, a v0 checkout). */
const UTTERANCE_LAYOUTS = [
  join('scenarios', 'all_utterance.jsonl'),
  'all_utterance.jsonl',
  join('src', 'assetopsbench', 'scenarios', 'all_utterance.jsonl'),
];
/** The competition's development phase (our copy, the folder itself, the public repository's layout). */
const COMPETITION_LAYOUTS = [
  join('scenarios_competition', 'phase1_development.jsonl'),
  'phase1_development.jsonl',
  join('benchmark', 'scenarios', 'phase1_development', 'scenarios.jsonl'),
];
/** The evaluation phase, whose items paraphrase the development ones (paired_with). */
const EVALUATION_LAYOUTS = [
  join('scenarios_competition', 'phase2_evaluation.jsonl'),
  'phase2_evaluation.jsonl',
  join('benchmark', 'scenarios', 'phase2_evaluation', 'scenarios.jsonl'),
];

export interface Item {
  /** As published: "400" or "Q400". */
  id: string;
  /** The number in the id (400 for "Q400"). */
  num: number | null;
  source: 'utterances' | 'competition';
  type: string | null;
  category: string | null;
  text: string;
  /** Published characteristic form (competition items: the paired original's). */
  form: string | null;
  deterministic: boolean | null;
  /** Competition items: "development" or "evaluation" as published (null for the 141). */
  phase: string | null;
  /** Competition items: the published id of the twin in the other phase (from paired_with). */
  pairedWith: string | null;
  /** The file it was read from (absolute). */
  file: string;
}

const RESTORE = 'Restore the file from https://github.com/IBM/AssetOpsBench';

/** One published item as read: where it is ("line 3", or "item 3" of a JSON array) and its fields. */
type Record_ = { where: string; data: Record<string, unknown> };

/** One JSON object per line; `hint` is the fix named when a line is not one. */
function readJsonl(path: string, text: string, hint: string): Record_[] {
  const out: Record_[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      throw new UserError(
        `${path}, line ${i + 1} is not valid JSON (${(err as Error).message})`,
        hint,
        'aob_bad_scenarios',
      );
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new UserError(`${path}, line ${i + 1} is not a JSON object`, hint, 'aob_bad_scenarios');
    }
    out.push({ where: `line ${i + 1}`, data: data as Record<string, unknown> });
  }
  return out;
}

/** A per-agent file (single_agent/*.json, multi_agent/*.json): one JSON array of items. */
function readJsonArray(path: string, text: string, hint: string): Record_[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path} is not valid JSON (${(err as Error).message})`, hint, 'aob_bad_scenarios');
  }
  if (!Array.isArray(data)) {
    throw new UserError(`${path} is not a JSON array of scenarios`, hint, 'aob_bad_scenarios');
  }
  return data.map((d, i) => {
    if (!d || typeof d !== 'object' || Array.isArray(d)) {
      throw new UserError(`${path}, item ${i + 1} is not a JSON object`, hint, 'aob_bad_scenarios');
    }
    return { where: `item ${i + 1}`, data: d as Record<string, unknown> };
  });
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function field(path: string, rec: Record_, names: string[], hint: string): string {
  for (const n of names) {
    const v = rec.data[n];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  throw new UserError(`${path}, ${rec.where} has no ${names.join(' or ')}`, hint, 'aob_bad_scenarios');
}

function numOf(id: string): number | null {
  const m = /(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
}

function findFirst(root: string, layouts: string[]): string | null {
  for (const l of layouts) if (existsSync(join(root, l))) return join(root, l);
  return null;
}

/** The files read (competition: the first phase file, null when none). */
export interface Sources {
  utterances: string;
  competition: string | null;
  /** Every competition phase file read. */
  phases: string[];
}

function idOf(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}

/** A competition item: it has an utterance (or a phase) where the 141 have text. */
function isCompetition(data: Record<string, unknown>): boolean {
  return 'utterance' in data || 'phase' in data || 'paired_with' in data;
}

function utteranceItem(file: string, rec: Record_, hint: string): Item {
  const { data } = rec;
  const id = field(file, rec, ['id'], hint);
  return {
    id,
    num: numOf(id),
    source: 'utterances',
    // Published: IoT, TSFM, Workorder, "" (end-to-end); FMSR items have no type at all.
    type: str(data.type),
    category: str(data.category),
    text: field(file, rec, ['text', 'utterance'], hint),
    form: str(data.characteristic_form),
    deterministic: typeof data.deterministic === 'boolean' ? data.deterministic : null,
    phase: null,
    pairedWith: null,
    file,
  };
}

/**
 * A competition item. The competition publishes no characteristic form; the original item with
 * the same number (Q107 is item 107), found in `forms`, is the judge's guide.
 */
function competitionItem(
  file: string,
  rec: Record_,
  hint: string,
  forms: Map<number | null, string | null>,
): Item {
  const { data } = rec;
  const id = field(file, rec, ['id'], hint);
  const num = numOf(id);
  return {
    id,
    num,
    source: 'competition',
    type: null,
    category: str(data.category),
    text: field(file, rec, ['utterance', 'text'], hint),
    form: forms.get(num) ?? null,
    deterministic: null,
    phase: str(data.phase),
    pairedWith: idOf(data.paired_with),
    file,
  };
}

/** The three shapes of published scenario files. */
export type AobFileKind = 'utterances' | 'per-agent' | 'competition';

const SHAPES =
  'an AssetOpsBench scenario file is all_utterance.jsonl ({"id", "text", ...} per line), a per-agent ' +
  'file such as single_agent/wo_utterance.json (a JSON array of those), or a competition phase file ' +
  '({"id": "Q5", "utterance", "phase", "paired_with"} per line)';

/**
 * Reads one AssetOpsBench scenario file of any of the three shapes. `forms` maps item numbers
 * to the published characteristic forms competition items borrow (empty: they get none).
 * Every mistake is a UserError naming the file and the line (or array item).
 */
export function readAobFile(
  path: string,
  forms: Map<number | null, string | null> = new Map(),
): { kind: AobFileKind; items: Item[] } {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new UserError(
      `no AssetOpsBench scenario file at ${path}`,
      'Pass all_utterance.jsonl, a per-agent file (scenarios/single_agent/*.json) or a competition phase file (benchmark/scenarios/phase2_evaluation/scenarios.jsonl)',
      'aob_not_found',
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new UserError(
      `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      'Pass a readable scenario file',
      'aob_not_found',
    );
  }
  const hint = `Fix that line, or restore the file from https://github.com/IBM/AssetOpsBench; ${SHAPES}`;
  const array = text.trimStart().startsWith('[');
  const records = array ? readJsonArray(path, text, hint) : readJsonl(path, text, hint);
  if (records.length === 0) {
    throw new UserError(
      `${path} holds no scenarios`,
      `Pass a non-empty file; ${SHAPES}`,
      'aob_bad_scenarios',
    );
  }
  const competition = !array && records.some((r) => isCompetition(r.data));
  const items = records.map((r) =>
    competition ? competitionItem(path, r, hint, forms) : utteranceItem(path, r, hint),
  );
  for (const it of items) it.file = file;
  pairTwins(items);
  rejectDuplicates(items, path);
  return { kind: array ? 'per-agent' : competition ? 'competition' : 'utterances', items };
}

/** paired_with is published on one side (the evaluation item); the twin points back. */
function pairTwins(items: Item[]): void {
  const competitionItems = items.filter((it) => it.source === 'competition');
  const byId = new Map(competitionItems.map((it) => [it.id, it]));
  for (const it of competitionItems) {
    const twin = it.pairedWith ? byId.get(it.pairedWith) : undefined;
    if (twin && twin.pairedWith === null) twin.pairedWith = it.id;
  }
}

function rejectDuplicates(items: Item[], where: string): void {
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id)) {
      throw new UserError(
        `scenario id ${it.id} occurs twice in ${where}`,
        'Give every item its own id, or restore the files from https://github.com/IBM/AssetOpsBench',
        'aob_bad_scenarios',
      );
    }
    seen.add(it.id);
  }
}

/** The published characteristic forms by item number (what competition items borrow). */
export function formsOf(items: Item[]): Map<number | null, string | null> {
  return new Map(items.filter((it) => it.source === 'utterances').map((it) => [it.num, it.form]));
}

/** all_utterance.jsonl under `dir`, or null. */
export function findUtterances(dir: string): string | null {
  return findFirst(resolve(dir), UTTERANCE_LAYOUTS);
}

/**
 * The published items under `dir`, plus the competition phase files in `phaseFiles` (any path:
 * phase 1, phase 2, a later one). Items of different phases are paired by paired_with.
 */
export function readItems(dir: string, phaseFiles: string[] = []): { items: Item[]; sources: Sources } {
  const root = resolve(dir);
  const utterances = findFirst(root, UTTERANCE_LAYOUTS);
  if (!utterances) {
    throw new UserError(
      `no AssetOpsBench scenarios in ${dir}: looked for ${UTTERANCE_LAYOUTS.join(', ')}`,
      'Pass the folder that holds scenarios/all_utterance.jsonl (e.g. ../shared/assetopsbench) or a checkout of ' +
        'https://github.com/IBM/AssetOpsBench',
      'aob_not_found',
    );
  }
  const published = readJsonl(utterances, readFileSync(utterances, 'utf8').replace(/^\uFEFF/, ''), RESTORE);
  const items: Item[] = published.map((r) => utteranceItem(utterances, r, RESTORE));
  const forms = formsOf(items);
  // Phase files: the ones found beside the scenarios, then any passed by path (a later phase, a
  // private set), each read once.
  const found = [findFirst(root, COMPETITION_LAYOUTS), findFirst(root, EVALUATION_LAYOUTS)];
  const phases = [
    ...new Set([...found, ...phaseFiles.map((f) => resolve(f))].filter((f): f is string => f !== null)),
  ];
  for (const file of phases) {
    if (!existsSync(file)) {
      throw new UserError(
        `no AssetOpsBench phase file at ${file}`,
        'Pass a competition scenarios file (e.g. benchmark/scenarios/phase2_evaluation/scenarios.jsonl)',
        'aob_not_found',
      );
    }
    const { kind, items: read } = readAobFile(file, forms);
    if (kind !== 'competition') {
      throw new UserError(
        `${file} is not a competition phase file (it holds published items in the ${kind === 'per-agent' ? 'per-agent' : 'all_utterance'} form, already in the aob suite)`,
        'Pass a phase file ({"id": "Q5", "utterance", "phase", "paired_with"} per line), or name the file as a suite with --suite aob:FILE to run only its items',
        'aob_bad_scenarios',
      );
    }
    items.push(...read);
  }
  pairTwins(items);
  rejectDuplicates(items, 'the AssetOpsBench files');
  return { items, sources: { utterances, competition: phases[0] ?? null, phases } };
}
