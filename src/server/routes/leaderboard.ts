// The leaderboard: one entry per configuration (configurations.ts: track, agent, model, suite,
// faults, scenario set; its newest run), from stored scorecards of runs and submissions alike,
// filtered by track, suite, model and agent, and ranked once; `view=runs` lists every run.
import { Hono } from 'hono';
import { z } from 'zod';
import { type GroupScore, scoreRun } from '../../scoring/aggregate.ts';
import { compareEntries, verdictMatrix } from '../../scoring/compare.ts';
import { EVIDENCE_SCORER, PANEL_SCORER } from '../../scoring/stored.ts';
import { DEFAULT_READINESS } from '../../scoring/total.ts';
import { configurationKey, rankConfigurations, runKey } from '../configurations.ts';
import { notFound, parse } from '../errors.ts';
import { DIMENSION_NAMES, type LeaderboardEntry } from '../scores.ts';
import type { ServerState } from '../state.ts';
import { findRun } from './runs.ts';

const Query = z.object({
  track: z.enum(['execution', 'planning']).default('execution'),
  suite: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  agent: z.string().min(1).optional(),
  readiness: z.coerce.number().min(0).max(100).default(DEFAULT_READINESS),
  scorer: z.enum([EVIDENCE_SCORER, PANEL_SCORER]).default(EVIDENCE_SCORER),
  view: z.enum(['configurations', 'runs']).default('configurations'),
});

export function leaderboardRoutes(state: ServerState): Hono {
  const app = new Hono();
  app.get('/leaderboard', async (c) => {
    const q = parse(Query, c.req.query(), 'query');
    const entries: LeaderboardEntry[] = [];
    for (const run of await state.store.listRuns()) {
      if (run.counts.done === 0) continue;
      const scored = await state.scores.forRun(run, run.counts, { readiness: q.readiness, scorer: q.scorer });
      for (const e of state.scores.entries(run, scored)) {
        if (e.track !== q.track) continue;
        if (q.suite && e.suite !== q.suite) continue;
        if (q.model && (e.model ?? '') !== q.model) continue;
        if (q.agent && e.agent !== q.agent) continue;
        entries.push(e);
      }
    }
    // Every run of a configuration as its own ranked entry, for `view=runs` (history).
    const ranked = rankConfigurations(entries, q.view === 'runs' ? runKey : configurationKey);
    return c.json({
      track: q.track,
      view: q.view,
      rule:
        q.view === 'runs'
          ? 'every run is an entry'
          : 'one entry per agent, model, suite, faults profile and scenario set: its newest run; entries on fewer scenarios than their suite are partial and rank after the full ones',
      filters: { suite: q.suite ?? null, model: q.model ?? null, agent: q.agent ?? null },
      scorer: q.scorer,
      readiness: {
        threshold: q.readiness,
        rule: 'ready when the lower bound of the 95% bootstrap CI of the mean total reaches the threshold',
      },
      dimensions: DIMENSION_NAMES,
      sortable: [
        'total.mean',
        'total.ci.lower',
        'passRate',
        'passHatK.value',
        'costPerScenario',
        ...DIMENSION_NAMES.map((d) => `dimensions.${d}.passRate`),
      ],
      entries: ranked,
    });
  });
  return app;
}

const CompareQuery = z.object({
  aRun: z.string().min(1),
  aAgent: z.string().min(1),
  aModel: z.string().default(''),
  aSuite: z.string().min(1),
  bRun: z.string().min(1),
  bAgent: z.string().min(1),
  bModel: z.string().default(''),
  bSuite: z.string().min(1),
  readiness: z.coerce.number().min(0).max(100).default(DEFAULT_READINESS),
});

/**
 * Two leaderboard entries scenario by scenario (scoring/compare.ts): the scenarios whose
 * verdict differs, McNemar's exact test on them, the difference in totals against the
 * smallest difference these sample sizes can detect, and every scenario's verdict in each.
 */
export function compareRoutes(state: ServerState): Hono {
  const app = new Hono();
  app.get('/compare', async (c) => {
    const q = parse(CompareQuery, c.req.query(), 'query');
    const side = async (
      label: 'A' | 'B',
      e: { run: string; agent: string; model: string; suite: string },
    ) => {
      const run = await findRun(state, e.run);
      const counts = await state.store.counts(run.id);
      const visible = await state.scores.forRun(run, counts, { readiness: q.readiness });
      const rows = visible.rows
        .filter((r) => r.agent === e.agent && (r.model ?? '') === e.model && r.suite === e.suite)
        .map((r) => ({ ...r, run: `${label}: ${run.name ?? run.id}` }));
      if (rows.length === 0)
        throw notFound(
          `entry ${e.agent} · ${e.model || '-'} · ${e.suite} in run ${run.id}`,
          'Pick entries from GET /api/leaderboard',
        );
      return rows;
    };
    const ra = await side('A', { run: q.aRun, agent: q.aAgent, model: q.aModel, suite: q.aSuite });
    const rb = await side('B', { run: q.bRun, agent: q.bAgent, model: q.bModel, suite: q.bSuite });
    const scores = scoreRun([...ra, ...rb], { readiness: q.readiness });
    const [ga, gb] = [ra[0].run, rb[0].run].map((run) => scores.groups.find((g) => g.run === run)) as [
      GroupScore,
      GroupScore,
    ];
    const comparison = compareEntries(
      { group: ga, rows: ra },
      { group: gb, rows: rb },
      scores.minDetectableDifference,
    );
    return c.json({
      ...comparison,
      minDetectableDifference: scores.minDetectableDifference,
      scenarios: verdictMatrix([ra, rb]).map((r) => ({
        scenarioId: r.scenarioId,
        a: r.verdicts[0],
        b: r.verdicts[1],
      })),
    });
  });
  return app;
}
