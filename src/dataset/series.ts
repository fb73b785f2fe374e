// An in-memory cache of whole sensor series (times and values as typed arrays), read
// from DuckDB on first use and kept in a bounded LRU. Tools slice windows out of it with
// a binary search, which keeps hot tools like history and latest well under a millisecond.
import { listValue } from '@duckdb/node-api';
import type { Dataset } from './open.ts';

export interface Series {
  /** Epoch seconds, ascending (a duplicated reading appears twice). */
  t: Float64Array;
  v: Float64Array;
}

/** First index with t[i] >= x. */
export function lowerBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SeriesCache {
  private readonly entries = new Map<string, Promise<Series>>();

  constructor(
    private readonly ds: Dataset,
    private readonly maxSeries = 512,
  ) {}

  get(sensorId: string): Promise<Series> {
    const hit = this.entries.get(sensorId);
    if (hit) {
      // Refresh its place in the LRU order.
      this.entries.delete(sensorId);
      this.entries.set(sensorId, hit);
      return hit;
    }
    const load = this.load(sensorId);
    this.entries.set(sensorId, load);
    load.catch(() => this.entries.delete(sensorId));
    while (this.entries.size > this.maxSeries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return load;
  }

  /**
   * Loads several sensors of one asset with a single scan (cheaper than one query per
   * sensor when a tool needs them all, as latest does).
   */
  async getMany(assetId: string, sensorIds: string[]): Promise<Series[]> {
    const missing = sensorIds.filter((id) => !this.entries.has(id));
    if (missing.length > 1) {
      const all = (async () => {
        const reader = await this.ds.connection.runAndReadAll(
          `select sensor_id, epoch(ts)::DOUBLE t, value::DOUBLE v from telemetry
             where asset_id = $a and list_contains($ids, sensor_id) order by sensor_id, ts`,
          { a: assetId, ids: listValue(missing) },
        );
        const [ids, t, v] = reader.getColumnsJS() as [string[], number[], number[]];
        const out = new Map<string, Series>();
        let i = 0;
        while (i < (ids?.length ?? 0)) {
          let j = i;
          while (j < ids.length && ids[j] === ids[i]) j++;
          out.set(ids[i], { t: Float64Array.from(t.slice(i, j)), v: Float64Array.from(v.slice(i, j)) });
          i = j;
        }
        return out;
      })();
      for (const id of missing) {
        this.entries.set(
          id,
          all.then((m) => m.get(id) ?? { t: new Float64Array(), v: new Float64Array() }),
        );
      }
    }
    return Promise.all(sensorIds.map((id) => this.get(id)));
  }

  private async load(sensorId: string): Promise<Series> {
    const reader = await this.ds.connection.runAndReadAll(
      'select epoch(ts)::DOUBLE t, value::DOUBLE v from telemetry where sensor_id = $s order by ts',
      { s: sensorId },
    );
    const [t, v] = reader.getColumnsJS() as [number[], number[]];
    return { t: Float64Array.from(t ?? []), v: Float64Array.from(v ?? []) };
  }

  /** Readings with start <= t < end. */
  async window(sensorId: string, start: number, end: number): Promise<Series> {
    const s = await this.get(sensorId);
    const a = lowerBound(s.t, start);
    const b = lowerBound(s.t, end);
    return { t: s.t.subarray(a, b), v: s.v.subarray(a, b) };
  }
}

const caches = new WeakMap<Dataset, SeriesCache>();

/** The series cache of a dataset (one per opened dataset, shared by its sessions). */
export function seriesCache(ds: Dataset): SeriesCache {
  let c = caches.get(ds);
  if (!c) {
    c = new SeriesCache(ds);
    caches.set(ds, c);
  }
  return c;
}
