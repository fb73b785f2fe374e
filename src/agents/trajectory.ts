// The one record every agent produces, ours or imported: ordered steps, the final answer,
// usage, errors and the server-side tool log. Scoring, TrajFM and reports read only this,
// so it is versioned JSON validated at every boundary.
import { z } from 'zod';
// Type-only: the agents layer must not load tool internals at runtime (see the check below).
import type { CallRecord } from '../tools/session.ts';

export const TRAJECTORY_SCHEMA_VERSION = 1;

export const STEP_KINDS = [
  'plan',
  'thought',
  'tool_call',
  'tool_result',
  'message',
  'handoff',
  'ask',
  'final',
] as const;
export const StepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKindSchema>;

export const TRACKS = ['execution', 'planning'] as const;
/**
 * How an attempt ended. `infra_error`: the infrastructure failed it (the model provider
 * unreachable, 5xx or 429 after the retries, a provider that hangs, an external agent's
 * endpoint that refuses connections); it is not the agent's result and is never scored.
 */
export const STATUSES = ['completed', 'failed', 'limit', 'error', 'infra_error'] as const;
/** The error kind that marks a trajectory's failure as the infrastructure's. */
export const INFRA_ERROR_KIND = 'infrastructure';
export const SOURCES = ['assetops', 'aob-react', 'aob-runs', 'aob-steps', 'aob-cods'] as const;

// Offsets allowed: imported files carry Python's "+00:00" as often as "Z".
const IsoTime = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();
const Millis = z.number().nonnegative();

export const StepToolSchema = z.object({
  name: z.string(),
  args: z.unknown(),
  /** Pairs a tool_call step with its tool_result step. */
  callId: z.string(),
  ok: z.boolean().optional(),
  error: z.string().optional(),
});

export const HandoffSchema = z.object({
  from: z.string(),
  to: z.string(),
  request: z.string(),
});

export const StepSchema = z.object({
  index: Count,
  /** The acting agent: the top-level agent's name or a sub-agent's. */
  agent: z.string(),
  kind: StepKindSchema,
  content: z.string(),
  tool: StepToolSchema.optional(),
  handoff: HandoffSchema.optional(),
  tokens: z.object({ input: Count, output: Count }).optional(),
  latencyMs: Millis.optional(),
  at: IsoTime.optional(),
});
export type TrajectoryStep = z.infer<typeof StepSchema>;

export const UsageSchema = z.object({
  inputTokens: Count,
  outputTokens: Count,
  /** Model calls (not tool calls; those are the tool log). */
  calls: Count,
  /** 0 when the source did not report a cost. */
  costUsd: z.number().nonnegative(),
  latencyMs: Millis,
});
export type Usage = z.infer<typeof UsageSchema>;

export const TrajectoryErrorSchema = z.object({
  kind: z.string(),
  message: z.string(),
  /** Index of the step the error belongs to, when there is one. */
  step: Count.optional(),
});
export type TrajectoryError = z.infer<typeof TrajectoryErrorSchema>;

/** Mirrors tools/session.ts CallRecord: what the tool server saw, not what the agent claims. */
export const ToolLogEntrySchema = z.object({
  seq: Count,
  tool: z.string(),
  args: z.unknown(),
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  digest: z.string(),
  resultRef: z.string(),
  latencyMs: Millis,
  fault: z.object({ kind: z.enum(['error', 'timeout', 'partial', 'stale']), detail: z.string() }).nullable(),
  startedAt: IsoTime,
});
export type ToolLogEntry = z.infer<typeof ToolLogEntrySchema>;

// Compile-time guard: if CallRecord grows or changes a field, this line stops compiling,
// and the mirror above must follow.
export type CallRecordFitsToolLog = CallRecord extends ToolLogEntry ? true : never;
const _callRecordFits: CallRecordFitsToolLog = true;
void _callRecordFits;

export const ProvenanceSchema = z.object({
  /** 'assetops' for our own agents; the others name the AssetOpsBench form it came from. */
  source: z.enum(SOURCES),
  importedFrom: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const TrajectorySchema = z.object({
  schemaVersion: z.literal(TRAJECTORY_SCHEMA_VERSION),
  id: z.string().min(1),
  scenarioId: z.string(),
  agent: z.string(),
  model: z.string().nullable(),
  track: z.enum(TRACKS),
  /** The question as the agent received it, when known (imports need it to find the scenario). */
  task: z.string().optional(),
  startedAt: IsoTime,
  /** null while the agent is still running. */
  finishedAt: IsoTime.nullable(),
  steps: z.array(StepSchema),
  /** JSON (often just a string); null when the agent gave none. */
  finalAnswer: z.json(),
  status: z.enum(STATUSES),
  usage: UsageSchema,
  errors: z.array(TrajectoryErrorSchema),
  toolLog: z.array(ToolLogEntrySchema),
  provenance: ProvenanceSchema,
});
export type Trajectory = z.infer<typeof TrajectorySchema>;
export type TrajectoryStatus = Trajectory['status'];
export type Track = Trajectory['track'];
export type JsonValue = Trajectory['finalAnswer'];

/** JSON Schema (draft 2020-12) for people writing trajectories outside TypeScript. */
export function trajectoryJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TrajectorySchema, { unrepresentable: 'any' }) as Record<string, unknown>;
}

/** Validates a trajectory from outside (file, HTTP, queue); the error lists what is wrong. */
export function parseTrajectory(value: unknown, where = 'trajectory'): Trajectory {
  const r = TrajectorySchema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new Error(
    `${where} is not a valid trajectory (schemaVersion ${TRAJECTORY_SCHEMA_VERSION}): ${issues}`,
  );
}

export interface NewTrajectory {
  id: string;
  scenarioId: string;
  agent: string;
  model?: string | null;
  track?: Track;
  task?: string;
  /** Defaults to the wall clock now. */
  startedAt?: string;
  provenance?: Provenance;
}

export function newTrajectory(init: NewTrajectory): Trajectory {
  return {
    schemaVersion: TRAJECTORY_SCHEMA_VERSION,
    id: init.id,
    scenarioId: init.scenarioId,
    agent: init.agent,
    model: init.model ?? null,
    track: init.track ?? 'execution',
    ...(init.task !== undefined ? { task: init.task } : {}),
    startedAt: init.startedAt ?? new Date().toISOString(),
    finishedAt: null,
    steps: [],
    finalAnswer: null,
    // A trajectory that never reaches finish() was cut off by something outside the agent.
    status: 'error',
    usage: { inputTokens: 0, outputTokens: 0, calls: 0, costUsd: 0, latencyMs: 0 },
    errors: [],
    toolLog: [],
    provenance: init.provenance ?? { source: 'assetops' },
  };
}

export type NewStep = Omit<TrajectoryStep, 'index'>;

// Who is watching a trajectory being written (the playground streams steps as they come).
const observers = new WeakMap<Trajectory, (step: TrajectoryStep) => void>();

/** Calls `fn` with every step added to `traj` from now on. */
export function observeSteps(traj: Trajectory, fn: (step: TrajectoryStep) => void): void {
  observers.set(traj, fn);
}

/** Appends a step with the next index and returns it (the trajectory is mutated in place). */
export function addStep(traj: Trajectory, step: NewStep): TrajectoryStep {
  const full: TrajectoryStep = { index: traj.steps.length, ...step };
  traj.steps.push(full);
  const watch = observers.get(traj);
  if (watch) {
    try {
      watch(full);
    } catch {
      // A watcher's failure must not stop the agent.
    }
  }
  return full;
}

/** Makes any value JSON: what JSON.stringify would keep, with undefined as null. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

export function answerText(answer: unknown): string {
  if (typeof answer === 'string') return answer;
  return JSON.stringify(toJsonValue(answer));
}

/**
 * Closes a trajectory: status, final answer, finish time. A 'final' step is added when the
 * agent gave an answer but did not record one, so the steps alone tell the whole story.
 */
export function finish(
  traj: Trajectory,
  status: TrajectoryStatus,
  finalAnswer: unknown,
  finishedAt: string = new Date().toISOString(),
): Trajectory {
  traj.status = status;
  traj.finalAnswer = toJsonValue(finalAnswer);
  traj.finishedAt = finishedAt;
  const last = traj.steps.at(-1);
  if (traj.finalAnswer !== null && last?.kind !== 'final') {
    addStep(traj, { agent: traj.agent, kind: 'final', content: answerText(traj.finalAnswer) });
  }
  if (traj.usage.latencyMs === 0) {
    const elapsed = Date.parse(finishedAt) - Date.parse(traj.startedAt);
    if (Number.isFinite(elapsed) && elapsed > 0) traj.usage.latencyMs = elapsed;
  }
  return traj;
}
