// Failure trends: for the newest runs of one configuration, oldest first, the share of each
// run's trajectories showing each category, so a pattern that grows or fades from run to run
// shows as a rising or falling line. The server lines up only runs of one configuration.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import { pct } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';

interface Trends {
  configuration: string | null;
  runs: Array<{
    runId: string;
    name: string | null;
    createdAt: string;
    trajectories: number;
    events: number;
    rates: Record<string, number>;
  }>;
  categories: Record<string, string>;
}

export function TrendChart({ run }: { run?: string }) {
  const trends = useApi<Trends>(`/api/failures/trends?runs=6${run ? `&run=${encodeURIComponent(run)}` : ''}`);
  const t = trends.data;
  const option = useMemo<EChartsOption | null>(() => {
    if (!t || t.runs.length === 0) return null;
    const ids = Object.keys(t.categories);
    return {
      grid: { left: 50, right: 20, top: 30, bottom: 70 },
      legend: { bottom: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      xAxis: { type: 'category', data: t.runs.map((r) => r.name ?? r.runId.slice(-6)) },
      yAxis: {
        type: 'value',
        max: 1,
        name: 'share of trajectories',
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      series: ids.map((id) => ({
        name: t.categories[id],
        type: 'line',
        data: t.runs.map((r) => Math.min(1, r.rates[id] ?? 0)),
      })),
    };
  }, [t]);
  if (trends.loading && !t) return <Loading what="the failure trends" />;
  if (!option || !t) return null;
  return (
    <section aria-labelledby="trend-h">
      <h2 id="trend-h">Trends across runs</h2>
      <p className="muted small">
        Share of each run’s trajectories showing each category, for the newest {t.runs.length}{' '}
        {t.runs.length === 1 ? 'run' : 'runs'} of one configuration ({t.configuration}), oldest first.
        {t.runs.length === 1 ? ' Only one run has this configuration so far: a trend needs more.' : ''}
      </p>
      <EChart option={option} label="Failure category rates across runs of one configuration" height={300} />
    </section>
  );
}
