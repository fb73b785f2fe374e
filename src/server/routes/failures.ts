// Failure analysis of a run (TrajFM, offline), cached per run.
import { Hono } from 'hono';
import type { ServerState } from '../state.ts';
import { findRun } from './runs.ts';

export function failureRoutes(state: ServerState): Hono {
  const app = new Hono();
  app.get('/runs/:id/failures', async (c) => {
    const run = await findRun(state, c.req.param('id'));
    const counts = await state.store.counts(run.id);
    return c.json(await state.failures.get(run, counts.done));
  });
  return app;
}
