// A forecast attempt as a chart: the sensor's history up to the scenario's "now" (from the
// world), the agent's forecast as the grader read it, and the real future the grader held out.
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';
import { Loading } from '../../components/Loading.tsx';
import { query } from '../../lib/api.ts';
import type { EChartsOption } from '../../lib/charts.ts';
import type { AttemptDetail, Series } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';

type Forecast = NonNullable<AttemptDetail['forecast']>;

export function ForecastChart({ forecast }: { forecast: Forecast }) {
  const first = Date.parse(forecast.actual[0]?.ts ?? forecast.now);
  const last = Date.parse(forecast.actual.at(-1)?.ts ?? forecast.now);
  // As much history as three horizons, at least two days.
  const span = Math.max(2 * 86_400_000, 3 * (last - first));
  const start = new Date(Date.parse(forecast.now) - span).toISOString();
  const history = useApi<Series>(
    `/api/world/assets/${encodeURIComponent(forecast.asset)}/series${query({ sensor: forecast.sensor, start, end: forecast.now })}`,
  );
  const option = useMemo<EChartsOption | null>(() => {
    if (!history.data) return null;
    const h = history.data;
    return {
      grid: { left: 60, right: 30, top: 40, bottom: 40 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'time', name: 'time (UTC)', nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', scale: true, name: 'unit' in h.sensor ? h.sensor.unit : '' },
      series: [
        {
          type: 'line',
          name: 'history',
          showSymbol: false,
          sampling: 'lttb',
          lineStyle: { color: '#64748b' },
          itemStyle: { color: '#64748b' },
          data: h.t.map((t, i) => [t, h.v[i]]),
        },
        {
          type: 'line',
          name: 'real future',
          showSymbol: false,
          lineStyle: { color: '#15803d' },
          itemStyle: { color: '#15803d' },
          data: forecast.actual.map((p) => [p.ts, p.value]),
        },
        {
          type: 'line',
          name: 'forecast',
          showSymbol: false,
          lineStyle: { color: '#c2410c', type: 'dashed' },
          itemStyle: { color: '#c2410c' },
          data: (forecast.predicted ?? []).map((p) => [p.ts, p.value]),
        },
      ],
    };
  }, [history.data, forecast]);
  return (
    <section aria-labelledby="forecast-h">
      <h2 id="forecast-h">Forecast</h2>
      <p className="muted small">
        {forecast.asset} · {forecast.sensor}: {forecast.actual.length} points after {forecast.now};{' '}
        {forecast.predicted
          ? `the answer gave ${forecast.predicted.length} readable points`
          : 'the answer gave no readable forecast points'}
        .
      </p>
      {history.loading && !history.data ? <Loading what="the history" /> : null}
      {option ? (
        <EChart option={option} label="Forecast against the real future, after the history" height={320} />
      ) : null}
    </section>
  );
}
