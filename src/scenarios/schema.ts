// The scenario schema (versioned, zod, exported as JSON Schema). A scenario is a task an
// agent gets (the utterance and a frozen "now"), the typed answer it must reach, the tool
// evidence it must gather, and a reference plan that reaches the answer through the tools.
import { z } from 'zod';

export const SCENARIO_SCHEMA_VERSION = 1;

export const FAMILIES = ['iot', 'anomaly', 'fmsr', 'forecast', 'workorder', 'e2e'] as const;
export const TRACKS = ['execution', 'planning'] as const;
export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const AGENTS = ['iot', 'fmsr', 'tsfm', 'wo', 'util'] as const;
export const TRAP_KINDS = ['ambiguous_asset', 'unanswerable', 'conflicting_logs', 'distractor'] as const;

const Iso = z.string().describe('UTC timestamp, ISO 8601');

/** A numeric tolerance: the answer passes when within abs OR within rel (share of the expected value). */
const Tolerance = z.object({
  abs: z.number().nonnegative().optional(),
  rel: z.number().nonnegative().optional(),
});

const CountAnswer = z.object({ type: z.literal('count'), value: z.number().int() });
const NumberAnswer = z.object({
  type: z.literal('number'),
  value: z.number(),
  tolerance: Tolerance,
  unit: z.string().optional(),
});
const EntityAnswer = z.object({
  type: z.literal('entity'),
  value: z.string(),
  /** Other names that count as the same entity (asset ids, names, lower case...). */
  aliases: z.array(z.string()).default([]),
});
const SetAnswer = z.object({
  type: z.literal('set'),
  values: z.array(z.string()),
  /** Per expected value, other accepted spellings. */
  aliases: z.record(z.string(), z.array(z.string())).default({}),
  /** The F1 score needed to pass (1 = exact set). */
  minF1: z.number().min(0).max(1).default(1),
});
const RankingAnswer = z.object({
  type: z.literal('ranking'),
  values: z.array(z.string()).min(2),
  aliases: z.record(z.string(), z.array(z.string())).default({}),
  metric: z.enum(['kendall', 'topk']),
  /** For topk: how many of the first k must match (in any order). */
  k: z.number().int().positive().optional(),
  /** Kendall tau (or top-k overlap share) needed to pass. */
  threshold: z.number().min(-1).max(1),
});
const TimeWindowAnswer = z.object({
  type: z.literal('time_window'),
  start: Iso,
  end: Iso.nullable(),
  /** overlap: intersection over union of the windows; timestamp: the start within tolerance. */
  mode: z.enum(['overlap', 'timestamp']),
  toleranceMinutes: z.number().nonnegative(),
  minOverlap: z.number().min(0).max(1).default(0.5),
});
const ForecastAnswer = z.object({
  type: z.literal('forecast'),
  asset: z.string(),
  sensor: z.string(),
  /** The real future (held out: no tool shows it). */
  actual: z.array(z.object({ ts: Iso, value: z.number() })).min(1),
  /** Mean absolute error of the seasonal-naive forecast on the same points (the scale). */
  naiveMae: z.number().nonnegative(),
  /** Pass when the forecast's MAE is at most this multiple of the naive MAE. */
  maxRelativeMae: z.number().positive(),
});
const BooleanAnswer = z.object({ type: z.literal('boolean'), value: z.boolean() });
const FreeTextAnswer = z.object({
  type: z.literal('free_text'),
  /** What a good answer says, for the judge only. */
  characteristic: z.string(),
});

const SIMPLE_ANSWERS = [
  CountAnswer,
  NumberAnswer,
  EntityAnswer,
  SetAnswer,
  RankingAnswer,
  TimeWindowAnswer,
  ForecastAnswer,
  BooleanAnswer,
  FreeTextAnswer,
] as const;

const SimpleAnswer = z.discriminatedUnion('type', [...SIMPLE_ANSWERS]);

/** Several named parts, each graded on its own (e.g. work orders, alerts and anomalies). */
const RecordAnswer = z.object({
  type: z.literal('record'),
  fields: z.record(z.string(), SimpleAnswer),
});

export const ExpectedAnswerSchema = z.discriminatedUnion('type', [...SIMPLE_ANSWERS, RecordAnswer]);
export type ExpectedAnswer = z.infer<typeof ExpectedAnswerSchema>;
export type ExpectedAnswerInput = z.input<typeof ExpectedAnswerSchema>;
export type AnswerType = ExpectedAnswer['type'];

/** A tool call that must appear in the recorded log, with constraints on its arguments. */
export const EvidenceSchema = z.object({
  tool: z.string(),
  /** Alternatives that satisfy the same need (e.g. get_work_orders or get_corrective_work_orders). */
  anyOf: z.array(z.string()).default([]),
  asset: z.string().optional(),
  sensors: z.array(z.string()).optional(),
  site: z.string().optional(),
  /** The call's window must cover this one. */
  window: z.object({ start: Iso, end: Iso }).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
  description: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const PlanStepSchema = z.object({
  id: z.string(),
  agent: z.enum(AGENTS),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** Steps that must come first (a partial order). */
  dependsOn: z.array(z.string()).default([]),
  description: z.string(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const ScenarioSchema = z.object({
  schemaVersion: z.literal(SCENARIO_SCHEMA_VERSION),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  family: z.enum(FAMILIES),
  template: z.string(),
  tracks: z.array(z.enum(TRACKS)).min(1),
  difficulty: z.enum(DIFFICULTIES),
  utterance: z.string().min(1),
  context: z.object({ now: Iso, site: z.string().nullable() }),
  expected: ExpectedAnswerSchema,
  answerFormat: z.object({
    description: z.string(),
    /** JSON Schema of the answer object the agent should return. */
    jsonShape: z.record(z.string(), z.unknown()).nullable(),
  }),
  requiredEvidence: z.array(EvidenceSchema),
  referencePlan: z.array(PlanStepSchema),
  traps: z.array(z.object({ kind: z.enum(TRAP_KINDS), description: z.string() })).default([]),
  clarification: z.object({ question: z.string(), reply: z.string() }).nullable().default(null),
  provenance: z.object({
    source: z.enum(['generated', 'aob']),
    /** World checksum, template and seed for generated scenarios. */
    world: z.string().nullable().default(null),
    seed: z.number().int().nullable().default(null),
    split: z.string().nullable().default(null),
    aob: z
      .object({
        id: z.string(),
        type: z.string().nullable(),
        category: z.string().nullable(),
        characteristicForm: z.string().nullable(),
        deterministic: z.boolean().nullable(),
        /** Known defects of the published item (date mismatches, wrong expected answers). */
        defects: z.array(z.string()).default([]),
        /** Competition items: the phase ("development", "evaluation") and the twin's scenario id. */
        phase: z.string().nullable().default(null),
        pairedWith: z.string().nullable().default(null),
      })
      .nullable()
      .default(null),
  }),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** JSON Schema of the scenario format (draft 2020-12). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input' }) as Record<string, unknown>;
}
