// CLI output a person reads: tables with headers, long cells cut with '…' at a word, numbers
// rounded for display; `tools list` with each tool's arguments and its whole description.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgress } from '../src/cli/commands/serve.ts';
import { renderScores } from '../src/cli/score-render.ts';
import { ellipsis, renderTable, wrap } from '../src/cli/table.ts';
import { openDataset } from '../src/dataset/open.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import type { GroupScore } from '../src/scoring/aggregate.ts';
import { DIMENSIONS } from '../src/scoring/types.ts';
import { expectOneLineError, runCli } from './support/cli.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let home: string;
let suite: Scenario[];

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-out-');
  const ds = await openDataset(world);
  // Built where the CLI caches suites, so the commands below read it instead of drawing it again.
  suite = await generatedSuite(ds, { split: 'default', seed: 0, cacheDir: join(home, 'suites') });
  ds.close();
}, 120_000);

describe('tables', () => {
  it('round numbers for display and cut long cells with an ellipsis at a word', () => {
    const t = renderTable(
      ['id', 'value', 'text'],
      [
        ['a', 25.729999999999997, 'a short one'],
        ['b', 3, 'a much longer sentence that would push every other column off the screen'],
      ],
      { maxWidth: { text: 30 } },
    );
    const lines = t.split('\n');
    expect(lines[0]).toMatch(/^id\s+value\s+text$/);
    expect(t).toContain('25.73');
    expect(t).not.toContain('25.7299');
    expect(lines.every((l) => l.length <= 2 + 2 + 5 + 2 + 30)).toBe(true);
    expect(lines[3]).toMatch(/a much longer sentence that…$/);
    // Numbers stay right-aligned.
    expect(lines[3]).toContain('    3  ');
  });

  it('cuts a word only when there is no space near the limit, and wraps at words', () => {
    expect(ellipsis('short', 10)).toBe('short');
    expect(ellipsis('averyveryverylongidentifier', 10)).toBe('averyvery…');
    expect(ellipsis('one two three four', 12)).toBe('one two…');
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
  });
});

describe('assetops tools list', () => {
  it("shows each tool's arguments with types and required/optional, and never cuts a description mid-word", () => {
    const r = runCli(['tools', 'list', '--domain', 'iot']);
    expect(r.status, r.stderr).toBe(0);
    const history = r.stdout.split('\n\n').find((b) => b.startsWith('history '));
    expect(history).toBeDefined();
    const text = (history as string).replace(/\s+/g, ' ');
    expect(text).toContain('required asset: string, start: string');
    expect(text).toMatch(/optional sensors: string\[\], end: string, resample: "15min"\|"hourly"\|"daily"/);
    // The whole description, wrapped: its last words are there.
    expect(text).toContain('read all rows with json_reader.');
    expect(r.stdout).toMatch(/sites .*\n {2}arguments: none/);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    // --brief: one line a tool under a header; a cut description ends in '…'.
    const brief = runCli(['tools', 'list', '--domain', 'iot', '--brief']);
    const lines = brief.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^domain\s+tool\s+arguments\s+description$/);
    expect(lines.find((l) => /\bhistory\b/.test(l))).toMatch(/asset, sensors\?, start,.*…$/);
  });
});

describe('assetops scenarios', () => {
  const cli = (args: string[]) => runCli(['scenarios', ...args, '--world', world], { ASSETOPS_HOME: home });

  it('list has a header row and aligned columns, the question cut with …', () => {
    const r = cli(['list']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+family\s+difficulty\s+answer\s+question$/);
    const col = lines[0].indexOf('family');
    // Every row's family starts in the header's column.
    for (const l of lines.slice(2, -1)) expect(l[col - 1]).toBe(' ');
    for (const l of lines.slice(2, -1))
      expect(l.slice(col)).toMatch(/^(iot|anomaly|fmsr|forecast|workorder|e2e)\s/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(lines.some((l) => l.endsWith('…'))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^${suite.length} scenarios`));
  });

  it('show is readable (question, family, answer in words, traps, plan, rounded numbers); --json is the stored form', () => {
    const s = suite.find(
      (x) =>
        x.expected.type === 'record' &&
        Object.values(x.expected.fields).some((f) => f.type === 'number' && !Number.isInteger(f.value * 100)),
    );
    expect(s, 'a scenario with a long decimal').toBeDefined();
    const sc = s as Scenario;
    const raw = Object.values(
      (sc.expected as { fields: Record<string, { type: string; value: number }> }).fields,
    ).find((f) => f.type === 'number')?.value as number;
    const r = cli(['show', sc.id]);
    expect(r.status, r.stderr).toBe(0);
    for (const label of ['question', 'family', 'answer type', 'expected', 'traps', 'reference plan'])
      expect(r.stdout).toMatch(new RegExp(`^  ${label}\\s`, 'm'));
    expect(r.stdout).toContain(String(Number(raw.toFixed(2))));
    expect(r.stdout).not.toContain(String(raw));
    expect(r.stdout.trimStart().startsWith('{')).toBe(false);
    const json = cli(['show', sc.id, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(sc)));
  });

  it('generate --count N writes N scenarios spread over families, or says why it cannot', () => {
    const r = cli(['generate', '--count', '5']);
    expect(r.status, r.stderr).toBe(0);
    const got = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Scenario);
    expect(got).toHaveLength(5);
    expect(new Set(got.map((x) => x.family)).size).toBe(5);
    const err = expectOneLineError(cli(['generate', '--count', '400']));
    expect(err).toMatch(/this world yields \d+ distinct scenarios, not 400/);
  }, 300_000);
});

describe('the scores table', () => {
  it('puts total, pass rate and readiness first and the six dimensions in a second table, each within 100 columns', () => {
    const dims = Object.fromEntries(
      DIMENSIONS.map((d) => [d, { passRate: 0.8333333333333334, applicable: 12 }]),
    );
    const group = {
      agent: 'plan-execute',
      model: 'openai:gpt-4.1-mini',
      suite: 'private-s42',
      attempts: 12,
      graded: 12,
      ungraded: 0,
      scenarios: 12,
      trials: 1,
      meanTotal: 81.93333333333334,
      ci: { lower: 57.04999999, upper: 99.8 },
      readiness: 'not ready',
      ready: false,
      passed: 8,
      passRate: 8 / 12,
      passHatK: null,
      flipRate: null,
      dimensions: dims,
      toolAccuracy: 1,
      knowledgeUse: { retrieved: 1, used: 1 },
      aobCompetition: 79.16666666666667,
      costPerScenario: 0.0123,
    } as unknown as GroupScore;
    const text = renderScores({
      readiness: 85,
      groups: [group],
      minDetectableDifference: 44.1,
      agreement: {},
    });
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^#\s+agent\s+model\s+suite\s+n\s+total \[95% CI\]\s+pass rate\s+readiness 85$/);
    expect(lines[2]).toContain('81.9 [57.0, 99.8]');
    expect(lines[2]).toContain('66.7% (8/12)');
    const second = lines.findIndex((l) => /^#\s+task\s+retr\s+verif\s+seq\s+clar\s+no-hall/.test(l));
    expect(second).toBeGreaterThan(2);
    expect(lines[second]).toMatch(/cost\/scen$/);
    expect(lines[second + 2]).toMatch(/^1\s+83\.3%.*\$0\.01$/);
    expect(text).not.toMatch(/\d\.\d{4,}/);
  });
});

describe('assetops serve building the web app', () => {
  it('reports modules and time while it builds, and says when it is done', () => {
    let out = '';
    const stream = { isTTY: false, write: (s: string) => (out += s) } as unknown as NodeJS.WriteStream;
    const p = buildProgress(stream, 60_000);
    const transform = p.plugin.transform as () => null;
    for (let i = 0; i < 42; i++) transform();
    p.tick();
    expect(out).toMatch(/^Building the dashboard: transforming modules, 42 modules, \d+ s\n$/);
    (p.plugin.renderStart as () => void)();
    p.tick();
    expect(out).toContain('writing the bundle, 42 modules');
    p.done(true);
    expect(out.trim().split('\n').at(-1)).toMatch(/^Dashboard built \(42 modules, \d+ s\)/);
  });
});
