// What both store back-ends share: attempt ids, the compressed trajectory encoding and the
// mapping between table rows and the interface's objects. Keeping it here means SQLite and
// PostgreSQL cannot drift apart in how they name or encode things.
import { hostname } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseTrajectory, type Trajectory } from '../../agents/trajectory.ts';
import { canonicalJson, sha256Hex } from '../../util/hash.ts';
import { isProcessAlive } from '../../util/process.ts';
import type { AttemptKey, AttemptRow, AttemptStatus, RunCounts, RunRow, RunStatus } from './types.ts';

/** The tables' layout version (both back-ends); a store of another version is refused. */
export const STORE_SCHEMA_VERSION = 1;

/** Deterministic: the same key always names the same attempt (so writes are idempotent). */
export function attemptId(key: AttemptKey): string {
  const k = [key.runId, key.suite, key.scenarioId, key.agent, key.model ?? '', key.trial];
  return `att-${sha256Hex(canonicalJson(k)).slice(0, 20)}`;
}

export function encodeTrajectory(t: Trajectory): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(t)));
}

export function decodeTrajectory(bytes: Uint8Array, where: string): Trajectory {
  return parseTrajectory(JSON.parse(gunzipSync(bytes).toString('utf8')), where);
}

/** An attempts table row, as both back-ends select it (snake_case columns). */
export interface AttemptTableRow {
  id: string;
  run_id: string;
  seq: number;
  suite: string;
  scenario_id: string;
  agent: string;
  model: string;
  trial: number;
  status: string;
  outcome: string | null;
  grade: string | null;
  calls: number;
  cached_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  duration_ms: number | null;
  retries: number;
  worker: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export function attemptFromRow(r: AttemptTableRow): AttemptRow {
  return {
    id: r.id,
    runId: r.run_id,
    suite: r.suite,
    scenarioId: r.scenario_id,
    agent: r.agent,
    // Stored as '' (part of the unique key, where NULLs would never collide).
    model: r.model === '' ? null : r.model,
    trial: Number(r.trial),
    status: r.status as AttemptStatus,
    outcome: (r.outcome as AttemptRow['outcome']) ?? null,
    grade: r.grade ? JSON.parse(r.grade) : null,
    cost: {
      calls: Number(r.calls),
      cachedCalls: Number(r.cached_calls),
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      usd: Number(r.cost_usd),
    },
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    retries: Number(r.retries),
    worker: r.worker,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** The counts query both back-ends run, over one run's attempts. */
/** The outcome of an attempt the infrastructure failed (not a result; --resume reruns it). */
export const INFRA_OUTCOME = 'infra_error';

/** Columns of an attempt set back to planned (both back-ends). */
export const RESET_ATTEMPT = `status = 'pending', outcome = NULL, grade = NULL, passed = NULL, calls = 0,
  cached_calls = 0, input_tokens = 0, output_tokens = 0, cost_usd = 0, duration_ms = NULL, retries = 0,
  worker = NULL, started_at = NULL, finished_at = NULL`;

export const COUNTS_SELECT = `
  COUNT(*) AS total,
  SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,
  SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
  SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END) AS running,
  SUM(CASE WHEN passed THEN 1 ELSE 0 END) AS passed,
  SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS errors,
  SUM(CASE WHEN outcome = 'infra_error' THEN 1 ELSE 0 END) AS infra,
  COALESCE(SUM(cost_usd), 0) AS cost_usd`;

export function countsFromRow(r: Record<string, unknown> | undefined): RunCounts {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    total: n(r?.total),
    done: n(r?.done),
    pending: n(r?.pending),
    running: n(r?.running),
    answerCorrect: n(r?.passed),
    errors: n(r?.errors),
    infra: n(r?.infra),
    costUsd: n(r?.cost_usd),
  };
}

/** A runs table row, as both back-ends select it. */
export interface RunTableRow {
  id: string;
  name: string | null;
  status: string;
  created_at: string;
  finished_at: string | null;
  spec: string;
  heartbeat_at?: string | null;
  runner?: string | null;
}

/** How often a process running a run says it is alive (see RunStore.heartbeat). */
export const HEARTBEAT_MS = 15_000;
/** A "running" run not heard from for this long has lost its process: it shows as interrupted. */
export const STALE_AFTER_MS = 6 * HEARTBEAT_MS;

/** Who is running a run: host and process id, stamped with each heartbeat. */
export function thisRunner(): string {
  return `${hostname()}:${process.pid}`;
}

/** False only when the runner is a process of this host that no longer exists. */
function runnerMayBeAlive(runner: string | null): boolean {
  if (!runner) return true;
  const at = runner.lastIndexOf(':');
  if (runner.slice(0, at) !== hostname()) return true;
  return isProcessAlive(Number(runner.slice(at + 1)));
}

/**
 * The status a reader should see. A run whose process was killed (SIGKILL, a crash, a full
 * disk that refused the last write) never wrote "interrupted": on its own host the missing
 * process says so at once; from anywhere, a heartbeat silent for STALE_AFTER_MS does.
 */
export function effectiveRunStatus(
  stored: RunStatus,
  heartbeatAt: string | null,
  createdAt: string,
  runner: string | null,
  now = Date.now(),
): RunStatus {
  if (stored !== 'running') return stored;
  if (!runnerMayBeAlive(runner)) return 'interrupted';
  const last = Date.parse(heartbeatAt ?? createdAt);
  return Number.isFinite(last) && now - last > STALE_AFTER_MS ? 'interrupted' : 'running';
}

export function runFromRow(r: RunTableRow): RunRow {
  const heartbeatAt = r.heartbeat_at ?? null;
  const runner = r.runner ?? null;
  return {
    id: r.id,
    name: r.name,
    status: effectiveRunStatus(r.status as RunStatus, heartbeatAt, r.created_at, runner),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    heartbeatAt,
    runner,
    spec: JSON.parse(r.spec),
  };
}
