// Two entries side by side: each score, and the second minus the first.
import { dimensionLabel, modelName, num, pct, readinessLabel, usd } from '../../lib/format.ts';
import type { LeaderboardEntry } from '../../lib/types.ts';
import { ScenarioDiff } from './ScenarioDiff.tsx';

interface Row {
  label: string;
  a: number | null;
  b: number | null;
  show: (x: number | null) => string;
  /** Differences in points (totals) or percentage points (rates). */
  diff: (a: number, b: number) => string;
}

const points = (a: number, b: number) => `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(1)}`;
const pp = (a: number, b: number) => `${b - a >= 0 ? '+' : ''}${((b - a) * 100).toFixed(1)} pp`;
const dollars = (a: number, b: number) => `${b - a >= 0 ? '+' : '−'}${usd(Math.abs(b - a))}`;

export function CompareEntries({
  a,
  b,
  dimensions,
  onClose,
}: {
  a: LeaderboardEntry;
  b: LeaderboardEntry;
  dimensions: string[];
  onClose: () => void;
}) {
  const rows: Row[] = [
    { label: 'Total', a: a.total.mean, b: b.total.mean, show: (x) => num(x), diff: points },
    {
      label: 'CI lower',
      a: a.total.ci?.lower ?? null,
      b: b.total.ci?.lower ?? null,
      show: (x) => num(x),
      diff: points,
    },
    {
      label: 'CI upper',
      a: a.total.ci?.upper ?? null,
      b: b.total.ci?.upper ?? null,
      show: (x) => num(x),
      diff: points,
    },
    { label: 'Pass rate', a: a.passRate, b: b.passRate, show: (x) => pct(x), diff: pp },
    ...dimensions.map((d) => ({
      label: dimensionLabel(d),
      a: a.dimensions[d]?.passRate ?? null,
      b: b.dimensions[d]?.passRate ?? null,
      show: (x: number | null) => pct(x),
      diff: pp,
    })),
    {
      label: 'pass^k',
      a: a.passHatK?.value ?? null,
      b: b.passHatK?.value ?? null,
      show: (x) => pct(x),
      diff: pp,
    },
    { label: 'Tool accuracy', a: a.toolAccuracy, b: b.toolAccuracy, show: (x) => pct(x), diff: pp },
    { label: 'AOB competition', a: a.aobCompetition, b: b.aobCompetition, show: (x) => num(x), diff: points },
    {
      label: 'Cost / scenario',
      a: a.costPerScenario,
      b: b.costPerScenario,
      show: (x) => usd(x),
      diff: dollars,
    },
  ];
  const name = (e: LeaderboardEntry) =>
    `${e.agent} · ${modelName(e.model)} · ${e.suite} (${e.runName ?? e.runId})`;
  return (
    <section className="compare" aria-labelledby="compare-title">
      <h2 id="compare-title">Comparison</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Score</th>
            <th scope="col">{name(a)}</th>
            <th scope="col">{name(b)}</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.show(r.a)}</td>
              <td>{r.show(r.b)}</td>
              <td>{r.a === null || r.b === null ? '—' : r.diff(r.a, r.b)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Ready</th>
            <td>{readinessLabel(a)}</td>
            <td>{readinessLabel(b)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      <ScenarioDiff a={a} b={b} />
      <button type="button" onClick={onClose}>
        Clear comparison
      </button>
    </section>
  );
}
