// The AssetOpsBench scenario commands end to end: `scenarios import` of each published shape,
// its mistakes as one-line errors, `run --aob-phase` and `--suite aob:FILE`, and the paired
// run's paraphrase-robustness line (baseline agent, no model).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aobData } from './support/aob-data.ts';
import { expectOneLineError, runCli } from './support/cli.ts';

const PHASE2 = join(import.meta.dirname, 'fixtures', 'aob', 'phase2_evaluation_scenarios.jsonl');
const PAIR_LINE = /baseline on (\S+): pair agreement (\d+)\/11 \(\d+%\), mean score difference \d\.\d\d/;

let tmp: string;
let env: Record<string, string>;
/** Pairs whose verdicts agree in the baseline's run of the whole aob suite with phase 2. */
let wholeAgreement: string | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'aob-cli-'));
  env = { ASSETOPS_HOME: join(tmp, 'home'), ASSETOPS_AOB_DATA: aobData() };
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('assetops scenarios import --format aob', () => {
  it('converts a competition phase file to scenario JSONL and says what it holds', async () => {
    const out = join(tmp, 'phase2.jsonl');
    const r = runCli(['scenarios', 'import', PHASE2, '--format', 'aob', '--out', out], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/imported 11 AssetOpsBench items \(competition phase file\)/);
    expect(r.stderr).toMatch(/0 pairs with both sides in the file; 11 items paired with one elsewhere/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    const scenarios = lines.map((l) => JSON.parse(l));
    expect(scenarios.map((s) => s.id)).toContain('aob-Q7');
    const q7 = scenarios.find((s) => s.id === 'aob-Q7');
    expect(q7.provenance.aob).toMatchObject({ phase: 'evaluation', pairedWith: 'aob-Q5' });
    // An imported file is a suite that runs on the AssetOpsBench data.
    const run = runCli(['run', '--agent', 'baseline', '--suite', out], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/11 of 11 attempts done/);
  });

  it('reads a per-agent file (a JSON array) to stdout', () => {
    const wo = join(aobData(), 'scenarios', 'single_agent', 'wo_utterance.json');
    const r = runCli(['scenarios', 'import', wo, '--format', 'aob'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(36);
    expect(r.stderr).toMatch(/imported 36 AssetOpsBench items \(per-agent file\)/);
  });

  it('refuses a missing file, an unknown format and a malformed line in one line each', async () => {
    expect(expectOneLineError(runCli(['scenarios', 'import', join(tmp, 'nope.jsonl')], env))).toMatch(
      /no AssetOpsBench scenario file at .*nope\.jsonl\. Pass all_utterance\.jsonl/,
    );
    expect(expectOneLineError(runCli(['scenarios', 'import', PHASE2, '--format', 'csv'], env))).toMatch(
      /unknown scenario format "csv"\. Use --format aob/,
    );
    const bad = join(tmp, 'bad.jsonl');
    await writeFile(
      bad,
      '{"id": "Q1", "utterance": "What IoT sites are there?", "phase": "development"}\n{"id": "Q2",\n',
    );
    expect(expectOneLineError(runCli(['scenarios', 'import', bad], env))).toMatch(
      /bad\.jsonl, line 2 is not valid JSON .*Fix that line/,
    );
  });
});

describe('paired runs', () => {
  it('run --aob-phase adds the phase to the aob suite and prints the pair agreement', () => {
    const r = runCli(['run', '--agent', 'baseline', '--suite', 'aob', '--aob-phase', PHASE2, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.counts.total).toBe(141 + 11 + 11);
    expect(out.pairs).toHaveLength(1);
    expect(out.pairs[0]).toMatchObject({ agent: 'baseline', model: null, suite: 'aob' });
    expect(out.pairs[0].agreement.pairs).toBe(11);
    const text = runCli(['runs', 'show', out.runId], env);
    expect(text.stdout).toMatch(PAIR_LINE);
    expect(PAIR_LINE.exec(text.stdout)?.[1]).toBe('aob');
    wholeAgreement = PAIR_LINE.exec(text.stdout)?.[2];
  });

  it('--suite aob:FILE runs the file with the twins of its items, and prints the same line', () => {
    const r = runCli(['run', '--agent', 'baseline', '--suite', `aob:${PHASE2}`], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/22 of 22 attempts done/);
    const line = PAIR_LINE.exec(r.stdout);
    expect(line?.[1]).toBe(`aob:${PHASE2}`);
    // The same scenarios and a deterministic agent: the same agreement as on the whole suite.
    expect(line?.[2]).toBe(wholeAgreement);
    const score = runCli(['score', /Run (run-[\w-]+)/.exec(r.stdout)?.[1] ?? ''], env);
    expect(score.stdout).toMatch(PAIR_LINE);
  });

  it('a run file names the same: {name: aob, file} and aobPhase bring phase 1 and its twins together', async () => {
    const phase1 = join(aobData(), 'scenarios_competition', 'phase1_development.jsonl');
    const runFile = join(tmp, 'paired.json');
    await writeFile(
      runFile,
      JSON.stringify({ agents: ['baseline'], suites: [{ name: 'aob', file: phase1 }], aobPhase: [PHASE2] }),
    );
    const r = runCli(['run', runFile], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/22 of 22 attempts done/);
    expect(PAIR_LINE.exec(r.stdout)?.[1]).toBe(`aob:${phase1}`);
  });

  it('a run without pairs prints no pair line', () => {
    const r = runCli(['run', '--agent', 'baseline', '--suite', 'aob', '--limit', '3'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/pair agreement/);
  });
});
