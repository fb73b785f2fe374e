// Distributed runs on real servers: Redis (BullMQ queue) and PostgreSQL (the shared store),
// started here on 127.0.0.1. Two worker processes take the attempts of a model-backed run;
// one is killed mid-run; the other finishes its attempts, and every attempt is recorded
// exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, REPO, runCli, runCliAsync } from './support/cli.ts';
import { freshDatabase, type PostgresServer, startPostgres } from './support/postgres.ts';
import { type RedisServer, startRedis } from './support/redis.ts';
import { type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { clockThenAnswer } from './support/scripted-roles.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let redis: RedisServer;
let postgres: PostgresServer;
let llm: ScriptedLlm;
let world: string;
const workers: ChildProcess[] = [];

// Each attempt: one tool call, then an answer; every model reply takes 120 ms, so a worker
// is nearly always in the middle of an attempt.
const turn = clockThenAnswer({ answer: 42 });

beforeAll(async () => {
  [redis, postgres, world] = await Promise.all([
    startRedis(),
    startPostgres(),
    tinyWorld(5).then((w) => w.dir),
  ]);
  llm = await startScriptedLlm(
    Array.from({ length: 4000 }, () => turn),
    { delayMs: 120 },
  );
}, 300_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await llm?.close();
  await redis?.stop();
  await postgres?.stop();
});

function startWorker(storeUrl: string, home: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      resolve(REPO, 'bin/assetops.js'),
      'worker',
      '--queue',
      redis.url,
      '--store',
      storeUrl,
      '--concurrency',
      '2',
      '--lock-ms',
      '2000',
    ],
    // Each worker has its own project folder (its own response cache), like another machine.
    {
      cwd: REPO,
      env: { ...process.env, CI: 'true', ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' },
      stdio: 'ignore',
    },
  );
  workers.push(child);
  return child;
}

async function doneCount(storeUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: storeUrl });
  await client.connect();
  try {
    const r = await client.query("SELECT COUNT(*) AS n FROM attempts WHERE status = 'done'");
    return Number(r.rows[0].n);
  } catch {
    return 0; // the runner has not created the tables yet
  } finally {
    await client.end();
  }
}

/** Whether the worker has an attempt running that it claimed at least `ms` ago. */
async function midAttempt(storeUrl: string, worker: string, ms: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: storeUrl });
  await client.connect();
  try {
    const r = await client.query("SELECT started_at FROM attempts WHERE status = 'running' AND worker = $1", [
      worker,
    ]);
    return r.rows.some((row) => Date.now() - Date.parse(String(row.started_at)) >= ms);
  } finally {
    await client.end();
  }
}

describe('distributed runs over Redis and PostgreSQL', () => {
  it('survives a worker killed mid-run: every attempt recorded exactly once', async () => {
    const storeUrl = await freshDatabase(postgres.url);
    const runnerHome = tempDir('assetops-runner-');
    const w1 = startWorker(storeUrl, tempDir('assetops-w1-'));
    startWorker(storeUrl, tempDir('assetops-w2-'));
    const runner = runCliAsync(
      [
        'run',
        '--agent',
        'react',
        '--model',
        'scripted',
        '--base-url',
        llm.url,
        '--world',
        world,
        '--limit',
        '15',
        '--trials',
        '2',
        '--store',
        storeUrl,
        '--queue',
        redis.url,
        '--name',
        'spread',
        '--json',
      ],
      { ASSETOPS_HOME: runnerHome, ASSETOPS_API_KEY: 'dummy' },
    );
    // Kill the first worker once the run is under way, in the middle of an attempt that has
    // already asked the model (claimed 150 ms ago; each reply takes 120 ms), so that there is
    // work to take over: killed between two attempts, it would leave nothing to rerun.
    for (let i = 0; i < 600 && (await doneCount(storeUrl)) < 6; i++)
      await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 600 && !(await midAttempt(storeUrl, `${hostname()}-${w1.pid}`, 150)); i++)
      await new Promise((r) => setTimeout(r, 10));
    w1.kill('SIGKILL');
    const r = await runner;
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.counts).toMatchObject({ total: 30, done: 30, pending: 0, running: 0 });

    const client = new pg.Client({ connectionString: storeUrl });
    await client.connect();
    try {
      const rows = (
        await client.query('SELECT scenario_id, trial, worker FROM attempts WHERE run_id = $1', [
          summary.runId,
        ])
      ).rows;
      expect(rows).toHaveLength(30);
      expect(new Set(rows.map((x) => `${x.scenario_id}#${x.trial}`)).size).toBe(30);
      const traj = await client.query(
        'SELECT COUNT(*) AS n FROM trajectories t JOIN attempts a ON a.id = t.attempt_id WHERE a.run_id = $1',
        [summary.runId],
      );
      expect(Number(traj.rows[0].n)).toBe(30);
      // Both workers recorded attempts; the killed one's unfinished attempts were taken over.
      const byWorker = new Set(rows.map((x) => x.worker));
      expect(byWorker.size).toBe(2);
      expect(byWorker.has(`${hostname()}-${w1.pid}`)).toBe(true);
    } finally {
      await client.end();
    }
    // 30 attempts × 2 model calls if nothing had been interrupted: the attempts the killed
    // worker was in the middle of were run again from the start by the other worker.
    expect(llm.requests.length).toBeGreaterThan(60);

    // The run reads back through the CLI from the shared store, by name.
    const show = runCli(['runs', 'show', 'spread', '--store', storeUrl, '--json'], {
      ASSETOPS_HOME: runnerHome,
    });
    expect(show.status, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).attempts).toHaveLength(30);
  }, 300_000);

  it('names an unreachable queue or store with the fix', () => {
    const home = tempDir('assetops-bad-');
    const badQueue = runCli(['worker', '--queue', 'redis://127.0.0.1:1', '--store', 'sqlite:/tmp/x.sqlite'], {
      ASSETOPS_HOME: home,
    });
    expect(expectOneLineError(badQueue)).toContain('cannot reach Redis at 127.0.0.1:1');
    // A run sent to an unreachable queue is refused before anything is stored.
    const badRun = runCli(['run', '--world', world, '--limit', '1', '--queue', 'redis://127.0.0.1:1'], {
      ASSETOPS_HOME: home,
    });
    expect(expectOneLineError(badRun)).toContain('cannot reach Redis');
    expect(JSON.parse(runCli(['runs', 'list', '--json'], { ASSETOPS_HOME: home }).stdout)).toEqual([]);
    const badStore = runCli(['runs', 'list', '--store', 'postgres://nobody@127.0.0.1:1/none'], {
      ASSETOPS_HOME: home,
    });
    expect(expectOneLineError(badStore)).toMatch(/127\.0\.0\.1:1/);
    expect(
      expectOneLineError(runCli(['runs', 'list', '--store', 'mysql://x'], { ASSETOPS_HOME: home })),
    ).toContain('is not a store');
  }, 60_000);
});
