// Failure analysis of a run (TrajFM, offline), cached per run.
import { Hono } from 'hono';
import { z } from 'zod';
import { runConfiguration } from '../configurations.ts';
import { parse } from '../errors.ts';
import type { ServerState } from '../state.ts';

const TrendsQuery = z.object({
  runs: z.coerce.number().int().min(1).max(20).default(6),
  /** A run (id or name) whose configuration the trend follows; default the newest run's. */
  run: z.string().min(1).optional(),
  submissions: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

import { findRun } from './runs.ts';

export function failureRoutes(state: ServerState): Hono {
  const app = new Hono();
  // Trends: for the newest runs of one configuration (oldest first), the share of each run's
  // trajectories that show each category, so a team sees a failure pattern grow or fade from
  // run to run. Runs of other configurations are not joined in: their rates do not compare.
  app.get('/failures/trends', async (c) => {
    const q = parse(TrendsQuery, c.req.query(), 'query');
    const candidates = (await state.store.listRuns()).filter(
      (r) => r.counts.done > 0 && (q.submissions || !r.name?.startsWith('submission:')),
    );
    const anchor = q.run ? await findRun(state, q.run) : candidates[0];
    const configuration = anchor ? runConfiguration(anchor) : null;
    const runs = candidates
      .filter((r) => runConfiguration(r) === configuration)
      .slice(0, q.runs)
      .reverse();
    const points: Array<{
      runId: string;
      name: string | null;
      createdAt: string;
      trajectories: number;
      events: number;
      rates: Record<string, number>;
    }> = [];
    const titles: Record<string, string> = {};
    for (const r of runs) {
      const report = await state.failures.get(r, r.counts.done);
      const rates: Record<string, number> = {};
      for (const cat of report.categories) {
        rates[cat.id] = cat.rate;
        titles[cat.id] = cat.title;
      }
      points.push({
        runId: r.id,
        name: r.name,
        createdAt: r.createdAt,
        trajectories: report.trajectories,
        events: report.events.length,
        rates,
      });
    }
    return c.json({
      configuration,
      rule: 'share of each run’s trajectories with at least one event of the category; runs of one configuration only',
      runs: points,
      categories: titles,
    });
  });

  app.get('/runs/:id/failures', async (c) => {
    const run = await findRun(state, c.req.param('id'));
    const counts = await state.store.counts(run.id);
    return c.json(await state.failures.get(run, counts.done));
  });
  return app;
}
