// IoT tools: sites, assets, sensors and their readings, as the building system holds them.

import { z } from 'zod';
import { lowerBound, type Series, seriesCache } from '../dataset/series.ts';
import { isoFromEpoch } from '../util/time.ts';
import { directory, resolveAsset, resolveSensors, resolveSite, type SensorRow } from './lookup.ts';
import { timeWindow } from './timeargs.ts';
import { defineTool, ToolFailure } from './types.ts';

/** Rows returned inline; the rest is behind a handle for json_reader. */
export const INLINE_ROWS = 20;

export const sitesTool = defineTool({
  name: 'sites',
  domain: 'iot',
  description:
    'List the plant sites. Use first when you do not know which site an asset belongs to. No arguments. Returns each site id, name, time zone and a description.',
  input: z.object({}),
  output: z.object({
    total: z.number(),
    sites: z.array(
      z.object({
        site: z.string(),
        name: z.string(),
        timezone: z.string(),
        description: z.string().nullable(),
      }),
    ),
  }),
  readOnly: true,
  async handler(_args, { ds }) {
    const dir = await directory(ds);
    return {
      total: dir.sites.length,
      sites: dir.sites.map((s) => ({
        site: s.site_id,
        name: s.name,
        timezone: s.timezone,
        description: s.description,
      })),
    };
  },
});

export const assetsTool = defineTool({
  name: 'assets',
  domain: 'iot',
  description:
    'List the assets (equipment) of a site, optionally of one class (chiller, ahu, pump, cooling_tower, boiler, air_compressor). Arguments: site (e.g. "MAIN"), asset_class (optional). Returns each asset id, name, class and description.',
  input: z.object({
    site: z.string().min(1).describe('Site id, e.g. MAIN'),
    asset_class: z.string().optional().describe('Optional class filter, e.g. chiller'),
  }),
  output: z.object({
    site: z.string(),
    total: z.number(),
    assets: z.array(
      z.object({
        asset_id: z.string(),
        name: z.string(),
        asset_class: z.string(),
        description: z.string().nullable(),
      }),
    ),
  }),
  readOnly: true,
  async handler({ site, asset_class }, { ds }) {
    const s = await resolveSite(ds, site);
    const dir = await directory(ds);
    const classes = [...new Set(dir.assets.map((a) => a.asset_class))];
    const cls = asset_class
      ?.trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (cls && !classes.includes(cls)) {
      throw new ToolFailure(
        'invalid_arguments',
        `unknown asset class "${asset_class}"`,
        `Use one of: ${classes.join(', ')}`,
      );
    }
    const assets = dir.assets.filter((a) => a.site_id === s.site_id && (!cls || a.asset_class === cls));
    return {
      site: s.site_id,
      total: assets.length,
      assets: assets.map((a) => ({
        asset_id: a.asset_id,
        name: a.name,
        asset_class: a.asset_class,
        description: a.description,
      })),
    };
  },
});

export const assetDetailsTool = defineTool({
  name: 'asset_details',
  domain: 'iot',
  description:
    'Details of one asset: ids and aliases, class, site, make and model, rated capacity, install date, location and number of sensors. Argument: asset (name such as "Chiller 6" or id such as "CWC04006").',
  input: z.object({ asset: z.string().min(1) }),
  output: z.object({
    asset_id: z.string(),
    name: z.string(),
    aliases: z.array(z.string()),
    asset_class: z.string(),
    site: z.string(),
    description: z.string().nullable(),
    manufacturer: z.string().nullable(),
    model: z.string().nullable(),
    capacity: z.number().nullable(),
    capacity_unit: z.string().nullable(),
    install_date: z.string().nullable(),
    location: z.string().nullable(),
    sensor_count: z.number(),
  }),
  readOnly: true,
  async handler({ asset }, { ds }) {
    const a = await resolveAsset(ds, asset);
    const dir = await directory(ds);
    return {
      asset_id: a.asset_id,
      name: a.name,
      aliases: a.aliases,
      asset_class: a.asset_class,
      site: a.site_id,
      description: a.description,
      manufacturer: a.manufacturer,
      model: a.model,
      capacity: a.capacity,
      capacity_unit: a.capacity_unit,
      install_date: a.install_date ? a.install_date.slice(0, 10) : null,
      location: a.location,
      sensor_count: dir.sensorsByAsset.get(a.asset_id)?.length ?? 0,
    };
  },
});

const SensorOut = z.object({
  sensor: z.string(),
  label: z.string(),
  unit: z.string(),
  interval_minutes: z.number(),
  calculated: z.boolean(),
});

function sensorOut(s: SensorRow) {
  return {
    sensor: s.sensor_id,
    label: s.label,
    unit: s.unit,
    interval_minutes: s.interval_minutes,
    calculated: s.calculated,
  };
}

export const sensorsTool = defineTool({
  name: 'sensors',
  domain: 'iot',
  description:
    'List the sensors of an asset with unit and sampling interval. Argument: asset. Sensor names are "<asset name> <label>", e.g. "Chiller 6 Condenser Water Flow"; other tools accept the full name or the label.',
  input: z.object({ asset: z.string().min(1) }),
  output: z.object({
    asset_id: z.string(),
    name: z.string(),
    total: z.number(),
    sensors: z.array(SensorOut),
  }),
  readOnly: true,
  async handler({ asset }, { ds }) {
    const a = await resolveAsset(ds, asset);
    const sensors = await resolveSensors(ds, a);
    return { asset_id: a.asset_id, name: a.name, total: sensors.length, sensors: sensors.map(sensorOut) };
  },
});

const RESAMPLE = { hourly: 3600, daily: 86400, '15min': 900 } as const;

/** Buckets readings by time (bucket start) and aggregates each bucket. */
function resample(s: Series, bucket: number, aggregate: 'mean' | 'min' | 'max' | 'last'): Series {
  const t: number[] = [];
  const v: number[] = [];
  let i = 0;
  while (i < s.t.length) {
    const b = Math.floor(s.t[i] / bucket) * bucket;
    let sum = 0;
    let n = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let last = 0;
    while (i < s.t.length && Math.floor(s.t[i] / bucket) * bucket === b) {
      const x = s.v[i];
      sum += x;
      n++;
      min = Math.min(min, x);
      max = Math.max(max, x);
      last = x;
      i++;
    }
    t.push(b);
    v.push(aggregate === 'mean' ? sum / n : aggregate === 'min' ? min : aggregate === 'max' ? max : last);
  }
  return { t: Float64Array.from(t), v: Float64Array.from(v) };
}

interface Gap {
  sensor: string;
  from: string;
  to: string;
  missing_readings: number;
}

/** Runs of missing readings longer than two sampling intervals inside the window. */
function findGaps(sensor: SensorRow, times: ArrayLike<number>, start: number, end: number): Gap[] {
  const step = sensor.interval_minutes * 60;
  const gaps: Gap[] = [];
  let prev = start - step;
  for (const t of [...Array.from(times), end]) {
    if (t - prev > 2 * step) {
      gaps.push({
        sensor: sensor.sensor_id,
        from: isoFromEpoch(prev + step),
        to: isoFromEpoch(t),
        missing_readings: Math.round((t - prev) / step) - 1,
      });
    }
    prev = t;
  }
  return gaps;
}

export const historyTool = defineTool({
  name: 'history',
  domain: 'iot',
  description:
    'Sensor readings of one asset in a time window [start, end). Arguments: asset, sensors (list; all sensors when omitted), start and end (YYYY-MM-DD or ISO time, UTC; end defaults to now), resample (optional: "15min", "hourly" or "daily") with aggregate ("mean", "min", "max", "last"). Returns counts per sensor, gaps (periods a sensor logged nothing), the first rows, and a handle: read all rows with json_reader.',
  input: z.object({
    asset: z.string().min(1),
    sensors: z.array(z.string().min(1)).max(30).optional(),
    start: z.string().min(1),
    end: z.string().min(1).optional(),
    resample: z.enum(['15min', 'hourly', 'daily']).optional(),
    aggregate: z.enum(['mean', 'min', 'max', 'last']).optional(),
  }),
  output: z.object({
    asset_id: z.string(),
    start: z.string(),
    end: z.string(),
    total_observations: z.number(),
    counts: z.record(z.string(), z.number()),
    gaps: z.array(
      z.object({ sensor: z.string(), from: z.string(), to: z.string(), missing_readings: z.number() }),
    ),
    rows: z.array(z.object({ sensor: z.string(), ts: z.string(), value: z.number() })),
    handle: z.string().nullable(),
    note: z.string().nullable(),
  }),
  readOnly: true,
  // Without a start, history reads the last 7 days.
  window: { defaultDays: 7, dateOnlyEndInclusive: false },
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const sensors = await resolveSensors(ctx.ds, a, args.sensors);
    const w = timeWindow(args.start, args.end, ctx.now, { start: ctx.now - 7 * 86400 });
    const bucket = args.resample ? RESAMPLE[args.resample] : null;
    const cache = seriesCache(ctx.ds);
    const counts: Record<string, number> = {};
    const gaps: Gap[] = [];
    const parts: Array<{ sensor: string; points: Series }> = [];
    await cache.getMany(
      a.asset_id,
      sensors.map((s) => s.sensor_id),
    );
    for (const sensor of sensors) {
      const raw = await cache.window(sensor.sensor_id, w.start, w.end);
      gaps.push(...findGaps(sensor, raw.t, w.start, w.end));
      const points = bucket ? resample(raw, bucket, args.aggregate ?? 'mean') : raw;
      counts[sensor.sensor_id] = points.t.length;
      parts.push({ sensor: sensor.sensor_id, points });
    }
    // Rows are built lazily: only the inline ones now, all of them if json_reader asks.
    const total = parts.reduce((n, p) => n + p.points.t.length, 0);
    const build = (limit: number) => {
      const out: Array<{ sensor: string; ts: string; value: number }> = [];
      for (const p of parts) {
        for (let i = 0; i < p.points.t.length && out.length < limit; i++) {
          out.push({
            sensor: p.sensor,
            ts: isoFromEpoch(p.points.t[i]),
            value: Math.round(p.points.v[i] * 1000) / 1000,
          });
        }
      }
      return out;
    };
    const rows = { length: total, slice: (_a: number, b: number) => build(b) };
    const notes = [w.note];
    if (rows.length === 0) notes.push('no readings in this window');
    if (rows.length > INLINE_ROWS)
      notes.push(`showing the first ${INLINE_ROWS} of ${rows.length} rows; read all with json_reader`);
    return {
      asset_id: a.asset_id,
      start: isoFromEpoch(w.start),
      end: isoFromEpoch(w.end),
      total_observations: rows.length,
      counts,
      gaps,
      rows: rows.slice(0, INLINE_ROWS),
      handle: total > 0 ? ctx.storeResult(() => build(total), `history of ${a.name}`, total) : null,
      note: notes.filter(Boolean).join('; ') || null,
    };
  },
});

export const latestTool = defineTool({
  name: 'latest',
  domain: 'iot',
  description:
    'The most recent reading of each sensor of an asset at the current time, with its age. Sensors whose last reading is older than two sampling intervals are marked offline. Arguments: asset, sensors (optional list).',
  input: z.object({ asset: z.string().min(1), sensors: z.array(z.string().min(1)).max(30).optional() }),
  output: z.object({
    asset_id: z.string(),
    as_of: z.string(),
    readings: z.array(
      z.object({
        sensor: z.string(),
        unit: z.string(),
        ts: z.string().nullable(),
        value: z.number().nullable(),
        age_minutes: z.number().nullable(),
        offline: z.boolean(),
      }),
    ),
  }),
  readOnly: true,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const sensors = await resolveSensors(ctx.ds, a, args.sensors);
    const cache = seriesCache(ctx.ds);
    const byId = new Map<string, { t: number; v: number }>();
    const all = await cache.getMany(
      a.asset_id,
      sensors.map((s) => s.sensor_id),
    );
    for (const [k, s] of sensors.entries()) {
      const series = all[k];
      const i = lowerBound(series.t, ctx.now + 1) - 1;
      if (i >= 0) byId.set(s.sensor_id, { t: series.t[i], v: series.v[i] });
    }
    return {
      asset_id: a.asset_id,
      as_of: isoFromEpoch(ctx.now),
      readings: sensors.map((s) => {
        const r = byId.get(s.sensor_id);
        const age = r ? (ctx.now - Number(r.t)) / 60 : null;
        return {
          sensor: s.sensor_id,
          unit: s.unit,
          ts: r ? isoFromEpoch(Number(r.t)) : null,
          value: r ? r.v : null,
          age_minutes: age === null ? null : Math.round(age),
          offline: age === null || age > 2 * s.interval_minutes,
        };
      }),
    };
  },
});

export const IOT_TOOLS = [sitesTool, assetsTool, assetDetailsTool, sensorsTool, historyTool, latestTool];
