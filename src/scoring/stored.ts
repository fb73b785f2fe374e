// Scorecards in the run store: scoring an attempt as a run goes (the CLI and workers wire this
// into the engine's onDone hook; the engine itself does not import scoring, which sits below
// the runner), and reading a run's scorecards back joined with their attempts.

import type { RunContext } from '../runs/engine.ts';
import { isStoreFailure } from '../runs/store/guard.ts';
import { scenarioKey } from '../runs/store/scenarios.ts';
import type { AttemptRecord, AttemptRow, RunStore } from '../runs/store/types.ts';
import { scoreTrajectory } from './scorecard.ts';

/** Scorecards from evidence alone (computed as a run goes, or by `assetops score`). */
export const EVIDENCE_SCORER = 'evidence';
/** Scorecards with a judge panel's verdicts beside the evidence (`assetops score --judge`). */
export const PANEL_SCORER = 'panel';

export async function scoreRecorded(
  store: RunStore,
  ctx: Pick<RunContext, 'scenarios'>,
  row: AttemptRow,
  rec: AttemptRecord,
): Promise<void> {
  const scenario = ctx.scenarios.get(scenarioKey(row.suite, row.scenarioId));
  // An attempt the infrastructure failed is not the agent's result: it gets no scorecard.
  if (!scenario || rec.outcome === 'infra_error') return;
  const card = scoreTrajectory({ scenario, trajectory: rec.trajectory, grade: rec.grade });
  await store.putScorecard({
    attemptId: row.id,
    scorer: EVIDENCE_SCORER,
    body: card,
    createdAt: new Date().toISOString(),
  });
}

/** As scoreRecorded, but a scorer bug never stops a run: it is reported and the run goes on. */
export async function scoreQuietly(
  store: RunStore,
  ctx: Pick<RunContext, 'scenarios'>,
  row: AttemptRow,
  rec: AttemptRecord,
): Promise<void> {
  try {
    await scoreRecorded(store, ctx, row, rec);
  } catch (err) {
    // A store that cannot take writes stops the run; a scorer's own failure does not.
    if (isStoreFailure(err)) throw err;
    process.stderr.write(
      `could not score ${row.id} (${(err as Error).message}); \`assetops score\` can retry\n`,
    );
  }
}

/**
 * Scores the attempts of a run that were recorded but never scored (a runner killed between
 * the two writes), from their stored trajectories; returns how many. Infrastructure failures
 * are not results and stay unscored.
 */
export async function scoreUnscored(store: RunStore, ctx: Pick<RunContext, 'scenarios'>, runId: string) {
  const scored = new Set(
    (await store.scorecards(runId)).filter((c) => c.scorer === EVIDENCE_SCORER).map((c) => c.attemptId),
  );
  let n = 0;
  for (const row of await store.attempts(runId)) {
    if (row.status !== 'done' || row.outcome === 'infra_error' || !row.grade || scored.has(row.id)) continue;
    const scenario = ctx.scenarios.get(scenarioKey(row.suite, row.scenarioId));
    const trajectory = await store.trajectory(row.id);
    if (!scenario || !trajectory) continue;
    const card = scoreTrajectory({ scenario, trajectory, grade: row.grade });
    await store.putScorecard({
      attemptId: row.id,
      scorer: EVIDENCE_SCORER,
      body: card,
      createdAt: new Date().toISOString(),
    });
    n++;
  }
  return n;
}

/** The stored scorecards of a run (one scorer's), joined with their attempts. */
export async function storedScores(
  store: RunStore,
  runId: string,
  scorer = EVIDENCE_SCORER,
): Promise<import('./aggregate.ts').AttemptScore[]> {
  const attempts = new Map((await store.attempts(runId)).map((a) => [a.id, a]));
  return (await store.scorecards(runId)).flatMap((c) => {
    const a = attempts.get(c.attemptId);
    if (!a || c.scorer !== scorer || a.outcome === 'infra_error') return [];
    return [attemptScore(a, c.body as import('./scorecard.ts').Scorecard)];
  });
}

/** A scorecard with the attempt it belongs to. */
export function attemptScore(
  a: AttemptRow,
  card: import('./scorecard.ts').Scorecard,
): import('./aggregate.ts').AttemptScore {
  return {
    attemptId: a.id,
    agent: a.agent,
    model: a.model,
    suite: a.suite,
    scenarioId: a.scenarioId,
    trial: a.trial,
    costUsd: a.cost.usd,
    card,
  };
}
