// The run store: what a run planned, what each attempt produced, and what it cost. Two
// back-ends implement it with one schema and the same semantics: SQLite (one machine, the
// default) and PostgreSQL (teams, distributed workers). Everything the engine, the CLI and
// later the scorer and dashboard know about runs goes through this interface.
import type { Trajectory, TrajectoryStatus } from '../../agents/trajectory.ts';
import type { GradeResult } from '../../scenarios/graders.ts';
import type { Scenario } from '../../scenarios/schema.ts';

/**
 * incomplete: every attempt ran, but some were failed by the infrastructure (a model provider,
 * an external agent's endpoint): `run --resume` reruns those.
 */
export type RunStatus = 'running' | 'finished' | 'interrupted' | 'incomplete';
/** pending: planned; running: claimed by a runner or worker; done: recorded, never rewritten. */
export type AttemptStatus = 'pending' | 'running' | 'done';

/** What identifies an attempt; writes are idempotent on it. */
export interface AttemptKey {
  runId: string;
  suite: string;
  scenarioId: string;
  agent: string;
  model: string | null;
  /** 1-based. */
  trial: number;
}

export interface AttemptCost {
  /** Model calls made (cache hits included). */
  calls: number;
  /** Model calls answered from the response cache (they cost nothing). */
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
}

export interface AttemptRow extends AttemptKey {
  id: string;
  status: AttemptStatus;
  /** The trajectory's status once done. */
  outcome: TrajectoryStatus | null;
  grade: GradeResult | null;
  cost: AttemptCost;
  durationMs: number | null;
  /** Infrastructure retries spent on it (an agent's own failure is never retried). */
  retries: number;
  /** Who ran it: "local" or a worker's id. */
  worker: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What a runner hands the store when an attempt ends. */
export interface AttemptRecord {
  attemptId: string;
  outcome: TrajectoryStatus;
  grade: GradeResult;
  cost: AttemptCost;
  durationMs: number;
  retries: number;
  worker: string;
  startedAt: string;
  finishedAt: string;
  trajectory: Trajectory;
}

export interface RunRow {
  id: string;
  name: string | null;
  status: RunStatus;
  createdAt: string;
  finishedAt: string | null;
  /**
   * When the process running it last said it was alive. A run stored as running whose
   * heartbeat has gone quiet is reported as interrupted (its process is gone).
   */
  heartbeatAt: string | null;
  /** The process that last said so ("host:pid"). */
  runner: string | null;
  /** The resolved run specification (JSON; see runs/spec.ts). */
  spec: unknown;
}

export interface RunCounts {
  total: number;
  done: number;
  pending: number;
  running: number;
  /** Done attempts whose typed answer the grader found correct. */
  answerCorrect: number;
  /** Done attempts with outcome "error". */
  errors: number;
  /** Done attempts the infrastructure failed (outcome "infra_error"): not results, rerun by --resume. */
  infra: number;
  costUsd: number;
}

export interface RunListing extends RunRow {
  counts: RunCounts;
}

export interface NewRun {
  id: string;
  name: string | null;
  createdAt: string;
  spec: unknown;
  /** The scenarios the run uses, copied so that resuming and re-scoring need no regeneration. */
  scenarios: Array<{ suite: string; scenario: Scenario }>;
  attempts: AttemptKey[];
}

export interface Scorecard {
  attemptId: string;
  /** Who produced it, e.g. "evidence" or "judge:openai:gpt-4.1". */
  scorer: string;
  body: unknown;
  createdAt: string;
}

export interface RunStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is (a file path, or the URL without its password). */
  readonly location: string;
  /** Creates the run, its scenario copies and its planned attempts in one transaction. */
  createRun(run: NewRun): Promise<void>;
  /** By id, else the newest run with that name. */
  findRun(idOrName: string): Promise<RunRow | null>;
  /** Newest first. */
  listRuns(): Promise<RunListing[]>;
  counts(runId: string): Promise<RunCounts>;
  /** Sets the status; "running" also stamps the heartbeat. */
  setRunStatus(runId: string, status: RunStatus, finishedAt?: string | null): Promise<void>;
  /** Says this process is running the run and is alive (call every HEARTBEAT_MS). */
  heartbeat(runId: string): Promise<void>;
  scenarios(runId: string): Promise<Array<{ suite: string; scenario: Scenario }>>;
  /** In plan order. */
  attempts(runId: string): Promise<AttemptRow[]>;
  attempt(attemptId: string): Promise<AttemptRow | null>;
  /** Marks an attempt running (unless it is done); false when it was already done. */
  claimAttempt(attemptId: string, worker: string): Promise<boolean>;
  /**
   * Puts running attempts of a run back to pending, and forgets infrastructure failures (their
   * trajectories and scorecards too), so that a resumed run reruns them.
   */
  resetUnfinished(runId: string): Promise<number>;
  /**
   * Records a finished attempt, its trajectory and its cost in one transaction. Returns false
   * (and changes nothing) when the attempt was already recorded: no attempt is stored twice.
   */
  recordAttempt(rec: AttemptRecord): Promise<boolean>;
  trajectory(attemptId: string): Promise<Trajectory | null>;
  /** Removes a run and everything recorded for it; false when there was no such run. */
  deleteRun(runId: string): Promise<boolean>;
  putScorecard(card: Scorecard): Promise<void>;
  scorecards(runId: string): Promise<Scorecard[]>;
  close(): Promise<void>;
}
