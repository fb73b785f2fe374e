// An answer nobody graded is not a pass. On the AssetOpsBench suite most expected answers are
// free text: an agent that answers them in prose is ungraded until a judge reads it, so the
// run prints no readiness verdict and says how many are ungraded; with a (scripted) judge on
// the wire, every attempt is graded and the verdict appears. `score --json` keeps its shape,
// with total null and graded false for the ungraded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aobData } from './support/aob-data.ts';
import { runCliAsync } from './support/cli.ts';
import { judgeReply } from './support/scripted-judge.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { tempDir } from './support/worlds.ts';

let agent: ScriptedLlm;
let judge: ScriptedLlm;
const home = tempDir('assetops-ungraded-');
const env = { ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' };
let runId: string;
let runText: string;

/** A judge that passes every dimension it is asked about. */
function lenientJudge(req: RecordedRequest) {
  return judgeReply(req, true, 'matches what a good answer says');
}

beforeAll(async () => {
  // The agent answers every question at once, in prose, with no tool.
  agent = await startScriptedLlm(
    Array.from({ length: 100 }, () => ({
      content: 'The site MAIN has chillers and their work orders are listed.',
    })),
  );
  judge = await startScriptedLlm(Array.from({ length: 500 }, () => lenientJudge));
  const r = await runCliAsync(
    [
      'run',
      '--agent',
      'react',
      '--model',
      'scripted',
      '--base-url',
      agent.url,
      '--suite',
      'aob',
      '--aob-data',
      aobData(),
      '--limit',
      '12',
    ],
    env,
  );
  expect(r.status, r.stderr).toBe(0);
  runText = r.stdout;
  runId = /Run (run-[\w-]+)/.exec(r.stdout)?.[1] ?? '';
}, 240_000);

afterAll(async () => {
  await agent?.close();
  await judge?.close();
});

describe('ungraded attempts', () => {
  it('a run whose free-text answers nobody graded prints no readiness verdict and counts them', async () => {
    expect(runText).toMatch(/incomplete: \d+ of 12 ungraded; add --judge/);
    expect(runText).toMatch(/\d+ attempts are ungraded/);
    expect(runText).not.toMatch(/\bnot ready\b/);
    const json = await runCliAsync(['score', runId, '--json'], env);
    expect(json.status, json.stderr).toBe(0);
    const cards = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(cards).toHaveLength(12);
    const ungraded = cards.filter((c) => c.graded === false);
    expect(ungraded.length).toBeGreaterThan(0);
    for (const c of ungraded) {
      expect(c.total).toBeNull();
      expect(c.pass).toBe(false);
      expect(Object.keys(c.dimensions as object)).toHaveLength(6);
      expect(typeof c.scenarioId).toBe('string');
    }
  }, 120_000);

  it('with a judge every attempt is graded, and the verdict is printed', async () => {
    const r = await runCliAsync(
      ['score', runId, '--judge', 'judge-a', '--base-url', judge.url, '--samples', '1'],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/ungraded; add --judge/);
    expect(r.stdout).toMatch(/\b(?:not ready|ready)\b/);
    // The answers fetched no data: a lenient judge does not make the work done.
    expect(r.stdout).toMatch(/not ready/);
  }, 180_000);
});
