// The run store on SQLite (better-sqlite3, WAL): one file under .assetops/. Every write that
// must be all-or-nothing is one transaction, so a runner killed at any moment leaves either
// the whole attempt or none of it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
CREATE INDEX IF NOT EXISTS runs_by_name ON runs (name, created_at);
CREATE TABLE IF NOT EXISTS run_scenarios (
  run_id TEXT NOT NULL, suite TEXT NOT NULL, scenario_id TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (run_id, suite, scenario_id));
CREATE TABLE IF NOT EXISTS attempts (
  id TEXT PRIMARY KEY, run_id TEXT NOT NULL, seq INTEGER NOT NULL,
  suite TEXT NOT NULL, scenario_id TEXT NOT NULL, agent TEXT NOT NULL, model TEXT NOT NULL,
  trial INTEGER NOT NULL, status TEXT NOT NULL, outcome TEXT, grade TEXT, passed INTEGER,
  calls INTEGER NOT NULL DEFAULT 0, cached_calls INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0, duration_ms REAL, retries INTEGER NOT NULL DEFAULT 0,
  worker TEXT, started_at TEXT, finished_at TEXT,
  UNIQUE (run_id, suite, scenario_id, agent, model, trial));
CREATE INDEX IF NOT EXISTS attempts_by_run ON attempts (run_id, seq);
CREATE TABLE IF NOT EXISTS trajectories (attempt_id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS scorecards (
  attempt_id TEXT NOT NULL, scorer TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (attempt_id, scorer));
`;

/** A store SQLite cannot read or that fails its integrity check: refused, with the way out. */
function damagedStore(location: string, err: unknown): UserError {
  const e = err as { code?: string; message?: string };
  return new UserError(
    `the run store ${location} is damaged or is not a run store (${e.code ? `${e.code}: ` : ''}${(e.message ?? String(err)).replace(/\s+/g, ' ').trim()}); nothing was written to it`,
    `Restore it from a backup, or move it aside (mv ${location} ${location}.damaged) and start a new store`,
    'store_damaged',
  );
}

export class SqliteRunStore implements RunStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(readonly location: string) {
    try {
      mkdirSync(dirname(location), { recursive: true });
      this.db = new Database(location);
    } catch (err) {
      throw new UserError(
        `cannot open the run store ${location} (${(err as Error).message})`,
        'Check that the folder is writable, or set ASSETOPS_HOME to another folder',
        'store_unavailable',
      );
    }
    let row: { value: string } | undefined;
    try {
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode survives a killed process (not a power cut), at a fraction of FULL's cost.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 10000');
      // A damaged file is refused before anything is written into it.
      const check = this.db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
      this.db.exec(SCHEMA);
      // Stores written before runs had a heartbeat gain the columns (additive: no version bump).
      const cols = new Set(
        (this.db.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>).map((c) => c.name),
      );
      for (const col of ['heartbeat_at', 'runner'])
        if (!cols.has(col)) this.db.exec(`ALTER TABLE runs ADD COLUMN ${col} TEXT`);
      row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
        | { value: string }
        | undefined;
    } catch (err) {
      if (this.db.open) this.db.close();
      throw damagedStore(location, err);
    }
    if (!row) {
      this.db
        .prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)")
        .run(String(STORE_SCHEMA_VERSION));
    } else if (Number(row.value) !== STORE_SCHEMA_VERSION) {
      this.db.close();
      throw new UserError(
        `the run store ${location} has schema version ${row.value}; this version of assetops reads ${STORE_SCHEMA_VERSION}`,
        'Use the assetops version that wrote it, or point ASSETOPS_HOME at a new folder',
        'store_version',
      );
    }
  }

  async createRun(run: NewRun): Promise<void> {
    const insertRun = this.db.prepare(
      'INSERT INTO runs (id, name, status, created_at, finished_at, spec, heartbeat_at, runner) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)',
    );
    const insertScenario = this.db.prepare(
      'INSERT OR IGNORE INTO run_scenarios (run_id, suite, scenario_id, body) VALUES (?, ?, ?, ?)',
    );
    const insertAttempt = this.db.prepare(
      `INSERT OR IGNORE INTO attempts (id, run_id, seq, suite, scenario_id, agent, model, trial, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    );
    this.db.transaction(() => {
      insertRun.run(
        run.id,
        run.name,
        'running',
        run.createdAt,
        JSON.stringify(run.spec),
        run.createdAt,
        thisRunner(),
      );
      for (const { suite, scenario } of run.scenarios)
        insertScenario.run(run.id, suite, scenario.id, JSON.stringify(scenario));
      run.attempts.forEach((k, seq) => {
        insertAttempt.run(attemptId(k), run.id, seq, k.suite, k.scenarioId, k.agent, k.model ?? '', k.trial);
      });
    })();
  }

  async findRun(idOrName: string): Promise<RunRow | null> {
    const byId = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(idOrName) as RunTableRow | undefined;
    const row =
      byId ??
      (this.db
        .prepare('SELECT * FROM runs WHERE name = ? ORDER BY created_at DESC, id DESC LIMIT 1')
        .get(idOrName) as RunTableRow | undefined);
    return row ? runFromRow(row) : null;
  }

  async listRuns(): Promise<RunListing[]> {
    // One query for all runs and their counts (the dashboard lists runs on most requests).
    const rows = this.db
      .prepare(
        `SELECT r.*, c.* FROM runs r
         LEFT JOIN (SELECT run_id, ${COUNTS_SELECT} FROM attempts GROUP BY run_id) c ON c.run_id = r.id
         ORDER BY r.created_at DESC, r.id DESC`,
      )
      .all() as Array<RunTableRow & Record<string, unknown>>;
    return rows.map((row) => ({ ...runFromRow(row), counts: countsFromRow(row) }));
  }

  async counts(runId: string): Promise<RunCounts> {
    return countsFromRow(
      this.db.prepare(`SELECT ${COUNTS_SELECT} FROM attempts WHERE run_id = ?`).get(runId) as Record<
        string,
        unknown
      >,
    );
  }

  async setRunStatus(runId: string, status: RunStatus, finishedAt: string | null = null): Promise<void> {
    const beat = status === 'running' ? new Date().toISOString() : null;
    this.db
      .prepare(
        'UPDATE runs SET status = ?, finished_at = ?, heartbeat_at = COALESCE(?, heartbeat_at) WHERE id = ?',
      )
      .run(status, finishedAt, beat, runId);
  }

  async heartbeat(runId: string): Promise<void> {
    this.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(new Date().toISOString(), runId);
  }

  async scenarios(runId: string): Promise<Array<{ suite: string; scenario: Scenario }>> {
    const rows = this.db
      .prepare('SELECT suite, body FROM run_scenarios WHERE run_id = ? ORDER BY rowid')
      .all(runId) as Array<{ suite: string; body: string }>;
    return rows.map((r) => ({ suite: r.suite, scenario: JSON.parse(r.body) as Scenario }));
  }

  async attempts(runId: string): Promise<AttemptRow[]> {
    const rows = this.db
      .prepare('SELECT * FROM attempts WHERE run_id = ? ORDER BY seq')
      .all(runId) as AttemptTableRow[];
    return rows.map(attemptFromRow);
  }

  async attempt(id: string): Promise<AttemptRow | null> {
    const row = this.db.prepare('SELECT * FROM attempts WHERE id = ?').get(id) as AttemptTableRow | undefined;
    return row ? attemptFromRow(row) : null;
  }

  async claimAttempt(id: string, worker: string): Promise<boolean> {
    const r = this.db
      .prepare(
        "UPDATE attempts SET status = 'running', worker = ?, started_at = ? WHERE id = ? AND status <> 'done'",
      )
      .run(worker, new Date().toISOString(), id);
    return r.changes > 0;
  }

  async resetUnfinished(runId: string): Promise<number> {
    const infra = `SELECT id FROM attempts WHERE run_id = ? AND status = 'done' AND outcome = '${INFRA_OUTCOME}'`;
    return this.db.transaction(() => {
      // An infrastructure failure is not a result: forget it whole, so the attempt runs afresh.
      this.db.prepare(`DELETE FROM scorecards WHERE attempt_id IN (${infra})`).run(runId);
      this.db.prepare(`DELETE FROM trajectories WHERE attempt_id IN (${infra})`).run(runId);
      const again = this.db
        .prepare(`UPDATE attempts SET ${RESET_ATTEMPT} WHERE run_id = ? AND status = 'done' AND outcome = ?`)
        .run(runId, INFRA_OUTCOME).changes;
      const running = this.db
        .prepare("UPDATE attempts SET status = 'pending' WHERE run_id = ? AND status = 'running'")
        .run(runId).changes;
      return again + running;
    })();
  }

  async recordAttempt(rec: AttemptRecord): Promise<boolean> {
    const update = this.db.prepare(
      `UPDATE attempts SET status = 'done', outcome = ?, grade = ?, passed = ?, calls = ?, cached_calls = ?,
         input_tokens = ?, output_tokens = ?, cost_usd = ?, duration_ms = ?, retries = ?, worker = ?,
         started_at = ?, finished_at = ?
       WHERE id = ? AND status <> 'done'`,
    );
    const putTrajectory = this.db.prepare(
      'INSERT OR REPLACE INTO trajectories (attempt_id, body) VALUES (?, ?)',
    );
    const body = encodeTrajectory(rec.trajectory);
    return this.db.transaction(() => {
      const c = rec.cost;
      const changed = update.run(
        rec.outcome,
        JSON.stringify(rec.grade),
        rec.grade.needsJudge ? null : rec.grade.pass ? 1 : 0,
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
      ).changes;
      if (changed === 0) return false;
      putTrajectory.run(rec.attemptId, body);
      return true;
    })();
  }

  async trajectory(id: string): Promise<Trajectory | null> {
    const row = this.db.prepare('SELECT body FROM trajectories WHERE attempt_id = ?').get(id) as
      | { body: Buffer }
      | undefined;
    return row ? decodeTrajectory(row.body, `trajectory of ${id}`) : null;
  }

  async deleteRun(runId: string): Promise<boolean> {
    const attempts = 'SELECT id FROM attempts WHERE run_id = ?';
    return this.db.transaction(() => {
      this.db.prepare(`DELETE FROM scorecards WHERE attempt_id IN (${attempts})`).run(runId);
      this.db.prepare(`DELETE FROM trajectories WHERE attempt_id IN (${attempts})`).run(runId);
      this.db.prepare('DELETE FROM attempts WHERE run_id = ?').run(runId);
      this.db.prepare('DELETE FROM run_scenarios WHERE run_id = ?').run(runId);
      return this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId).changes > 0;
    })();
  }

  async putScorecard(card: Scorecard): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO scorecards (attempt_id, scorer, body, created_at) VALUES (?, ?, ?, ?)')
      .run(card.attemptId, card.scorer, JSON.stringify(card.body), card.createdAt);
  }

  async scorecards(runId: string): Promise<Scorecard[]> {
    const rows = this.db
      .prepare(
        `SELECT s.* FROM scorecards s JOIN attempts a ON a.id = s.attempt_id
         WHERE a.run_id = ? ORDER BY a.seq, s.scorer`,
      )
      .all(runId) as Array<{ attempt_id: string; scorer: string; body: string; created_at: string }>;
    return rows.map((r) => ({
      attemptId: r.attempt_id,
      scorer: r.scorer,
      body: JSON.parse(r.body),
      createdAt: r.created_at,
    }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
