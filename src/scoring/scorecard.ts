// One attempt's scorecard: the six dimensions from evidence, the judge panel's verdicts beside
// them when a panel was asked, one verdict of record per dimension, the total, the pass rule,
// tool accuracy, knowledge use and the AssetOpsBench form. Evidence is the verdict of record
// wherever it applies (reproducible and hard to talk into passing); the judge decides what
// evidence cannot (free-text answers), and clarity needs both.
import { type AobScore, aobScore, toAob } from './aob.ts';
import { scoreEvidence } from './evidence/index.ts';
import { isGraded, passOf, totalOf } from './total.ts';
import {
  DIMENSIONS,
  type Dimension,
  type DimensionVerdict,
  type KnowledgeUse,
  type ScoreInput,
  type ToolAccuracy,
} from './types.ts';

/** A judge panel's verdict on one dimension (null pass: the panel gave none). */
export interface PanelDimension {
  pass: boolean | null;
  rationale: string;
  /** Share of votes that agreed with the verdict (0..1). */
  agreement?: number;
}

export interface PanelView {
  /** Judge specs with their rubric version, e.g. "openai:gpt-4.1@aob-judge-1". */
  judges: string[];
  dimensions: Partial<Record<Dimension, PanelDimension>>;
  error?: string;
}

export interface DimensionScore extends DimensionVerdict {
  /** Who decided the verdict of record. */
  source: 'evidence' | 'judge' | 'evidence+judge' | 'none';
  /** The evidence verdict (always computed). */
  fromEvidence: DimensionVerdict;
  /** The panel's verdict, when a panel was asked. */
  fromJudge?: PanelDimension;
}

export interface Scorecard {
  scenarioId: string;
  dimensions: Record<Dimension, DimensionScore>;
  /** 0..100; null when the attempt is ungraded (task completion could not be assessed). */
  total: number | null;
  /** Task completion was assessed, by evidence or a judge (an ungraded attempt never passes). */
  graded: boolean;
  pass: boolean;
  toolAccuracy: ToolAccuracy;
  knowledgeUse: KnowledgeUse;
  aob: AobScore;
  judges: string[];
  /** Why the judge panel (or part of it) gave no verdict, when it was asked and failed. */
  judgeError?: string;
}

function combine(d: Dimension, ev: DimensionVerdict, j: PanelDimension | undefined): DimensionScore {
  const judged = j && j.pass !== null ? j : undefined;
  const base = { fromEvidence: ev, ...(j ? { fromJudge: j } : {}) };
  if (d === 'clarity_justification' && ev.applicable && judged) {
    // Format and citations are checked by evidence; whether the explanation reads well is judgement.
    const pass = ev.pass && Boolean(judged.pass);
    return {
      ...ev,
      ...base,
      pass,
      score: (ev.score + (judged.pass ? 1 : 0)) / 2,
      rationale: `${ev.rationale} Judge: ${judged.rationale}`,
      source: 'evidence+judge',
    };
  }
  if (ev.applicable) return { ...ev, ...base, source: 'evidence' };
  if (judged) {
    return {
      pass: Boolean(judged.pass),
      score: judged.pass ? 1 : 0,
      rationale: judged.rationale,
      evidence: [],
      applicable: true,
      ...base,
      source: 'judge',
    };
  }
  return { ...ev, ...base, source: 'none' };
}

export function scoreTrajectory(input: ScoreInput, panel?: PanelView): Scorecard {
  const ev = scoreEvidence(input);
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((d) => [d, combine(d, ev.dimensions[d], panel?.dimensions[d])]),
  ) as Record<Dimension, DimensionScore>;
  return {
    scenarioId: input.scenario.id,
    dimensions,
    total: totalOf(dimensions),
    graded: isGraded(dimensions),
    pass: passOf(dimensions),
    toolAccuracy: ev.toolAccuracy,
    knowledgeUse: ev.knowledgeUse,
    aob: aobScore(toAob(dimensions)),
    judges: panel?.judges ?? [],
    ...(panel?.error ? { judgeError: panel.error } : {}),
  };
}

/** A judge panel's result as the scorecard keeps it. */
export function panelView(p: import('./judge/panel.ts').PanelResult): PanelView {
  return {
    judges: p.judges.map((j) => `${j}@${p.judgeVersion}`),
    dimensions: Object.fromEntries(
      Object.entries(p.verdicts).map(([d, v]) => [
        d,
        { pass: v.available ? v.pass : null, rationale: v.rationale, agreement: v.agreement ?? undefined },
      ]),
    ),
    ...(p.errors.length ? { error: p.errors.join('; ') } : {}),
  };
}

/** Dimensions about the answer itself: a judge can rate them from the task and the answer. */
const ANSWER_DIMENSIONS: ReadonlySet<Dimension> = new Set(['task_completion', 'clarity_justification']);

/**
 * What a judge is asked about an attempt, given its evidence scorecard: the dimensions
 * evidence could not assess, and the part of clarity that is judgement (`all`: all six, to
 * measure agreement). When only answer dimensions remain, the answer alone is quoted.
 */
export function judgeRequest(
  fromEvidence: Scorecard,
  all = false,
): { dimensions: Dimension[]; focus: 'answer' | 'full' } {
  const dimensions = all
    ? [...DIMENSIONS]
    : DIMENSIONS.filter((d) => d === 'clarity_justification' || !fromEvidence.dimensions[d].applicable);
  return { dimensions, focus: dimensions.every((d) => ANSWER_DIMENSIONS.has(d)) ? 'answer' : 'full' };
}
