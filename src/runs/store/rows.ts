// What both store back-ends share: attempt ids, the compressed trajectory encoding and the
// mapping between table rows and the interface's objects. Keeping it here means SQLite and
// PostgreSQL cannot drift apart in how they name or encode things.
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseTrajectory, type Trajectory } from '../../agents/trajectory.ts';
import { canonicalJson, sha256Hex } from '../../util/hash.ts';
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
}

export function runFromRow(r: RunTableRow): RunRow {
  return {
    id: r.id,
    name: r.name,
    status: r.status as RunStatus,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    spec: JSON.parse(r.spec),
  };
}
