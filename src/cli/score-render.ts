// Run-level scores as a terminal table: total with its 95% CI against the readiness line,
// pass rate first; then each dimension's pass rate, tool accuracy, pass^k, flips and cost.
import type { RunScores } from '../scoring/aggregate.ts';
import { readinessText, totalText } from '../scoring/describe.ts';
import { DIMENSIONS, type Dimension } from '../scoring/types.ts';
import { pct, renderTable, terminalWidth, usd, wrap } from './table.ts';

const SHORT: Record<Dimension, string> = {
  task_completion: 'task',
  retrieval_accuracy: 'retr',
  result_verification: 'verif',
  sequence_correctness: 'seq',
  clarity_justification: 'clar',
  hallucination: 'no-hall',
};

/**
 * Two tables, each narrow enough for a terminal: first what decides a comparison (the total
 * with its CI, the pass rate, the readiness verdict), then the six dimensions, tool accuracy,
 * the trial statistics and the cost per group, under the first table's row numbers.
 */
export function renderScores(s: RunScores): string {
  // The second table names each group by its row number in the first ('#').
  const headline = s.groups.map((g, i) => [
    i + 1,
    g.agent,
    g.model ?? '-',
    g.suite,
    g.attempts,
    totalText(g),
    g.graded ? `${pct(g.passRate)} (${g.passed}/${g.graded})` : '-',
    readinessText(g),
  ]);
  const details = s.groups.map((g, i) => [
    i + 1,
    ...DIMENSIONS.map((d) => (g.dimensions[d].applicable ? pct(g.dimensions[d].passRate) : '-')),
    g.toolAccuracy === null ? '-' : pct(g.toolAccuracy),
    g.passHatK ? `${pct(g.passHatK.value)} (k=${g.passHatK.k})` : '-',
    g.flipRate === null ? '-' : pct(g.flipRate),
    g.ungraded,
    `${g.aobCompetition.toFixed(1)}`,
    usd(g.costPerScenario),
  ]);
  const lines = [
    renderTable(
      ['#', 'agent', 'model', 'suite', 'n', 'total [95% CI]', 'pass rate', `readiness ${s.readiness}`],
      headline,
      { maxWidth: { agent: 24, model: 28, suite: 16 } },
    ),
    '',
    '  per dimension (pass rate), tool accuracy, trials and cost:',
    renderTable(
      ['#', ...DIMENSIONS.map((d) => SHORT[d]), 'tools', 'pass^k', 'flips', 'ungraded', 'aob %', 'cost/scen'],
      details,
    ),
  ];
  if (s.minDetectableDifference !== null)
    lines.push(
      `  differences in mean total under ${s.minDetectableDifference.toFixed(1)} points are within this run's noise (80% power, 5% level)`,
    );
  const kappas = Object.entries(s.agreement).map(
    ([d, a]) => `${SHORT[d as Dimension]} κ=${a.kappa.toFixed(2)} (n=${a.n})`,
  );
  if (kappas.length) lines.push(`  evidence-judge agreement: ${kappas.join(', ')}`);
  lines.push(
    '  pass = every applicable dimension passed (of the graded attempts); ready = the lower end of the 95% CI of the total reaches the threshold',
    `  dimensions: ${DIMENSIONS.map((d) => `${SHORT[d]} = ${d.replace(/_/g, ' ')}`).join(', ')}`,
  );
  const ungraded = s.groups.reduce((n, g) => n + g.ungraded, 0);
  if (ungraded > 0)
    lines.push(
      `  ${ungraded} attempts are ungraded (free-text answers no judge has read): they have no total and no group with them has a readiness verdict; add --judge MODEL`,
    );
  // Notes wrapped to the terminal, so no line runs off it.
  return lines
    .flatMap((l) =>
      l.startsWith('  ') && !l.includes('\n')
        ? wrap(l, terminalWidth() - 4).map((w, i) => (i === 0 ? `  ${w}` : `    ${w}`))
        : [l],
    )
    .join('\n');
}
