// The dashboard's HTTP server (Hono): a JSON API under /api over the run store and the
// library (the same functions the CLI calls), and the built web app from web/dist.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bearer } from './auth.ts';
import { ApiError, errorResponse } from './errors.ts';
import { hostGuard } from './host-guard.ts';
import { competitionRoutes } from './routes/competitions.ts';
import { failureRoutes } from './routes/failures.ts';
import { compareRoutes, leaderboardRoutes } from './routes/leaderboard.ts';
import { playgroundRoutes } from './routes/playground.ts';
import { runRoutes } from './routes/runs.ts';
import { submissionRoutes } from './routes/submissions.ts';
import { worldRoutes } from './routes/world.ts';
import { securityHeaders } from './security-headers.ts';
import { type AppDeps, ServerState } from './state.ts';

export type { Listen } from './host-guard.ts';
export type { AppDeps, ServerLimits } from './state.ts';

/** The built React app, beside the package's sources. */
export const DEFAULT_STATIC_DIR = resolve(import.meta.dirname, '../../web/dist');

const ENDPOINTS = [
  ['GET', '/api', 'this index (with the admin token, also where the store and the world are)'],
  [
    'GET',
    '/api/leaderboard?track=execution|planning&suite=&model=&agent=&readiness=85&scorer=evidence|panel&view=configurations|runs',
    'one ranked entry per agent, model, suite, faults and scenario set (its newest run); view=runs: every run',
  ],
  [
    'GET',
    '/api/compare?aRun=&aAgent=&aModel=&aSuite=&bRun=&bAgent=&bModel=&bSuite=',
    'two entries scenario by scenario: changed verdicts, McNemar p, every verdict',
  ],
  ['GET', '/api/runs', 'runs, newest first'],
  ['GET', '/api/runs/:id', 'summary and scores of a run'],
  [
    'GET',
    '/api/runs/:id/attempts?offset=&limit=&view=all|failed|passed|ungraded|infra|errors|differs&family=&kind=&trap=&q=',
    "a run's attempts, filtered and paged (says how many match)",
  ],
  ['GET', '/api/runs/:id/failures', 'TrajFM failure analysis of a run (offline, cached)'],
  [
    'GET',
    '/api/failures/trends?runs=6&run=',
    "each failure category's rate per trajectory across the newest runs of one run's configuration",
  ],
  ['GET', '/api/attempts/:id', 'an attempt with its scenario, answer, grade, scorecard and cost'],
  [
    'GET',
    '/api/attempts/:id/trajectory?offset=&limit=&q=&kind=&errors=true',
    'steps, paged (limit at most 1000), searched and filtered by kind or failed calls; each paired with its call or result',
  ],
  ['GET', '/api/world', 'the world: checksum, time range, tables'],
  ['GET', '/api/world/assets', 'sites and assets'],
  ['GET', '/api/world/assets/:asset', 'an asset and its sensors'],
  [
    'GET',
    '/api/world/assets/:asset/series?sensor=&start=&end=&resample=',
    'readings with alerts, anomalies and work orders',
  ],
  ['GET', '/api/scenarios?suite=default', 'scenarios to pick (no expected answers)'],
  ['POST', '/api/playground/runs', 'start the baseline on {scenarioId, suite} or {question} (submit token)'],
  ['GET', '/api/playground/runs/:id/events', 'server-sent events: started, call, result, step, final'],
  [
    'POST',
    '/api/submissions?name=&suite=|competition=',
    'upload JSONL or a zip of one .jsonl (submit token)',
  ],
  ['GET', '/api/submissions', 'submissions'],
  ['DELETE', '/api/admin/submissions/:runId', 'take a submission off the leaderboard (admin token)'],
  ['GET', '/api/competitions', 'competitions'],
  ['GET', '/api/competitions/:id', 'standings (hidden and private scores after the reveal)'],
  ['POST', '/api/admin/competitions', 'define a competition {name, suite, splits} (admin token)'],
  ['POST', '/api/admin/competitions/:id/reveal', 'reveal hidden and private scores (admin token)'],
  [
    'DELETE',
    '/api/admin/competitions/:id',
    'remove a competition; its submissions stay as runs (admin token)',
  ],
] as const;

export type AssetOpsApp = Hono & { state: ServerState; close(): Promise<void> };

export function createApp(deps: AppDeps): AssetOpsApp {
  const state = new ServerState(deps);
  const app = new Hono();
  app.onError((err, c) => errorResponse(err, c));
  // First the headers (so refusals carry them too), then who may ask at all.
  app.use('*', securityHeaders());
  app.use('*', hostGuard(deps.listen));

  const api = new Hono();
  api.get('/', (c) => {
    // Where the store and the world live on disk is the operator's business, not a visitor's.
    const token = bearer(c);
    const admin = token ? state.tokens.roleOf(token) === 'admin' : false;
    return c.json({
      name: 'AssetOps Bench',
      ...(admin ? { store: state.store.location, world: deps.worldDir } : {}),
      writes: state.tokens.configured ? 'Bearer tokens' : 'disabled (no tokens configured)',
      endpoints: ENDPOINTS.map(([method, path, what]) => ({ method, path, what })),
    });
  });
  for (const routes of [
    leaderboardRoutes(state),
    compareRoutes(state),
    runRoutes(state),
    failureRoutes(state),
    worldRoutes(state),
    playgroundRoutes(state),
    submissionRoutes(state),
    competitionRoutes(state),
  ])
    api.route('/', routes);
  api.all('*', (c) => {
    throw new ApiError(404, `no endpoint ${c.req.method} ${c.req.path}`, 'GET /api lists the endpoints');
  });
  app.route('/api', api);

  const dir = deps.staticDir ?? DEFAULT_STATIC_DIR;
  if (existsSync(dir)) {
    app.use('*', serveStatic({ root: dir }));
    // Client-side routes fall back to the app's index.
    if (existsSync(join(dir, 'index.html'))) app.get('*', serveStatic({ root: dir, path: 'index.html' }));
  }
  app.notFound((c) =>
    c.json({ error: `nothing at ${c.req.path}`, hint: 'The API is under /api (GET /api lists it)' }, 404),
  );

  return Object.assign(app, { state, close: () => state.close() });
}
