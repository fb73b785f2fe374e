// An in-memory cache of whole sensor series (times and values as typed arrays), read
// from DuckDB on first use and kept in a bounded LRU. Tools slice windows out of it with
// a binary search, which keeps hot tools like history and latest well under a millisecond.
// The cache is bounded by series and by bytes, whichever way a series came in.
import { listValue } from '@duckdb/node-api';
import type { Dataset, QueryParams } from './open.ts';

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

/** A DuckDB vector's backing array when it is of the expected kind (an internal of @duckdb/node-api). */
function rawItems<A extends Int32Array | Float64Array>(
  vector: unknown,
  kind: { new (...args: never[]): A },
): A | null {
  const items = (vector as { items?: unknown }).items;
  return items instanceof kind ? items : null;
}

/** What a cached series costs (its two typed arrays). */
function seriesBytes(s: Series): number {
  return s.t.byteLength + s.v.byteLength;
}

/**
 * Reads a result of (k, t, v) rows ordered by k, where k indexes `count` series, into one
 * Series per k. The values are taken from DuckDB's chunks column by column into typed
 * arrays: no row objects and no strings, which is what made a cold read slow (copying a
 * text column of sensor names into JavaScript row by row blocked the event loop for
 * hundreds of milliseconds on a fresh server).
 */
async function readSeries(ds: Dataset, sql: string, params: QueryParams, count: number): Promise<Series[]> {
  const result = await ds.run(sql, params);
  const n = result.rowCount;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const ends = new Int32Array(count);
  let row = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const kc = chunk.getColumnVector(0);
    const tc = chunk.getColumnVector(1);
    const vc = chunk.getColumnVector(2);
    const rows = chunk.rowCount;
    // The vectors' own typed arrays, copied in one go where the library exposes them (the
    // queries coalesce nulls, so every slot is valid); item by item otherwise.
    const [ks, ts, vs] = [rawItems(kc, Int32Array), rawItems(tc, Float64Array), rawItems(vc, Float64Array)];
    if (ks && ts && vs && ks.length === rows && ts.length === rows && vs.length === rows) {
      t.set(ts, row);
      v.set(vs, row);
      for (let i = 0; i < rows; i++) ends[ks[i]] = row + i + 1;
      row += rows;
      continue;
    }
    for (let i = 0; i < rows; i++, row++) {
      t[row] = tc.getItem(i) as number;
      v[row] = vc.getItem(i) as number;
      ends[kc.getItem(i) as number] = row + 1;
    }
  }
  const out: Series[] = [];
  let start = 0;
  for (let k = 0; k < count; k++) {
    // A series with no rows keeps the end of the one before it.
    const end = Math.max(start, ends[k]);
    // Copies, so that each cached series owns its memory and evicting it frees it.
    out.push({ t: t.slice(start, end), v: v.slice(start, end) });
    start = end;
  }
  return out;
}

export interface SeriesCacheLimits {
  /** Series kept at most. */
  maxSeries?: number;
  /** Bytes of series data kept at most (the newest series stays even if it alone is larger). */
  maxBytes?: number;
}

/** The whole default world (5.7 M readings) fits in 128 MiB; a large world's series rotate. */
export const DEFAULT_SERIES_LIMITS: Required<SeriesCacheLimits> = { maxSeries: 512, maxBytes: 256 * 2 ** 20 };

export class SeriesCache {
  /** In LRU order, oldest first. */
  private readonly entries = new Map<string, Promise<Series>>();
  /** Sizes of the loaded entries (a pending load counts once it resolves). */
  private readonly sizes = new Map<string, number>();
  private bytes = 0;
  private readonly maxSeries: number;
  private readonly maxBytes: number;

  constructor(
    private readonly ds: Dataset,
    limits: SeriesCacheLimits | number = {},
  ) {
    const l = typeof limits === 'number' ? { maxSeries: limits } : limits;
    this.maxSeries = l.maxSeries ?? DEFAULT_SERIES_LIMITS.maxSeries;
    this.maxBytes = l.maxBytes ?? DEFAULT_SERIES_LIMITS.maxBytes;
  }

  /** How many series and bytes the cache holds now. */
  stats(): { series: number; bytes: number } {
    return { series: this.entries.size, bytes: this.bytes };
  }

  get(sensorId: string): Promise<Series> {
    const hit = this.entries.get(sensorId);
    if (hit) {
      // Refresh its place in the LRU order.
      this.entries.delete(sensorId);
      this.entries.set(sensorId, hit);
      return hit;
    }
    return this.put(sensorId, this.load(sensorId));
  }

  /**
   * Loads several sensors of one asset with a single scan (cheaper than one query per
   * sensor when a tool needs them all, as latest does). The series go into the cache like
   * any other, under the same bounds.
   */
  async getMany(assetId: string, sensorIds: string[]): Promise<Series[]> {
    const missing = [...new Set(sensorIds.filter((id) => !this.entries.has(id)))];
    const loading = new Map<string, Promise<Series>>();
    if (missing.length > 1) {
      // k is the sensor's place in `missing`: an integer column instead of the sensor's name.
      const all = readSeries(
        this.ds,
        `select (list_position($ids, sensor_id) - 1)::INTEGER k, coalesce(epoch(ts)::DOUBLE, 0) t,
                  coalesce(value::DOUBLE, 0) v
           from telemetry where asset_id = $a and list_contains($ids, sensor_id) order by k, ts`,
        { a: assetId, ids: listValue(missing) },
        missing.length,
      );
      for (const [k, id] of missing.entries())
        loading.set(
          id,
          this.put(
            id,
            all.then((list) => list[k]),
          ),
        );
    }
    // Straight from this load where there is one, so that a batch larger than the cache
    // does not evict its own first series and read them again.
    return Promise.all(sensorIds.map((id) => loading.get(id) ?? this.get(id)));
  }

  /** Adds a (pending) series as the newest entry and evicts beyond the bounds. */
  private put(sensorId: string, load: Promise<Series>): Promise<Series> {
    this.entries.set(sensorId, load);
    load.then(
      (s) => {
        // Only if it was not evicted (or replaced) while it loaded.
        if (this.entries.get(sensorId) !== load) return;
        const size = seriesBytes(s);
        this.sizes.set(sensorId, size);
        this.bytes += size;
        this.evict();
      },
      () => {
        if (this.entries.get(sensorId) === load) this.remove(sensorId);
      },
    );
    this.evict();
    return load;
  }

  private remove(sensorId: string): void {
    this.entries.delete(sensorId);
    this.bytes -= this.sizes.get(sensorId) ?? 0;
    this.sizes.delete(sensorId);
  }

  private evict(): void {
    while (this.entries.size > this.maxSeries || (this.bytes > this.maxBytes && this.entries.size > 1)) {
      this.remove(this.entries.keys().next().value as string);
    }
  }

  private async load(sensorId: string): Promise<Series> {
    const [s] = await readSeries(
      this.ds,
      'select 0::INTEGER k, coalesce(epoch(ts)::DOUBLE, 0) t, coalesce(value::DOUBLE, 0) v from telemetry where sensor_id = $s order by ts',
      { s: sensorId },
      1,
    );
    return s;
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
