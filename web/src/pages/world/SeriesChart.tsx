// A sensor's readings over time, with the asset's work orders, alerts and anomalies marked
// on the same time axis (vertical lines, keyed below the chart) and data gaps shaded.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import type { EChartsOption } from '../../lib/charts.ts';
import type { Series } from '../../lib/types.ts';

const GROUPS: Record<string, { colour: string; label: string; dashed: boolean }> = {
  WORK_ORDER: { colour: '#2563eb', label: 'work order', dashed: false },
  ALERT: { colour: '#dc2626', label: 'alert', dashed: true },
  ANOMALY: { colour: '#9333ea', label: 'anomaly', dashed: true },
};

export function SeriesChart({ series }: { series: Series }) {
  const option = useMemo<EChartsOption>(() => {
    const unit = 'unit' in series.sensor ? series.sensor.unit : '';
    const inWindow = (iso: string) => iso >= series.start && iso <= series.end;
    return {
      grid: { left: 60, right: 30, top: 30, bottom: 70 },
      tooltip: { trigger: 'axis' },
      dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 10 }],
      xAxis: { type: 'time', min: series.start, max: series.end },
      yAxis: { type: 'value', name: unit, scale: true },
      series: [
        {
          type: 'line',
          name: 'label' in series.sensor ? series.sensor.label : series.sensor.sensor,
          showSymbol: false,
          sampling: 'lttb',
          data: series.t.map((t, i) => [t, series.v[i]]),
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(148,163,184,0.12)' },
            data: series.gaps.map((g) => [{ xAxis: g.from }, { xAxis: g.to }]) as never,
          },
          markLine: {
            symbol: 'none',
            label: { show: false },
            emphasis: { label: { show: true, formatter: '{b}' } },
            data: series.events
              .filter((e) => GROUPS[e.event_group] && inWindow(e.event_time))
              .map((e) => {
                const g = GROUPS[e.event_group];
                return {
                  xAxis: e.event_time,
                  name: `${g.label} ${e.event_id}: ${e.description ?? ''}`,
                  lineStyle: { color: g.colour, type: g.dashed ? 'dashed' : 'solid', width: 1.5 },
                };
              }) as never,
          },
        },
      ],
    };
  }, [series]);
  return (
    <>
      <EChart option={option} label={`Readings of ${series.sensor.sensor} with events`} height={380} />
      <p className="chart-key small">
        {Object.values(GROUPS).map((g) => (
          <span key={g.label}>
            <span
              className="key-line"
              style={{ borderColor: g.colour, borderStyle: g.dashed ? 'dashed' : 'solid' }}
              aria-hidden="true"
            />
            {g.label}
          </span>
        ))}
        <span>
          <span className="key-area" aria-hidden="true" />
          gap in the data
        </span>
      </p>
    </>
  );
}
