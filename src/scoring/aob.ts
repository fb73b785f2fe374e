// AssetOpsBench's own arithmetic, so scores can be compared with published ones: the judge's
// six booleans, its pass rule and score formula, the competition percentage, and the
// CODS 2025 composite and final scores (docs: ../shared/REFERENCE-AOB.md sections 5 and 7).
import type { Dimension } from './types.ts';

/** The six booleans as AssetOpsBench names them; `hallucinations` true means it hallucinated. */
export interface AobVerdict {
  task_completion: boolean;
  data_retrieval_accuracy: boolean;
  generalized_result_verification: boolean;
  agent_sequence_correct: boolean;
  clarity_and_justification: boolean;
  hallucinations: boolean;
}

export interface AobScore extends AobVerdict {
  pass: boolean;
  /** (#true of the first five)/5, minus 0.2 when it hallucinated. */
  score: number;
  /** Criteria met out of six (the five, plus "no hallucination"): the competition's points. */
  points: number;
}

/**
 * Our verdicts in AssetOpsBench's form. A dimension that does not apply to a scenario cannot
 * be violated, so it counts as met, except task completion, which must be shown.
 */
export function toAob(v: Record<Dimension, { pass: boolean; applicable: boolean }>): AobVerdict {
  const met = (d: Dimension) => !v[d].applicable || v[d].pass;
  return {
    task_completion: v.task_completion.applicable && v.task_completion.pass,
    data_retrieval_accuracy: met('retrieval_accuracy'),
    generalized_result_verification: met('result_verification'),
    agent_sequence_correct: met('sequence_correctness'),
    clarity_and_justification: met('clarity_justification'),
    hallucinations: v.hallucination.applicable && !v.hallucination.pass,
  };
}

export function aobScore(b: AobVerdict): AobScore {
  const five = [
    b.task_completion,
    b.data_retrieval_accuracy,
    b.generalized_result_verification,
    b.agent_sequence_correct,
    b.clarity_and_justification,
  ].filter(Boolean).length;
  return {
    ...b,
    pass: five === 5 && !b.hallucinations,
    score: five / 5 - (b.hallucinations ? 0.2 : 0),
    points: five + (b.hallucinations ? 0 : 1),
  };
}

/** Competition percentage: points earned over six per scenario, times 100. */
export function competitionPercentage(scores: AobScore[]): number {
  if (scores.length === 0) return 0;
  return (100 * scores.reduce((s, x) => s + x.points, 0)) / (6 * scores.length);
}

/** A track's composite: 0.6 public + 0.3 private + 0.1 τ-match (all on 0..100). */
export function trackComposite(publicScore: number, privateScore: number, tauMatch: number): number {
  return 0.6 * publicScore + 0.3 * privateScore + 0.1 * tauMatch;
}

/** The final competition score: 0.4 planning + 0.6 execution composites. */
export function finalScore(planning: number, execution: number): number {
  return 0.4 * planning + 0.6 * execution;
}

/**
 * Ranks teams by final score; ties go to the higher execution composite, and a tie on both
 * shares the rank.
 */
export function rankTeams<T extends { final: number; execution: number }>(
  teams: T[],
): Array<T & { rank: number }> {
  const sorted = [...teams].sort((a, b) => b.final - a.final || b.execution - a.execution);
  const out: Array<T & { rank: number }> = [];
  sorted.forEach((t, i) => {
    const prev = out[i - 1];
    const tied = prev && prev.final === t.final && prev.execution === t.execution;
    out.push({ ...t, rank: tied ? prev.rank : i + 1 });
  });
  return out;
}
