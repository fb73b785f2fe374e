// AssetOpsBench's arithmetic and our totals, on values worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  aobScore,
  competitionPercentage,
  finalScore,
  rankTeams,
  toAob,
  trackComposite,
} from '../src/scoring/aob.ts';
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
