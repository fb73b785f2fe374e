// AssetOpsBench's arithmetic and our totals, on values worked out by hand.
import { describe, expect, it } from 'vitest';
import { gradeAobAnswer, gradeScenarioAnswer, leakedPrompt } from '../src/scenarios/aob/answer.ts';
import type { ExpectedAnswer } from '../src/scenarios/schema.ts';
import {
  aobScore,
  competitionPercentage,
  finalScore,
  rankTeams,
  toAob,
  trackComposite,
} from '../src/scoring/aob.ts';
import { extractClaims } from '../src/scoring/evidence/claims.ts';
import { passOf, totalOf, WEIGHTS } from '../src/scoring/total.ts';
import { DIMENSIONS, type Dimension } from '../src/scoring/types.ts';

type V = { pass: boolean; score: number; applicable: boolean };
const all = (v: V): Record<Dimension, V> =>
  Object.fromEntries(DIMENSIONS.map((d) => [d, { ...v }])) as Record<Dimension, V>;

describe('totals and the pass rule', () => {
  it('weights sum to one and a perfect attempt scores 100', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(totalOf(all({ pass: true, score: 1, applicable: true }))).toBe(100);
    expect(totalOf(all({ pass: false, score: 0, applicable: true }))).toBe(0);
  });

  it('re-weights over the dimensions that apply', () => {
    const v = all({ pass: true, score: 1, applicable: true });
    v.sequence_correctness = { pass: false, score: 0, applicable: false };
    v.retrieval_accuracy = { pass: false, score: 0.5, applicable: true };
    // (0.3 + 0.15*0.5 + 0.15 + 0.1 + 0.2) / 0.9 = 0.825 / 0.9
    expect(totalOf(v)).toBeCloseTo((100 * 0.825) / 0.9, 2);
    expect(passOf(v)).toBe(false);
    v.retrieval_accuracy = { pass: true, score: 1, applicable: true };
    expect(passOf(v)).toBe(true);
    v.task_completion = { pass: false, score: 0, applicable: false };
    expect(passOf(v)).toBe(false);
  });
});

describe('AssetOpsBench arithmetic', () => {
  it('maps our verdicts to the six booleans and applies its pass rule and score', () => {
    const v = all({ pass: true, score: 1, applicable: true });
    expect(aobScore(toAob(v))).toMatchObject({ pass: true, score: 1, points: 6, hallucinations: false });
    v.hallucination = { pass: false, score: 0.5, applicable: true };
    v.clarity_justification = { pass: false, score: 0.3, applicable: true };
    const s = aobScore(toAob(v));
    expect(s).toMatchObject({
      pass: false,
      hallucinations: true,
      clarity_and_justification: false,
      points: 4,
    });
    expect(s.score).toBeCloseTo(4 / 5 - 0.2, 12);
    // Not applicable cannot be violated, except task completion, which must be shown.
    v.sequence_correctness = { pass: false, score: 0, applicable: false };
    v.task_completion = { pass: false, score: 0, applicable: false };
    const t = toAob(v);
    expect(t.agent_sequence_correct).toBe(true);
    expect(t.task_completion).toBe(false);
  });

  it('reproduces the competition percentage, composites, final score and ranking', () => {
    // 11 scenarios, 48 of 66 criteria: the best Track-1 public score, 72.73.
    const scores = Array.from({ length: 11 }, (_, i) => ({ points: i < 4 ? 6 : i < 10 ? 4 : 0 }));
    expect(48).toBe(scores.reduce((s, x) => s + x.points, 0));
    expect(competitionPercentage(scores as Parameters<typeof competitionPercentage>[0])).toBeCloseTo(
      72.727,
      2,
    );
    expect(trackComposite(80, 50, 0.5 * 100)).toBeCloseTo(0.6 * 80 + 0.3 * 50 + 0.1 * 50, 12);
    expect(finalScore(60, 70)).toBeCloseTo(0.4 * 60 + 0.6 * 70, 12);
    const ranked = rankTeams([
      { team: 'a', final: 60, execution: 50 },
      { team: 'b', final: 60, execution: 55 },
      { team: 'c', final: 60, execution: 55 },
      { team: 'd', final: 70, execution: 10 },
    ]);
    expect(ranked.map((t) => [t.team, t.rank])).toEqual([
      ['d', 1],
      ['b', 2],
      ['c', 2],
      ['a', 4],
    ]);
  });
});

/** Expected answers as a scenario file writes them (defaults such as minF1 left out). */
const ex = (e: object) => e as ExpectedAnswer;

describe('AssetOpsBench answers: prose read for its value, JSON accepted', () => {
  const sites = ex({ type: 'set', values: ['MAIN'], aliases: { MAIN: ['Main site'] } });

  it('passes scenario 1 in prose or JSON, and reads past echoed prompt text', () => {
    expect(gradeAobAnswer(sites, 'The available IoT sites are: MAIN').pass).toBe(true);
    expect(gradeAobAnswer(sites, '{"answer": ["MAIN"]}').pass).toBe(true);
    expect(gradeAobAnswer(sites, ['MAIN']).pass).toBe(true);
    const leaked =
      'The available IoT sites are: MAIN  You are a helpful assistant. You will be given a task to complete and will be provided with a set of tools to assist you.   ## Task List all available IoT sites  ## Step-by-Step Response Thought';
    expect(gradeAobAnswer(sites, leaked).pass).toBe(true);
    expect(gradeAobAnswer(sites, 'I could not find any sites.').pass).toBe(false);
    // Outside the aob suite the answer is graded as before.
    expect(
      gradeScenarioAnswer(
        { expected: sites, provenance: { source: 'generated' } } as never,
        'The sites are: MAIN',
      ).pass,
    ).toBe(false);
  });

  it('reads counts, entities, lists and yes/no, and refuses to guess', () => {
    const count = ex({ type: 'count', value: 33 });
    expect(gradeAobAnswer(count, 'CWC04013 had 33 work orders in 2017.').pass).toBe(true);
    expect(gradeAobAnswer(count, 'Found 33 work orders:  1. WO-1 2. WO-2').pass).toBe(true);
    const two = gradeAobAnswer(count, 'There were 33 work orders and 2 were corrective.');
    expect(two.pass).toBe(false);
    expect(two.detail).toMatch(/several numbers \(33, 2\)/);
    const modes = ex({
      type: 'set',
      values: ['Compressor Overheating', 'Evaporator Water side fouling', 'Condenser Water side fouling'],
    });
    const list =
      'The failure modes of Chiller 6 are:  1. Compressor Overheating: Failed due to Normal wear 2. Evaporator Water side fouling 3. Condenser Water side fouling';
    expect(gradeAobAnswer(modes, list)).toMatchObject({ pass: true, score: 1 });
    expect(gradeAobAnswer(modes, 'Compressor Overheating only.').pass).toBe(false);
    const ttm = ex({ type: 'boolean', value: true });
    expect(gradeAobAnswer(ttm, 'Yes, TTM is supported for forecasting.').pass).toBe(true);
    expect(gradeAobAnswer(ex({ type: 'boolean', value: false }), 'LSTM is not supported.').pass).toBe(true);
    expect(gradeAobAnswer(ttm, 'Yes and no.').pass).toBe(false);
    const entity = ex({ type: 'entity', value: 'CWC04009', aliases: ['Chiller 9'] });
    expect(gradeAobAnswer(entity, 'It is Chiller 9.').pass).toBe(true);
  });

  it('finds prompt text echoed into an answer, and nothing in clean answers', () => {
    expect(
      leakedPrompt('The available IoT sites are: MAIN  You are a helpful assistant. You will')?.text,
    ).toMatch(/^You are a helpful assistant/);
    expect(
      leakedPrompt('MAIN has 6 assets.  Here is the task: List all available IoT sites Thought')?.text,
    ).toBe('Here is the task: List all available IoT sites Thought');
    expect(leakedPrompt('The available IoT sites are: MAIN')).toBeNull();
    expect(leakedPrompt('Chiller 6 has 12 sensors; its tonnage peaked at 480 tons.')).toBeNull();
  });
});

describe('claims: layout numbers are not claims', () => {
  const numbers = (t: string) =>
    extractClaims(t)
      .filter((c) => c.kind === 'number')
      .map((c) => c.text);

  it('drops list markers (flattened too), headings and step labels, keeps real numbers', () => {
    expect(numbers('1. Chiller 6\n2. 30 alerts')).toEqual(['30']);
    expect(
      numbers(
        'The failure modes are:  1. Compressor Overheating 2. Heat Exchangers: Fans 3. Evaporator fouling',
      ),
    ).toEqual([]);
    expect(numbers('## Step 1: Understand the task  ## Step 2: Identify the tool')).toEqual([]);
    expect(numbers('(1) condenser fouling (2) purge unit')).toEqual([]);
    expect(numbers('Task 2: found 3 alerts')).toEqual(['3']);
    expect(numbers('It found 3. The file lists them.')).toEqual(['3']);
  });
});
