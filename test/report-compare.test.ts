// Runs of different configurations are compared side by side, never pooled: `report A B` and
// `analyze A B` on a hostile-faults run and a three-trial run; the leaderboard's one entry per
// configuration; the significance hint's exact test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mcnemarP } from '../src/scoring/compare.ts';
import { rankConfigurations } from '../src/server/configurations.ts';
import type { LeaderboardEntry } from '../src/server/scores.ts';
import { runCli } from './support/cli.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let home: string;

beforeAll(async () => {
  const world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-compare-');
  for (const args of [
    ['--limit', '12', '--faults', 'hostile', '--name', 'hostile'],
    ['--limit', '12', '--trials', '3', '--name', 'three'],
  ]) {
    const r = runCli(['run', '--world', world, ...args], { ASSETOPS_HOME: home });
    if (r.status !== 0) throw new Error(r.stderr);
  }
}, 240_000);

describe('report and analyze of two runs', () => {
  it('report A B shows two entries and compares them scenario by scenario', () => {
    const r = runCli(['report', 'hostile', 'three'], { ASSETOPS_HOME: home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 entries:');
    expect(r.stdout).toMatch(/hostile: baseline · default: 12 scenarios × 1 trials/);
    expect(r.stdout).toMatch(/three: baseline · default: 12 scenarios × 3 trials/);
    expect(r.stdout).toMatch(
      /three: baseline · default vs hostile: baseline · default: \d+ of 12 shared scenarios changed verdict/,
    );
    expect(r.stdout).toMatch(/McNemar p = /);
    // Nothing pooled: no entry of 48 attempts, no pass^k over four trials.
    expect(r.stdout).not.toContain('48');
    const path = /Report: (.+)/.exec(r.stdout)?.[1] ?? '';
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<h2>Comparison</h2>');
    expect(html).not.toContain('k=4');
    expect(html).toContain('(k=3)');
    // The matrix: one row per scenario, one verdict cell per entry, and filters that need no script.
    const matrix = html.slice(html.indexOf('<table class="mx">'));
    expect((matrix.slice(0, matrix.indexOf('</table>')).match(/<tr class=/g) ?? []).length).toBe(12);
    expect(html).toContain('id="mx-diff"');
    expect(html).not.toContain('<script');
  });

  it('analyze A B gives each run its own rates per trajectory, none above 100%', () => {
    const r = runCli(['analyze', 'hostile', 'three'], { ASSETOPS_HOME: home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Share of each run's trajectories");
    const header = r.stdout.split('\n')[1];
    expect(header).toContain('hostile (12)');
    expect(header).toContain('three (36)');
    const percents = [...r.stdout.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
    expect(percents.length).toBeGreaterThan(2);
    expect(percents.every((p) => p >= 0 && p <= 100)).toBe(true);
    const html = readFileSync(join(/Report: (.+)/.exec(r.stdout)?.[1] ?? ''), 'utf8');
    expect(html).toContain('Failures by run');
  });
});

describe('the significance hint', () => {
  it("is McNemar's exact test", () => {
    expect(mcnemarP(0, 0)).toBe(1);
    expect(mcnemarP(0, 6)).toBeCloseTo(2 / 64, 10);
    expect(mcnemarP(3, 3)).toBe(1);
    // 1 vs 9: 2 * (1 + 10) / 1024.
    expect(mcnemarP(1, 9)).toBeCloseTo(22 / 1024, 10);
    expect(mcnemarP(400, 600)).toBeLessThan(1e-8);
  });
});

function entry(over: Partial<LeaderboardEntry>): LeaderboardEntry {
  return {
    runId: 'r',
    runName: null,
    createdAt: '2026-01-01T00:00:00Z',
    submission: false,
    track: 'execution',
    agent: 'baseline',
    model: null,
    suite: 'default',
    faults: 'none',
    attempts: 168,
    scenarios: 168,
    trials: 1,
    graded: 168,
    ungraded: 0,
    total: { mean: 70, ci: { lower: 65, upper: 75 } },
    readiness: 'not ready',
    ready: false,
    passed: 100,
    passRate: 0.6,
    passHatK: null,
    flipRate: null,
    dimensions: {} as LeaderboardEntry['dimensions'],
    toolAccuracy: null,
    aobCompetition: 0,
    costPerScenario: 0,
    sealedAttempts: 0,
    ...over,
  };
}

describe('leaderboard configurations', () => {
  it('keeps the newest run per configuration and ranks partial entries after full ones', () => {
    const ranked = rankConfigurations([
      entry({ runId: 'old', createdAt: '2026-01-01T00:00:00Z', total: { mean: 90, ci: null } }),
      entry({ runId: 'new', createdAt: '2026-02-01T00:00:00Z', total: { mean: 70, ci: null } }),
      entry({ runId: 'short', scenarios: 40, attempts: 40, total: { mean: 99, ci: null } }),
      entry({ runId: 'hostile', faults: 'hostile', total: { mean: 50, ci: null } }),
      entry({ runId: 'judged-later', agent: 'react', model: 'm', total: { mean: null, ci: null } }),
    ]);
    expect(ranked.map((e) => [e.rank, e.runId])).toEqual([
      [1, 'new'],
      [2, 'hostile'],
      [3, 'judged-later'],
      [4, 'short'],
    ]);
    expect(ranked[0].runs.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(ranked[3]).toMatchObject({ partial: true, suiteScenarios: 168 });
    expect(ranked[0].partial).toBe(false);
  });
});
