// The leaderboard: one entry per configuration (configurations.ts: track, agent, model, suite,
// faults, scenario set; its newest run), from stored scorecards of runs and submissions alike,
// filtered by track, suite, model and agent, and ranked once; `view=runs` lists every run.
import { Hono } from 'hono';
import { z } from 'zod';
import { EVIDENCE_SCORER, PANEL_SCORER } from '../../scoring/stored.ts';
import { DEFAULT_READINESS } from '../../scoring/total.ts';
import { configurationKey, rankConfigurations, runKey } from '../configurations.ts';
import { parse } from '../errors.ts';
import { DIMENSION_NAMES, type LeaderboardEntry } from '../scores.ts';
import type { ServerState } from '../state.ts';

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
