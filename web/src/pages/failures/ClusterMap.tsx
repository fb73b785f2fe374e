// The 2-D map of the clustered failure descriptions, one colour per cluster.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import { escapeHtml } from '../../lib/format.ts';
import type { FailureReport } from '../../lib/types.ts';

export function ClusterMap({ clusters }: { clusters: FailureReport['clusters'] }) {
  const option = useMemo<EChartsOption>(() => {
    const ids = [...new Set(clusters.points.map((p) => p.cluster))].sort((a, b) => a - b);
    return {
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      tooltip: {
        // The description is an agent's own words (or quotes them): escaped, as echarts shows
        // a formatter's string as HTML.
        formatter: (p: unknown) =>
          escapeHtml(String((p as { data: [number, number, string] }).data[2]).slice(0, 300)),
      },
      // The axes have no units: distance is what means something (close = similar wording).
      xAxis: {
        type: 'value',
        scale: true,
        name: 'map axis 1 (no unit)',
        nameLocation: 'middle',
        nameGap: 24,
      },
      yAxis: {
        type: 'value',
        scale: true,
        name: 'map axis 2 (no unit)',
        nameLocation: 'middle',
        nameGap: 30,
      },
      series: ids.map((id) => ({
        type: 'scatter',
        name: clusters.names[id] ?? `cluster ${id}`,
        symbolSize: 9,
        data: clusters.points.filter((p) => p.cluster === id).map((p) => [p.x, p.y, p.text]),
      })),
    };
  }, [clusters]);
  return (
    <section aria-labelledby="map-h">
      <h2 id="map-h">Map of failure descriptions</h2>
      <p className="muted small">
        {clusters.method} over {clusters.embedder} embeddings, k = {clusters.k}
        {clusters.stability !== null ? `, stability ${clusters.stability.toFixed(2)}` : ''}
      </p>
      {clusters.points.length === 0 ? (
        <p className="muted">Too few failure descriptions to cluster in this run.</p>
      ) : (
        <EChart option={option} label="Two-dimensional map of clustered failure descriptions" height={360} />
      )}
    </section>
  );
}
