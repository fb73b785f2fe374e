// The SQLite run store: the shared contract, plus what only a file can show (reopening,
// a store written by another schema version).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { attemptId, STALE_AFTER_MS } from '../src/runs/store/rows.ts';
import { SqliteRunStore } from '../src/runs/store/sqlite.ts';
import { UserError } from '../src/util/errors.ts';
import { sampleRecord, sampleRun, storeContract } from './support/store-contract.ts';
import { tempDir } from './support/worlds.ts';

storeContract('sqlite', async () => new SqliteRunStore(join(tempDir('store-'), 'runs.sqlite')));

describe('sqlite run store file', () => {
  it('keeps what was recorded across a reopen', async () => {
    const file = join(tempDir('store-'), 'runs.sqlite');
    const run = sampleRun('kept', ['a', 'b']);
    const first = new SqliteRunStore(file);
    await first.createRun(run);
    await first.recordAttempt(sampleRecord(run.attempts[1], true, 'ok'));
    await first.close();
    const again = new SqliteRunStore(file);
    try {
      expect((await again.findRun('kept'))?.id).toBe(run.id);
      expect((await again.trajectory(attemptId(run.attempts[1])))?.finalAnswer).toBe('ok');
    } finally {
      await again.close();
    }
  });

  it('refuses a store of another schema version, naming the file and the fix', async () => {
    const file = join(tempDir('store-'), 'runs.sqlite');
    await new SqliteRunStore(file).close();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => new SqliteRunStore(file)).toThrow(/schema version 99.*reads 1/);
  });

  it('shows a run whose process went silent as interrupted, and opens stores made before heartbeats', async () => {
    const file = join(tempDir('store-'), 'runs.sqlite');
    // A store as the previous version wrote it: no heartbeat column, one run left "running".
    const old = new Database(file);
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1');
      CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT, status TEXT NOT NULL,
        created_at TEXT NOT NULL, finished_at TEXT, spec TEXT NOT NULL);
      INSERT INTO runs VALUES ('run-old', 'old', 'running', '2026-01-01T00:00:00.000Z', NULL, '{}');`);
    old.close();
    const store = new SqliteRunStore(file);
    try {
      expect((await store.findRun('old'))?.status).toBe('interrupted');
      const live = sampleRun('live', ['a']);
      await store.createRun(live);
      expect((await store.findRun('live'))?.status).toBe('running');
      // The process dies: no more beats. Two minutes later readers see it interrupted.
      const db = new Database(file);
      db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(
        new Date(Date.now() - STALE_AFTER_MS - 1000).toISOString(),
        live.id,
      );
      db.close();
      expect((await store.findRun('live'))?.status).toBe('interrupted');
      expect((await store.listRuns()).find((r) => r.id === live.id)?.status).toBe('interrupted');
      // A resume brings it back.
      await store.setRunStatus(live.id, 'running');
      expect((await store.findRun('live'))?.status).toBe('running');
      // On its own host a runner whose process is gone reads as interrupted at once.
      const gone = spawnSync(process.execPath, ['-e', '0']).pid;
      const db2 = new Database(file);
      db2.prepare('UPDATE runs SET runner = ? WHERE id = ?').run(`${hostname()}:${gone}`, live.id);
      db2.close();
      expect((await store.findRun('live'))?.status).toBe('interrupted');
      // A runner on another host is judged by its heartbeat alone.
      const db3 = new Database(file);
      db3.prepare('UPDATE runs SET runner = ? WHERE id = ?').run(`elsewhere.example:${gone}`, live.id);
      db3.close();
      expect((await store.findRun('live'))?.status).toBe('running');
    } finally {
      await store.close();
    }
  });

  it('refuses a damaged store, naming the file and the fix, and writes nothing into it', async () => {
    const dir = tempDir('store-');
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, randomBytes(8192));
    const damaged = join(dir, 'runs.sqlite');
    const store = new SqliteRunStore(damaged);
    for (let i = 0; i < 40; i++) await store.createRun(sampleRun(`r${i}`, ['a', 'b', 'c', 'd']));
    await store.close();
    // Random bytes in the middle of a real store, as a bad disk or a bad copy leaves it.
    const bytes = readFileSync(damaged);
    // Unaligned on purpose: the damage need not start at a page boundary.
    randomBytes(4096).copy(bytes, Math.floor(bytes.length / 2) - 1000);
    writeFileSync(damaged, bytes);
    for (const file of [junk, damaged]) {
      const before = readFileSync(file);
      let err: unknown;
      try {
        new SqliteRunStore(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).code).toBe('store_damaged');
      expect((err as UserError).message).toContain(file);
      expect((err as UserError).message).not.toContain('\n');
      expect((err as UserError).hint).toMatch(/move it aside/);
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });
});
