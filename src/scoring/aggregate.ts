// Run-level scores: per agent, model and suite, the mean total with a bootstrap 95% CI, the
// readiness verdict (the CI's lower bound against the threshold), pass rates per dimension,
// how many attempts are still ungraded (no total until a judge reads them: a group with any
// has no readiness verdict),
// pass^k and the flip rate over repeated trials, tool accuracy and knowledge use; across the
// run, the smallest difference between two entries the run could detect, and evidence-judge
// agreement (Cohen's kappa) per dimension where a panel was asked.
import { type AobScore, competitionPercentage } from './aob.ts';
import type { Scorecard } from './scorecard.ts';
import {
  bootstrapCI,
  cohensKappa,
  flipRate,
  mean,
  minimumDetectableDifference,
  passHatK,
  sd,
} from './stats.ts';
import { DEFAULT_READINESS } from './total.ts';
import { DIMENSIONS, type Dimension } from './types.ts';

/** A scorecard with the attempt it belongs to. */
export interface AttemptScore {
  attemptId: string;
  /**
   * The run it belongs to, when scores of several runs are aggregated together: groups are
   * then per run too, so two runs are compared side by side, never pooled.
   */
  run?: string;
  agent: string;
  model: string | null;
  suite: string;
  scenarioId: string;
  trial: number;
  costUsd: number;
  card: Scorecard;
}

/**
 * Below this many graded attempts a group gets no interval, readiness verdict or detectable
 * difference: the percentile bootstrap of a mean under-covers badly on a handful of values
 * (docs/SCORING.md gives the coverage measured by test/scoring-stats.test.ts).
 */
export const MIN_GRADED_FOR_STATS = 10;

/** What a group's readiness line says. */
export type Readiness = 'ready' | 'not ready' | 'incomplete' | 'insufficient data';

export interface GroupScore {
  /** The run (see AttemptScore.run); null when the rows did not say. */
  run: string | null;
  agent: string;
  model: string | null;
  suite: string;
  /** Scored attempts (infrastructure failures are not scored: they are not the agent's). */
  attempts: number;
  /** Attempts whose task completion was assessed; only they have a total. */
  graded: number;
  /** Attempts nobody could grade (free text and no judge): no total, never a pass. */
  ungraded: number;
  scenarios: number;
  trials: number;
  /** Mean total of the graded attempts; null when none is graded. */
  meanTotal: number | null;
  /** Bootstrap 95% CI of the mean total; null with fewer than MIN_GRADED_FOR_STATS graded. */
  ci: { lower: number; upper: number } | null;
  readiness: Readiness;
  /** readiness === 'ready'. */
  ready: boolean;
  /** Attempts that passed the pass rule. */
  passed: number;
  /** passed over graded (ungraded attempts are shown apart, not counted either way). */
  passRate: number;
  /** pass^k with k = the trials per scenario (all k trials pass); null with one trial. */
  passHatK: { k: number; value: number } | null;
  /** Share of scenarios whose pass verdict differs across identical trials; null with one trial. */
  flipRate: number | null;
  dimensions: Record<Dimension, { passRate: number; applicable: number }>;
  /** Mean share of good calls over attempts that made calls; null when none did. */
  toolAccuracy: number | null;
  knowledgeUse: { retrieved: number; used: number };
  aobCompetition: number;
  costPerScenario: number;
}

export interface RunScores {
  readiness: number;
  groups: GroupScore[];
  /** Smallest difference in mean total (points) between two entries this run's size could detect. */
  minDetectableDifference: number | null;
  /** Evidence vs judge per dimension, where both gave verdicts. */
  agreement: Partial<Record<Dimension, { kappa: number; n: number }>>;
}

function groupKey(a: AttemptScore): string {
  return `${a.run ?? ''}|${a.agent}|${a.model ?? ''}|${a.suite}`;
}

function readinessOf(graded: number, ungraded: number, lower: number | null, threshold: number): Readiness {
  if (ungraded > 0) return 'incomplete';
  if (graded < MIN_GRADED_FOR_STATS || lower === null) return 'insufficient data';
  // Ready only when even the pessimistic end of the interval clears the bar.
  return lower >= threshold ? 'ready' : 'not ready';
}

function scoreGroup(rows: AttemptScore[], readiness: number, seed: number): GroupScore {
  const graded = rows.filter((r) => r.card.graded !== false && r.card.total !== null);
  const totals = graded.map((r) => r.card.total as number);
  const ci = totals.length >= MIN_GRADED_FOR_STATS ? bootstrapCI(totals, { seed }) : null;
  const byScenario = new Map<string, Array<boolean | null>>();
  for (const r of [...rows].sort((a, b) => a.trial - b.trial)) {
    const list = byScenario.get(r.scenarioId) ?? [];
    list.push(r.card.graded === false ? null : r.card.pass);
    byScenario.set(r.scenarioId, list);
  }
  const trials = Math.min(...[...byScenario.values()].map((l) => l.length));
  // Reliability over trials reads only scenarios whose every trial was graded.
  const trialMatrix = [...byScenario.values()]
    .map((l) => l.slice(0, trials))
    .filter((l): l is boolean[] => l.every((x) => x !== null));
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((d) => {
      const applicable = rows.filter((r) => r.card.dimensions[d].applicable);
      return [
        d,
        {
          passRate: applicable.length
            ? applicable.filter((r) => r.card.dimensions[d].pass).length / applicable.length
            : 0,
          applicable: applicable.length,
        },
      ];
    }),
  ) as GroupScore['dimensions'];
  const retrieved = rows.filter((r) => r.card.knowledgeUse.retrieved);
  const shares = rows.flatMap((r) =>
    typeof r.card.toolAccuracy.share === 'number' ? [r.card.toolAccuracy.share] : [],
  );
  const ungraded = rows.length - graded.length;
  const passed = graded.filter((r) => r.card.pass).length;
  const verdict = readinessOf(
    graded.length,
    ungraded,
    ci && Number.isFinite(ci.lower) ? ci.lower : null,
    readiness,
  );
  return {
    run: rows[0].run ?? null,
    agent: rows[0].agent,
    model: rows[0].model,
    suite: rows[0].suite,
    attempts: rows.length,
    graded: graded.length,
    ungraded,
    scenarios: byScenario.size,
    trials,
    meanTotal: totals.length ? mean(totals) : null,
    ci: ci ? { lower: ci.lower, upper: ci.upper } : null,
    readiness: verdict,
    ready: verdict === 'ready',
    passed,
    passRate: graded.length ? passed / graded.length : 0,
    passHatK:
      trials > 1 && trialMatrix.length > 0 ? { k: trials, value: passHatK(trialMatrix, trials) } : null,
    flipRate: trials > 1 && trialMatrix.length > 0 ? flipRate(trialMatrix) : null,
    dimensions,
    toolAccuracy: shares.length ? mean(shares) : null,
    knowledgeUse: {
      retrieved: retrieved.length,
      used: retrieved.filter((r) => r.card.knowledgeUse.used).length,
    },
    aobCompetition: competitionPercentage(rows.map((r) => r.card.aob as AobScore)),
    costPerScenario: rows.reduce((s, r) => s + r.costUsd, 0) / Math.max(1, byScenario.size),
  };
}

export function scoreRun(rows: AttemptScore[], opts: { readiness?: number; seed?: number } = {}): RunScores {
  const readiness = opts.readiness ?? DEFAULT_READINESS;
  const groups = new Map<string, AttemptScore[]>();
  for (const r of rows) {
    const list = groups.get(groupKey(r)) ?? [];
    list.push(r);
    groups.set(groupKey(r), list);
  }
  const scored = [...groups.values()].map((g) => scoreGroup(g, readiness, opts.seed ?? 0));
  // Two-sample detectable difference at the smallest group's graded size and the pooled spread.
  const n = Math.min(...scored.map((g) => g.graded));
  const spread = sd(rows.flatMap((r) => (r.card.total === null ? [] : [r.card.total])));
  const mdd =
    scored.length && n >= MIN_GRADED_FOR_STATS && Number.isFinite(spread)
      ? minimumDetectableDifference(n, { sd: spread })
      : null;
  const agreement: RunScores['agreement'] = {};
  for (const d of DIMENSIONS) {
    const pairs = rows.flatMap((r) => {
      const dim = r.card.dimensions[d];
      return dim.fromJudge && dim.fromJudge.pass !== null && dim.fromEvidence.applicable
        ? [[dim.fromEvidence.pass, dim.fromJudge.pass] as const]
        : [];
    });
    if (pairs.length > 0) {
      agreement[d] = {
        kappa: cohensKappa(
          pairs.map((p) => p[0]),
          pairs.map((p) => Boolean(p[1])),
        ),
        n: pairs.length,
      };
    }
  }
  return { readiness, groups: scored, minDetectableDifference: mdd, agreement };
}
