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

/** One scored attempt, as the pair report needs it. */
export interface PairRow {
  agent: string;
  model: string | null;
  suite: string;
  scenarioId: string;
  pass: boolean;
  /** 0..1. */
  score: number;
}

/** The pair agreement of one agent and model on one suite. */
export interface GroupPairAgreement {
  agent: string;
  model: string | null;
  suite: string;
  agreement: PairAgreement;
}

/**
 * Pair agreement for every agent and model on every suite that holds pairs (both members among
 * its scenarios). Over repeated trials a scenario's outcome is its mean score and a pass when
 * more than half of its trials passed. Suites without pairs are left out; a group with pairs
 * but no pair scored on both sides is kept (its agreement has pairs 0).
 */
export function pairAgreementByGroup(
  scenarios: Array<{ suite: string; scenario: Scenario }>,
  rows: PairRow[],
): GroupPairAgreement[] {
  const bySuite = new Map<string, Scenario[]>();
  for (const { suite, scenario } of scenarios) bySuite.set(suite, [...(bySuite.get(suite) ?? []), scenario]);
  const pairsOf = new Map([...bySuite].map(([suite, list]) => [suite, aobPairs(list)]));
  const groups = new Map<string, { head: Omit<GroupPairAgreement, 'agreement'>; rows: PairRow[] }>();
  for (const r of rows) {
    if ((pairsOf.get(r.suite)?.length ?? 0) === 0) continue;
    const key = JSON.stringify([r.agent, r.model, r.suite]);
    const g = groups.get(key) ?? { head: { agent: r.agent, model: r.model, suite: r.suite }, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ head, rows: mine }) => {
    const trials = new Map<string, PairRow[]>();
    for (const r of mine) trials.set(r.scenarioId, [...(trials.get(r.scenarioId) ?? []), r]);
    const outcomes = new Map<string, PairOutcome>();
    for (const [id, list] of trials) {
      const passed = list.filter((r) => r.pass).length;
      outcomes.set(id, {
        pass: passed * 2 > list.length,
        score: list.reduce((s, r) => s + r.score, 0) / list.length,
      });
    }
    return { ...head, agreement: pairAgreement(pairsOf.get(head.suite) ?? [], outcomes) };
  });
}
