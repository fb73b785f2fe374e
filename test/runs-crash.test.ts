// Crash safety: the runner is killed with SIGKILL at random moments of a run (at least ten
// times) and resumed each time. No finished attempt may be lost or stored twice, and with
// the deterministic baseline the final results must equal those of an uninterrupted run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../src/util/rng.ts';
import { REPO, runCli } from './support/cli.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let home: string;

beforeAll(async () => {
  world = (await tinyWorld(11)).dir;
  home = tempDir('assetops-crash-');
}, 120_000);

const RUN_ARGS = () => ['run', '--world', world, '--limit', '40', '--trials', '4', '--concurrency', '2'];
const TOTAL = 160;

interface Progress {
  runId: string | null;
  total: number;
  done: number;
  trajectories: number;
}

/** Reads the store directly (WAL lets a reader look while the runner writes). */
function progress(name: string): Progress {
  const file = join(home, 'runs.sqlite');
  if (!existsSync(file)) return { runId: null, total: 0, done: 0, trajectories: 0 };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const run = db.prepare('SELECT id FROM runs WHERE name = ? ORDER BY created_at DESC LIMIT 1').get(name) as
      | { id: string }
      | undefined;
    if (!run) return { runId: null, total: 0, done: 0, trajectories: 0 };
    const c = db
      .prepare(
        "SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done FROM attempts WHERE run_id = ?",
      )
      .get(run.id) as { total: number; done: number | null };
    const t = db
      .prepare(
        'SELECT COUNT(*) AS n FROM trajectories t JOIN attempts a ON a.id = t.attempt_id WHERE a.run_id = ?',
      )
      .get(run.id) as { n: number };
    return { runId: run.id, total: c.total, done: c.done ?? 0, trajectories: t.n };
  } finally {
    db.close();
  }
}

/** Starts the runner and SIGKILLs it once `killWhen` says so; resolves with how it ended. */
function runUntilKilled(
  args: string[],
  killWhen: () => boolean,
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(REPO, 'bin/assetops.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, CI: 'true', ASSETOPS_HOME: home },
      stdio: 'ignore',
    });
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && killWhen()) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 15);
    child.on('exit', (code) => {
      clearInterval(poll);
      done({ killed, code });
    });
  });
}

function results(runId: string) {
  const r = runCli(['runs', 'export', runId], { ASSETOPS_HOME: home });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((l) => ({
      key: `${l.scenarioId}#${l.trial}`,
      value: JSON.stringify([
        l.outcome,
        l.pass,
        l.score,
        l.trajectory.finalAnswer,
        l.trajectory.toolLog.length,
      ]),
    }));
}

describe('a run killed at random moments and resumed', () => {
  it('loses and duplicates nothing, and ends with the results of an uninterrupted run', async () => {
    const reference = runCli([...RUN_ARGS(), '--name', 'reference', '--json'], { ASSETOPS_HOME: home });
    expect(reference.status, reference.stderr).toBe(0);
    expect(JSON.parse(reference.stdout).counts.done).toBe(TOTAL);

    const rng = new Rng(2026, 'kills');
    let kills = 0;
    let midRun = 0;
    let lastDone = 0;
    for (let round = 0; round < 40 && kills < 10; round++) {
      const before = progress('crashy');
      // Kill after a random share of what is left; the first time, before the run even exists.
      const target = before.done + rng.int(1, Math.max(1, Math.floor((TOTAL - before.done) / 4)));
      const args = before.runId ? ['run', '--resume', 'crashy'] : [...RUN_ARGS(), '--name', 'crashy'];
      const started = Date.now();
      const out = await runUntilKilled(args, () =>
        round === 0 ? Date.now() - started > 300 : progress('crashy').done >= target,
      );
      const after = progress('crashy');
      if (out.killed) kills++;
      if (out.killed && after.done > 0 && after.done < TOTAL) midRun++;
      // Invariants after every kill: the plan is whole, nothing recorded was lost, every
      // recorded attempt has its trajectory.
      if (after.runId) {
        expect(after.total).toBe(TOTAL);
        expect(after.done).toBeGreaterThanOrEqual(lastDone);
        expect(after.trajectories).toBe(after.done);
        lastDone = after.done;
      }
      // The first kill mid-run: the killed run reads as interrupted at once, not "running".
      if (out.killed && after.done > 0 && after.done < TOTAL && midRun === 1) {
        const listed = runCli(['runs', 'list', '--json'], { ASSETOPS_HOME: home });
        const run = JSON.parse(listed.stdout).find((r: { name: string }) => r.name === 'crashy');
        expect(run.status).toBe('interrupted');
      }
      if (after.done === TOTAL) break;
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(midRun).toBeGreaterThanOrEqual(5);

    const final = runCli(['run', '--resume', 'crashy', '--json'], { ASSETOPS_HOME: home });
    expect(final.status, final.stderr).toBe(0);
    const summary = JSON.parse(final.stdout);
    expect(summary.counts).toMatchObject({ total: TOTAL, done: TOTAL, pending: 0, running: 0 });
    expect(summary.status).toBe('finished');

    const crashed = results(summary.runId);
    const ref = results(JSON.parse(reference.stdout).runId);
    expect(crashed).toHaveLength(TOTAL);
    expect(new Set(crashed.map((r) => r.key)).size).toBe(TOTAL);
    const byKey = (rows: typeof ref) => Object.fromEntries(rows.map((r) => [r.key, r.value]));
    expect(byKey(crashed)).toEqual(byKey(ref));
  }, 600_000);
});
