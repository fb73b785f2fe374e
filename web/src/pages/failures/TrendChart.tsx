// Failure trends: each category's share of failure events across the newest runs, oldest
// first, so a pattern that grows or fades from run to run shows as a rising or falling line.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import { pct } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';

interface Trends {
  runs: Array<{
    runId: string;
    name: string | null;
    createdAt: string;
    events: number;
    shares: Record<string, number>;
  }>;
  categories: Record<string, string>;
}

export function TrendChart() {
  const trends = useApi<Trends>('/api/failures/trends?runs=6');
  const t = trends.data;
  const option = useMemo<EChartsOption | null>(() => {
    if (!t || t.runs.length === 0) return null;
    const ids = Object.keys(t.categories);
    return {
      grid: { left: 50, right: 20, top: 30, bottom: 70 },
      legend: { bottom: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      xAxis: { type: 'category', data: t.runs.map((r) => r.name ?? r.runId.slice(-6)) },
      yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      series: ids.map((id) => ({
        name: t.categories[id],
        type: 'line',
        data: t.runs.map((r) => r.shares[id] ?? 0),
      })),
    };
  }, [t]);
  if (!option || !t) return null;
  return (
    <section aria-labelledby="trend-h">
      <h2 id="trend-h">Trends across runs</h2>
      <p className="muted small">
        Share of each category in the failure events of the newest {t.runs.length} runs, oldest first.
      </p>
      <EChart option={option} label="Failure category shares across runs" height={300} />
    </section>
  );
}
