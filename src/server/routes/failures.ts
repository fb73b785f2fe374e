// Failure analysis of a run (TrajFM, offline), cached per run.
import { Hono } from 'hono';
import { z } from 'zod';
import { parse } from '../errors.ts';
import type { ServerState } from '../state.ts';

const TrendsQuery = z.object({
  runs: z.coerce.number().int().min(1).max(20).default(6),
  submissions: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

import { findRun } from './runs.ts';

export function failureRoutes(state: ServerState): Hono {
  const app = new Hono();
  // Trends: each category's share of failure events in the newest runs (oldest first), so a
  // team sees whether a failure pattern grows or fades from run to run.
  app.get('/failures/trends', async (c) => {
    const q = parse(TrendsQuery, c.req.query(), 'query');
    const runs = (await state.store.listRuns())
      .filter((r) => r.counts.done > 0 && (q.submissions || !r.name?.startsWith('submission:')))
      .slice(0, q.runs)
      .reverse();
    const points: Array<{
      runId: string;
      name: string | null;
      createdAt: string;
      events: number;
      shares: Record<string, number>;
    }> = [];
    const titles: Record<string, string> = {};
    for (const r of runs) {
      const report = await state.failures.get(r, r.counts.done);
      const shares: Record<string, number> = {};
      for (const cat of report.categories) {
        shares[cat.id] = cat.share;
        titles[cat.id] = cat.title;
      }
      points.push({
        runId: r.id,
        name: r.name,
        createdAt: r.createdAt,
        events: report.events.length,
        shares,
      });
    }
    return c.json({ runs: points, categories: titles });
  });

  app.get('/runs/:id/failures', async (c) => {
    const run = await findRun(state, c.req.param('id'));
    const counts = await state.store.counts(run.id);
    return c.json(await state.failures.get(run, counts.done));
  });
  return app;
}
