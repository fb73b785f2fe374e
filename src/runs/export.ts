// Getting a run out of the store as files: JSON Lines of attempts with their trajectories,
// for other tools, for sharing, or for a submission elsewhere.
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { UserError } from '../util/errors.ts';
import type { RunStore } from './store/types.ts';
import { attemptListing, summarizeRun } from './summary.ts';

/** One line per done attempt: the attempt's listing plus its trajectory. */
export async function* exportLines(store: RunStore, runId: string): AsyncGenerator<string> {
  for (const a of await store.attempts(runId)) {
    if (a.status !== 'done') continue;
    const trajectory = await store.trajectory(a.id);
    yield `${JSON.stringify({ ...attemptListing(a), grade: a.grade, trajectory })}\n`;
  }
}

/**
 * What the dashboard's upload (POST /api/submissions, the Submissions page) accepts: one
 * Trajectory per line, nothing around it, for the done attempts of one suite (a submission
 * is scored against one suite). `suite` picks it when the run holds several.
 */
export async function* submissionLines(
  store: RunStore,
  runId: string,
  suite?: string,
): AsyncGenerator<string> {
  const done = (await store.attempts(runId)).filter((a) => a.status === 'done');
  const suites = [...new Set(done.map((a) => a.suite))];
  if (suite !== undefined && !suites.includes(suite))
    throw new UserError(
      `run ${runId} has no finished attempts in suite ${suite}`,
      `Its suites: ${suites.join(', ') || 'none'}`,
    );
  if (suite === undefined && suites.length > 1)
    throw new UserError(
      `run ${runId} holds ${suites.length} suites (${suites.join(', ')}); a submission answers one`,
      'Pick one with --suite, e.g. --suite default',
    );
  for (const a of done) {
    if (suite !== undefined && a.suite !== suite) continue;
    const trajectory = await store.trajectory(a.id);
    if (trajectory) yield `${JSON.stringify(trajectory)}\n`;
  }
}

/** Writes run.json (the summary), attempts.jsonl and trajectories.jsonl into `dir`. */
export async function exportRun(store: RunStore, runId: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const run = await store.findRun(runId);
  if (!run) throw new Error(`run ${runId} is not in the store`);
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(await summarizeRun(store, run), null, 2)}\n`);
  const attempts = createWriteStream(join(dir, 'attempts.jsonl'));
  const trajectories = createWriteStream(join(dir, 'trajectories.jsonl'));
  for (const a of await store.attempts(runId)) {
    attempts.write(`${JSON.stringify({ ...attemptListing(a), grade: a.grade })}\n`);
    const t = a.status === 'done' ? await store.trajectory(a.id) : null;
    if (t) trajectories.write(`${JSON.stringify(t)}\n`);
  }
  attempts.end();
  trajectories.end();
  await Promise.all([finished(attempts), finished(trajectories)]);
}
