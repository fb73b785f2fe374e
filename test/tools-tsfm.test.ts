// TSFM tools on generated worlds: forecasts graded against the held-out future that no
// tool exposes, and anomaly detection against spikes recorded as ground truth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { createSession } from '../src/tools/registry.ts';
import { tinyWorld } from './support/worlds.ts';

let clean: Dataset;
let messy: Dataset;

beforeAll(async () => {
  clean = await openDataset(
    (
      await tinyWorld(5, {
        days: 12,
        holdoutDays: 2,
        episodeRate: 0,
        ensureEveryFault: false,
        faultRates: { gap: 0, assetOutage: 0, stuck: 0, spike: 0, drift: 0, duplicate: 0 },
      })
    ).dir,
  );
  messy = await openDataset((await tinyWorld(7, { days: 6, holdoutDays: 1 })).dir);
});

afterAll(() => {
  clean?.close();
  messy?.close();
});

interface ForecastData {
  forecast: Array<{ ts: string; mean: number; lower: number; upper: number }>;
  handle: string;
  history_end: string;
}

describe('forecasting tools', () => {
  it('forecast the hidden future better than chance, with honest intervals', async () => {
    const s = createSession(clean);
    const sensor = 'Condenser Water Supply Temperature';
    const r = await s.call('run_tsfm_forecasting', {
      asset: 'Chiller 1',
      sensor,
      horizon: 24,
      frequency: 'hourly',
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const f = (r as { data: ForecastData }).data;
    const all = (await s.call('json_reader', { handle: f.handle, limit: 100 })) as {
      ok: true;
      data: { rows: ForecastData['forecast'] };
    };
    const points = all.data.rows;
    expect(points).toHaveLength(24);
    // Every forecast step lies after the session's now.
    for (const p of points) expect(Date.parse(p.ts)).toBeGreaterThan(s.now * 1000);
    // The real future, read straight from the dataset (tools never show it).
    const actual = await clean.query<{ h: string; v: number }>(
      `select strftime(date_trunc('hour', ts), '%Y-%m-%dT%H:%M:%SZ') h, avg(value) v from telemetry
       where sensor_id = 'Chiller 1 ${sensor}' and ts > $now::TIMESTAMP group by 1 order by 1 limit 24`,
      { now: s.nowIso.replace('T', ' ').replace('Z', '') },
    );
    const byHour = new Map(actual.map((a) => [a.h, a.v]));
    const pairs = points.filter((p) => byHour.has(p.ts)).map((p) => ({ p, a: byHour.get(p.ts) as number }));
    expect(pairs.length).toBeGreaterThanOrEqual(20);
    const mae = pairs.reduce((sum, x) => sum + Math.abs(x.p.mean - x.a), 0) / pairs.length;
    const level = pairs.reduce((sum, x) => sum + x.a, 0) / pairs.length;
    expect(mae / level).toBeLessThan(0.1);
    const covered = pairs.filter((x) => x.a >= x.p.lower && x.a <= x.p.upper).length / pairs.length;
    expect(covered).toBeGreaterThanOrEqual(0.5);
  });

  it('backtests a model against the seasonal-naive baseline', async () => {
    const s = createSession(clean);
    const r = await s.call('forecast_evaluation', {
      asset: 'Chiller 1',
      sensor: 'Condenser Water Supply Temperature',
      horizon: 24,
      frequency: 'hourly',
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const d = (r as { data: { metrics: Record<string, number>; baseline_metrics: Record<string, number> } })
      .data;
    for (const k of ['mae', 'rmse', 'smape', 'mase', 'coverage'])
      expect(d.metrics[k], k).toBeTypeOf('number');
    expect(d.baseline_metrics.mae).toBeTypeOf('number');
  });

  it('list the four tasks and no 1024-step model', async () => {
    const s = createSession(clean);
    const tasks = (await s.call('get_ai_tasks', {})) as { ok: true; data: { tasks: unknown[] } };
    expect(tasks.data.tasks).toHaveLength(4);
    const models = (await s.call('get_tsfm_models', {})) as {
      ok: true;
      data: { models: Array<{ model_id: string }> };
    };
    expect(models.data.models.map((m) => m.model_id).join(' ')).not.toContain('1024');
  });

  it('refuse a horizon longer than the history allows, with a hint', async () => {
    const r = await createSession(clean).call('forecast_evaluation', {
      asset: 'Chiller 1',
      sensor: 'Tonnage',
      start: '2024-03-10',
      horizon: 300,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_arguments');
  });
});

describe('anomaly detection tools', () => {
  it('find the spikes the world recorded as ground truth', async () => {
    const spikes = await messy.query<{ sensor_id: string; asset_id: string; t: string }>(
      `select f.sensor_id, f.asset_id, strftime(f.start_time, '%Y-%m-%dT%H:%M:%SZ') t from data_faults f
       join sensors s using (sensor_id)
       where f.kind = 'spike' and s.interval_minutes = 15 and s.sensor_key <> 'run_status'
         and f.start_time >= timestamp '2024-03-03' and f.start_time < timestamp '2024-03-06'
         and abs(cast(json_extract(f.detail, '$.to') as DOUBLE) - cast(json_extract(f.detail, '$.from') as DOUBLE))
             > 0.3 * (s.max_value - s.min_value)
         and not exists (select 1 from data_faults g where g.sensor_id = f.sensor_id and g.kind in ('stuck', 'gap')
             and g.start_time <= f.start_time and g.end_time > f.start_time - interval 2 day)`,
    );
    expect(spikes.length).toBeGreaterThan(0);
    const s = createSession(messy);
    let found = 0;
    for (const spike of spikes) {
      const t = Date.parse(spike.t) / 1000;
      const r = await s.call('run_tsad', {
        asset: spike.asset_id,
        sensors: [spike.sensor_id],
        start: new Date((t - 2 * 86400) * 1000).toISOString(),
        end: new Date((t + 3600) * 1000).toISOString(),
      });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const { handle } = (r as { data: { handle: string | null } }).data;
      if (!handle) continue;
      const all = (await s.call('json_reader', { handle, limit: 1000 })) as {
        ok: true;
        data: { rows: Array<{ ts: string }> };
      };
      if (all.data.rows.some((a) => a.ts === spike.t)) found++;
    }
    expect(found / spikes.length).toBeGreaterThanOrEqual(0.8);
  });
});
