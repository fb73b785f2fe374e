// A group's scores in words, the same in the terminal, the HTML report and the dashboard: the
// total with its interval (or why there is none) and the readiness verdict (or why there is
// none). One place, so that "ready" can never be printed for a group that has no verdict.
import { type GroupScore, MIN_GRADED_FOR_STATS } from './aggregate.ts';

/** "72.4 [65.1, 79.0]", "72.4 (n=4, no CI)", or "ungraded". */
export function totalText(g: Pick<GroupScore, 'meanTotal' | 'ci' | 'graded'>): string {
  if (g.meanTotal === null) return 'ungraded';
  if (!g.ci) return `${g.meanTotal.toFixed(1)} (n=${g.graded}, no CI)`;
  return `${g.meanTotal.toFixed(1)} [${g.ci.lower.toFixed(1)}, ${g.ci.upper.toFixed(1)}]`;
}

/** The readiness verdict, with what is missing when there is none. */
export function readinessText(g: Pick<GroupScore, 'readiness' | 'graded' | 'ungraded' | 'attempts'>): string {
  switch (g.readiness) {
    case 'incomplete':
      return `incomplete: ${g.ungraded} of ${g.attempts} ungraded; add --judge`;
    case 'insufficient data':
      return `insufficient data (${g.graded} graded, ${MIN_GRADED_FOR_STATS} needed)`;
    default:
      return g.readiness;
  }
}
