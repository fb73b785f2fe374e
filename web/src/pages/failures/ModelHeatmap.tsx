// Per agent and model, the share of its trajectories showing each failure category.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import { html, pct } from '../../lib/format.ts';
import type { FailureReport } from '../../lib/types.ts';

export function ModelHeatmap({ report }: { report: FailureReport }) {
  const option = useMemo<EChartsOption>(() => {
    const cats = report.categories.map((c) => c.id);
    const titles = report.categories.map((c) => c.title);
    const rows = report.byAgentModel.map((r) => `${r.agent} · ${r.model ?? '—'}`);
    const data: Array<[number, number, number]> = [];
    report.byAgentModel.forEach((r, y) => {
      cats.forEach((c, x) => {
        // Trajectories showing the category, not events: a rate that cannot pass 100%.
        data.push([x, y, r.trajectories ? Math.min(1, (r.withCategory[c] ?? 0) / r.trajectories) : 0]);
      });
    });
    // The colour scale spans what occurs (at most 100%), so the commonest cell stands out.
    const max = Math.max(0.01, ...data.map((d) => d[2]));
    return {
      grid: { left: 180, right: 30, top: 10, bottom: 90 },
      tooltip: {
        // Agent and model names come from submissions: html`` escapes them (echarts shows a
        // formatter's string as HTML; axis labels are drawn on the canvas and need nothing).
        formatter: (p: unknown) => {
          const v = (p as { data: [number, number, number] }).data;
          return html`${rows[v[1]]}<br/>${titles[v[0]]}: ${pct(v[2])} of trajectories`;
        },
      },
      xAxis: {
        type: 'category',
        data: titles,
        axisLabel: { rotate: 30, interval: 0 },
        name: 'failure category',
        nameLocation: 'middle',
        nameGap: 70,
      },
      yAxis: { type: 'category', data: rows, name: 'agent · model', nameLocation: 'end' },
      visualMap: {
        min: 0,
        max,
        calculable: true,
        text: ['of trajectories', ''],
        formatter: (v: unknown) => pct(Number(v), 0),
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#fff7ed', '#c2410c'] },
      },
      series: [
        {
          type: 'heatmap',
          data,
          label: { show: true, formatter: (p: unknown) => pct((p as { data: number[] }).data[2], 0) },
        },
      ],
    };
  }, [report]);
  return (
    <section aria-labelledby="heat-h">
      <h2 id="heat-h">Per model</h2>
      {report.byAgentModel.length === 0 || report.categories.length === 0 ? (
        <p className="muted">No failure events to lay out.</p>
      ) : (
        <EChart
          option={option}
          label="Heat map of failure categories per agent and model"
          height={Math.max(200, 40 * report.byAgentModel.length + 140)}
        />
      )}
    </section>
  );
}
