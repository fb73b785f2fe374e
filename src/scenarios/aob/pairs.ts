// Paraphrase robustness as AssetOpsBench's competition measures it: each evaluation item
// rewords a development item (paired_with), and the same agent should do as well on both. The
// pairs come from paired_with, never from numbers (Q7 rewords Q5, not item 7).
import type { Scenario } from '../schema.ts';

export interface AobPair {
  /** The development item's scenario id, and its evaluation twin's. */
  development: string;
  evaluation: string;
}

/** The pairs among these scenarios (both sides present), in the evaluation items' order. */
export function aobPairs(scenarios: Scenario[]): AobPair[] {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const out: AobPair[] = [];
  const seen = new Set<string>();
  for (const s of scenarios) {
    const twinId = s.provenance.aob?.pairedWith;
    const twin = twinId ? byId.get(twinId) : undefined;
    if (!twin) continue;
    const evalFirst =
      s.provenance.aob?.phase === 'evaluation' || twin.provenance.aob?.phase === 'development';
    const pair = evalFirst
      ? { development: twin.id, evaluation: s.id }
      : { development: s.id, evaluation: twin.id };
    const key = `${pair.development}|${pair.evaluation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pair);
  }
  return out;
}

export interface PairOutcome {
  pass: boolean;
  /** 0..1 (a scorecard's total / 100, or the typed grade's score). */
  score: number;
}

export interface PairAgreement {
  /** Pairs with an outcome on both sides. */
  pairs: number;
  /** Share of those pairs where both sides pass or both fail (1 when there are none). */
  agreement: number;
  /** Mean of |score(development) - score(evaluation)| (0 when there are none). */
  meanScoreDifference: number;
  /** Mean of score(evaluation) - score(development): below 0, the rewording costs. */
  meanScoreShift: number;
  perPair: Array<AobPair & { development_pass: boolean; evaluation_pass: boolean; difference: number }>;
}

/** How consistently one agent did on each pair; outcomes keyed by scenario id. */
export function pairAgreement(pairs: AobPair[], outcomes: Map<string, PairOutcome>): PairAgreement {
  const perPair: PairAgreement['perPair'] = [];
  for (const p of pairs) {
    const d = outcomes.get(p.development);
    const e = outcomes.get(p.evaluation);
    if (!d || !e) continue;
    perPair.push({ ...p, development_pass: d.pass, evaluation_pass: e.pass, difference: e.score - d.score });
  }
  const n = perPair.length;
  const agree = perPair.filter((p) => p.development_pass === p.evaluation_pass).length;
  return {
    pairs: n,
    agreement: n === 0 ? 1 : agree / n,
    meanScoreDifference: n === 0 ? 0 : perPair.reduce((s, p) => s + Math.abs(p.difference), 0) / n,
    meanScoreShift: n === 0 ? 0 : perPair.reduce((s, p) => s + p.difference, 0) / n,
    perPair,
  };
}

/** One line for a run's summary: "pair agreement 9/11 (82%), mean score difference 0.12". */
export function pairAgreementLine(a: PairAgreement): string {
  if (a.pairs === 0) return 'pair agreement: no pair with both sides run';
  const agree = Math.round(a.agreement * a.pairs);
  return `pair agreement ${agree}/${a.pairs} (${Math.round(100 * a.agreement)}%), mean score difference ${a.meanScoreDifference.toFixed(2)} (evaluation minus development ${a.meanScoreShift >= 0 ? '+' : ''}${a.meanScoreShift.toFixed(2)})`;
}
