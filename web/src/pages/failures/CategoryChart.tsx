// Failure categories by the share of trajectories that show them (at most 100%), as bars and
// as a table that also gives the events and their share of all events.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import { pct } from '../../lib/format.ts';
import type { CategorySummary } from '../../lib/types.ts';

export function CategoryChart({ categories }: { categories: CategorySummary[] }) {
  const sorted = useMemo(
    () => [...categories].sort((a, b) => b.rate - a.rate || b.count - a.count),
    [categories],
  );
  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 200, right: 40, top: 10, bottom: 40 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      xAxis: {
        type: 'value',
        max: 1,
        name: 'share of trajectories',
        nameLocation: 'middle',
        nameGap: 24,
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      yAxis: { type: 'category', inverse: true, data: sorted.map((c) => c.title) },
      series: [{ type: 'bar', data: sorted.map((c) => c.rate), itemStyle: { color: '#c2410c' } }],
    }),
    [sorted],
  );
  return (
    <section aria-labelledby="cat-h">
      <h2 id="cat-h">Categories</h2>
      <EChart
        option={option}
        label="Failure categories by share of trajectories"
        height={Math.max(170, 34 * sorted.length + 60)}
      />
      <table>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Kind</th>
            <th scope="col">Trajectories</th>
            <th scope="col">Events</th>
            <th scope="col">Share of events</th>
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
              <td>
                {c.trajectories} ({pct(c.rate)})
              </td>
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
