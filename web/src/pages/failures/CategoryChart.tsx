// Failure categories by share of all failure events, as bars and as a table.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import { pct } from '../../lib/format.ts';
import type { CategorySummary } from '../../lib/types.ts';

export function CategoryChart({ categories }: { categories: CategorySummary[] }) {
  const sorted = useMemo(() => [...categories].sort((a, b) => b.share - a.share), [categories]);
  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 200, right: 40, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      xAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      yAxis: { type: 'category', inverse: true, data: sorted.map((c) => c.title) },
      series: [{ type: 'bar', data: sorted.map((c) => c.share), itemStyle: { color: '#c2410c' } }],
    }),
    [sorted],
  );
  return (
    <section aria-labelledby="cat-h">
      <h2 id="cat-h">Categories</h2>
      <EChart
        option={option}
        label="Failure categories by share"
        height={Math.max(160, 34 * sorted.length + 50)}
      />
      <table>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Kind</th>
            <th scope="col">Events</th>
            <th scope="col">Share</th>
            <th scope="col">Definition</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr key={c.id}>
              <td>
                {c.title} <span className="muted small">{c.id}</span>
              </td>
              <td>{c.kind}</td>
              <td>{c.count}</td>
              <td>{pct(c.share)}</td>
              <td className="small">{c.definition}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
