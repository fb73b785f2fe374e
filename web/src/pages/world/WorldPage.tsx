// The world explorer: sites and assets, an asset's sensors, and a sensor's series with the
// asset's events on the time axis. Loaded lazily (charts).
import { useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { query } from '../../lib/api.ts';
import { go } from '../../lib/route.ts';
import type { Asset, Sensor, Series } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { AssetList } from './AssetList.tsx';
import { EventTable } from './EventTable.tsx';
import { SeriesChart } from './SeriesChart.tsx';

interface Props {
  asset: string | null;
  sensor: string | null;
  start: string | null;
  end: string | null;
}

const link = (p: Record<string, string | null>) => go(`#/world${query(p)}`);

export default function WorldPage({ asset, sensor, start, end }: Props) {
  const world = useApi<{ timeRange: { start: string; exposedUntil: string; historyStart: string } }>(
    '/api/world',
  );
  const list = useApi<{ sites: Array<{ site: string; name: string }>; assets: Asset[] }>('/api/world/assets');
  const detail = useApi<{ asset: Record<string, unknown>; sensors: Sensor[] }>(
    asset ? `/api/world/assets/${encodeURIComponent(asset)}` : null,
  );
  const sensors = detail.data?.sensors ?? [];
  const chosen = sensor ?? sensors[0]?.sensor ?? null;
  const series = useApi<Series>(
    asset && chosen
      ? `/api/world/assets/${encodeURIComponent(asset)}/series${query({ sensor: chosen, start, end })}`
      : null,
  );
  const [from, setFrom] = useState(start ?? '');
  const [to, setTo] = useState(end ?? '');

  return (
    <section className="page" aria-labelledby="world-title">
      <h1 id="world-title">World explorer</h1>
      {world.data ? (
        <p className="meta">
          History from {world.data.timeRange.historyStart.slice(0, 10)}; the agents' clock stops at{' '}
          {world.data.timeRange.exposedUntil.replace('T', ' ').slice(0, 16)} UTC.
        </p>
      ) : null}
      <ErrorBox error={list.error ?? world.error} />
      <div className="world-layout">
        {list.data ? (
          <AssetList
            sites={list.data.sites}
            assets={list.data.assets}
            selected={asset}
            onSelect={(a) => link({ asset: a, start, end })}
          />
        ) : (
          <Loading what="assets" />
        )}
        <div className="world-main">
          {!asset ? <p>Pick an asset.</p> : null}
          <ErrorBox error={detail.error} />
          {detail.data ? (
            <>
              <h2>{String(detail.data.asset.name ?? asset)}</h2>
              <p className="muted small">{String(detail.data.asset.description ?? '')}</p>
              <form
                className="series-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  link({ asset, sensor: chosen, start: from || null, end: to || null });
                }}
              >
                <Field label="Sensor" inline>
                  {(id) => (
                    <select
                      id={id}
                      value={chosen ?? ''}
                      onChange={(e) => link({ asset, sensor: e.target.value, start, end })}
                    >
                      {sensors.map((s) => (
                        <option key={s.sensor} value={s.sensor}>
                          {s.label} ({s.unit})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label="From" inline>
                  {(id) => (
                    <input id={id} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
                  )}
                </Field>
                <Field label="To" inline>
                  {(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
                </Field>
                <button type="submit">Show</button>
              </form>
            </>
          ) : detail.loading ? (
            <Loading what="the asset" />
          ) : null}
          <ErrorBox error={series.error} />
          {series.loading ? <Loading what="readings" /> : null}
          {series.data ? (
            <>
              <p className="muted small">
                {series.data.points.toLocaleString('en')} readings
                {series.data.resample ? ` (${series.data.resample})` : ''}, {series.data.start.slice(0, 10)}{' '}
                to {series.data.end.slice(0, 10)} ·{' '}
                {Object.entries(series.data.eventCounts)
                  .map(([k, v]) => `${v} ${k.replace('_', ' ').toLowerCase()}`)
                  .join(', ')}
              </p>
              <SeriesChart series={series.data} />
              <h3>Events</h3>
              <EventTable events={series.data.events} />
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
