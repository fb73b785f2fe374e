// Scenario templates: each draws an instance from a world (entities, windows, a frozen
// "now"), computes the expected answer with its own SQL over the dataset (the reference
// solver, independent of the tool code), and says how to read the same answer out of its
// reference plan's tool results (the second check, run by `scenarios validate`).
import type { Dataset } from '../dataset/open.ts';
import { type AssetRow, directory, type SensorRow, type SiteRow } from '../tools/lookup.ts';
import type { Rng } from '../util/rng.ts';
import { epochFromIso, isoFromEpoch, sqlTimestamp } from '../util/time.ts';
import type { RecordContract } from './contract.ts';
import type {
  DIFFICULTIES,
  Evidence,
  ExpectedAnswerInput,
  FAMILIES,
  PlanStep,
  Scenario,
  TRACKS,
  TRAP_KINDS,
} from './schema.ts';

export type Family = (typeof FAMILIES)[number];
export type Track = (typeof TRACKS)[number];
export type Difficulty = (typeof DIFFICULTIES)[number];
export type TrapKind = (typeof TRAP_KINDS)[number];

/** What templates know about the world before they pick entities. */
export interface WorldFacts {
  sites: SiteRow[];
  assets: AssetRow[];
  sensorsByAsset: Map<string, SensorRow[]>;
  /** First telemetry timestamp. */
  start: number;
  /** Last moment tools may show. */
  exposedUntil: number;
  /** Last telemetry timestamp (hold-out included). */
  end: number;
  /** First work order. */
  historyStart: number;
  checksum: string;
}

export interface TemplateContext {
  ds: Dataset;
  facts: WorldFacts;
  rng: Rng;
  /**
   * Which instance of this template is being drawn (0, 1, 2...; retries keep the number):
   * templates whose answer is yes or no alternate the outcome they look for on it, so that
   * both come up about equally often.
   */
  draw: number;
  /** The reference solver's own queries (DuckDB over the dataset). */
  sql<T = Record<string, unknown>>(query: string, params?: Record<string, unknown>): Promise<T[]>;
}

/** One instance, before it is stamped with an id and provenance. */
export interface Draft {
  /** Distinguishes instances of a template (e.g. "CWC04006-2024-05-01"); duplicates are dropped. */
  key: string;
  utterance: string;
  /** The frozen "now" of the scenario (epoch seconds). */
  now: number;
  site: string | null;
  expected: ExpectedAnswerInput;
  /**
   * The parts of a record answer, when they must be the same whatever the instance's outcome
   * (otherwise the contract follows the expected answer's type). See contract.ts.
   */
  contract?: RecordContract;
  requiredEvidence: Array<Omit<Evidence, 'anyOf'> & { anyOf?: string[] }>;
  referencePlan: Array<Omit<PlanStep, 'dependsOn'> & { dependsOn?: string[] }>;
  traps?: Array<{ kind: TrapKind; description: string }>;
  clarification?: { question: string; reply: string } | null;
}

export interface ScenarioTemplate {
  id: string;
  family: Family;
  tracks: Track[];
  difficulty: Difficulty;
  /** Set on templates whose instances are traps. */
  trap?: TrapKind;
  /**
   * The expected answer is the world's hold-out (the real future), not something the tools
   * can compute: the reference plan forecasts it and may miss. Validation then asks the plan
   * to run and give an answer, and reports whether it matched without failing the scenario,
   * so instances are never kept or dropped by how well our own forecaster does.
   */
  predictive?: true;
  description: string;
  /** Draws one instance, or null when this world cannot host the template (then another draw is tried). */
  instantiate(ctx: TemplateContext): Promise<Draft | null>;
  /**
   * Reads the answer out of the reference plan's results (tool data by step id), in the
   * shape the expected answer is graded on.
   */
  answerFromPlan(results: Map<string, unknown>, scenario: Scenario): unknown;
}

export async function worldFacts(ds: Dataset): Promise<WorldFacts> {
  const dir = await directory(ds);
  const m = ds.manifest;
  const [first] = await ds.query<{ t: number | null }>(
    'select epoch(min(actual_finish))::BIGINT t from work_orders',
  );
  return {
    sites: dir.sites,
    assets: dir.assets,
    sensorsByAsset: dir.sensorsByAsset,
    start: epochFromIso(m.timeRange.start),
    exposedUntil: epochFromIso(m.timeRange.exposedUntil),
    end: epochFromIso(m.timeRange.end),
    historyStart: m.timeRange.historyStart
      ? epochFromIso(m.timeRange.historyStart)
      : Number(first?.t ?? epochFromIso(m.timeRange.start)),
    checksum: m.checksum,
  };
}

// ---- helpers templates share -------------------------------------------------------------

/** Month names for utterances ("March 4, 2024"). */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Midnight UTC of a timestamp. */
export function dayStart(sec: number): number {
  return Math.floor(sec / 86400) * 86400;
}

/** "2024-05-01" */
export function day(sec: number): string {
  return isoFromEpoch(sec).slice(0, 10);
}

/** "2024-05-01 06:00" for utterances. */
export function readable(sec: number): string {
  return isoFromEpoch(sec).slice(0, 16).replace('T', ' ');
}

/** DuckDB timestamp literal parameter (the shared helper, under the name templates use). */
export const sqlTs = sqlTimestamp;

export function assetsOf(facts: WorldFacts, cls?: string): AssetRow[] {
  return facts.assets.filter((a) => !cls || a.asset_class === cls);
}

export function sensorOf(facts: WorldFacts, asset: AssetRow, key: string): SensorRow | undefined {
  return facts.sensorsByAsset.get(asset.asset_id)?.find((s) => s.sensor_key === key);
}

/** Accepted spellings of an asset. */
export function assetAliases(a: AssetRow): string[] {
  return [...new Set([a.name, a.asset_id, a.equipment_id, ...a.aliases])];
}

/** A "now" inside the exposed window, at a whole hour, at least `minDays` after the start. */
export function pickNow(ctx: TemplateContext, minDays = 2): number {
  const { start, exposedUntil } = ctx.facts;
  const lo = Math.min(exposedUntil, start + minDays * 86400);
  const t = ctx.rng.uniform(lo, exposedUntil);
  return Math.min(exposedUntil, Math.floor(t / 3600) * 3600);
}

/** JSON shape helper: an object with one required property. */
export function shape(
  prop: string,
  schema: Record<string, unknown>,
  description?: string,
): Record<string, unknown> {
  return {
    type: 'object',
    properties: { [prop]: description ? { ...schema, description } : schema },
    required: [prop],
  };
}

/** The data of a plan step's successful result (or undefined). */
export function stepData<T = Record<string, unknown>>(
  results: Map<string, unknown>,
  id: string,
): T | undefined {
  return results.get(id) as T | undefined;
}
