// A run store on a disk that fills up, on a real (tmpfs) disk: the write in progress is rolled
// back whole, the user gets one line naming the file and the way on, the run can be resumed
// once there is space, and nothing is lost or stored twice.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardStore } from '../src/runs/store/guard.ts';
import { openStore } from '../src/runs/store/open.ts';
import { attemptId } from '../src/runs/store/rows.ts';
import { SqliteRunStore } from '../src/runs/store/sqlite.ts';
import { createApp } from '../src/server/app.ts';
import { UserError } from '../src/util/errors.ts';
import { REPO, runCli } from './support/cli.ts';
import { sampleRecord, sampleRun } from './support/store-contract.ts';
import { mountSmallDisk, type SmallDisk } from './support/tmpfs.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let disk: SmallDisk;
let world: string;

beforeAll(async () => {
  disk = mountSmallDisk(48);
  world = (await tinyWorld(11)).dir;
}, 120_000);

afterAll(() => disk?.unmount());

function counts(file: string, runId: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT COUNT(*) AS total, SUM(CASE WHEN a.status = 'done' THEN 1 ELSE 0 END) AS done,
           (SELECT COUNT(*) FROM trajectories t JOIN attempts b ON b.id = t.attempt_id WHERE b.run_id = ?) AS trajectories
         FROM attempts a WHERE a.run_id = ?`,
      )
      .get(runId, runId) as { total: number; done: number | null; trajectories: number };
  } finally {
    db.close();
  }
}

describe('a full disk under the run store', () => {
  it('refuses the write with a clear error, keeps nothing half-written, and takes it once there is space', async () => {
    const file = join(disk.dir, 'store-level.sqlite');
    const store = await openStore(file, file);
    const run = sampleRun('full', ['a', 'b']);
    await store.createRun(run);
    const rec = sampleRecord(run.attempts[0], true, 'x'.repeat(2000));
    const filler = disk.fill();
    let err: unknown;
    try {
      // Enough different records that SQLite must grow the file or its log.
      for (let i = 0; i < 50 && !err; i++)
        await store.putScorecard({
          attemptId: rec.attemptId,
          scorer: `s${i}`,
          body: 'y'.repeat(60_000),
          createdAt: new Date().toISOString(),
        });
      await store.recordAttempt(rec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('store_full');
    expect((err as UserError).message).toContain(file);
    expect((err as UserError).message).not.toContain('\n');
    expect((err as UserError).hint).toMatch(/Free space/);
    // Reads still work and the attempt is not half-recorded.
    const a = await store.attempt(attemptId(run.attempts[0]));
    expect(a?.status).toBe('pending');
    expect(await store.trajectory(attemptId(run.attempts[0]))).toBeNull();
    rmSync(filler);
    expect(await store.recordAttempt(rec)).toBe(true);
    expect((await store.trajectory(attemptId(run.attempts[0])))?.finalAnswer).toBe(
      rec.trajectory.finalAnswer,
    );
    await store.close();
  });

  it('stops a run with one line that says how to go on, and the resumed run loses and repeats nothing', async () => {
    const file = join(disk.dir, 'cli.sqlite');
    const home = tempDir('assetops-full-');
    const args = [
      'run',
      '--world',
      world,
      '--limit',
      '40',
      '--trials',
      '4',
      '--concurrency',
      '1',
      '--name',
      'fills',
      '--store',
      file,
    ];
    const env = { ...process.env, CI: 'true', ASSETOPS_HOME: home };
    let filler = '';
    const result = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [resolve(REPO, 'bin/assetops.js'), ...args], { cwd: REPO, env });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const poll = setInterval(() => {
        try {
          const db = new Database(file, { readonly: true, fileMustExist: true });
          const row = db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE status = 'done'").get() as {
            n: number;
          };
          db.close();
          if (row.n >= 5 && !filler) filler = disk.fill();
        } catch {}
      }, 50);
      child.on('close', (status) => {
        clearInterval(poll);
        done({ status, stderr });
      });
    });
    expect(filler, 'the run ended before the disk was filled').not.toBe('');
    expect(result.status).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at |SqliteError/);
    const last = result.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^error: run fills stopped: the disk holding the run store .*cli\.sqlite is full/);
    expect(last).toContain('assetops run --resume fills');
    rmSync(filler);
    const runId = (runCli(['runs', 'list', '--store', file, '--json'], { ASSETOPS_HOME: home }).stdout.match(
      /"id": "(run-[^"]+)"/,
    ) ?? [])[1];
    expect(runId).toBeTruthy();
    const before = counts(file, runId);
    expect(before.done).toBeLessThan(160);
    // Every attempt marked done has its trajectory: nothing half-written.
    expect(before.trajectories).toBe(before.done);
    const listed = runCli(['runs', 'list', '--store', file], { ASSETOPS_HOME: home });
    expect(listed.stdout).toMatch(/fills.*interrupted/);
    const resumed = runCli(['run', '--resume', 'fills', '--store', file], { ASSETOPS_HOME: home });
    expect(resumed.status, resumed.stderr).toBe(0);
    const after = counts(file, runId);
    expect(after).toEqual({ total: 160, done: 160, trajectories: 160 });
  }, 240_000);

  it('makes the dashboard say the disk is full, not "internal error", without the path, and take the upload once there is space', async () => {
    // Three real trajectories of the run above, uploaded as a submission onto a full disk.
    const source = new SqliteRunStore(join(disk.dir, 'cli.sqlite'));
    const [run] = await source.listRuns();
    const lines: string[] = [];
    for (const a of (await source.attempts(run.id)).slice(0, 3)) {
      const t = await source.trajectory(a.id);
      if (t) lines.push(JSON.stringify({ ...t, agent: 'team-agent', id: `u-${a.id}` }));
    }
    await source.close();
    expect(lines).toHaveLength(3);
    const file = join(disk.dir, 'served.sqlite');
    const store = await openStore(file, file);
    const app = createApp({ store, worldDir: world, home: tempDir('assetops-srv-'), submitTokens: ['up'] });
    const upload = () =>
      app.request('/api/submissions?name=full&suite=default', {
        method: 'POST',
        headers: { host: '127.0.0.1', authorization: 'Bearer up', 'content-type': 'application/x-ndjson' },
        body: `${lines.join('\n')}\n`,
      });
    try {
      // The suite is drawn (into the server's home, not this disk) before the disk fills.
      expect(
        (await app.request('/api/scenarios?suite=default', { headers: { host: '127.0.0.1' } })).status,
      ).toBe(200);
      const filler = disk.fill();
      const r = await upload();
      const body = (await r.json()) as { error: string; hint: string };
      expect(r.status, JSON.stringify(body)).toBe(503);
      expect(body.error).toBe('the disk holding the run store is full');
      expect(JSON.stringify(body)).not.toContain(disk.dir);
      expect(body.hint).toMatch(/server log/);
      // Nothing half-written: no run, and the same upload is taken once there is space.
      expect(await store.listRuns()).toEqual([]);
      rmSync(filler);
      expect((await upload()).status).toBe(201);
      expect((await store.listRuns()).map((x) => x.name)).toEqual(['submission:full']);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('maps a damaged store met while serving to 503 "damaged" (the driver\'s own error code)', async () => {
    // A store damaged under a running server cannot be produced on cue (SQLite serves pages it
    // has cached), so this case throws what better-sqlite3 throws for it, through the guard.
    const file = join(disk.dir, 'damaged.sqlite');
    await (await openStore(file, file)).close();
    const store = guardStore(
      new Proxy(new SqliteRunStore(file), {
        get(target, prop, receiver) {
          if (prop === 'listRuns')
            return async () => {
              throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
            };
          return Reflect.get(target, prop, receiver);
        },
      }),
    );
    const app = createApp({ store, worldDir: world, home: tempDir('assetops-srv-') });
    try {
      const r = await app.request('/api/runs', { headers: { host: '127.0.0.1' } });
      const body = (await r.json()) as { error: string; hint: string };
      expect(r.status).toBe(503);
      expect(body.error).toBe('the run store is damaged');
      expect(JSON.stringify(body)).not.toContain(disk.dir);
      expect(body.hint).toMatch(/server log/);
    } finally {
      await app.close();
    }
  });
});
