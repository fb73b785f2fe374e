// The series cache: getMany reads the same series as get, and the cache stays within its
// bounds however series come in (getMany used to add entries past the LRU's limit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { SeriesCache } from '../src/dataset/series.ts';
import { tinyWorld } from './support/worlds.ts';

let ds: Dataset;
let byAsset: Map<string, string[]>;

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  const rows = await ds.query<{ asset_id: string; sensor_id: string }>(
    'select asset_id, sensor_id from sensors order by asset_id, sensor_id',
  );
  byAsset = new Map();
  for (const r of rows) byAsset.set(r.asset_id, [...(byAsset.get(r.asset_id) ?? []), r.sensor_id]);
});

afterAll(() => ds?.close());

describe('series cache', () => {
  it('getMany returns the same series as get, one by one, and as the table holds them', async () => {
    const [asset, sensors] = [...byAsset][0];
    const many = await new SeriesCache(ds).getMany(asset, [...sensors, 'no such sensor']);
    const single = new SeriesCache(ds);
    for (const [k, id] of sensors.entries()) {
      const one = await single.get(id);
      expect(one.t.length).toBeGreaterThan(0);
      expect(many[k].t).toEqual(one.t);
      expect(many[k].v).toEqual(one.v);
    }
    expect(many.at(-1)?.t.length).toBe(0);
    const rows = await ds.query<{ t: number; v: number }>(
      'select epoch(ts)::DOUBLE t, value::DOUBLE v from telemetry where sensor_id = $s order by ts',
      { s: sensors[0] },
    );
    expect([...many[0].t]).toEqual(rows.map((r) => r.t));
    expect([...many[0].v]).toEqual(rows.map((r) => r.v));
  });

  it('stays within its series bound after loading many series with getMany', async () => {
    const cache = new SeriesCache(ds, { maxSeries: 5 });
    let loaded = 0;
    for (const [asset, sensors] of byAsset) {
      await cache.getMany(asset, sensors);
      loaded += sensors.length;
      expect(cache.stats().series).toBeLessThanOrEqual(5);
    }
    expect(loaded).toBeGreaterThan(20);
  });

  it('stays within its byte bound, and a batch larger than the cache still comes back whole', async () => {
    const [asset, sensors] = [...byAsset][1];
    const first = await new SeriesCache(ds).get(sensors[0]);
    const bytes = first.t.byteLength * 2;
    // Room for about two series.
    const cache = new SeriesCache(ds, { maxBytes: bytes * 2.5 });
    const all = await cache.getMany(asset, sensors);
    expect(all.every((s) => s.t.length > 0)).toBe(true);
    for (const [a, ids] of byAsset) {
      await cache.getMany(a, ids);
      expect(cache.stats().bytes).toBeLessThanOrEqual(bytes * 2.5);
    }
    // Evicted series are read again, the same as before.
    const again = await cache.get(sensors[0]);
    expect(again.t).toEqual(first.t);
  });

  it('reads a sensor once however many callers ask at the same time', async () => {
    const [asset, sensors] = [...byAsset][2];
    const cache = new SeriesCache(ds);
    // The dataset counts every query sent to DuckDB, series reads included.
    const before = ds.queries;
    await Promise.all([cache.getMany(asset, sensors), cache.getMany(asset, sensors), cache.get(sensors[0])]);
    expect(ds.queries - before).toBe(1);
  });
});
