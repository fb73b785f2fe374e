// `assetops analyze` and `assetops report` on stored runs: events with categories, spans and
// evidence; HTML with charts and highlighted example steps; a model-backed extractor whose
// new failures become proposals, are accepted into a new taxonomy version, and are then
// recognised; the run report with the readiness line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CODES } from '../src/trajfm/types.ts';
import { expectOneLineError, runCli, runCliAsync } from './support/cli.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let home: string;
let llm: ScriptedLlm;
const env = () => ({ ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' });

// Two recurring new failures, each worded three ways, chosen by the trajectory's own text.
const NEW_FAILURES = [
  [
    'The agent kept calling the same failing tool instead of changing its approach after errors.',
    'After a tool error the agent retried the identical request over and over and never recovered.',
    'Repeated failing tool calls with no change of strategy; the agent did not recover from the error.',
  ],
  [
    'The final answer was wrapped in extra prose so the requested JSON format was not respected.',
    'The answer mixed explanation text with the JSON object, breaking the expected output format.',
    'Output formatting was wrong: the agent returned prose around the JSON instead of the JSON alone.',
  ],
];

function extractor(req: RecordedRequest) {
  const user = req.messages.find((m) => m.role === 'user')?.content as string;
  const h = [...user].reduce((s, c) => (s * 31 + c.charCodeAt(0)) >>> 0, 7);
  const absent = { present: false, steps: [] as number[], evidence: '' };
  const modes = Object.fromEntries(Object.keys(BASE_CODES).map((c) => [c, absent]));
  const pattern = NEW_FAILURES[h % 2];
  return {
    content: JSON.stringify({
      summary: 'ok',
      task_completed: true,
      failure_modes: modes,
      additional_failure_modes: [
        { title: 'New failure', description: pattern[(h >>> 3) % 3], steps: [0], evidence: 'see step 0' },
      ],
    }),
  };
}

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-analyze-');
  llm = await startScriptedLlm(Array.from({ length: 400 }, () => extractor));
  const r = runCli(
    ['run', '--world', world, '--faults', 'hostile', '--limit', '60', '--name', 'hostile'],
    env(),
  );
  expect(r.status, r.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await llm?.close();
});

describe('assetops analyze and report', () => {
  it('lists every failure event with category, trajectory, span and evidence, and writes the HTML report', () => {
    const r = runCli(['analyze', 'hostile', '--json'], env());
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.trajectories).toBe(60);
    expect(report.events.length).toBeGreaterThan(0);
    for (const e of report.events) {
      expect(typeof e.category).toBe('string');
      expect(e.trajectoryId).toMatch(/^att-/);
      expect(e.span.from).toBeLessThanOrEqual(e.span.to);
      expect(e.evidence.length).toBeGreaterThan(0);
    }
    const shares = report.categories.reduce((s: number, c: { share: number }) => s + c.share, 0);
    expect(shares).toBeCloseTo(1, 9);
    const html = readFileSync(findFile('analysis.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('class="step hl"');
    expect(html).toContain(report.categories[0].title);
  });

  it('turns a model’s new failures into proposals, accepts them, and recognises them next time', async () => {
    const first = await runCliAsync(
      ['analyze', 'hostile', '--model', 'scripted', '--base-url', llm.url, '--accept', '--json'],
      env(),
    );
    expect(first.status, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.proposals.length).toBeGreaterThanOrEqual(2);
    expect(first.stderr).toMatch(/taxonomy .* is now version 2/);
    const taxonomy = JSON.parse(readFileSync(join(home, 'taxonomy.json'), 'utf8'));
    expect(taxonomy.version).toBe(2);
    expect(
      taxonomy.categories.filter((c: { kind: string }) => c.kind === 'discovered').length,
    ).toBeGreaterThanOrEqual(2);

    const second = await runCliAsync(
      ['analyze', 'hostile', '--model', 'scripted', '--base-url', llm.url, '--json'],
      env(),
    );
    expect(second.status, second.stderr).toBe(0);
    const b = JSON.parse(second.stdout);
    expect(b.taxonomyVersion).toBe(2);
    expect(b.proposals).toHaveLength(0);
    const llmEvents = b.events.filter((e: { source: string }) => e.source === 'llm');
    expect(b.errors).toEqual([]);
    expect(llmEvents.length).toBe(60);
    expect(llmEvents.every((e: { category: string }) => e.category.startsWith('cluster:'))).toBe(true);
  });

  it('writes the run report with the leaderboard, the readiness line and the failure analysis', () => {
    const r = runCli(['report', 'hostile'], env());
    expect(r.status, r.stderr).toBe(0);
    // One entry, said in a line, then where the report is.
    expect(r.stdout).toMatch(/^1 entry:\n {2}baseline · default: \d+ scenarios × 1 trials, total /);
    const path = /Report: (.+)/.exec(r.stdout)?.[1] ?? '';
    expect(existsSync(path)).toBe(true);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('readiness 85');
    expect(html).toContain('baseline');
    expect(html).toContain('Failure analysis');
    const json = JSON.parse(readFileSync(path.replace(/report\.html$/, 'report.json'), 'utf8'));
    expect(json.scores.groups[0].agent).toBe('baseline');
  });

  it('analyzes AssetOpsBench trajectory files directly (--import)', () => {
    const fixtures = join(import.meta.dirname, 'fixtures', 'aob');
    const files = ['track1_result_Q_1_trajectory.json', 'track1_result_iter1_Q_1_trajectory.json'].map((f) =>
      join(fixtures, f),
    );
    const r = runCli(['analyze', '--import', ...files, '--json'], env());
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.trajectories).toBe(2);
    const kinds = new Set(report.events.map((e: { category: string }) => e.category));
    for (const k of ['leaked_prompt', 'ran_past_termination', 'non_argument_text', 'overstated_completion'])
      expect(kinds, k).toContain(k);
    expect(existsSync(join(home, 'reports', 'imported', 'analysis.html'))).toBe(true);
    expect(expectOneLineError(runCli(['analyze', '--import', '/no/such.json'], env()))).toContain(
      '/no/such.json',
    );
  });

  it('names what is wrong', () => {
    expect(expectOneLineError(runCli(['analyze', 'nope'], env()))).toContain('no run "nope"');
    expect(
      expectOneLineError(runCli(['analyze', 'hostile', '--embedder', 'local:/no/such/model'], env())),
    ).toContain('/no/such/model');
    expect(expectOneLineError(runCli(['analyze', 'hostile', '--embedder', 'word2vec'], env()))).toContain(
      'word2vec',
    );
  });
});

function findFile(name: string): string {
  for (const d of readdirSync(join(home, 'reports'))) {
    const p = join(home, 'reports', d, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`no ${name} under ${home}/reports`);
}
