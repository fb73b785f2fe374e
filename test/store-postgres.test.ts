// The PostgreSQL run store against a private server started for this file: the shared
// contract, plus what only a shared server can show (two machines racing to record the same
// attempts, two workers creating the schema at once, an unreachable server).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunStore } from '../src/runs/store/postgres.ts';
import { attemptId } from '../src/runs/store/rows.ts';
import { UserError } from '../src/util/errors.ts';
import { freshDatabase, type PostgresServer, startPostgres } from './support/postgres.ts';
import { freePort } from './support/servers.ts';
import { sampleRecord, sampleRun, storeContract } from './support/store-contract.ts';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
}, 120_000);

storeContract('postgres', async () => PostgresRunStore.open(await freshDatabase(server.url)));

describe('postgres run store on a shared server', () => {
  it('lets two machines race to record the same attempts, storing each exactly once', async () => {
    const url = await freshDatabase(server.url);
    const a = await PostgresRunStore.open(url);
    const b = await PostgresRunStore.open(url);
    try {
      const run = sampleRun(
        'race',
        Array.from({ length: 30 }, (_, i) => `s${i}`),
      );
      await a.createRun(run);
      const results = await Promise.all(
        run.attempts.flatMap((k) => [
          a.recordAttempt(sampleRecord(k, true, 'from-a')),
          b.recordAttempt(sampleRecord(k, false, 'from-b')),
        ]),
      );
      // Exactly one winner per attempt, whichever machine it was.
      for (let i = 0; i < run.attempts.length; i++)
        expect(Number(results[2 * i]) + Number(results[2 * i + 1])).toBe(1);
      const counts = await b.counts(run.id);
      expect(counts).toMatchObject({ total: 30, done: 30, pending: 0, running: 0 });
      // The stored trajectory belongs to the winner's record.
      for (let i = 0; i < run.attempts.length; i++) {
        const id = attemptId(run.attempts[i]);
        const row = await a.attempt(id);
        const t = await b.trajectory(id);
        expect(t?.finalAnswer).toBe(results[2 * i] ? 'from-a' : 'from-b');
        expect(row?.grade?.pass).toBe(results[2 * i]);
      }
      // Costs are counted once per attempt.
      expect(counts.costUsd).toBeCloseTo(30 * 0.0125, 6);
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        const n = await check.query('SELECT COUNT(*)::int AS n FROM trajectories');
        expect(n.rows[0].n).toBe(30);
      } finally {
        await check.end();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets several workers open an empty database at once (the schema is created once)', async () => {
    const url = await freshDatabase(server.url);
    const opened = await Promise.allSettled(Array.from({ length: 4 }, () => PostgresRunStore.open(url)));
    const stores = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(opened.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
      const run = sampleRun('concurrent-open', ['a']);
      await stores[0].createRun(run);
      for (const s of stores) expect((await s.findRun('concurrent-open'))?.id).toBe(run.id);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('keeps the plan in order and reads its schema version back on reopen', async () => {
    const url = await freshDatabase(server.url);
    const first = await PostgresRunStore.open(url);
    const run = sampleRun('kept', ['z', 'a', 'm']);
    await first.createRun(run);
    await first.recordAttempt(sampleRecord(run.attempts[1], true, 'ok'));
    await first.close();
    const again = await PostgresRunStore.open(url);
    try {
      expect((await again.scenarios(run.id)).map((s) => s.scenario.id)).toEqual(['z', 'a', 'm']);
      expect((await again.trajectory(attemptId(run.attempts[1])))?.finalAnswer).toBe('ok');
    } finally {
      await again.close();
    }
  });

  it('refuses a store of another schema version', async () => {
    const url = await freshDatabase(server.url);
    await (await PostgresRunStore.open(url)).close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    await c.end();
    await expect(PostgresRunStore.open(url)).rejects.toThrow(/schema version 99.*reads 1/);
  });

  it('masks the password in its location', async () => {
    const u = new URL(await freshDatabase(server.url));
    u.password = 's3cret-pw';
    const store = await PostgresRunStore.open(u.toString());
    try {
      expect(store.kind).toBe('postgres');
      expect(store.location).not.toContain('s3cret-pw');
      expect(store.location).toContain('***');
      expect(store.location).toContain(`127.0.0.1:${server.port}`);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable server as a UserError naming the host and the fix', async () => {
    const port = await freePort();
    const err = await PostgresRunStore.open(`postgres://someone:hunter2@127.0.0.1:${port}/runs`).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    const ue = err as UserError;
    expect(ue.code).toBe('store_unavailable');
    expect(ue.message).toContain(`127.0.0.1:${port}`);
    expect(ue.message).not.toContain('hunter2');
    expect(ue.hint).toMatch(/PostgreSQL is running/);
  });

  it('reports a bad URL and a missing database as UserErrors', async () => {
    await expect(PostgresRunStore.open('not a url')).rejects.toBeInstanceOf(UserError);
    await expect(PostgresRunStore.open('mysql://127.0.0.1/x')).rejects.toThrow(/not a PostgreSQL URL/);
    const u = new URL(server.url);
    u.pathname = '/no_such_database';
    const err = (await PostgresRunStore.open(u.toString()).catch((e: unknown) => e)) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.hint).toMatch(/createdb/);
  });
});
