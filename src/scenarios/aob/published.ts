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
}

function readJsonl(path: string): Array<{ line: number; data: Record<string, unknown> }> {
  const out: Array<{ line: number; data: Record<string, unknown> }> = [];
  const lines = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      throw new UserError(
        `${path}, line ${i + 1} is not valid JSON (${(err as Error).message})`,
        'Restore the file from https://github.com/IBM/AssetOpsBench',
        'aob_bad_scenarios',
      );
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new UserError(
        `${path}, line ${i + 1} is not a JSON object`,
        'Restore the file from https://github.com/IBM/AssetOpsBench',
        'aob_bad_scenarios',
      );
    }
    out.push({ line: i + 1, data: data as Record<string, unknown> });
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function field(path: string, line: number, data: Record<string, unknown>, names: string[]): string {
  for (const n of names) {
    const v = data[n];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  throw new UserError(
    `${path}, line ${line} has no ${names.join(' or ')}`,
    'Restore the file from https://github.com/IBM/AssetOpsBench',
    'aob_bad_scenarios',
  );
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
  const items: Item[] = readJsonl(utterances).map(({ line, data }) => {
    const id = field(utterances, line, data, ['id']);
    return {
      id,
      num: numOf(id),
      source: 'utterances',
      // Published: IoT, TSFM, Workorder, "" (end-to-end); FMSR items have no type at all.
      type: str(data.type),
      category: str(data.category),
      text: field(utterances, line, data, ['text', 'utterance']),
      form: str(data.characteristic_form),
      deterministic: typeof data.deterministic === 'boolean' ? data.deterministic : null,
      phase: null,
      pairedWith: null,
    };
  });
  const byNum = new Map(items.map((it) => [it.num, it]));
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
    for (const { line, data } of readJsonl(file)) {
      const id = field(file, line, data, ['id']);
      const num = numOf(id);
      items.push({
        id,
        num,
        source: 'competition',
        type: null,
        category: str(data.category),
        text: field(file, line, data, ['utterance', 'text']),
        // The competition publishes no characteristic form; the original item with the same
        // number (Q107 is item 107) is the judge's guide.
        form: byNum.get(num)?.form ?? null,
        deterministic: null,
        phase: str(data.phase),
        pairedWith: idOf(data.paired_with),
      });
    }
  }
  // paired_with is published on one side (the evaluation item); the twin points back.
  const competitionItems = items.filter((it) => it.source === 'competition');
  const byId = new Map(competitionItems.map((it) => [it.id, it]));
  for (const it of competitionItems) {
    const twin = it.pairedWith ? byId.get(it.pairedWith) : undefined;
    if (twin && twin.pairedWith === null) twin.pairedWith = it.id;
  }
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id)) {
      throw new UserError(
        `scenario id ${it.id} occurs twice in the AssetOpsBench files`,
        'Restore the files from https://github.com/IBM/AssetOpsBench',
        'aob_bad_scenarios',
      );
    }
    seen.add(it.id);
  }
  return { items, sources: { utterances, competition: phases[0] ?? null, phases } };
}
