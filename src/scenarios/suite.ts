// Building suites from templates: a deterministic draw of instances from a world, spread
// over the templates (and so over families, difficulties and tracks), with stable ids.
import type { Dataset } from '../dataset/open.ts';
import { sha256Hex } from '../util/hash.ts';
import { Rng } from '../util/rng.ts';
import { isoFromEpoch } from '../util/time.ts';
import { answerContract } from './contract.ts';
import { numbersInText } from './graders.ts';
import { ExpectedAnswerSchema, SCENARIO_SCHEMA_VERSION, type Scenario, ScenarioSchema } from './schema.ts';
import { type Draft, type ScenarioTemplate, type TemplateContext, worldFacts } from './template.ts';

export interface SuiteOptions {
  templates: ScenarioTemplate[];
  /** About how many scenarios to draw (spread over the templates, traps given a larger share). */
  count: number;
  /** Share of the suite given to trap templates (default 0.2, so traps stay above 15% when some fall short). */
  trapShare?: number;
  seed: number;
  /** Name of the split ("default", "private", ...); a different split draws different instances. */
  split: string;
  /** Draw attempts per instance before a template gives up on this world. */
  attempts?: number;
}

export interface SuiteResult {
  scenarios: Scenario[];
  /** Templates that could not produce an instance on this world, with the count they fell short. */
  shortfalls: Array<{ template: string; wanted: number; got: number }>;
}

export function stamp(t: ScenarioTemplate, d: Draft, world: string, seed: number, split: string): Scenario {
  const id = `${t.id}-${sha256Hex(`${split}|${d.key}`).slice(0, 6)}`;
  const expected = ExpectedAnswerSchema.parse(d.expected);
  return ScenarioSchema.parse({
    schemaVersion: SCENARIO_SCHEMA_VERSION,
    id,
    family: t.family,
    template: t.id,
    tracks: t.tracks,
    difficulty: t.difficulty,
    utterance: d.utterance,
    context: { now: isoFromEpoch(d.now), site: d.site },
    expected,
    // Types only, from the one shared vocabulary: the template never writes its own format.
    answerFormat: answerContract(expected, d.contract),
    requiredEvidence: d.requiredEvidence,
    referencePlan: d.referencePlan,
    traps: d.traps ?? (t.trap ? [{ kind: t.trap, description: t.description }] : []),
    clarification: d.clarification ?? null,
    provenance: { source: 'generated', world, seed, split, aob: null },
  });
}

/** Share of guessable draws that are redrawn (not all: a world may have few others). */
const GUESSABLE_REDRAW = 0.95;

/** Numbers of an utterance that are not parts of a date or a time of day. */
function plainNumbers(text: string): number[] {
  const stripped = text.replace(/\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?|\d{1,2}:\d{2}/g, ' ');
  return numbersInText(stripped);
}

/** True when a count of the expected answer is 0 or a number the utterance holds. */
export function guessable(d: Pick<Draft, 'expected' | 'utterance'>): boolean {
  const said = new Set(plainNumbers(d.utterance));
  const e = d.expected;
  const counts =
    e.type === 'count'
      ? [e.value]
      : e.type === 'record'
        ? Object.values(e.fields).flatMap((f) => (f.type === 'count' ? [f.value] : []))
        : [];
  return counts.some((n) => n === 0 || said.has(n));
}

/**
 * The reference solver's queries, memoised for one draw of a suite. Templates ask the same
 * questions again and again (every attempt of a template lists the same work orders, rules
 * and failure modes), and the dataset never changes while it is open: each distinct query
 * and parameters runs once. Rows are handed out as copies, so a template that sorts or edits
 * what it got cannot change what the next one gets.
 */
export function memoSql(ds: Dataset): TemplateContext['sql'] {
  const seen = new Map<string, Promise<unknown[]>>();
  return async <T>(query: string, params?: Record<string, unknown>): Promise<T[]> => {
    const key = `${query}\u0000${JSON.stringify(params ?? null, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;
    let rows = seen.get(key);
    if (!rows) {
      rows = ds.query(query, params as never);
      seen.set(key, rows);
      rows.catch(() => seen.delete(key));
    }
    return structuredClone(await rows) as T[];
  };
}

export async function buildSuite(ds: Dataset, opts: SuiteOptions): Promise<SuiteResult> {
  const facts = await worldFacts(ds);
  const sql = memoSql(ds);
  const base = new Rng(opts.seed, `suite:${opts.split}:${facts.checksum}`);
  const traps = opts.templates.filter((t) => t.trap).length;
  const plain = opts.templates.length - traps;
  const trapShare = traps === 0 ? 0 : plain === 0 ? 1 : (opts.trapShare ?? 0.2);
  const quota = (t: ScenarioTemplate) =>
    Math.max(1, Math.ceil(opts.count * (t.trap ? trapShare / traps : (1 - trapShare) / plain) || 0));
  const scenarios: Scenario[] = [];
  const shortfalls: SuiteResult['shortfalls'] = [];
  for (const t of opts.templates) {
    const per = quota(t);
    const keys = new Set<string>();
    const attempts = (opts.attempts ?? 6) * per;
    for (let k = 0; k < attempts && keys.size < per; k++) {
      const ctx: TemplateContext = {
        ds,
        facts,
        rng: base.fork(`${t.id}:${k}`),
        // The instance being drawn (not the attempt): retries keep aiming at the same outcome.
        draw: keys.size,
        sql,
      };
      const draft = await t.instantiate(ctx);
      if (!draft || keys.has(draft.key)) continue;
      // An answer the question already spells out (or a zero count) can be given without looking:
      // most such draws are redrawn, so that guessing from the text does not pay.
      if (guessable(draft) && ctx.rng.chance(GUESSABLE_REDRAW)) continue;
      keys.add(draft.key);
      scenarios.push(stamp(t, draft, facts.checksum, opts.seed, opts.split));
    }
    if (keys.size < per) shortfalls.push({ template: t.id, wanted: per, got: keys.size });
  }
  // Interleave templates so that any prefix of the suite is balanced.
  const byTemplate = new Map<string, Scenario[]>();
  for (const s of scenarios) byTemplate.set(s.template, [...(byTemplate.get(s.template) ?? []), s]);
  const interleaved: Scenario[] = [];
  for (let i = 0; interleaved.length < scenarios.length; i++) {
    for (const list of byTemplate.values()) if (list[i]) interleaved.push(list[i]);
  }
  return { scenarios: interleaved, shortfalls };
}
