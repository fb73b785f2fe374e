// Run-level scores as a terminal table: total with its 95% CI against the readiness line,
// pass rate, pass^k and flips over trials, each dimension's pass rate, tool accuracy, cost.
import type { RunScores } from '../scoring/aggregate.ts';
import { readinessText, totalText } from '../scoring/describe.ts';
import { DIMENSIONS, type Dimension } from '../scoring/types.ts';
import { pct, renderTable, usd } from './table.ts';

const SHORT: Record<Dimension, string> = {
  task_completion: 'task',
  retrieval_accuracy: 'retr',
  result_verification: 'verif',
  sequence_correctness: 'seq',
  clarity_justification: 'clar',
  hallucination: 'no-hall',
};

export function renderScores(s: RunScores): string {
  const rows = s.groups.map((g) => [
    g.agent,
    g.model ?? '-',
    g.suite,
    g.attempts,
    totalText(g),
    readinessText(g),
    g.graded ? `${g.passed}/${g.graded}` : '-',
    g.ungraded,
    g.passHatK ? `${pct(g.passHatK.value)} (k=${g.passHatK.k})` : '-',
    g.flipRate === null ? '-' : pct(g.flipRate),
    ...DIMENSIONS.map((d) => (g.dimensions[d].applicable ? pct(g.dimensions[d].passRate) : '-')),
    g.toolAccuracy === null ? '-' : pct(g.toolAccuracy),
    `${g.aobCompetition.toFixed(1)}`,
    usd(g.costPerScenario),
  ]);
  const lines = [
    renderTable(
      [
        'agent',
        'model',
        'suite',
        'n',
        'total [95% CI]',
        `readiness ${s.readiness}`,
        'pass',
        'ungraded',
        'pass^k',
        'flips',
        ...DIMENSIONS.map((d) => SHORT[d]),
        'tools',
        'aob %',
        'cost/scen',
      ],
      rows,
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
  );
  const ungraded = s.groups.reduce((n, g) => n + g.ungraded, 0);
  if (ungraded > 0)
    lines.push(
      `  ${ungraded} attempts are ungraded (free-text answers no judge has read): they have no total and no group with them has a readiness verdict; add --judge MODEL`,
    );
  return lines.join('\n');
}
