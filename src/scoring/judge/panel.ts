// A panel of judge models. Each judge first reaches its own verdict per dimension (the
// majority of its samples); the panel's verdict is then the majority over the judges that
// have one (ties fail), so a judge sampled more often does not outvote the others. Every
// judge's full result is kept, and a judge that failed only drops out of the vote.
import type { LanguageModel } from 'ai';
import { DIMENSIONS, type Dimension, type DimensionVerdict, type ScoreInput } from '../types.ts';
import {
  aobOutcome,
  JUDGE_VERSION,
  type JudgeOptions,
  type JudgeResult,
  judgeTrajectory,
  majorityVote,
} from './judge.ts';
import { clip } from './rubrics.ts';

export interface PanelJudge {
  model: LanguageModel;
  modelSpec: string;
}

export type PanelOptions = Pick<
  JudgeOptions,
  'dimensions' | 'temperature' | 'maxRetries' | 'useCache' | 'abortSignal' | 'budget' | 'focus'
>;

export interface PanelDimensionResult {
  dimension: Dimension;
  available: boolean;
  /** Majority of the judges' own verdicts, ties failing; null when no judge has one. */
  pass: boolean | null;
  judgeVotes: Array<{ judge: string; pass: boolean; agreement: number | null }>;
  /** Share of the voting judges that agree with the verdict. */
  agreement: number | null;
  rationale: string;
  judgeVersion: string;
}

export interface PanelResult {
  judgeVersion: string;
  judges: string[];
  samples: number;
  verdicts: Record<Dimension, PanelDimensionResult>;
  /** AssetOpsBench's pass rule and score on the panel's verdicts (see JudgeResult.aob). */
  aob: { pass: boolean; score: number } | null;
  /** Each judge's own result, in the order given. */
  results: JudgeResult[];
  usage: {
    calls: number;
    cachedCalls: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  };
  /** The judges that gave nothing, with why. */
  errors: string[];
}

function panelDimension(d: Dimension, results: readonly JudgeResult[]): PanelDimensionResult {
  const judgeVotes = results.flatMap((r) => {
    const v = r.verdicts[d];
    return v.available && v.pass !== null ? [{ judge: r.judge, pass: v.pass, agreement: v.agreement }] : [];
  });
  const { pass, agreement } = majorityVote(judgeVotes.map((v) => v.pass));
  if (pass === null) {
    const why = results.map((r) => `${r.judge}: ${r.verdicts[d].rationale}`).join('; ');
    return {
      dimension: d,
      available: false,
      pass: null,
      judgeVotes,
      agreement: null,
      rationale: clip(`no judge gave a verdict (${why})`, 1_000),
      judgeVersion: JUDGE_VERSION,
    };
  }
  const agreeing = results.find((r) => r.verdicts[d].pass === pass);
  const count = judgeVotes.filter((v) => v.pass === pass).length;
  return {
    dimension: d,
    available: true,
    pass,
    judgeVotes,
    agreement,
    rationale: `${count} of ${judgeVotes.length} judges ${pass ? 'pass' : 'fail'}; ${agreeing?.judge}: ${agreeing?.verdicts[d].rationale ?? ''}`,
    judgeVersion: JUDGE_VERSION,
  };
}

/**
 * Judges one trajectory with every judge (concurrently: they are different models), each
 * with `samples` samples, and combines them. Never throws for model errors.
 */
export async function judgePanel(
  input: ScoreInput,
  judges: readonly PanelJudge[],
  samples: number,
  opts: PanelOptions = {},
): Promise<PanelResult> {
  if (judges.length === 0) throw new Error('a judge panel needs at least one judge');
  const specs = judges.map((j) => j.modelSpec);
  const dup = specs.find((s, i) => specs.indexOf(s) !== i);
  // The same spec twice would share cache entries (same prompt, same trials): not a second opinion.
  if (dup) throw new Error(`judge ${dup} is on the panel twice`);

  const results = await Promise.all(
    judges.map((j) => judgeTrajectory(input, { ...opts, model: j.model, modelSpec: j.modelSpec, samples })),
  );
  const verdicts = {} as Record<Dimension, PanelDimensionResult>;
  for (const d of DIMENSIONS) verdicts[d] = panelDimension(d, results);
  const costs = results.map((r) => r.usage.costUsd);
  return {
    judgeVersion: JUDGE_VERSION,
    judges: specs,
    samples,
    verdicts,
    aob: aobOutcome(verdicts),
    results,
    usage: {
      calls: results.reduce((n, r) => n + r.usage.calls, 0),
      cachedCalls: results.reduce((n, r) => n + r.usage.cachedCalls, 0),
      inputTokens: results.reduce((n, r) => n + r.usage.inputTokens, 0),
      outputTokens: results.reduce((n, r) => n + r.usage.outputTokens, 0),
      costUsd: costs.some((c) => c === null) ? null : costs.reduce<number>((s, c) => s + (c ?? 0), 0),
    },
    errors: results.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

/** A panel verdict in the evidence scorers' form (score = share of judges passing). */
export function panelToDimensionVerdict(v: PanelDimensionResult): DimensionVerdict {
  const n = v.judgeVotes.length;
  return {
    pass: v.pass === true,
    score: n > 0 ? v.judgeVotes.filter((j) => j.pass).length / n : 0,
    rationale: v.rationale,
    evidence: [],
    applicable: v.available,
  };
}
