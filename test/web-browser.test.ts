// The dashboard in a real browser: the web app built with Vite, a tiny world, a home with a
// baseline run made by `assetops run`, a 10,000-step trajectory stored through the store
// API, and a submission, all served by the real server on a loopback port; Debian's
// Chromium (installed with apt-get when missing) driven by playwright-core. The leaderboard,
// the way from a run to an attempt to its trajectory, the virtualised viewer on 10,000
// steps, the playground's event stream, uploads, and the chart pages. Screenshots of every
// page go to test-artifacts/. Last, a submission whose names and failure descriptions hold
// markup and script goes through every page (tooltips included) under the server's CSP.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's locator.innerText(), not the DOM's
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Locator, Page } from 'playwright-core';
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
let builtIndex: string;
let seedHome: string;
const timings: Record<string, number> = {};
/** Every dialog any page opened (none should), and every report of a blocked resource. */
const dialogs: string[] = [];
const cspViolations: string[] = [];

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
      // Three configurations' worth of runs: an earlier run of the seeded one's configuration
      // (the leaderboard keeps the newest), the seeded run, and hostile faults over two trials
      // on half the scenarios (its own, partial, entry).
      for (const args of [
        ['--limit', '20', '--name', 'seeded-earlier'],
        ['--limit', '20', '--name', 'seeded'],
        ['--limit', '10', '--faults', 'hostile', '--trials', '2', '--name', 'hostile'],
      ]) {
        const r = await runCliAsync(['run', '--world', world, ...args], { ASSETOPS_HOME: home });
        if (r.status !== 0) throw new Error(`assetops run failed: ${r.stderr}`);
      }
      // Two forecast scenarios of the suite, for the forecast chart.
      const all = await runCliAsync(['scenarios', 'export', '--world', world], { ASSETOPS_HOME: home });
      const forecasts = all.stdout
        .split('\n')
        .filter((l) => l.includes('"type":"forecast"'))
        .slice(0, 2);
      if (forecasts.length === 0) throw new Error('the default suite has no forecast scenario');
      const file = join(home, 'forecasts.jsonl');
      writeFileSync(file, `${forecasts.join('\n')}\n`);
      const f = await runCliAsync(['run', '--world', world, '--suite', file, '--name', 'forecasts'], {
        ASSETOPS_HOME: home,
      });
      if (f.status !== 0) throw new Error(`assetops run failed: ${f.stderr}`);
      return [home, world] as const;
    })().then(([home, world]) => {
      timings.seedMs = performance.now() - t0;
      return [home, world] as const;
    }),
    ensureChromium().then((ms) => {
      timings.aptGetMs = ms;
    }),
  ]).then(([dir, [home, world]]) => [dir, home, world] as const);

  seedHome = home;
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

  builtIndex = readFileSync(join(staticDir, 'index.html'), 'utf8');
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
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
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

/**
 * Waits until an expression (run in the page) is true. Not page.waitForFunction: that evaluates
 * a string predicate with eval in the page, which the dashboard's CSP forbids, as it should.
 */
async function until(expression: string, timeoutMs = 30_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (performance.now() > end) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await page.waitForTimeout(50);
  }
}

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

/** Markup and script as a submitter could put them in agent and model names and in what an agent says. */
const XSS_AGENT = '<img src=x onerror=alert(1)>';
const XSS_MODEL = '<script>window.__xss=1</script>';
// Submission names allow letters, digits, dots, dashes and underscores only.
const XSS_TEAM = 'xss-team';
const xssError = (n: number) => `<img src=x onerror=alert(${n})><script>window.__xss=${n}</script>`;

/** What the page must not have: a dialog, the script's global, or an element the markup made. */
async function expectNoInjection(where: string): Promise<void> {
  expect(dialogs, where).toEqual([]);
  const found = await page.evaluate(`({
    xss: window.__xss,
    images: [...document.querySelectorAll('img')].filter((i) => /(^|\\/)x$/.test(i.getAttribute('src') ?? '')).length,
    handlers: document.querySelectorAll('[onerror]').length,
    scripts: [...document.querySelectorAll('script')].filter((x) => x.textContent.includes('__xss')).length,
  })`);
  expect(found, where).toEqual({ xss: undefined, images: 0, handlers: 0, scripts: 0 });
  // Nothing unrendered on any page: no object printed as text, no number that is not one.
  const text = await page.locator('main').innerText();
  expect(text, where).not.toContain('[object Object]');
  expect(text, where).not.toMatch(/\bNaN\b/);
}

interface CanvasLike {
  width: number;
  height: number;
  clientWidth: number;
  clientHeight: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Centres of a chart's coloured marks (heat-map cells, scatter points) inside a band of it. */
function colouredSpots(
  chart: Locator,
  band: { top: number; bottom: number },
): Promise<Array<[number, number]>> {
  // Run in the page, on the chart's canvases (echarts may draw on more than one layer), typed
  // by hand: the tests are compiled without the DOM's types.
  return chart.locator('canvas').evaluateAll((canvases: CanvasLike[], b: { top: number; bottom: number }) => {
    const cell = 8;
    const seen = new Map<string, [number, number, number]>();
    for (const c of canvases) {
      const ctx = c.getContext('2d');
      if (!ctx || c.clientWidth === 0) continue;
      const ratio = c.width / c.clientWidth;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let y = b.top; y < c.clientHeight - b.bottom; y += 2) {
        for (let x = 0; x < c.clientWidth; x += 2) {
          const i = (Math.floor(y * ratio) * c.width + Math.floor(x * ratio)) * 4;
          const rgb = [px[i], px[i + 1], px[i + 2]];
          if (px[i + 3] < 200 || Math.max(...rgb) - Math.min(...rgb) < 60) continue;
          const k = `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
          const s = seen.get(k) ?? [0, 0, 0];
          seen.set(k, [s[0] + x, s[1] + y, s[2] + 1]);
        }
      }
    }
    // A mark fills most of its cells; the coloured fringes of anti-aliased text do not.
    return [...seen.values()]
      .filter(([, , n]) => n >= 6)
      .map(([sx, sy, n]) => [sx / n, sy / n] as [number, number])
      .slice(0, 200);
  }, band);
}

/** Hovers a chart's marks until its tooltip (HTML in the chart's box) shows `text`; the tooltip's text. */
async function hoverTooltip(
  chart: Locator,
  band: { top: number; bottom: number },
  text: string,
): Promise<string> {
  await chart.scrollIntoViewIfNeeded();
  // echarts draws its marks in over about a second.
  await page.waitForTimeout(1500);
  const box = await chart.boundingBox();
  if (!box) throw new Error('the chart has no box');
  const spots = await colouredSpots(chart, band);
  expect(spots.length).toBeGreaterThan(0);
  for (const [x, y] of spots) {
    await page.mouse.move(box.x + x, box.y + y);
    for (let i = 0; i < 5; i++) {
      await page.waitForTimeout(40);
      const shown = await chart.innerText();
      if (!shown.trim()) continue;
      // A tooltip is open: whatever it holds, it must not have made an element.
      await expectNoInjection(`a tooltip of ${await chart.getAttribute('aria-label')}`);
      if (shown.includes(text)) return shown;
    }
  }
  await chart.screenshot({ path: join(ARTIFACTS, 'web-tooltip-not-found.png') });
  throw new Error(
    `no tooltip with ${text} over ${spots.length} marks: ${JSON.stringify(spots.slice(0, 20))}`,
  );
}

describe('the dashboard in Chromium', () => {
  it('shows the seeded run on the leaderboard with its total, CI and the readiness line; sorts, filters and compares', async () => {
    await page.goto(`${base}/#/leaderboard`);
    const table = page.locator('table.leaderboard');
    await table.waitFor();
    await page.getByText('Readiness line at 85').waitFor();
    // One row per configuration: the seeded run (newest of its two runs) and the hostile one.
    // (The forecast-file run is a third baseline configuration, on another suite.)
    const baselineRows = table
      .locator('tbody tr', { has: page.getByRole('link', { name: 'baseline', exact: true }) })
      .filter({ hasNotText: 'forecasts' });
    expect(await baselineRows.count()).toBe(2);
    const row = baselineRows.filter({ hasText: 'seeded' });
    expect(await row.count()).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain('newest of 2 runs');
    expect(rowText).toContain('20 × 1');
    const hostile = baselineRows.filter({ hasText: 'hostile' });
    expect(await hostile.innerText()).toContain('10 × 2');
    expect(await hostile.innerText()).toContain('partial: 10 of 20');
    const rankOf = async (r: typeof row) => Number(await r.locator('td.rank .rank-value').innerText());
    // The partial entry ranks after the full ones, whatever its total.
    expect(await rankOf(hostile)).toBeGreaterThan(await rankOf(row));
    const ranksBefore = { seeded: await rankOf(row), hostile: await rankOf(hostile) };
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

    // Sorting by agent, both ways; ranks stay with their entries.
    const agents = async () => table.locator('tbody tr td:nth-child(2) a').allInnerTexts();
    await page.getByRole('button', { name: 'Agent', exact: true }).click();
    // Three baseline entries: the seeded configuration, the hostile one, the forecast file.
    expect(await agents()).toEqual(['baseline', 'baseline', 'baseline', 'copycat']);
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Agent');
    await page.getByRole('button', { name: 'Agent', exact: true }).click();
    expect(await agents()).toEqual(['copycat', 'baseline', 'baseline', 'baseline']);
    expect({ seeded: await rankOf(row), hostile: await rankOf(hostile) }).toEqual(ranksBefore);

    // Filtering by model.
    await page.getByLabel('Model', { exact: true }).selectOption('m-copy');
    expect(await agents()).toEqual(['copycat']);
    await page.getByLabel('Model', { exact: true }).selectOption('');
    expect((await agents()).length).toBe(4);

    // At 1024 px the columns a reader ranks by are in view without scrolling sideways.
    await page.setViewportSize({ width: 1024, height: 800 });
    const wrap = page.locator('.table-wrap').first();
    await shot('leaderboard-1024');
    const widths = await wrap.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      columns: [...el.querySelectorAll('thead th')].map(
        (th) => `${th.textContent}:${Math.round(th.getBoundingClientRect().width)}`,
      ),
    }));
    expect(widths.scroll, JSON.stringify(widths)).toBeLessThanOrEqual(widths.client + 1);
    await page.getByRole('button', { name: /^More columns/ }).click();
    await page.getByRole('button', { name: 'Task', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Fewer columns' }).click();
    await page.setViewportSize({ width: 1400, height: 900 });

    // Two entries side by side.
    await page.getByRole('checkbox', { name: /^Compare baseline .*\(seeded\)/ }).check();
    await page.getByRole('checkbox', { name: /^Compare copycat/ }).check();
    const compare = page.getByRole('region', { name: 'Comparison' });
    await compare.waitFor();
    const totalRow = compare.locator('tr', {
      has: page.getByRole('rowheader', { name: 'Total', exact: true }),
    });
    expect(await totalRow.innerText()).toMatch(/\+0\.0/);
    // The same trajectories under another name: no scenario changed verdict.
    await compare.locator('.diff-summary').waitFor();
    expect(await compare.locator('.diff-summary').innerText()).toMatch(
      /^0 of 20 shared scenarios changed verdict/,
    );
    await shot('leaderboard');

    // The seeded run against the hostile one: the changed scenarios, as the API counts them.
    await page.getByRole('checkbox', { name: /^Compare copycat/ }).uncheck();
    await page.getByRole('checkbox', { name: /^Compare baseline .*\(hostile\)/ }).check();
    await compare.locator('.diff-summary').filter({ hasText: 'of 10 shared' }).waitFor();
    const lb2 = (await (await fetch(`${base}/api/leaderboard`)).json()) as {
      entries: Array<{ runId: string; runName: string; agent: string; suite: string }>;
    };
    const h = lb2.entries.find((e) => e.runName === 'hostile');
    const api = (await (
      await fetch(
        `${base}/api/compare?aRun=${seededRunId}&aAgent=baseline&aSuite=default&bRun=${h?.runId}&bAgent=baseline&bSuite=default`,
      )
    ).json()) as { changed: unknown[]; shared: number; hint: string };
    expect(api.shared).toBe(10);
    expect(await compare.locator('.diff-summary').innerText()).toContain(
      `${api.changed.length} of 10 shared`,
    );
    expect(await compare.locator('.diff-summary').innerText()).toContain('McNemar p');
    expect(
      await compare.getByRole('table', { name: 'Verdicts by scenario' }).locator('tbody tr').count(),
    ).toBe(api.changed.length);
    await compare.getByRole('tab', { name: /^all/ }).click();
    expect(
      await compare.getByRole('table', { name: 'Verdicts by scenario' }).locator('tbody tr').count(),
    ).toBe(20);
    await shot('leaderboard-compare');
  });

  it('goes from a leaderboard entry to its run, an attempt, and the attempt’s trajectory', async () => {
    await page.goto(`${base}/#/leaderboard`);
    await page
      .locator('table.leaderboard tbody tr', { hasText: 'newest of 2 runs' })
      .getByRole('link', { name: 'baseline', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Run seeded' }).waitFor();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    const attemptLinks = page.getByRole('link', { name: /^Open attempt / });
    await attemptLinks.first().waitFor();
    expect(await attemptLinks.count()).toBe(20);
    await shot('run');

    await attemptLinks.first().click();
    await page.getByRole('heading', { name: 'Expected answer' }).waitFor();
    // The expected answer in words first; the grader's JSON only on request.
    expect(await page.locator('ul.expected-words li').count()).toBeGreaterThan(0);
    expect(await page.locator('ul.expected-words').innerText()).not.toContain('"type"');
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
    // A tool call leads to its result, and back.
    const toResult = page.getByRole('button', { name: /^result: #\d+$/ }).first();
    const target = Number((await toResult.innerText()).replace('result: #', ''));
    await toResult.click();
    await page.locator(`[data-step="${target}"].step-current`).waitFor();
    await page
      .locator(`[data-step="${target}"]`)
      .getByRole('button', { name: /^call: #\d+$/ })
      .waitFor();
    // Only the results: the search says how many there are.
    await page.getByLabel('Kind', { exact: true }).selectOption('tool_result');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Match 1 of \d+/ })
      .waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Match' }).innerText()).toContain(
      'tool result steps',
    );
    await page.getByRole('button', { name: 'Clear' }).click();
    await shot('trajectory');
  });

  it('triages a run: filters that say how many match, and an attempt with its traps and injected faults', async () => {
    const runs = (await (await fetch(`${base}/api/runs`)).json()) as {
      runs: Array<{ id: string; name: string }>;
    };
    const hostileId = runs.runs.find((r) => r.name === 'hostile')?.id as string;
    await page.goto(`${base}/#/runs/${encodeURIComponent(hostileId)}`);
    const status = page.locator('[aria-live="polite"]', { hasText: 'matching' });
    await status.waitFor();
    expect(await status.innerText()).toContain('Showing 1–20 of 20 matching (20 attempts in the run)');
    // Failed attempts only: the count and the rows agree with the API.
    const api = (await (
      await fetch(`${base}/api/runs/${encodeURIComponent(hostileId)}/attempts?view=failed`)
    ).json()) as { matching: number; total: number };
    expect(api.total).toBe(20);
    await page.getByLabel('Show', { exact: true }).selectOption('failed');
    await page
      .getByText(api.matching === 0 ? 'No attempts match, of 20.' : `of ${api.matching} matching`)
      .waitFor();
    expect(await page.getByRole('link', { name: /^Open attempt / }).count()).toBe(api.matching);
    // Two trials of each scenario under hostile faults: where they disagree.
    await page.getByLabel('Show', { exact: true }).selectOption('differs');
    await page.locator('[aria-live="polite"]').waitFor();
    await page.getByLabel('Show', { exact: true }).selectOption('all');
    await page.getByLabel('Trap', { exact: true }).selectOption('any');
    const trapped = (await (
      await fetch(`${base}/api/runs/${encodeURIComponent(hostileId)}/attempts?trap=any`)
    ).json()) as { matching: number };
    expect(trapped.matching).toBeGreaterThan(0);
    expect(trapped.matching).toBeLessThan(20);
    await page.getByText(`of ${trapped.matching} matching`).waitFor();
    expect(await page.getByRole('link', { name: /^Open attempt / }).count()).toBe(trapped.matching);

    // An attempt the faults hit: its traps in words, the faults it met, nothing unrendered.
    const attempts = (await (
      await fetch(`${base}/api/runs/${encodeURIComponent(hostileId)}/attempts?limit=100`)
    ).json()) as { attempts: Array<{ id: string }> };
    let shown = false;
    for (const a of attempts.attempts) {
      const detail = (await (await fetch(`${base}/api/attempts/${a.id}`)).json()) as {
        faults: { injected: unknown[] };
        scenario: { traps: unknown[] };
      };
      if (detail.faults.injected.length === 0 || detail.scenario.traps.length === 0) continue;
      await page.goto(`${base}/#/attempts/${encodeURIComponent(a.id)}`);
      await page.getByRole('heading', { name: 'Injected faults' }).waitFor();
      await page.getByRole('heading', { name: 'Traps' }).waitFor();
      expect(await page.locator('ul.traps li').count()).toBe(detail.scenario.traps.length);
      const text = await page.locator('main').innerText();
      expect(text).toContain('Profile hostile');
      expect(text).not.toContain('[object Object]');
      expect(text).not.toContain('NaN');
      shown = true;
      await shot('attempt-faults');
      break;
    }
    expect(shown, 'no hostile attempt had both a trap and an injected fault').toBe(true);
  });

  it('charts a forecast attempt: history, the forecast and the real future', async () => {
    const runs = (await (await fetch(`${base}/api/runs`)).json()) as {
      runs: Array<{ id: string; name: string }>;
    };
    const forecastRun = runs.runs.find((r) => r.name === 'forecasts')?.id as string;
    const list = (await (
      await fetch(`${base}/api/runs/${encodeURIComponent(forecastRun)}/attempts?kind=forecast`)
    ).json()) as { matching: number; attempts: Array<{ id: string }> };
    expect(list.matching).toBe(2);
    const id = list.attempts[0].id;
    const detail = (await (await fetch(`${base}/api/attempts/${id}`)).json()) as {
      forecast: { actual: unknown[]; predicted: unknown[] | null };
    };
    expect(detail.forecast.actual.length).toBeGreaterThan(0);
    await page.goto(`${base}/#/attempts/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name: 'Forecast', exact: true }).waitFor();
    const chart = page.getByRole('img', { name: 'Forecast against the real future, after the history' });
    await chart.locator('canvas').waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain(`${detail.forecast.actual.length} points after`);
    expect(text).not.toContain('[object Object]');
    expect(text).not.toContain('NaN');
    await shot('attempt-forecast');
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
    await until(
      `[...document.querySelectorAll('[data-step]')].some((r) => r.dataset.step > 4000 && r.dataset.step < 6000)`,
    );
    await until(`document.querySelectorAll('.step-loading').length === 0`);
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

    // The token lives in the page's memory only: not in storage, and gone after a reload.
    const kept = await page.evaluate('JSON.stringify([{ ...localStorage }, { ...sessionStorage }])');
    expect(kept).not.toContain(TOKEN);
    expect(kept).not.toContain('wrong-token');
    await page.reload();
    expect(await page.getByLabel('Submit token').inputValue()).toBe('');
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

    // The README's flow: export a run as a submission, upload that file on this page.
    const exported = await runCliAsync(['runs', 'export', 'seeded', '--format', 'submission'], {
      ASSETOPS_HOME: seedHome,
    });
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(20);
    await page.getByLabel('Submission name').fill('team-export');
    await page.getByLabel('Bundle (JSONL or zip)').setInputFiles({
      name: 'seeded.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(exported.stdout),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Accepted submission:team-export').waitFor();
    const subs = (await (await fetch(`${base}/api/runs`)).json()) as {
      runs: Array<{ name: string; counts: { done: number } }>;
    };
    expect(subs.runs.find((r) => r.name === 'submission:team-export')?.counts.done).toBe(20);
  });

  it('explores failures: categories with shares, the per-model heat map, the map and examples', async () => {
    await page.goto(`${base}/#/failures?run=${encodeURIComponent(seededRunId)}`);
    await page.getByRole('heading', { name: 'Categories' }).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Per model' }).waitFor();
    await page.getByRole('heading', { name: 'Map of failure descriptions' }).waitFor();
    await page.getByRole('heading', { name: 'Examples' }).waitFor();
    // Trends across runs: one point per run with failures analysed, a line per category.
    await page.getByRole('heading', { name: 'Trends across runs' }).waitFor({ timeout: 60_000 });
    const trends = (await (
      await fetch(`${base}/api/failures/trends?run=${encodeURIComponent(seededRunId)}`)
    ).json()) as {
      configuration: string;
      runs: Array<{ runId: string; trajectories: number; rates: Record<string, number> }>;
    };
    expect(trends.runs.map((r) => r.runId)).toContain(seededRunId);
    // Rates per trajectory: each between 0 and 1, whatever the number of events.
    for (const r of trends.runs) for (const v of Object.values(r.rates)) expect(v).toBeGreaterThanOrEqual(0);
    for (const r of trends.runs) for (const v of Object.values(r.rates)) expect(v).toBeLessThanOrEqual(1);
    // Submissions (another configuration) are not lined up with the seeded run.
    expect(trends.configuration).toContain('baseline');
    const report = (await (await fetch(`${base}/api/runs/${seededRunId}/failures`)).json()) as {
      trajectories: number;
      categories: Array<{ title: string; share: number; rate: number; trajectories: number }>;
      byAgentModel: Array<{ trajectories: number; withCategory: Record<string, number> }>;
    };
    for (const c of report.categories) expect(c.trajectories).toBeLessThanOrEqual(report.trajectories);
    for (const g of report.byAgentModel)
      for (const n of Object.values(g.withCategory)) expect(n).toBeLessThanOrEqual(g.trajectories);
    // No percentage on the page passes 100.
    const percents = [...(await page.locator('main').innerText()).matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) =>
      Number(m[1]),
    );
    expect(
      percents.every((p) => p <= 100),
      percents.join(', '),
    ).toBe(true);
    expect(await page.locator('.meta').innerText()).toContain(`of ${report.trajectories} trajectories`);
    const categoryTable = await page.getByRole('region', { name: 'Categories' }).locator('table').innerText();
    for (const c of report.categories) expect(categoryTable).toContain(c.title);
    if (report.categories.length > 0) {
      expect(
        await page
          .getByRole('img', { name: 'Failure categories by share of trajectories' })
          .locator('canvas')
          .count(),
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
    // Work orders in the window are listed beside the chart (the list may arrive after the heading).
    const workOrders = page.locator('table tbody tr').filter({ hasText: 'work order' });
    await workOrders.first().waitFor({ timeout: 20_000 });
    expect(await workOrders.count()).toBeGreaterThan(0);
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
    // The admin creates it from the page (and a wrong token gets the API's refusal).
    await page.getByText('Admin: create, reveal or remove').click();
    const form = page.getByRole('form', { name: 'New competition' });
    await form.getByLabel('Name').fill('Live cup');
    await form.getByLabel('Id (optional)').fill('live');
    await form.getByLabel('Public scenarios').fill(ids.slice(0, 4).join(' '));
    await form.getByLabel('Hidden scenarios').fill(ids.slice(4, 6).join(', '));
    await form.getByLabel('Private scenarios').fill(ids.slice(6, 8).join('\n'));
    await page.getByLabel('Admin token').fill('not-the-token');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Admin token').fill(ADMIN);
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'Created Live cup.' }).waitFor();
    const made = (await (await fetch(`${base}/api/competitions/live`)).json()) as {
      competition: { sizes: Record<string, number> };
    };
    expect(made.competition.sizes).toEqual({ public: 4, hidden: 2, private: 2 });
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
    // Revealed from the page (a reload forgot the token: it lives in the page's memory only).
    await page.getByText('Admin: create, reveal or remove').click();
    await page.getByLabel('Admin token').fill(ADMIN);
    await page.getByRole('button', { name: 'Reveal hidden and private scores' }).click();
    await page.getByText('Hidden and private scores are revealed.').waitFor();
    const revealed = await rows.first().innerText();
    expect(revealed).not.toContain('sealed');
    expect(revealed.trim().startsWith('1')).toBe(true);
    // What the final is missing is said, with its weight: no planning entry, no tau-match.
    expect(revealed).toContain('missing: planning composite (40%)');
    expect(revealed).toContain('missing: tau-match (10%)');
    await shot('competitions');
    // Removed from the page: it is gone from the list, its submission stays a run.
    const before = (await (await fetch(`${base}/api/runs`)).json()) as { runs: unknown[] };
    await page.getByRole('button', { name: 'Remove this competition' }).click();
    await page.getByRole('button', { name: /^Yes, remove Live cup/ }).click();
    await page.getByRole('status').filter({ hasText: 'Removed Live cup.' }).waitFor();
    expect(
      ((await (await fetch(`${base}/api/competitions`)).json()) as { competitions: unknown[] }).competitions,
    ).toEqual([]);
    expect(((await (await fetch(`${base}/api/runs`)).json()) as { runs: unknown[] }).runs.length).toBe(
      before.runs.length,
    );
    // Put back for the tests that follow (they keep clear of its splits).
    expect(
      (
        await admin('/api/admin/competitions', {
          id: 'live',
          name: 'Live cup',
          suite: 'default',
          splits: { public: ids.slice(0, 4), hidden: ids.slice(4, 6), private: ids.slice(6, 8) },
        })
      ).status,
    ).toBe(201);
  });

  // After the competition: markup in every name and description a submitter controls.
  it('shows markup in agent and model names and failure text as text on every page, tooltips included, and runs none of it', async () => {
    const ids = (await store.scenarios(seededRunId)).map((x) => x.scenario.id);
    // Three trajectories (outside the competition's sealed splits) end in an error whose
    // message is markup: the failure analysis quotes it in its descriptions and the cluster map.
    const tampered = new Set(ids.slice(8, 11));
    const lines = seededTrajectories.map((t, i) =>
      tampered.has(t.scenarioId)
        ? {
            ...t,
            status: 'error' as const,
            errors: [{ kind: 'crash', message: xssError(100 + i) }],
            finalAnswer: xssError(200 + i),
            steps: t.steps.map((st, j) =>
              j === 0 ? { ...st, content: `${st.content} ${xssError(300 + i)}` } : st,
            ),
          }
        : t,
    );
    const sub = await fetch(`${base}/api/submissions?name=${XSS_TEAM}&suite=default`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
      body: bundle(lines, XSS_AGENT, XSS_MODEL),
    });
    expect(sub.status, await sub.clone().text()).toBe(201);
    const xssRun = ((await sub.json()) as { runId: string }).runId;
    const comp = await fetch(`${base}/api/submissions?name=xss-cup&competition=live`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
      body: bundle(
        seededTrajectories.filter((t) => ids.slice(0, 8).includes(t.scenarioId)),
        XSS_AGENT,
        XSS_MODEL,
      ),
    });
    expect(comp.status, await comp.clone().text()).toBeLessThan(300);
    const attempts = (await (await fetch(`${base}/api/runs/${xssRun}/attempts?limit=100`)).json()) as {
      attempts: Array<{ id: string; scenarioId: string }>;
    };
    const bad = attempts.attempts.find((a) => tampered.has(a.scenarioId));
    expect(bad).toBeDefined();

    // Each page, once it shows the text as text; the markup must have made nothing.
    const visit = async (hash: string, shows: string, within = page.locator('body')) => {
      await page.goto(`${base}/${hash}`);
      await within.getByText(shows).first().waitFor({ timeout: 60_000 });
      await expectNoInjection(hash);
    };
    await visit('#/leaderboard', XSS_AGENT, page.locator('table.leaderboard'));
    await visit('#/leaderboard', XSS_MODEL, page.locator('table.leaderboard'));
    await visit('#/runs', XSS_TEAM);
    await visit(`#/runs/${encodeURIComponent(xssRun)}`, XSS_MODEL);
    await visit(`#/attempts/${encodeURIComponent(bad?.id ?? '')}`, '<script>window.__xss=2');
    await visit(`#/attempts/${encodeURIComponent(bad?.id ?? '')}/trajectory`, '<script>window.__xss=3');
    await visit('#/submissions', XSS_TEAM);
    await visit('#/competitions', 'xss-cup', page.getByRole('table', { name: 'Standings' }));
    await visit('#/world', 'Boiler 1');

    // The failure explorer of the submission: names in the heat map, the error in the map.
    await visit(`#/failures?run=${encodeURIComponent(xssRun)}`, 'Map of failure descriptions');
    const heat = page.getByRole('img', { name: 'Heat map of failure categories per agent and model' });
    await heat.locator('canvas').first().waitFor();
    const heatTip = await hoverTooltip(heat, { top: 10, bottom: 90 }, XSS_AGENT);
    expect(heatTip).toContain(`${XSS_AGENT} · ${XSS_MODEL}`);
    await expectNoInjection('the heat map tooltip');
    const map = page.getByRole('img', { name: 'Two-dimensional map of clustered failure descriptions' });
    await map.scrollIntoViewIfNeeded();
    const mapTip = await hoverTooltip(map, { top: 40, bottom: 30 }, 'onerror=alert(');
    // The error message or the answer, quoted by a detector, as text.
    expect(mapTip).toMatch(/<img src=x onerror=alert\(\d+\)><script>window.__xss=\d+<\/sc/);
    await expectNoInjection('the cluster map tooltip');
    await shot('xss-failures');

    // The server's CSP allows scripts from its origin only, and the built app needs no more.
    const index = await page.goto(`${base}/`);
    const csp = index?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-/);
    for (const tag of builtIndex.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc=/);
    expect(builtIndex).not.toMatch(/<script\b[^>]*>[^<\s]/);

    // Nothing the app itself does was blocked by the policy, on any page of this suite.
    expect(cspViolations).toEqual([]);
  }, 180_000);
});
