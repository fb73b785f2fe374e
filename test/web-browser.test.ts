// The dashboard in a real browser: the web app built with Vite, a tiny world, a home with a
// baseline run made by `assetops run`, a 10,000-step trajectory stored through the store
// API, and a submission, all served by the real server on a loopback port; Debian's
// Chromium (installed with apt-get when missing) driven by playwright-core. The leaderboard,
// the way from a run to an attempt to its trajectory, the virtualised viewer on 10,000
// steps, the playground's event stream, uploads, and the chart pages. Screenshots of every
// page go to test-artifacts/.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's locator.innerText(), not the DOM's
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trajectory } from '../src/agents/trajectory.ts';
import { attemptId } from '../src/runs/store/rows.ts';
import { SqliteRunStore } from '../src/runs/store/sqlite.ts';
import type { AttemptKey, RunStore } from '../src/runs/store/types.ts';
import { type AssetOpsApp, createApp } from '../src/server/app.ts';
import { ensureChromium, launchChromium } from './support/chromium.ts';
import { REPO, runCliAsync } from './support/cli.ts';
import { longTrajectory } from './support/long-trajectory.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

const ARTIFACTS = resolve(REPO, 'test-artifacts');
const TOKEN = 'web-submit-token';
const ADMIN = 'web-admin-token';
const BIG_STEPS = 10_000;

let store: RunStore;
let app: AssetOpsApp;
let server: ReturnType<typeof serve>;
let base: string;
let browser: Browser;
let page: Page;
let seededRunId: string;
let bigAttempt: string;
let seededTrajectories: Trajectory[];
const timings: Record<string, number> = {};

interface Done {
  code: number | null;
  out: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Done> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', (err) => done({ code: -1, out: `${out}\n${err.message}` }));
    child.on('close', (code) => done({ code, out }));
  });
}

/** The web app, built into a temporary folder (web/dist is left alone). */
async function buildApp(): Promise<string> {
  const t0 = performance.now();
  const outDir = join(tempDir('assetops-web-dist-'), 'dist');
  const r = await run(process.execPath, [
    resolve(REPO, 'node_modules/vite/bin/vite.js'),
    'build',
    'web',
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ]);
  timings.buildMs = performance.now() - t0;
  if (r.code !== 0 || !existsSync(join(outDir, 'index.html')))
    throw new Error(`vite build failed:\n${r.out}`);
  return outDir;
}

function bigTrajectory(id: string, scenarioId: string): Trajectory {
  return longTrajectory(id, scenarioId, BIG_STEPS);
}

async function storeBigTrajectory(): Promise<string> {
  const seededScenarios = await store.scenarios(seededRunId);
  const first = seededScenarios[0];
  const key: AttemptKey = {
    runId: 'run-long',
    suite: first.suite,
    scenarioId: first.scenario.id,
    agent: 'long-agent',
    model: 'm-long',
    trial: 1,
  };
  const id = attemptId(key);
  await store.createRun({
    id: 'run-long',
    name: 'long-trajectory',
    createdAt: '2024-03-06T00:00:00Z',
    spec: { fixture: true },
    scenarios: [first],
    attempts: [key],
  });
  await store.recordAttempt({
    attemptId: id,
    outcome: 'completed',
    grade: { pass: false, score: 0, detail: 'fixture' },
    cost: { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0 },
    durationMs: 1,
    retries: 0,
    worker: 'test',
    startedAt: '2024-03-06T00:00:00Z',
    finishedAt: '2024-03-06T00:01:00Z',
    trajectory: bigTrajectory(id, first.scenario.id),
  });
  await store.setRunStatus('run-long', 'finished', '2024-03-06T00:02:00Z');
  return id;
}

/** The seeded run's trajectories under another agent's name, as a submitter sends them. */
function bundle(ts: Trajectory[], agent: string, model: string): string {
  return `${ts.map((t) => JSON.stringify({ ...t, agent, model, id: `x-${t.scenarioId}` })).join('\n')}\n`;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const t0 = performance.now();
  // The install, the build and the seeding do not depend on each other.
  const [staticDir, home, world] = await Promise.all([
    buildApp(),
    (async () => {
      const world = (await tinyWorld(7)).dir;
      const home = tempDir('assetops-web-home-');
      const r = await runCliAsync(['run', '--world', world, '--limit', '20', '--name', 'seeded'], {
        ASSETOPS_HOME: home,
      });
      if (r.status !== 0) throw new Error(`assetops run failed: ${r.stderr}`);
      return [home, world] as const;
    })().then(([home, world]) => {
      timings.seedMs = performance.now() - t0;
      return [home, world] as const;
    }),
    ensureChromium().then((ms) => {
      timings.aptGetMs = ms;
    }),
  ]).then(([dir, [home, world]]) => [dir, home, world] as const);

  store = new SqliteRunStore(join(home, 'runs.sqlite'));
  const seeded = (await store.listRuns()).find((r) => r.name === 'seeded');
  if (!seeded) throw new Error('the seeded run is not in the store');
  seededRunId = seeded.id;
  seededTrajectories = [];
  for (const a of await store.attempts(seededRunId)) {
    const t = await store.trajectory(a.id);
    if (t) seededTrajectories.push(t);
  }
  bigAttempt = await storeBigTrajectory();

  app = createApp({ store, worldDir: world, home, submitTokens: [TOKEN], adminToken: ADMIN, staticDir });
  server = await new Promise((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A second entry on the leaderboard, to compare with.
  const sub = await fetch(`${base}/api/submissions?name=copycat&suite=default`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
    body: bundle(seededTrajectories, 'copycat', 'm-copy'),
  });
  if (sub.status !== 201) throw new Error(`submission failed: ${await sub.text()}`);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (err) => {
    process.stderr.write(`page error: ${err.message}\n`);
  });
  timings.setupMs = performance.now() - t0;
  process.stdout.write(
    `web-browser set-up: ${Object.entries(timings)
      .map(([k, v]) => `${k} ${Math.round(v)} ms`)
      .join(', ')}\n`,
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  (server as import('node:http').Server | undefined)?.closeAllConnections?.();
  await new Promise((done) => (server ? server.close(() => done(null)) : done(null)));
  await app?.close();
  await store?.close();
});

const stepList = () => page.getByRole('list', { name: 'Trajectory steps' });

/** Whether step i's row lies within the visible part of the step list (run in the page). */
function inView(i: number): Promise<boolean> {
  return page.evaluate(`(() => {
    const list = document.querySelector('.vlist');
    const row = document.querySelector('[data-step="${i}"]');
    if (!list || !row) return false;
    const a = list.getBoundingClientRect();
    const b = row.getBoundingClientRect();
    return b.top >= a.top && b.bottom <= a.bottom;
  })()`);
}

describe('the dashboard in Chromium', () => {
  it('shows the seeded run on the leaderboard with its total, CI and the readiness line; sorts, filters and compares', async () => {
    await page.goto(`${base}/#/leaderboard`);
    const table = page.locator('table.leaderboard');
    await table.waitFor();
    await page.getByText('Readiness line at 85').waitFor();
    const row = table.locator('tbody tr', { has: page.getByRole('link', { name: 'baseline', exact: true }) });
    expect(await row.count()).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain('seeded');
    // The total and its CI, from the API's own entry.
    const lb = (await (await fetch(`${base}/api/leaderboard`)).json()) as {
      entries: Array<{
        runId: string;
        total: { mean: number; ci: { lower: number; upper: number } };
        ready: boolean;
      }>;
    };
    const entry = lb.entries.find((e) => e.runId === seededRunId);
    expect(entry).toBeDefined();
    expect(await row.locator('.total-value').innerText()).toBe(entry?.total.mean.toFixed(1));
    expect(rowText).toContain(`[${entry?.total.ci.lower.toFixed(1)}–${entry?.total.ci.upper.toFixed(1)}]`);
    expect(rowText).toContain(entry?.ready ? 'ready' : 'not ready');
    // The readiness line is drawn at 85% of the bar's width.
    const x = await row.locator('.readiness-line').getAttribute('x1');
    expect(Number(x)).toBeCloseTo(0.85 * 120, 5);

    // Sorting by agent, both ways.
    const agents = async () => table.locator('tbody tr td:nth-child(3) a').allInnerTexts();
    await page.getByRole('button', { name: 'Agent', exact: true }).click();
    expect(await agents()).toEqual(['baseline', 'copycat']);
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Agent');
    await page.getByRole('button', { name: 'Agent', exact: true }).click();
    expect(await agents()).toEqual(['copycat', 'baseline']);

    // Filtering by model.
    await page.getByLabel('Model', { exact: true }).selectOption('m-copy');
    expect(await agents()).toEqual(['copycat']);
    await page.getByLabel('Model', { exact: true }).selectOption('');
    expect((await agents()).length).toBe(2);

    // Two entries side by side.
    await page.getByRole('checkbox', { name: /^Compare baseline/ }).check();
    await page.getByRole('checkbox', { name: /^Compare copycat/ }).check();
    const compare = page.getByRole('region', { name: 'Comparison' });
    await compare.waitFor();
    const totalRow = compare.locator('tr', {
      has: page.getByRole('rowheader', { name: 'Total', exact: true }),
    });
    expect(await totalRow.innerText()).toMatch(/\+0\.0/);
    await shot('leaderboard');
  });

  it('goes from a leaderboard entry to its run, an attempt, and the attempt’s trajectory', async () => {
    await page.goto(`${base}/#/leaderboard`);
    await page.getByRole('link', { name: 'baseline', exact: true }).click();
    await page.getByRole('heading', { name: 'Run seeded' }).waitFor();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    const attemptLinks = page.getByRole('link', { name: /^Open attempt / });
    await attemptLinks.first().waitFor();
    expect(await attemptLinks.count()).toBe(20);
    await shot('run');

    await attemptLinks.first().click();
    await page.getByRole('heading', { name: 'Expected answer' }).waitFor();
    await page.getByRole('heading', { name: /^Verdicts/ }).waitFor();
    const verdicts = page.locator('article.verdict');
    expect(await verdicts.count()).toBe(6);
    for (const name of ['Task completion', 'Retrieval accuracy', 'Hallucination'])
      await page.getByRole('article', { name }).waitFor();
    // Each verdict has a rationale, and the attempt shows what it cost.
    for (const r of await page.locator('.verdict .rationale').allInnerTexts())
      expect(r.length).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Cost' }).waitFor();
    expect(await page.locator('blockquote.utterance').innerText()).not.toBe('');
    await shot('attempt');

    await page.getByRole('link', { name: /^Open trajectory/ }).click();
    await stepList().waitFor();
    await page.locator('[data-step="0"]').waitFor();
    const rows = await stepList().getByRole('listitem').count();
    expect(rows).toBeGreaterThan(1);
    // The baseline's steps: a thought or plan, tool calls and results, and a final answer.
    const text = await stepList().innerText();
    expect(text).toMatch(/TOOL CALL/);
    expect(text).toMatch(/FINAL/);
    // Scorecard evidence is linked to steps.
    const evidence = page
      .getByRole('complementary', { name: 'Annotations' })
      .getByRole('button', { name: /^step \d+/ });
    expect(await evidence.count()).toBeGreaterThan(0);
    await shot('trajectory');
  });

  it('renders a 10,000-step trajectory with a window of rows, pages in steps as it scrolls, and searches it', async () => {
    const t0 = performance.now();
    await page.goto(`${base}/#/attempts/${bigAttempt}/trajectory`);
    await page.locator('[data-step="0"]').waitFor();
    const firstRenderMs = performance.now() - t0;
    process.stdout.write(`10,000-step trajectory: first row after ${Math.round(firstRenderMs)} ms\n`);
    await page.getByText('10,000 steps').waitFor();
    const rowCount = () => stepList().getByRole('listitem').count();
    const n = await rowCount();
    expect(n).toBeGreaterThan(5);
    expect(n).toBeLessThan(200);
    expect(await stepList().getByRole('listitem').first().getAttribute('aria-setsize')).toBe(
      String(BIG_STEPS),
    );

    // Expanding a tool call's arguments shows them as pretty JSON.
    const toggle = page.locator('[data-step="0"]').getByRole('button', { name: /Arguments/ });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('[data-step="0"] pre').innerText()).toContain('"asset": "Chiller 1"');

    // Halfway down: the rows there arrive from the API, and the window stays small.
    await page.locator('.vlist').evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await page.waitForFunction(
      `[...document.querySelectorAll('[data-step]')].some((r) => r.dataset.step > 4000 && r.dataset.step < 6000)`,
    );
    await page.waitForFunction(`document.querySelectorAll('.step-loading').length === 0`);
    expect(await rowCount()).toBeLessThan(200);

    // Search: ten steps carry the marker; the viewer jumps to each.
    await page.getByRole('searchbox', { name: 'Search steps' }).fill('needle-marker');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Match 1 of 10 (step 1)' }).waitFor();
    await page.getByRole('button', { name: 'Next match' }).click();
    await page.getByRole('status').filter({ hasText: 'Match 2 of 10 (step 1001)' }).waitFor();
    const hit = page.locator('[data-step="1001"]');
    await hit.waitFor();
    expect(await hit.getAttribute('aria-current')).toBe('true');
    expect(await hit.locator('mark').first().innerText()).toBe('needle-marker');
    expect(await inView(1001)).toBe(true);
    // Back past the first match to the last one, near the end.
    await page.getByRole('button', { name: 'Previous match' }).click();
    await page.getByRole('status').filter({ hasText: 'Match 1 of 10 (step 1)' }).waitFor();
    await page.getByRole('button', { name: 'Previous match' }).click();
    await page.getByRole('status').filter({ hasText: 'Match 10 of 10 (step 9001)' }).waitFor();
    await page.locator('[data-step="9001"] mark').first().waitFor();
    expect(await inView(9001)).toBe(true);
    expect(await rowCount()).toBeLessThan(200);
    await shot('trajectory-10000');

    // A search that matches nothing says so.
    await page.getByRole('searchbox', { name: 'Search steps' }).fill('no-such-thing-anywhere');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'No step matches' }).waitFor();
  });

  it('streams a baseline run in the playground: steps arrive over server-sent events, then the answer', async () => {
    await page.goto(`${base}/#/playground`);
    const scenario = page.getByLabel('Scenario', { exact: true });
    await scenario.locator('option').first().waitFor({ state: 'attached' });
    const picked = await scenario.inputValue();
    expect(picked).not.toBe('');
    await page.getByLabel('Submit token').fill(TOKEN);
    const stream = page.waitForResponse((r) => /\/api\/playground\/runs\/[^/]+\/events$/.test(r.url()));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const events = await stream;
    expect(events.headers()['content-type']).toContain('text/event-stream');
    const steps = page.getByRole('list', { name: 'Streamed steps' }).getByRole('listitem');
    await steps.first().waitFor();
    await page.getByRole('heading', { name: 'Answer', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Finished.' }).waitFor();
    expect(await steps.count()).toBeGreaterThan(1);
    expect(
      await page.getByRole('list', { name: 'Streamed tool calls' }).getByRole('listitem').count(),
    ).toBeGreaterThan(0);
    // The same answer the engine recorded for this scenario.
    const stored = seededTrajectories.find((t) => t.scenarioId === picked);
    expect(stored).toBeDefined();
    const shown = JSON.parse(await page.getByTestId('playground-answer').innerText());
    expect(shown).toEqual(stored?.finalAnswer);
    expect(await page.locator('.final').innerText()).toMatch(/Grade\s+pass/);
    await shot('playground');

    // Without the right token, the API's refusal is shown.
    await page.getByLabel('Submit token').fill('wrong-token');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'the token is not valid here' }).waitFor();
  });

  it('shows the validation error of a bad upload, and accepts a good one', async () => {
    await page.goto(`${base}/#/submissions`);
    await page.getByLabel('Submission name').fill('team-bad');
    await page.getByLabel('Submit token').fill(TOKEN);
    const good = JSON.stringify({ ...seededTrajectories[0], agent: 'ui-agent', id: 'ui-1' });
    await page.getByLabel('Bundle (JSONL or zip)').setInputFiles({
      name: 'bad.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(`${good}\n{oops\n`),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/Error 400: .*line 2: not JSON/);
    expect(await alert.innerText()).toContain('Each line must be one trajectory');
    await shot('submissions-error');

    await page.getByLabel('Submission name').fill('team-ui');
    await page.getByLabel('Bundle (JSONL or zip)').setInputFiles({
      name: 'good.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(`${good}\n`),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Accepted submission:team-ui').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('link', { name: 'team-ui' }).waitFor();
  });

  it('explores failures: categories with shares, the per-model heat map, the map and examples', async () => {
    await page.goto(`${base}/#/failures?run=${encodeURIComponent(seededRunId)}`);
    await page.getByRole('heading', { name: 'Categories' }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Per model' }).waitFor();
    await page.getByRole('heading', { name: 'Map of failure descriptions' }).waitFor();
    await page.getByRole('heading', { name: 'Examples' }).waitFor();
    // Trends across runs: one point per run with failures analysed, a line per category.
    await page.getByRole('heading', { name: 'Trends across runs' }).waitFor({ timeout: 60_000 });
    const trends = (await (await fetch(`${base}/api/failures/trends`)).json()) as {
      runs: Array<{ runId: string; shares: Record<string, number> }>;
    };
    expect(trends.runs.map((r) => r.runId)).toContain(seededRunId);
    for (const r of trends.runs) {
      const total = Object.values(r.shares).reduce((a, b) => a + b, 0);
      if (total > 0) expect(total).toBeCloseTo(1, 6);
    }
    const report = (await (await fetch(`${base}/api/runs/${seededRunId}/failures`)).json()) as {
      trajectories: number;
      categories: Array<{ title: string; share: number }>;
    };
    expect(await page.locator('.meta').innerText()).toContain(`of ${report.trajectories} trajectories`);
    const categoryTable = await page.getByRole('region', { name: 'Categories' }).locator('table').innerText();
    for (const c of report.categories) expect(categoryTable).toContain(c.title);
    if (report.categories.length > 0) {
      expect(
        await page.getByRole('img', { name: 'Failure categories by share' }).locator('canvas').count(),
      ).toBe(1);
      // An example opens the trajectory at the steps that show the failure.
      await page.locator('.example-group a').first().click();
      await page.locator('.step-current').waitFor();
      await page
        .getByRole('complementary', { name: 'Annotations' })
        .getByText(report.categories[0].title)
        .first()
        .waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Examples' }).waitFor();
    }
    await shot('failures');
  });

  it('explores the world: assets, sensors, and a series chart with events on the time axis', async () => {
    await page.goto(`${base}/#/world`);
    await page.getByRole('navigation', { name: 'Assets' }).waitFor();
    await page.getByRole('button', { name: 'Boiler 1' }).click();
    await page.getByRole('heading', { name: 'Boiler 1' }).waitFor();
    await page.getByLabel('From').fill('2023-06-01');
    await page.getByRole('button', { name: 'Show' }).click();
    const chart = page.getByRole('img', { name: /^Readings of Boiler 1 / });
    await chart.locator('canvas').waitFor();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    // Work orders in the window are listed beside the chart.
    expect(await page.locator('table tbody tr').filter({ hasText: 'work order' }).count()).toBeGreaterThan(0);
    await shot('world');
  });

  // Last: a competition seals its hidden and private scenarios in every run on the suite.
  it('shows a competition with sealed splits, and its scores once an admin reveals them', async () => {
    await page.goto(`${base}/#/competitions`);
    await page.getByText('No competitions yet').waitFor();
    const ids = (await store.scenarios(seededRunId)).map((x) => x.scenario.id);
    const admin = (path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const splits = { public: ids.slice(0, 4), hidden: ids.slice(4, 6), private: ids.slice(6, 8) };
    expect(
      (await admin('/api/admin/competitions', { id: 'live', name: 'Live cup', suite: 'default', splits }))
        .status,
    ).toBe(201);
    const entry = await fetch(`${base}/api/submissions?name=team-a&competition=live`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
      body: bundle(
        seededTrajectories.filter((t) => ids.slice(0, 8).includes(t.scenarioId)),
        'team-agent',
        'm-team',
      ),
    });
    expect(entry.status, await entry.clone().text()).toBeLessThan(300);
    await page.reload();
    await page.getByText('sealed until an admin reveals them').waitFor();
    expect(await page.getByLabel('Competition', { exact: true }).inputValue()).toBe('live');
    const rows = page.getByRole('table', { name: 'Standings' }).locator('tbody tr');
    const sealedRow = await rows.first().innerText();
    expect(sealedRow).toContain('team-a');
    expect(sealedRow).toContain('sealed');
    await shot('competition-sealed');
    expect((await admin('/api/admin/competitions/live/reveal')).status).toBe(200);
    await page.reload();
    await page.getByText('Hidden and private scores are revealed.').waitFor();
    const revealed = await rows.first().innerText();
    expect(revealed).not.toContain('sealed');
    expect(revealed.trim().startsWith('1')).toBe(true);
    await shot('competitions');
  });
});
