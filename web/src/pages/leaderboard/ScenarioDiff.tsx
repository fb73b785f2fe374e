// Two entries scenario by scenario: how many scenarios changed verdict, whether that is more
// than chance (McNemar's exact test, and the totals against the smallest difference these
// sample sizes can detect), and the verdict of every scenario in each, filterable.
import { useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Loading } from '../../components/Loading.tsx';
import { query } from '../../lib/api.ts';
import type { LeaderboardEntry } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';

type Verdict = 'pass' | 'fail' | 'mixed' | 'ungraded' | 'absent';

interface Comparison {
  a: string;
  b: string;
  shared: number;
  onlyA: number;
  onlyB: number;
  changed: Array<{ scenarioId: string; a: Verdict; b: Verdict }>;
  betterA: number;
  betterB: number;
  p: number;
  hint: string;
  scenarios: Array<{ scenarioId: string; a: Verdict; b: Verdict }>;
}

const FILTERS = {
  // Verdicts that changed on a scenario both entries ran (one missing is not a change).
  differences: (r: Comparison['scenarios'][number]) => r.a !== r.b && r.a !== 'absent' && r.b !== 'absent',
  failures: (r: Comparison['scenarios'][number]) => [r.a, r.b].some((v) => v === 'fail' || v === 'mixed'),
  passes: (r: Comparison['scenarios'][number]) => r.a === 'pass' || r.b === 'pass',
  all: () => true,
} as const;

export function ScenarioDiff({ a, b }: { a: LeaderboardEntry; b: LeaderboardEntry }) {
  const [filter, setFilter] = useState<keyof typeof FILTERS>('differences');
  const c = useApi<Comparison>(
    `/api/compare${query({
      aRun: a.runId,
      aAgent: a.agent,
      aModel: a.model ?? '',
      aSuite: a.suite,
      bRun: b.runId,
      bAgent: b.agent,
      bModel: b.model ?? '',
      bSuite: b.suite,
    })}`,
  );
  const d = c.data;
  const shown = d ? d.scenarios.filter(FILTERS[filter]) : [];
  return (
    <section aria-labelledby="diff-h">
      <h3 id="diff-h">Scenario by scenario</h3>
      <ErrorBox error={c.error} />
      {c.loading && !d ? <Loading what="the comparison" /> : null}
      {d ? (
        <>
          <p className="diff-summary">
            {d.changed.length} of {d.shared} shared scenarios changed verdict
            {d.onlyA || d.onlyB ? ` (${d.onlyA} only in A, ${d.onlyB} only in B)` : ''}. {d.hint}
          </p>
          <div className="tabs" role="tablist" aria-label="Scenarios to show">
            {(Object.keys(FILTERS) as Array<keyof typeof FILTERS>).map((f) => (
              <button
                key={f}
                type="button"
                role="tab"
                aria-selected={f === filter}
                className="tab"
                onClick={() => setFilter(f)}
              >
                {f} ({d.scenarios.filter(FILTERS[f]).length})
              </button>
            ))}
          </div>
          <table aria-label="Verdicts by scenario">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">A (first)</th>
                <th scope="col">B (second)</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.scenarioId} className={r.a !== r.b ? 'differs' : undefined}>
                  <td>{r.scenarioId}</td>
                  <td className={`v-${r.a}`}>{r.a}</td>
                  <td className={`v-${r.b}`}>{r.b}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
