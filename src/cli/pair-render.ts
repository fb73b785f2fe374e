// Paraphrase robustness in a run's report: for each agent and model on a suite that holds
// AssetOpsBench pairs (an item and its rewording, by paired_with), how often both pass or fail
// together and how far their scores differ. The computation is pairAgreementByGroup's.
import { type GroupPairAgreement, pairAgreementByGroup, pairAgreementLine } from '../scenarios/aob/index.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { AttemptScore } from '../scoring/aggregate.ts';

/** Graded attempts only: an ungraded one has no verdict to agree or disagree with. */
export function runPairAgreement(
  scenarios: Array<{ suite: string; scenario: Scenario }>,
  scored: AttemptScore[],
): GroupPairAgreement[] {
  const rows = scored.flatMap((a) =>
    a.card.graded && a.card.total !== null
      ? [
          {
            agent: a.agent,
            model: a.model,
            suite: a.suite,
            scenarioId: a.scenarioId,
            pass: a.card.pass,
            score: a.card.total / 100,
          },
        ]
      : [],
  );
  return pairAgreementByGroup(scenarios, rows);
}

/** The report's lines, or '' when no suite of the run holds a pair. */
export function renderPairAgreements(groups: GroupPairAgreement[]): string {
  if (groups.length === 0) return '';
  return [
    'Paraphrase robustness (AssetOpsBench pairs, by paired_with):',
    ...groups.map(
      (g) => `  ${g.agent}${g.model ? ` ${g.model}` : ''} on ${g.suite}: ${pairAgreementLine(g.agreement)}`,
    ),
  ].join('\n');
}
