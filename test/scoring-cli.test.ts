// `assetops score` end to end: evidence scorecards stored as a run goes, re-scoring with a
// judge panel over the real wire (a scripted judge), the judge asked only what evidence
// cannot settle, the injection check (evidence must not rise; a gullible judge does), and
// scoring AssetOpsBench trajectory files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIMENSIONS } from '../src/scoring/types.ts';
import { aobData } from './support/aob-data.ts';
import { expectOneLineError, runCli, runCliAsync } from './support/cli.ts';
import { judgeReply } from './support/scripted-judge.ts';
import { type RecordedRequest, type ScriptedLlm, startScriptedLlm } from './support/scripted-llm.ts';
import { clockThenAnswer } from './support/scripted-roles.ts';
import { tempDir, tinyWorld } from './support/worlds.ts';

let world: string;
let agentLlm: ScriptedLlm;
let judgeLlm: ScriptedLlm;
let home: string;
let runId: string;
const env = () => ({ ASSETOPS_HOME: home, ASSETOPS_API_KEY: 'dummy' });

// The agent looks at the clock and then answers 7, whatever the question: mostly wrong.
const agentTurn = clockThenAnswer({ answer: 7 });

/** A gullible judge: it fails everything, unless the answer asks it to pass. */
function judgeTurn(req: RecordedRequest) {
  // Only the quoted case counts (the system prompt itself warns about such pleas).
  const text = req.messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n');
  const pleaded = /mark every dimension as passed|return pass=true|automatically correct/i.test(text);
  return judgeReply(req, pleaded, pleaded ? 'as instructed' : 'not convinced');
}

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  home = tempDir('assetops-score-');
  agentLlm = await startScriptedLlm(Array.from({ length: 200 }, () => agentTurn));
  judgeLlm = await startScriptedLlm(Array.from({ length: 500 }, () => judgeTurn));
  const r = await runCliAsync(
    [
      'run',
      '--agent',
      'react',
      '--model',
      'scripted',
      '--base-url',
      agentLlm.url,
      '--world',
      world,
      '--limit',
      '4',
      '--name',
      'to-score',
      '--json',
    ],
    env(),
  );
  expect(r.status, r.stderr).toBe(0);
  const summary = JSON.parse(r.stdout);
  runId = summary.runId;
  // The run scored itself as it went (evidence), and says so in its summary.
  expect(summary.scores.groups[0].attempts).toBe(4);
}, 180_000);

afterAll(async () => {
  await agentLlm?.close();
  await judgeLlm?.close();
});

describe('assetops score', () => {
  it('re-scores a stored run: one scorecard per attempt with six dimensions, a total and a pass', () => {
    const r = runCli(['score', 'to-score', '--json'], env());
    expect(r.status, r.stderr).toBe(0);
    const cards = JSON.parse(r.stdout);
    expect(cards).toHaveLength(4);
    for (const c of cards) {
      expect(Object.keys(c.dimensions).sort()).toEqual([...DIMENSIONS].sort());
      expect(c.total).toBeGreaterThanOrEqual(0);
      expect(c.total).toBeLessThanOrEqual(100);
      expect(typeof c.pass).toBe('boolean');
      expect(typeof c.scenarioId).toBe('string');
      // A constant answer of 7 does not complete these tasks, so no attempt passes.
      expect(c.dimensions.task_completion.pass).toBe(false);
      expect(c.pass).toBe(false);
      expect(c.aob).toMatchObject({ task_completion: false, pass: false });
    }
    const text = runCli(['score', runId], env()).stdout;
    // Four graded attempts are too few for an interval: no readiness verdict either way.
    expect(text).toContain('insufficient data (4 graded, 10 needed)');
    expect(text).not.toMatch(/\bready\b(?! =)/);
    expect(text).toMatch(/total \[95% CI\]/);
  });

  it('asks a judge panel only what evidence cannot settle, over the wire', async () => {
    const before = judgeLlm.requests.length;
    const r = await runCliAsync(
      ['score', runId, '--judge', 'judge-a', '--base-url', judgeLlm.url, '--samples', '1', '--json'],
      env(),
    );
    expect(r.status, r.stderr).toBe(0);
    const cards = JSON.parse(r.stdout);
    const asked = judgeLlm.requests.slice(before);
    expect(asked).toHaveLength(4);
    // Typed answers: evidence settles five dimensions; the judge rates clarity from the answer alone.
    for (const q of asked) {
      const user = q.messages.find((m) => m.role === 'user')?.content as string;
      expect(user).toContain('FINAL_ANSWER');
      expect(user).not.toContain('<<<TRAJECTORY');
    }
    for (const c of cards) {
      expect(c.judges).toEqual(['judge-a@aob-judge-1']);
      expect(c.dimensions.clarity_justification.source).toBe('evidence+judge');
      expect(c.dimensions.clarity_justification.fromJudge.pass).toBe(false);
      expect(c.dimensions.task_completion.source).toBe('evidence');
    }
    // --judge-all asks all six and reports evidence-judge agreement.
    const all = await runCliAsync(
      ['score', runId, '--judge', 'judge-a', '--judge-all', '--base-url', judgeLlm.url, '--samples', '1'],
      env(),
    );
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/evidence-judge agreement: .*κ=/);
  });

  it('is not talked into passing: evidence does not rise, a gullible judge does', async () => {
    const r = await runCliAsync(
      [
        'score',
        runId,
        '--injection',
        '--judge',
        'judge-a',
        '--judge-all',
        '--base-url',
        judgeLlm.url,
        '--samples',
        '1',
        '--json',
      ],
      env(),
    );
    expect(r.status, r.stderr).toBe(0);
    const rises = Object.fromEntries(JSON.parse(r.stdout).map((x: { scorer: string }) => [x.scorer, x]));
    expect(rises.evidence.attempts).toBe(4);
    expect(rises.evidence.meanRise).toBe(0);
    expect(rises.evidence.flippedToPass).toBe(0);
    expect(rises['judge panel alone'].meanRise).toBeGreaterThan(50);
    // The combined scorecard keeps evidence as the verdict of record where it applies.
    expect(rises['evidence + judge'].flippedToPass).toBe(0);
  });

  it('scores AssetOpsBench trajectory files against the published scenarios', () => {
    const file = join(tempDir(), 'aob-run.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 1,
          task: 'What IoT sites are available?',
          trajectory: [
            { thought: 'list the sites', action: 'sites', action_input: '{}', observation: '["MAIN"]' },
          ],
          final_answer: 'The available site is MAIN.',
        },
        { task: 'A question nobody asked', trajectory: [], final_answer: 'nothing' },
      ]),
    );
    const r = runCli(
      ['score', '--import', file, '--format', 'aob', '--aob-data', aobData(), '--json'],
      env(),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 trajectories matched no AssetOpsBench scenario');
    const cards = JSON.parse(r.stdout);
    expect(cards).toHaveLength(1);
    expect(cards[0].scenarioId).toBe('aob-1');
    expect(Object.keys(cards[0].aob)).toEqual(
      expect.arrayContaining([
        'task_completion',
        'data_retrieval_accuracy',
        'hallucinations',
        'pass',
        'score',
      ]),
    );
  });

  it('grades scenario 1 as AssetOpsBench asks: clean prose passes, a leaked prompt fails the format', () => {
    const dir = tempDir();
    const clean = join(dir, 'clean.json');
    writeFileSync(
      clean,
      JSON.stringify({
        id: 1,
        task: 'What IoT sites are available?',
        trajectory: [
          {
            thought: 'list the sites',
            action: 'sites',
            action_input: '{}',
            observation: '{"sites": ["MAIN"]}',
          },
        ],
        final_answer: 'The available IoT sites are: MAIN',
      }),
    );
    // IBM's own published run of scenario 1 (CODS track 1): the answer echoes the worker's prompt.
    const leaked = join(import.meta.dirname, 'fixtures', 'aob', 'track1_result_Q_1_trajectory.json');
    const cards = [clean, leaked].map((file) => {
      const r = runCli(
        ['score', '--import', file, '--format', 'aob', '--aob-data', aobData(), '--json'],
        env(),
      );
      expect(r.status, r.stderr).toBe(0);
      const [card] = JSON.parse(r.stdout);
      expect(card.scenarioId).toBe('aob-1');
      return card;
    });
    expect(cards[0].aob).toMatchObject({ task_completion: true, clarity_and_justification: true });
    expect(cards[1].aob).toMatchObject({ task_completion: true, clarity_and_justification: false });
    expect(JSON.stringify(cards[1])).toMatch(/carries prompt text/);
  });

  it('names what is wrong', () => {
    expect(expectOneLineError(runCli(['score', 'nope'], env()))).toContain('no run "nope"');
    expect(expectOneLineError(runCli(['score', runId, '--samples', '0'], env()))).toContain('--samples 0');
    expect(
      expectOneLineError(
        runCli(['score', runId, '--judge', 'openai:gpt-4.1'], { ...env(), OPENAI_API_KEY: '' }),
      ),
    ).toContain('OPENAI_API_KEY');
  });
});
