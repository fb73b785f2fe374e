// Recipes: recognised questions with computed answers. What a recipe returns and the helpers
// all of them share (reachability of a period, windows, answer shapes).
import { isoFromEpoch, sqlTimestamp } from '../../util/time.ts';
import type { ScenarioInput } from '../schema.ts';
import type { Item } from './published.ts';
import { endExclusive, epochOfDay, NUM, numberOf, type Period } from './text.ts';
import { sql, type World } from './world.ts';

type ExpectedIn = ScenarioInput['expected'];
type EvidenceIn = ScenarioInput['requiredEvidence'][number];
export type StepIn = ScenarioInput['referencePlan'][number];

interface Built {
  template: string;
  expected: ExpectedIn;
  answerFormat: { description: string; jsonShape: Record<string, unknown> | null };
  requiredEvidence: EvidenceIn[];
  referencePlan: StepIn[];
  defects: string[];
  divergences: string[];
}

export type Outcome = { kind: 'typed'; built: Built } | { kind: 'unreachable'; reason: string } | null;

export interface RecipeCtx {
  world: World;
  it: Item;
  /** The last moment the tools show in this scenario (its now, capped at exposedUntil). */
  now: number;
}

export type Recipe = (ctx: RecipeCtx) => Promise<Outcome>;

export const typed = (built: Omit<Built, 'defects' | 'divergences'> & Partial<Built>): Outcome => ({
  kind: 'typed',
  built: { defects: [], divergences: [], ...built },
});

export const ts = (date: string) => `${date} 00:00:00`;

/** Null when the tools can show the whole period; else why not. */
export async function unreachable(
  ctx: RecipeCtx,
  p: Period,
  table: string,
  timeCol: string,
  assetId: string,
): Promise<string | null> {
  const nowIso = isoFromEpoch(ctx.now);
  if (epochOfDay(p.start) > ctx.now) {
    return `asks about ${p.start}..${p.end}, which starts after the last moment the tools show (${nowIso})`;
  }
  const [row] = await sql<{ n: number }>(
    ctx.world.ds,
    `select count(*)::INT n from ${table} where asset_id = $asset and ${timeCol} > $now::TIMESTAMP and ${timeCol} < $b::TIMESTAMP`,
    { asset: assetId, now: sqlTimestamp(ctx.now), b: ts(endExclusive(p)) },
  );
  return row.n > 0
    ? `asks about ${p.start}..${p.end}, but ${row.n} of its ${table} rows come after the last moment the tools show (${nowIso})`
    : null;
}

export function windowOf(p: Period): { start: string; end: string } {
  return { start: `${p.start}T00:00:00Z`, end: `${endExclusive(p)}T00:00:00Z` };
}

export function describe(p: Period): string {
  return p.start === p.end ? p.start : `${p.start} to ${p.end}`;
}

export const intShape = { type: 'integer', minimum: 0 };

export function recordShape(
  fields: Record<string, Record<string, unknown>>,
  description?: string,
): Record<string, unknown> {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: fields,
    required: Object.keys(fields),
  };
}

/** Counts keyed by names the answer must find itself (rule ids, KPIs, codes): keys are not listed. */
export function openCountsShape(description: string): Record<string, unknown> {
  return { type: 'object', description, additionalProperties: { type: 'integer', minimum: 0 } };
}

/** Number before one of the words ("30 alert events", "two corrective work orders"). */
export function countsBefore(form: string | null, words: string): number[] {
  if (!form) return [];
  const re = new RegExp(`\\b${NUM}\\s+(?:[\\w-]+\\s+){0,2}?(?:${words})`, 'gi');
  return [...form.matchAll(re)].map((m) => numberOf(m[1])).filter((n): n is number => n !== null);
}
