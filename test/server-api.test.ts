// The dashboard API over real HTTP: a tiny world, a SQLite store holding a baseline run made
// with the engine and a 10,000-step trajectory, and the server on a loopback port. Leaderboard,
// attempts, trajectory paging and search, failures, the world explorer, the playground's
// event stream, submissions (JSONL and zip, with the upload checks), tokens, rate limits and
// a competition's sealed scores; then `assetops serve` as a process.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trajectory } from '../src/agents/trajectory.ts';
import { openDataset } from '../src/dataset/open.ts';
import { createRun } from '../src/runs/create.ts';
import { closeRunContext, openRunContext, runPending } from '../src/runs/engine.ts';
import { defaultSuiteSpec } from '../src/runs/spec.ts';
import { attemptId } from '../src/runs/store/rows.ts';
import { SqliteRunStore } from '../src/runs/store/sqlite.ts';
import type { AttemptKey, RunStore } from '../src/runs/store/types.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { scoreRecorded } from '../src/scoring/stored.ts';
import { type AssetOpsApp, createApp, type Listen } from '../src/server/app.ts';
import { expectOneLineError, REPO, runCli } from './support/cli.ts';
import { longTrajectory, MARKER } from './support/long-trajectory.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

const ADMIN = 'admin-secret';
const SIX = [
  'task_completion',
  'retrieval_accuracy',
  'result_verification',
  'sequence_correctness',
  'clarity_justification',
  'hallucination',
];
const BIG_STEPS = 10_000;

let world: string;
let home: string;
let store: RunStore;
let app: AssetOpsApp;
let server: ReturnType<typeof serve>;
let base: string;
let port: number;
let scenarios: Scenario[];
let runId: string;
let bigAttempt: string;
let baselineTrajectories: Trajectory[];
let llm: ScriptedLlm;

// biome-ignore lint/suspicious/noExplicitAny: JSON from the API
type Json = any;

async function get(path: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await fetch(`${base}${path}`);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

async function post(
  path: string,
  body: string | Uint8Array | object | undefined,
  token?: string,
  type = 'application/json',
): Promise<{ status: number; body: Json; headers: Headers }> {
  const raw =
    body === undefined || typeof body === 'string' || body instanceof Uint8Array
      ? body
      : JSON.stringify(body);
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw as string | Uint8Array | undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
}

/** A long trajectory with a findable word every 1000 steps (in plain-text results). */
function bigTrajectory(id: string, scenarioId: string): Trajectory {
  return longTrajectory(id, scenarioId, BIG_STEPS, (i) =>
    i % 1000 === 1 ? `rows ${i} ${MARKER}` : `rows ${i}`,
  );
}

/** A minimal zip writer (deflate), with a way to lie about an entry's size. */
function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Reads a server-sent event stream to its end. */
async function readEvents(path: string): Promise<Array<{ event: string; data: Json }>> {
  const r = await fetch(`${base}${path}`);
  expect(r.headers.get('content-type')).toContain('text/event-stream');
  const text = await r.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      return { event, data: JSON.parse(data) };
    });
}

/** A request with headers fetch() would not let a test choose freely (Host). */
function rawRequest(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, headers: res.headers }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

/** The baseline's stored trajectories as a submitter would send them, under another name. */
function asSubmission(ts: Trajectory[], agent: string, model: string): string {
  return `${ts.map((t) => JSON.stringify({ ...t, agent, model, id: `mine-${t.scenarioId}` })).join('\n')}\n`;
}

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-serve-');
  store = new SqliteRunStore(join(home, 'runs.sqlite'));
  const ds = await openDataset(world);
  scenarios = await generatedSuite(ds, { split: 'default', seed: 0, cacheDir: join(home, 'suites') });
  const picked = scenarios.slice(0, 12);
  const spec = defaultSuiteSpec({ dir: world, checksum: ds.manifest.checksum }, picked.length, undefined, {
    scenarioLimit: picked.length,
  });
  const run = await createRun(store, spec, new Map([['default', picked]]), 'baseline-for-dashboard');
  runId = run.id;
  const ctx = await openRunContext(store, run, { worker: 'local', opened: new Map([[resolve(world), ds]]) });
  try {
    await runPending(ctx, 2, {
      onDone: async (row, rec, stored) => {
        if (stored) await scoreRecorded(store, ctx, row, rec);
      },
    });
  } finally {
    closeRunContext(ctx);
  }
  await store.setRunStatus(run.id, 'finished', new Date().toISOString());
  baselineTrajectories = [];
  for (const a of await store.attempts(run.id))
    baselineTrajectories.push((await store.trajectory(a.id)) as Trajectory);

  // A 10,000-step trajectory, stored through the store API.
  const key: AttemptKey = {
    runId: 'run-long',
    suite: 'default',
    scenarioId: picked[0].id,
    agent: 'long-agent',
    model: 'm-long',
    trial: 1,
  };
  bigAttempt = attemptId(key);
  await store.createRun({
    id: 'run-long',
    name: 'long-trajectory',
    createdAt: '2024-03-06T00:00:00Z',
    spec: { fixture: true },
    scenarios: [{ suite: 'default', scenario: picked[0] }],
    attempts: [key],
  });
  await store.recordAttempt({
    attemptId: bigAttempt,
    outcome: 'completed',
    grade: { pass: false, score: 0, detail: 'fixture' },
    cost: { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0 },
    durationMs: 1,
    retries: 0,
    worker: 'test',
    startedAt: '2024-03-06T00:00:00Z',
    finishedAt: '2024-03-06T00:01:00Z',
    trajectory: bigTrajectory(bigAttempt, picked[0].id),
  });

  const staticDir = join(tempDir('assetops-web-'), 'dist');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>AssetOps dashboard</title>');

  // A scripted model for the playground's model-backed agents: one tool call, then an answer.
  llm = await startScriptedLlm(
    Array.from(
      { length: 20 },
      () => (req: RecordedRequest) =>
        req.messages.some((m) => m.role === 'tool')
          ? { content: '{"answer": 3}' }
          : { toolCalls: [{ name: 'sites', arguments: {} }] },
    ),
  );
  // The port is known once listening, as with `assetops serve --port 0`.
  const listen: Listen = { host: '127.0.0.1', port: 0 };
  app = createApp({
    store,
    worldDir: world,
    home,
    listen,
    modelBaseUrl: llm.url,
    adminToken: ADMIN,
    submitTokens: ['sub-upload', 'sub-bad', 'sub-play', 'sub-rate'],
    limits: { rateBurst: 12, ratePerMinute: 1 },
    staticDir,
  });
  server = await new Promise((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  port = (server.address() as AddressInfo).port;
  listen.port = port;
  base = `http://127.0.0.1:${port}`;
}, 300_000);

afterAll(async () => {
  await llm?.close();
  (server as import('node:http').Server | undefined)?.closeAllConnections?.();
  await new Promise((done) => (server ? server.close(() => done(null)) : done(null)));
  await app?.close();
  await store?.close();
});

describe('the dashboard API over HTTP', () => {
  it('serves a JSON index at /api, JSON 404s, and the web app with a fallback to its index', async () => {
    const index = await get('/api');
    expect(index.status).toBe(200);
    expect(index.body.endpoints.map((e: Json) => e.path)).toContain('/api/runs');
    const missing = await get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: expect.any(String), hint: expect.any(String) });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('AssetOps dashboard');
    const deep = await fetch(`${base}/runs/some-run`);
    expect(await deep.text()).toContain('AssetOps dashboard');
  });

  it('puts the baseline run on the leaderboard with six dimensions, CI, pass^k, cost and the readiness line', async () => {
    const lb = await get('/api/leaderboard?track=execution');
    expect(lb.status).toBe(200);
    expect(lb.body.readiness.threshold).toBe(85);
    const entry = lb.body.entries.find((e: Json) => e.runId === runId);
    expect(entry).toMatchObject({
      agent: 'baseline',
      model: null,
      suite: 'default',
      track: 'execution',
      attempts: 12,
    });
    expect(Object.keys(entry.dimensions).sort()).toEqual([...SIX].sort());
    for (const d of SIX) expect(entry.dimensions[d].passRate).toBeGreaterThanOrEqual(0);
    expect(entry.total.ci.lower).toBeLessThanOrEqual(entry.total.mean);
    expect(entry.total.ci.upper).toBeGreaterThanOrEqual(entry.total.mean);
    expect(typeof entry.ready).toBe('boolean');
    expect(entry).toHaveProperty('passHatK');
    expect(entry.costPerScenario).toBe(0);
    // An entry is a configuration: its faults, its runs, a rank that travels with it.
    expect(entry).toMatchObject({ faults: 'none', partial: false, scenarios: 12, trials: 1 });
    expect(entry.runs[0].runId).toBe(runId);
    expect(lb.body.entries.map((e: Json) => e.rank)).toEqual(
      lb.body.entries.map((_: Json, i: number) => i + 1),
    );
    const history = await get('/api/leaderboard?view=runs');
    expect(history.body.view).toBe('runs');
    expect(history.body.entries.length).toBeGreaterThanOrEqual(lb.body.entries.length);
    // Filters and the other track.
    expect((await get('/api/leaderboard?agent=nobody')).body.entries).toEqual([]);
    expect(
      (await get('/api/leaderboard?track=planning')).body.entries.some((e: Json) => e.runId === runId),
    ).toBe(false);
    expect((await get('/api/leaderboard?readiness=0')).body.readiness.threshold).toBe(0);
    const bad = await get('/api/leaderboard?track=sideways');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('track');
  });

  it('lists runs and shows a run with its scores and attempts', async () => {
    const runs = await get('/api/runs');
    expect(runs.body.runs.map((r: Json) => r.id)).toEqual(expect.arrayContaining([runId, 'run-long']));
    const one = await get(`/api/runs/${runId}`);
    expect(one.status).toBe(200);
    expect(one.body.summary.counts).toMatchObject({ total: 12, done: 12 });
    expect(one.body.scores.groups[0].attempts).toBe(12);
    expect(JSON.stringify(one.body.spec)).not.toContain(world);
    const attempts = await get(`/api/runs/${runId}/attempts`);
    expect(attempts.body.attempts).toHaveLength(12);
    expect(attempts.body.attempts[0]).toMatchObject({ status: 'done', total: expect.any(Number) });
    expect((await get('/api/runs/no-such-run')).status).toBe(404);
  });

  it('shows an attempt with its utterance, expected answer, grade, six verdicts with rationale and evidence, and cost', async () => {
    const list = (await get(`/api/runs/${runId}/attempts`)).body.attempts;
    const a = await get(`/api/attempts/${list[0].id}`);
    expect(a.status).toBe(200);
    const scenario = scenarios.find((s) => s.id === list[0].scenarioId) as Scenario;
    expect(a.body.scenario.utterance).toBe(scenario.utterance);
    expect(a.body.scenario.expected).toEqual(scenario.expected);
    expect(a.body.grade).toMatchObject({ pass: expect.any(Boolean), detail: expect.any(String) });
    expect(Object.keys(a.body.scorecard.dimensions).sort()).toEqual([...SIX].sort());
    for (const d of SIX) {
      const v = a.body.scorecard.dimensions[d];
      expect(typeof v.pass).toBe('boolean');
      expect(v.rationale.length).toBeGreaterThan(0);
      expect(Array.isArray(v.evidence)).toBe(true);
    }
    expect(a.body.cost).toMatchObject({ usd: 0, calls: 0 });
    expect(a.body.trajectory.steps).toBeGreaterThan(0);
    expect((await get('/api/attempts/att-nope')).status).toBe(404);
  });

  it('pages and searches a 10,000-step trajectory quickly', async () => {
    const c0 = performance.now();
    const first = await get(`/api/attempts/${bigAttempt}/trajectory?offset=0&limit=100`);
    const coldMs = performance.now() - c0;
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(BIG_STEPS);
    expect(first.body.steps).toHaveLength(100);
    expect(first.body.steps[0].index).toBe(0);
    const times: number[] = [];
    for (const offset of [0, 2500, 5000, 9000, 9900]) {
      const t0 = performance.now();
      const page = await get(`/api/attempts/${bigAttempt}/trajectory?offset=${offset}&limit=100`);
      times.push(performance.now() - t0);
      expect(page.body.steps[0].index).toBe(offset);
      expect(page.body.steps.at(-1).index).toBe(Math.min(offset + 99, BIG_STEPS - 1));
    }
    const last = await get(`/api/attempts/${bigAttempt}/trajectory?offset=9950&limit=1000`);
    expect(last.body.steps).toHaveLength(50);
    expect(last.body.steps.at(-1).kind).toBe('final');
    const t0 = performance.now();
    const found = await get(`/api/attempts/${bigAttempt}/trajectory?q=NEEDLE-marker&limit=5`);
    const searchMs = performance.now() - t0;
    expect(found.body.query.matched).toBe(10);
    expect(found.body.query.indices).toEqual(Array.from({ length: 10 }, (_, i) => i * 1000 + 1));
    expect(found.body.steps.map((s: Json) => s.index)).toEqual([1, 1001, 2001, 3001, 4001]);
    const byTool = await get(`/api/attempts/${bigAttempt}/trajectory?q=${encodeURIComponent('"page":4999')}`);
    expect(byTool.body.query.indices).toEqual([9998]);
    process.stdout.write(
      `trajectory of ${BIG_STEPS} steps: first page ${coldMs.toFixed(1)} ms (decoded from the store); cached pages ${times.map((t) => t.toFixed(1)).join(', ')} ms; search ${searchMs.toFixed(1)} ms\n`,
    );
    expect(Math.max(...times)).toBeLessThan(250);
    expect((await get(`/api/attempts/${bigAttempt}/trajectory?limit=1001`)).status).toBe(400);
  });

  it('runs the failure analysis of a run, caches it and links its events to trajectory steps', async () => {
    const r = await get(`/api/runs/${runId}/failures`);
    expect(r.status).toBe(200);
    expect(r.body.version).toBe(1);
    expect(r.body.trajectories).toBe(12);
    expect(r.body.events.length).toBeGreaterThan(0);
    const t0 = performance.now();
    const again = await get(`/api/runs/${runId}/failures`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(again.body.createdAt).toBe(r.body.createdAt);
    const e = r.body.events[0];
    const page = await get(`/api/attempts/${e.trajectoryId}/trajectory?offset=${e.span.from}&limit=10`);
    expect(page.body.failures.analysed).toBe(true);
    expect(page.body.failures.events.map((x: Json) => x.category)).toContain(e.category);
  });

  it('explores the world through the tools: assets, sensors and a series with events', async () => {
    const assets = await get('/api/world/assets');
    expect(assets.status).toBe(200);
    expect(assets.body.assets.length).toBeGreaterThan(0);
    const asset = assets.body.assets[0].asset_id;
    const detail = await get(`/api/world/assets/${asset}`);
    expect(detail.body.sensors.length).toBeGreaterThan(0);
    const sensor = detail.body.sensors[0];
    const series = await get(
      `/api/world/assets/${asset}/series?sensor=${encodeURIComponent(sensor.sensor)}&start=2024-03-03&end=2024-03-05`,
    );
    expect(series.status).toBe(200);
    expect(series.body.points).toBeGreaterThan(0);
    expect(series.body.t).toHaveLength(series.body.points);
    expect(series.body.v).toHaveLength(series.body.points);
    expect(series.body.sensor.unit).toBe(sensor.unit);
    expect(Array.isArray(series.body.events)).toBe(true);
    const unknown = await get(`/api/world/assets/${asset}/series?sensor=no-such-sensor`);
    expect(unknown.status).toBe(404);
    expect((await get('/api/world/assets/Nonexistent%20Thing')).status).toBe(404);
  });

  it('streams a playground run as server-sent events ending with the answer and grade', async () => {
    const scenario = scenarios[0];
    const start = await post(
      '/api/playground/runs',
      { scenarioId: scenario.id, agent: 'baseline' },
      'sub-play',
    );
    expect(start.status).toBe(202);
    const events = await readEvents(`/api/playground/runs/${start.body.id}/events`);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('started');
    expect(names.at(-1)).toBe('final');
    expect(names).toContain('step');
    expect(names).toContain('call');
    const final = events.at(-1)?.data;
    expect(final.answer).not.toBeUndefined();
    expect(final.grade).toMatchObject({ pass: expect.any(Boolean) });
    expect(final.scorecard.dimensions).toHaveProperty('hallucination');
    // The same attempt as the engine's: same answer.
    const stored = baselineTrajectories.find((t) => t.scenarioId === scenario.id);
    expect(final.answer).toEqual(stored?.finalAnswer);

    const free = await post(
      '/api/playground/runs',
      { question: 'How many chillers are there at site MAIN?', agent: 'baseline' },
      'sub-play',
    );
    const freeEvents = await readEvents(`/api/playground/runs/${free.body.id}/events`);
    expect(freeEvents.at(-1)?.event).toBe('final');
    expect(freeEvents.at(-1)?.data.grade).toBeNull();

    // A model-backed agent needs a model; with one, it runs against the server's model endpoint.
    const noModel = await post('/api/playground/runs', { question: 'x', agent: 'react' }, 'sub-play');
    expect(noModel.status).toBe(400);
    expect(noModel.body.error).toContain('needs a model');
    const react = await post(
      '/api/playground/runs',
      { scenarioId: scenario.id, agent: 'react', model: 'scripted' },
      'sub-play',
    );
    expect(react.status).toBe(202);
    const reactEvents = await readEvents(`/api/playground/runs/${react.body.id}/events`);
    expect(reactEvents[0].data).toMatchObject({ agent: 'react', model: 'scripted' });
    expect(reactEvents.filter((e) => e.event === 'call').map((e) => e.data.tool)).toEqual(['sites']);
    expect(reactEvents.at(-1)?.data.answer).toEqual({ answer: 3 });
    expect(llm.requests.length).toBe(2);
    expect(
      (await post('/api/playground/runs', { scenarioId: 'nope', agent: 'baseline' }, 'sub-play')).status,
    ).toBe(404);
    expect((await post('/api/playground/runs', { question: 'x', agent: 'baseline' })).status).toBe(401);
  });

  it('accepts a JSONL submission, scores it and puts it on the leaderboard', async () => {
    const body = asSubmission(baselineTrajectories, 'my-agent', 'my-model');
    const r = await post(
      '/api/submissions?name=team-a&suite=default',
      body,
      'sub-upload',
      'application/x-ndjson',
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ name: 'submission:team-a', attempts: 12, scenarios: 12 });
    const lb = await get('/api/leaderboard?agent=my-agent');
    expect(lb.body.entries).toHaveLength(1);
    expect(lb.body.entries[0]).toMatchObject({
      submission: true,
      model: 'my-model',
      runName: 'submission:team-a',
    });
    // The same answers score the same as the baseline's.
    const baseline = (await get('/api/leaderboard?agent=baseline')).body.entries.find(
      (e: Json) => e.runId === runId,
    );
    expect(lb.body.entries[0].total.mean).toBeCloseTo(baseline.total.mean, 6);
    const subs = await get('/api/submissions');
    expect(subs.body.submissions.map((s: Json) => s.team)).toContain('team-a');

    // The admin takes an entry off the leaderboard; only submissions can be removed this way.
    const del = (id: string, token?: string) =>
      fetch(`${base}/api/admin/submissions/${id}`, {
        method: 'DELETE',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await del(r.body.runId)).status).toBe(401);
    expect((await del(r.body.runId, 'sub-upload')).status).toBe(403);
    expect((await del(runId, ADMIN)).status).toBe(404);
    expect((await del(r.body.runId, ADMIN)).status).toBe(200);
    expect((await get('/api/leaderboard?agent=my-agent')).body.entries).toHaveLength(0);
    expect((await get('/api/submissions')).body.submissions.map((s: Json) => s.team)).not.toContain('team-a');
  });

  it('accepts a zip holding one .jsonl', async () => {
    const body = zip([
      {
        name: 'bundle/run.jsonl',
        data: Buffer.from(asSubmission(baselineTrajectories.slice(0, 3), 'zip-agent', 'z')),
      },
    ]);
    const r = await post(
      '/api/submissions?name=team-zip&suite=default',
      body,
      'sub-upload',
      'application/zip',
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.attempts).toBe(3);
    // The same bundle as a form upload.
    const form = new FormData();
    form.set('file', new Blob([body]), 'bundle.zip');
    form.set('name', 'team-form');
    form.set('suite', 'default');
    const f = await fetch(`${base}/api/submissions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sub-upload' },
      body: form,
    });
    expect(f.status).toBe(201);
    expect(((await f.json()) as Json).name).toBe('submission:team-form');
  });

  it('rejects bad uploads with 400s that name the line or the problem', async () => {
    const good = JSON.stringify(baselineTrajectories[0]);
    const badLine = await post(
      '/api/submissions?name=team-b&suite=default',
      `${good}\n{"schemaVersion": 1, "id": "x"}\n`,
      'sub-bad',
      'application/x-ndjson',
    );
    expect(badLine.status).toBe(400);
    expect(badLine.body.error).toMatch(/line 2: .*not a valid trajectory/);
    expect(badLine.body.problems[0].line).toBe(2);
    const notJson = await post(
      '/api/submissions?name=team-b&suite=default',
      `${good}\n\n{oops\n`,
      'sub-bad',
      'text/plain',
    );
    expect(notJson.body.error).toMatch(/line 3: not JSON/);
    const stranger = await post(
      '/api/submissions?name=team-b&suite=default',
      JSON.stringify({ ...baselineTrajectories[0], scenarioId: 'not-a-scenario', task: 'What?' }),
      'sub-bad',
      'application/x-ndjson',
    );
    expect(stranger.body.error).toMatch(/line 1: scenario "not-a-scenario" is not in suite default/);
    const traversal = zip([{ name: '../../etc/evil.jsonl', data: Buffer.from(`${good}\n`) }]);
    const t = await post(
      '/api/submissions?name=team-b&suite=default',
      traversal,
      'sub-bad',
      'application/zip',
    );
    expect(t.status).toBe(400);
    expect(t.body.error).toMatch(/unsafe path/);
    // 50 MB of spaces deflate to a few kilobytes: rejected by the ratio before inflating.
    const bomb = zip([{ name: 'bomb.jsonl', data: Buffer.alloc(50 * 1024 * 1024, 0x20) }]);
    expect(bomb.length).toBeLessThan(200_000);
    const b = await post('/api/submissions?name=team-b&suite=default', bomb, 'sub-bad', 'application/zip');
    expect(b.status).toBe(400);
    expect(b.body.error).toMatch(/zip bomb/);
    // The same bomb declaring a small size: inflation stops at the declared size.
    const liar = zip([
      { name: 'bomb.jsonl', data: Buffer.alloc(50 * 1024 * 1024, 0x20), declaredSize: 4096 },
    ]);
    const l = await post('/api/submissions?name=team-b&suite=default', liar, 'sub-bad', 'application/zip');
    expect(l.status).toBe(400);
    expect(l.body.error).toMatch(/beyond its declared size/);
    const two = zip([
      { name: 'a.jsonl', data: Buffer.from(good) },
      { name: 'b.jsonl', data: Buffer.from(good) },
    ]);
    expect(
      (await post('/api/submissions?name=team-b&suite=default', two, 'sub-bad', 'application/zip')).body
        .error,
    ).toMatch(/exactly one .jsonl/);
    const noSuite = await post(
      '/api/submissions?name=team-b&suite=mystery',
      good,
      'sub-bad',
      'application/x-ndjson',
    );
    expect(noSuite.body.error).toMatch(/unknown suite/);
    const tooBig = await post(
      '/api/submissions?name=team-b&suite=default',
      Buffer.alloc(20 * 1024 * 1024 + 1, 0x20),
      'sub-bad',
      'application/x-ndjson',
    );
    expect(tooBig.status).toBe(413);
    // Nothing of these landed in the store.
    expect((await get('/api/submissions')).body.submissions.map((s: Json) => s.team)).not.toContain('team-b');
  });

  it('answers its own host names only, and refuses pages from other origins (DNS rebinding, cross-site posts)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const own = await rawRequest('/api', { host });
      expect(own.status, host).toBe(200);
    }
    // A rebound name, and the right name on another port: refused before any route runs.
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'evil.example']) {
      const foreign = await rawRequest('/api/runs', { host });
      expect(foreign.status, host).toBe(403);
      expect(foreign.body.error).toContain(`does not answer to the host "${host}"`);
      expect(foreign.body.hint).toContain(`http://127.0.0.1:${port}`);
    }
    // From a browser: the Origin must be the dashboard's own.
    const own = await rawRequest('/api', { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    for (const origin of ['http://evil.example', `http://localhost:${port + 1}`, 'null']) {
      const post = await rawRequest(
        '/api/submissions?name=x&suite=default',
        {
          host: `127.0.0.1:${port}`,
          origin,
          authorization: 'Bearer sub-upload',
          'content-type': 'text/plain',
        },
        'POST',
      );
      expect(post.status, origin).toBe(403);
      expect(post.body.error).toContain(`requests from pages at ${origin} are not accepted`);
    }
    // Bound to every interface, there is no fixed name to check: any Host, but still no foreign Origin.
    const open = createApp({ store, worldDir: world, home, listen: { host: '0.0.0.0', port: 8080 } });
    try {
      expect((await open.request('/api', { headers: { host: 'dashboard.example:8080' } })).status).toBe(200);
      const cross = await open.request('/api', {
        headers: { host: 'dashboard.example:8080', origin: 'http://evil.example' },
      });
      expect(cross.status).toBe(403);
      const same = await open.request('/api', {
        headers: { host: 'dashboard.example:8080', origin: 'http://dashboard.example:8080' },
      });
      expect(same.status).toBe(200);
    } finally {
      await open.close();
    }
    // Behind a proxy that forwards its own name: that name (and pages on it) are let in too.
    const proxied = createApp({
      store,
      worldDir: world,
      home,
      listen: { host: '127.0.0.1', port: 8080, allowedHosts: ['bench.example.com'] },
    });
    try {
      const via = await proxied.request('/api', {
        headers: { host: 'bench.example.com', origin: 'https://bench.example.com' },
      });
      expect(via.status).toBe(200);
      expect((await proxied.request('/api', { headers: { host: 'other.example.com' } })).status).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('sends a Content-Security-Policy without inline script on the app, the API and errors', async () => {
    for (const r of [
      await fetch(`${base}/`),
      await fetch(`${base}/api`),
      await fetch(`${base}/api/nothing-here`),
      await rawRequest('/api', { host: 'evil.example' }).then((x) => ({
        headers: new Headers(x.headers as Record<string, string>),
      })),
    ]) {
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('shows where the store and the world are to the admin only', async () => {
    const anonymous = await get('/api');
    const text = JSON.stringify(anonymous.body);
    expect(anonymous.body.store).toBeUndefined();
    expect(anonymous.body.world).toBeUndefined();
    for (const path of [home, world, REPO]) expect(text).not.toContain(path);
    // A run's summary does not name the store either.
    expect(JSON.stringify((await get(`/api/runs/${runId}`)).body)).not.toContain(home);
    const r = await fetch(`${base}/api`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const admin = (await r.json()) as Json;
    expect(admin.store).toBe(join(home, 'runs.sqlite'));
    expect(admin.world).toBe(world);
    // A submit token is not enough.
    const sub = (await (
      await fetch(`${base}/api`, { headers: { authorization: 'Bearer sub-play' } })
    ).json()) as Json;
    expect(sub.store).toBeUndefined();
  });

  it('needs tokens for writes: 401 without, 403 with the wrong one', async () => {
    const none = await post('/api/submissions?name=x&suite=default', 'x', undefined, 'text/plain');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body.hint).toBeTruthy();
    expect((await post('/api/submissions?name=x&suite=default', 'x', 'wrong', 'text/plain')).status).toBe(
      403,
    );
    const comp = { name: 'c', suite: 'default', splits: { public: [scenarios[0].id] } };
    expect((await post('/api/admin/competitions', comp)).status).toBe(401);
    expect((await post('/api/admin/competitions', comp, 'sub-upload')).status).toBe(403);
    expect((await post('/api/admin/competitions/x/reveal', undefined, 'wrong')).status).toBe(403);
  });

  it('limits requests per token with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 14; i++) {
      const r = await post('/api/submissions?name=x&suite=default', '', 'sub-rate', 'text/plain');
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(400));
    expect(statuses.slice(12)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another token has its own bucket.
    expect((await post('/api/submissions?name=x&suite=default', '', 'sub-upload', 'text/plain')).status).toBe(
      400,
    );
  });

  it('keeps hidden and private scores of a competition sealed until the admin reveals them', async () => {
    const ids = baselineTrajectories.map((t) => t.scenarioId);
    const splits = { public: ids.slice(0, 3), hidden: ids.slice(3, 5), private: ids.slice(5, 7) };
    const created = await post(
      '/api/admin/competitions',
      { id: 'cods', name: 'CODS test', suite: 'default', splits },
      ADMIN,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.splits.hidden).toBeNull();
    expect(
      (await post('/api/admin/competitions', { id: 'cods', name: 'again', suite: 'default', splits }, ADMIN))
        .status,
    ).toBe(409);
    const overlap = { public: ids.slice(0, 2), hidden: ids.slice(1, 3) };
    expect(
      (await post('/api/admin/competitions', { name: 'o', suite: 'default', splits: overlap }, ADMIN)).status,
    ).toBe(400);

    const entry = baselineTrajectories.filter((t) => ids.slice(0, 7).includes(t.scenarioId));
    const sub = await post(
      '/api/submissions?name=team-c&competition=cods',
      asSubmission(entry, 'comp-agent', 'cm'),
      'sub-upload',
      'application/x-ndjson',
    );
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    expect(sub.body.competition.scores).toMatchObject({ hidden: null, private: null, sealed: true });
    expect(sub.body.competition.scores.public).toBeGreaterThan(0);
    // The leaderboard shows the public part only.
    expect(sub.body.entries[0]).toMatchObject({ attempts: 3, sealedAttempts: 4 });
    const standingsBefore = (await get('/api/competitions/cods')).body;
    const team = standingsBefore.standings.find((s: Json) => s.team === 'team-c');
    expect(team.tracks.execution).toMatchObject({ hidden: null, private: null, composite: null });
    expect(team.final).toBeNull();
    expect(standingsBefore.arithmetic.tauMatch).toMatch(/not computed/);
    // Attempts on sealed scenarios are withheld, in any run on the suite.
    const hiddenAttempt = (await get(`/api/runs/${runId}/attempts`)).body;
    expect(hiddenAttempt.sealed).toBe(4);
    const baselineRow = (await store.attempts(runId)).find((a) => a.scenarioId === splits.hidden[0]);
    expect((await get(`/api/attempts/${baselineRow?.id}`)).status).toBe(403);
    expect((await get(`/api/attempts/${baselineRow?.id}/trajectory`)).status).toBe(403);
    expect(
      (await post('/api/playground/runs', { scenarioId: splits.private[0], agent: 'baseline' }, 'sub-play'))
        .status,
    ).toBe(403);
    expect((await get('/api/scenarios')).body.scenarios.map((s: Json) => s.id)).not.toContain(
      splits.hidden[0],
    );

    const revealed = await post('/api/admin/competitions/cods/reveal', undefined, ADMIN);
    expect(revealed.status).toBe(200);
    expect(revealed.body.splits.hidden).toEqual(splits.hidden);
    const after = (await get('/api/competitions/cods')).body.standings.find((s: Json) => s.team === 'team-c');
    const ex = after.tracks.execution;
    expect(ex.hidden).toEqual(expect.any(Number));
    expect(ex.private).toEqual(expect.any(Number));
    expect(ex.composite).toBeCloseTo(0.6 * ex.public + 0.3 * ex.private, 6);
    expect(after.final).toBeCloseTo(0.6 * ex.composite, 6);
    expect(after.rank).toBe(1);
    expect((await get(`/api/attempts/${baselineRow?.id}`)).status).toBe(200);
    expect((await get('/api/leaderboard?agent=comp-agent')).body.entries[0]).toMatchObject({
      attempts: 7,
      sealedAttempts: 0,
    });
  });
});

/** `assetops serve` as a process, once it prints its address (the loopback URL to reach it). */
async function startServe(
  args: string[],
  env: Record<string, string>,
): Promise<{ url: string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [resolve(REPO, 'bin/assetops.js'), 'serve', ...args], {
    cwd: REPO,
    env: { ...process.env, CI: 'true', ...env },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no address in time; stderr: ${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.on('exit', () => fail(new Error(`serve exited: ${err}`)));
  });
  return {
    url,
    stderr: () => err,
    stop: () => {
      process.kill(child.pid as number, 'SIGTERM');
      return exited;
    },
  };
}

describe('assetops serve', () => {
  it('starts, answers /api and stops on SIGTERM', async () => {
    const cliHome = tempDir('assetops-serve-cli-');
    const s = await startServe(['--port', '0', '--world', world, '--store', join(cliHome, 'runs.sqlite')], {
      ASSETOPS_HOME: cliHome,
      ASSETOPS_SUBMIT_TOKENS: 'a,b',
    });
    const r = await fetch(`${s.url}/api`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Json;
    expect(body.writes).toBe('Bearer tokens');
    expect((await (await fetch(`${s.url}/api/runs`)).json()) as Json).toEqual({ runs: [] });
    // It knows the port it got, so the Host check holds on it.
    const foreign = await fetch(`${s.url}/api`, { headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await s.stop()).toBe(0);
  });

  it('refuses to serve beyond the loopback interface without a token, unless told --insecure', async () => {
    const cliHome = tempDir('assetops-serve-open-');
    const env = { ASSETOPS_HOME: cliHome, ASSETOPS_SUBMIT_TOKENS: '', ASSETOPS_ADMIN_TOKEN: '' };
    const args = [
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--world',
      world,
      '--store',
      join(cliHome, 'runs.sqlite'),
    ];
    const line = expectOneLineError(runCli(['serve', ...args], env));
    expect(line).toContain('--host 0.0.0.0 serves the dashboard beyond this machine, and no token is set');
    expect(line).toContain('--admin-token');
    expect(line).toContain('--submit-token');
    expect(line).toContain('--insecure');

    const s = await startServe([...args, '--insecure'], env);
    // Written before it listens, but on the other pipe: it may arrive a moment after the address.
    for (let i = 0; i < 50 && !s.stderr().includes('Warning'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(s.stderr()).toMatch(
      /Warning \(--insecure\): no tokens on 0\.0\.0\.0: anyone who can reach this host/,
    );
    const r = await fetch(`${s.url}/api`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as Json).writes).toBe('disabled (no tokens configured)');
    expect(await s.stop()).toBe(0);
  });
});
