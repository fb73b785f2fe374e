// The run store on PostgreSQL (a pg Pool): for teams and distributed workers, where several
// processes on several machines write one store. Same tables and semantics as the SQLite store;
// every multi-statement write is one transaction, and an attempt is recorded at most once even
// when two workers finish it at the same moment (the UPDATE's row lock decides who wins).
import pg from 'pg';
import type { Trajectory } from '../../agents/trajectory.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { UserError } from '../../util/errors.ts';
import {
  type AttemptTableRow,
  attemptFromRow,
  attemptId,
  COUNTS_SELECT,
  countsFromRow,
  decodeTrajectory,
  encodeTrajectory,
  INFRA_OUTCOME,
  RESET_ATTEMPT,
  type RunTableRow,
  runFromRow,
  STORE_SCHEMA_VERSION,
  thisRunner,
} from './rows.ts';
import type {
  AttemptRecord,
  AttemptRow,
  NewRun,
  RunCounts,
  RunListing,
  RunRow,
  RunStatus,
  RunStore,
  Scorecard,
} from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, name TEXT, status TEXT NOT NULL,
  created_at TEXT NOT NULL, finished_at TEXT, spec TEXT NOT NULL, heartbeat_at TEXT, runner TEXT);
-- Stores written before runs had a heartbeat gain the columns (additive: no version bump).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS heartbeat_at TEXT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS runner TEXT;
CREATE INDEX IF NOT EXISTS runs_by_name ON runs (name, created_at);
CREATE TABLE IF NOT EXISTS run_scenarios (
  seq BIGSERIAL NOT NULL,
  run_id TEXT NOT NULL, suite TEXT NOT NULL, scenario_id TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (run_id, suite, scenario_id));
CREATE TABLE IF NOT EXISTS attempts (
  id TEXT PRIMARY KEY, run_id TEXT NOT NULL, seq INTEGER NOT NULL,
  suite TEXT NOT NULL, scenario_id TEXT NOT NULL, agent TEXT NOT NULL, model TEXT NOT NULL,
  trial INTEGER NOT NULL, status TEXT NOT NULL, outcome TEXT, grade TEXT, passed BOOLEAN,
  calls INTEGER NOT NULL DEFAULT 0, cached_calls INTEGER NOT NULL DEFAULT 0,
  input_tokens BIGINT NOT NULL DEFAULT 0, output_tokens BIGINT NOT NULL DEFAULT 0,
  cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0, duration_ms DOUBLE PRECISION,
  retries INTEGER NOT NULL DEFAULT 0,
  worker TEXT, started_at TEXT, finished_at TEXT,
  UNIQUE (run_id, suite, scenario_id, agent, model, trial));
CREATE INDEX IF NOT EXISTS attempts_by_run ON attempts (run_id, seq);
CREATE TABLE IF NOT EXISTS trajectories (attempt_id TEXT PRIMARY KEY, body BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS scorecards (
  attempt_id TEXT NOT NULL, scorer TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (attempt_id, scorer));
`;

/** Serialises schema creation across processes (CREATE TABLE IF NOT EXISTS alone races). */
const SCHEMA_LOCK_KEY = 0x61736f70; // "asop"

/** The URL with its password replaced by "***" (safe to print and log). */
export function maskPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL we can parse: mask whatever sits between "user:" and "@".
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'an unparseable address';
  }
}

const URL_FORM = 'postgres://USER:PASSWORD@HOST:PORT/DB';

function connectError(url: string, location: string, err: unknown): UserError {
  const e = err as { code?: string; message?: string };
  const host = hostOf(url);
  // An AggregateError (several addresses tried) can have an empty message but a code.
  const message = e.message || String(err);
  const reason = e.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
  let hint = `Check that PostgreSQL is running and reachable at ${host}, and that the --store URL is right (${URL_FORM})`;
  if (e.code === '28P01' || e.code === '28000')
    hint = `Check the user name and password in the --store URL for ${host}`;
  else if (e.code === '3D000')
    hint = `Create the database on ${host} (createdb), or point --store at an existing one`;
  return new UserError(
    `cannot connect to the PostgreSQL run store ${location} at ${host} (${reason})`,
    hint,
    'store_unavailable',
  );
}

export class PostgresRunStore implements RunStore {
  readonly kind = 'postgres' as const;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  /** Connects, creates the schema if needed (once, under a lock) and checks its version. */
  static async open(url: string): Promise<PostgresRunStore> {
    const location = maskPostgresUrl(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UserError(
        `the run store URL ${location} is not a valid URL`,
        `Use --store ${URL_FORM}`,
        'store_unavailable',
      );
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new UserError(
        `the run store URL ${location} is not a PostgreSQL URL`,
        `Use --store ${URL_FORM}`,
        'store_unavailable',
      );
    }
    let pool: pg.Pool;
    try {
      pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
    } catch (err) {
      throw connectError(url, location, err);
    }
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const store = new PostgresRunStore(pool, location);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end().catch(() => {});
      throw connectError(url, location, err);
    }
    client.release();
    try {
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const version = await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
      await c.query(SCHEMA);
      const r = await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
      if (r.rows.length === 0) {
        await c.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1)", [
          String(STORE_SCHEMA_VERSION),
        ]);
        return String(STORE_SCHEMA_VERSION);
      }
      return r.rows[0].value;
    });
    if (Number(version) !== STORE_SCHEMA_VERSION) {
      throw new UserError(
        `the run store ${this.location} has schema version ${version}; this version of assetops reads ${STORE_SCHEMA_VERSION}`,
        'Use the assetops version that wrote it, or point --store at a new database',
        'store_version',
      );
    }
  }

  /** Runs fn in one transaction on one client: COMMIT, or ROLLBACK on any error. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        // The connection is unusable: drop it rather than return it to the pool.
        broken = rollbackErr as Error;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async createRun(run: NewRun): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        'INSERT INTO runs (id, name, status, created_at, finished_at, spec, heartbeat_at, runner) VALUES ($1, $2, $3, $4, NULL, $5, $4, $6)',
        [run.id, run.name, 'running', run.createdAt, JSON.stringify(run.spec), thisRunner()],
      );
      if (run.scenarios.length > 0) {
        await c.query(
          `INSERT INTO run_scenarios (run_id, suite, scenario_id, body)
           SELECT $1, u.suite, u.scenario_id, u.body
           FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(suite, scenario_id, body, ord)
           ORDER BY u.ord
           ON CONFLICT DO NOTHING`,
          [
            run.id,
            run.scenarios.map((s) => s.suite),
            run.scenarios.map((s) => s.scenario.id),
            run.scenarios.map((s) => JSON.stringify(s.scenario)),
          ],
        );
      }
      if (run.attempts.length > 0) {
        const a = run.attempts;
        await c.query(
          `INSERT INTO attempts (id, run_id, seq, suite, scenario_id, agent, model, trial, status)
           SELECT u.id, $1, u.seq, u.suite, u.scenario_id, u.agent, u.model, u.trial, 'pending'
           FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
             AS u(id, seq, suite, scenario_id, agent, model, trial)
           ORDER BY u.seq
           ON CONFLICT DO NOTHING`,
          [
            run.id,
            a.map((k) => attemptId(k)),
            a.map((_, seq) => seq),
            a.map((k) => k.suite),
            a.map((k) => k.scenarioId),
            a.map((k) => k.agent),
            a.map((k) => k.model ?? ''),
            a.map((k) => k.trial),
          ],
        );
      }
    });
  }

  async findRun(idOrName: string): Promise<RunRow | null> {
    const byId = await this.pool.query<RunTableRow>('SELECT * FROM runs WHERE id = $1', [idOrName]);
    const row =
      byId.rows[0] ??
      (
        await this.pool.query<RunTableRow>(
          'SELECT * FROM runs WHERE name = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
          [idOrName],
        )
      ).rows[0];
    return row ? runFromRow(row) : null;
  }

  async listRuns(): Promise<RunListing[]> {
    const r = await this.pool.query<RunTableRow & Record<string, unknown>>(
      `SELECT r.*, c.* FROM runs r
       LEFT JOIN LATERAL (SELECT ${COUNTS_SELECT} FROM attempts WHERE attempts.run_id = r.id) c ON true
       ORDER BY r.created_at DESC, r.id DESC`,
    );
    return r.rows.map((row) => ({ ...runFromRow(row), counts: countsFromRow(row) }));
  }

  async counts(runId: string): Promise<RunCounts> {
    const r = await this.pool.query(`SELECT ${COUNTS_SELECT} FROM attempts WHERE run_id = $1`, [runId]);
    return countsFromRow(r.rows[0]);
  }

  async setRunStatus(runId: string, status: RunStatus, finishedAt: string | null = null): Promise<void> {
    const beat = status === 'running' ? new Date().toISOString() : null;
    await this.pool.query(
      `UPDATE runs SET status = $1, finished_at = $2, heartbeat_at = COALESCE($3, heartbeat_at),
         runner = CASE WHEN $3::text IS NULL THEN runner ELSE $4 END WHERE id = $5`,
      [status, finishedAt, beat, thisRunner(), runId],
    );
  }

  async heartbeat(runId: string): Promise<void> {
    await this.pool.query('UPDATE runs SET heartbeat_at = $1, runner = $2 WHERE id = $3', [
      new Date().toISOString(),
      thisRunner(),
      runId,
    ]);
  }

  async scenarios(runId: string): Promise<Array<{ suite: string; scenario: Scenario }>> {
    const r = await this.pool.query<{ suite: string; body: string }>(
      'SELECT suite, body FROM run_scenarios WHERE run_id = $1 ORDER BY seq',
      [runId],
    );
    return r.rows.map((row) => ({ suite: row.suite, scenario: JSON.parse(row.body) as Scenario }));
  }

  async attempts(runId: string): Promise<AttemptRow[]> {
    const r = await this.pool.query<AttemptTableRow>(
      'SELECT * FROM attempts WHERE run_id = $1 ORDER BY seq',
      [runId],
    );
    return r.rows.map(attemptFromRow);
  }

  async attempt(id: string): Promise<AttemptRow | null> {
    const r = await this.pool.query<AttemptTableRow>('SELECT * FROM attempts WHERE id = $1', [id]);
    return r.rows[0] ? attemptFromRow(r.rows[0]) : null;
  }

  async claimAttempt(id: string, worker: string): Promise<boolean> {
    const r = await this.pool.query(
      "UPDATE attempts SET status = 'running', worker = $1, started_at = $2 WHERE id = $3 AND status <> 'done'",
      [worker, new Date().toISOString(), id],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async resetUnfinished(runId: string): Promise<number> {
    return this.tx(async (c) => {
      const infra = `SELECT id FROM attempts WHERE run_id = $1 AND status = 'done' AND outcome = '${INFRA_OUTCOME}'`;
      // An infrastructure failure is not a result: forget it whole, so the attempt runs afresh.
      await c.query(`DELETE FROM scorecards WHERE attempt_id IN (${infra})`, [runId]);
      await c.query(`DELETE FROM trajectories WHERE attempt_id IN (${infra})`, [runId]);
      const again = await c.query(
        `UPDATE attempts SET ${RESET_ATTEMPT} WHERE run_id = $1 AND status = 'done' AND outcome = $2`,
        [runId, INFRA_OUTCOME],
      );
      const running = await c.query(
        "UPDATE attempts SET status = 'pending' WHERE run_id = $1 AND status = 'running'",
        [runId],
      );
      return (again.rowCount ?? 0) + (running.rowCount ?? 0);
    });
  }

  async recordAttempt(rec: AttemptRecord): Promise<boolean> {
    const body = encodeTrajectory(rec.trajectory);
    const c = rec.cost;
    return this.tx(async (client) => {
      // Two recorders racing: the second UPDATE waits on the first's row lock, then re-checks
      // the WHERE against the committed row (now 'done') and changes nothing.
      const changed = await client.query(
        `UPDATE attempts SET status = 'done', outcome = $1, grade = $2, passed = $3, calls = $4,
           cached_calls = $5, input_tokens = $6, output_tokens = $7, cost_usd = $8, duration_ms = $9,
           retries = $10, worker = $11, started_at = $12, finished_at = $13
         WHERE id = $14 AND status <> 'done'`,
        [
          rec.outcome,
          JSON.stringify(rec.grade),
          rec.grade.needsJudge ? null : rec.grade.pass,
          c.calls,
          c.cachedCalls,
          c.inputTokens,
          c.outputTokens,
          c.usd,
          rec.durationMs,
          rec.retries,
          rec.worker,
          rec.startedAt,
          rec.finishedAt,
          rec.attemptId,
        ],
      );
      if ((changed.rowCount ?? 0) === 0) return false;
      await client.query(
        `INSERT INTO trajectories (attempt_id, body) VALUES ($1, $2)
         ON CONFLICT (attempt_id) DO UPDATE SET body = EXCLUDED.body`,
        [rec.attemptId, body],
      );
      return true;
    });
  }

  async trajectory(id: string): Promise<Trajectory | null> {
    const r = await this.pool.query<{ body: Buffer }>('SELECT body FROM trajectories WHERE attempt_id = $1', [
      id,
    ]);
    return r.rows[0] ? decodeTrajectory(r.rows[0].body, `trajectory of ${id}`) : null;
  }

  async putScorecard(card: Scorecard): Promise<void> {
    await this.pool.query(
      `INSERT INTO scorecards (attempt_id, scorer, body, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (attempt_id, scorer) DO UPDATE SET body = EXCLUDED.body, created_at = EXCLUDED.created_at`,
      [card.attemptId, card.scorer, JSON.stringify(card.body), card.createdAt],
    );
  }

  async scorecards(runId: string): Promise<Scorecard[]> {
    const r = await this.pool.query<{ attempt_id: string; scorer: string; body: string; created_at: string }>(
      `SELECT s.* FROM scorecards s JOIN attempts a ON a.id = s.attempt_id
       WHERE a.run_id = $1 ORDER BY a.seq, s.scorer`,
      [runId],
    );
    return r.rows.map((row) => ({
      attemptId: row.attempt_id,
      scorer: row.scorer,
      body: JSON.parse(row.body),
      createdAt: row.created_at,
    }));
  }

  async deleteRun(runId: string): Promise<boolean> {
    return this.tx(async (c) => {
      const attempts = 'SELECT id FROM attempts WHERE run_id = $1';
      await c.query(`DELETE FROM scorecards WHERE attempt_id IN (${attempts})`, [runId]);
      await c.query(`DELETE FROM trajectories WHERE attempt_id IN (${attempts})`, [runId]);
      await c.query('DELETE FROM attempts WHERE run_id = $1', [runId]);
      await c.query('DELETE FROM run_scenarios WHERE run_id = $1', [runId]);
      const r = await c.query('DELETE FROM runs WHERE id = $1', [runId]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
