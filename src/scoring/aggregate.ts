// Run-level scores: per agent, model and suite, the mean total with a bootstrap 95% CI, the
// readiness verdict (the CI's lower bound against the threshold), pass rates per dimension,
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
  agent: string;
  model: string | null;
  suite: string;
  scenarioId: string;
  trial: number;
  costUsd: number;
  card: Scorecard;
}

export interface GroupScore {
  agent: string;
  model: string | null;
  suite: string;
  attempts: number;
  scenarios: number;
  trials: number;
  meanTotal: number;
  ci: { lower: number; upper: number };
  ready: boolean;
  passRate: number;
  /** pass^k with k = the trials per scenario (all k trials pass); null with one trial. */
  passHatK: { k: number; value: number } | null;
  /** Share of scenarios whose pass verdict differs across identical trials; null with one trial. */
  flipRate: number | null;
  dimensions: Record<Dimension, { passRate: number; applicable: number }>;
  toolAccuracy: number;
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
  return `${a.agent}|${a.model ?? ''}|${a.suite}`;
}

function scoreGroup(rows: AttemptScore[], readiness: number, seed: number): GroupScore {
  const totals = rows.map((r) => r.card.total);
  const ci = bootstrapCI(totals, { seed });
  const byScenario = new Map<string, boolean[]>();
  for (const r of [...rows].sort((a, b) => a.trial - b.trial)) {
    const list = byScenario.get(r.scenarioId) ?? [];
    list.push(r.card.pass);
    byScenario.set(r.scenarioId, list);
  }
  const trials = Math.min(...[...byScenario.values()].map((l) => l.length));
  const trialMatrix = [...byScenario.values()].map((l) => l.slice(0, trials));
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
  return {
    agent: rows[0].agent,
    model: rows[0].model,
    suite: rows[0].suite,
    attempts: rows.length,
    scenarios: byScenario.size,
    trials,
    meanTotal: mean(totals),
    ci: { lower: ci.lower, upper: ci.upper },
    // Ready only when even the pessimistic end of the interval clears the bar.
    ready: Number.isFinite(ci.lower) && ci.lower >= readiness,
    passRate: rows.filter((r) => r.card.pass).length / rows.length,
    passHatK: trials > 1 ? { k: trials, value: passHatK(trialMatrix, trials) } : null,
    flipRate: trials > 1 ? flipRate(trialMatrix) : null,
    dimensions,
    toolAccuracy: mean(rows.map((r) => r.card.toolAccuracy.share)),
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
  // Two-sample detectable difference at the smallest group's size and the pooled spread.
  const n = Math.min(...scored.map((g) => g.attempts));
  const spread = sd(rows.map((r) => r.card.total));
  const mdd =
    scored.length && n > 1 && Number.isFinite(spread) ? minimumDetectableDifference(n, { sd: spread }) : null;
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
