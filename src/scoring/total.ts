// From six verdicts to one number. The weights say what matters most to a maintenance
// engineer: a right answer (task completion) and not inventing things (hallucination) weigh
// most; how the agent got there (retrieval, verification, order, clarity) makes up the rest.
// Dimensions that cannot be assessed for a scenario drop out and the rest are re-weighted,
// with one exception: an attempt whose task completion nobody assessed (a free-text answer
// and no judge) has no total at all. Re-weighting the rest would let an answer nobody read
// total 100; it is *ungraded*, and counted as such, until a judge is asked.
import { DIMENSIONS, type Dimension } from './types.ts';

export const WEIGHTS: Readonly<Record<Dimension, number>> = {
  task_completion: 0.3,
  retrieval_accuracy: 0.15,
  result_verification: 0.15,
  sequence_correctness: 0.1,
  clarity_justification: 0.1,
  hallucination: 0.2,
};

/** Deployment readiness: the lower bound of the total's 95% CI must reach this. */
export const DEFAULT_READINESS = 85;

export interface WeightedVerdict {
  pass: boolean;
  score: number;
  applicable: boolean;
}

/** Whether task completion was assessed (by evidence or a judge): only then is there a total. */
export function isGraded(verdicts: Record<Dimension, WeightedVerdict>): boolean {
  return verdicts.task_completion.applicable;
}

/** 0..100: the weighted mean of the applicable dimensions' scores; null when ungraded. */
export function totalOf(verdicts: Record<Dimension, WeightedVerdict>): number | null {
  if (!isGraded(verdicts)) return null;
  let sum = 0;
  let weight = 0;
  for (const d of DIMENSIONS) {
    const v = verdicts[d];
    if (!v.applicable) continue;
    sum += WEIGHTS[d] * Math.min(1, Math.max(0, v.score));
    weight += WEIGHTS[d];
  }
  return weight > 0 ? Math.round((10000 * sum) / weight) / 100 : 0;
}

/**
 * The pass rule: every applicable dimension passes (AssetOpsBench's rule, all five plus no
 * hallucination, read over the dimensions that apply), and task completion must apply: an
 * answer nobody could check is not a pass.
 */
export function passOf(verdicts: Record<Dimension, WeightedVerdict>): boolean {
  if (!verdicts.task_completion.applicable) return false;
  return DIMENSIONS.every((d) => !verdicts[d].applicable || verdicts[d].pass);
}
