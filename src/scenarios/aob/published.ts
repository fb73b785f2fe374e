// Finding and reading the published AssetOpsBench files: all_utterance.jsonl and the
// competition's development phase, as items with the fields the suite uses.

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

/** The files read (competition file: null when absent). */
export interface Sources {
  utterances: string;
  competition: string | null;
}

export function readItems(dir: string): { items: Item[]; sources: Sources } {
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
    };
  });
  const byNum = new Map(items.map((it) => [it.num, it]));
  const competition = findFirst(root, COMPETITION_LAYOUTS);
  for (const { line, data } of competition ? readJsonl(competition) : []) {
    const id = field(competition as string, line, data, ['id']);
    const num = numOf(id);
    items.push({
      id,
      num,
      source: 'competition',
      type: null,
      category: str(data.category),
      text: field(competition as string, line, data, ['utterance', 'text']),
      // The competition publishes no characteristic form; the paired original's is the judge's guide.
      form: byNum.get(num)?.form ?? null,
      deterministic: null,
    });
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
  return { items, sources: { utterances, competition } };
}
