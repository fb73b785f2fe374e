// The world explorer, served through the real tools (a fresh session per request, its clock
// at the last exposed moment): sites and assets, one asset's details and sensors, and a
// sensor's series with alerts, anomalies and work orders for the same window.

import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Dataset } from '../../dataset/open.ts';
import { createSession } from '../../tools/registry.ts';
import type { ToolSession } from '../../tools/session.ts';
import { ApiError, parse } from '../errors.ts';
import type { ServerState } from '../state.ts';

type Obj = Record<string, unknown>;

const TOOL_STATUS: Record<string, ContentfulStatusCode> = {
  not_found: 404,
  invalid_arguments: 400,
  out_of_range: 400,
  no_data: 404,
  conflict: 409,
};

async function tool<T = Obj>(session: ToolSession, name: string, args: Obj): Promise<T> {
  const r = await session.call(name, args);
  if (r.ok) return r.data as T;
  throw new ApiError(TOOL_STATUS[r.error.code] ?? 502, `${name}: ${r.error.message}`, r.error.hint, {
    code: r.error.code,
    ...(r.error.candidates ? { candidates: r.error.candidates } : {}),
  });
}

/** Every row behind a handle (json_reader pages of 1000). */
async function allRows<T>(session: ToolSession, handle: string | null, inline: T[]): Promise<T[]> {
  if (!handle) return inline;
  const rows: T[] = [];
  for (let offset: number | null = 0; offset !== null; ) {
    const page: { rows: T[]; next_offset: number | null } = await tool(session, 'json_reader', {
      handle,
      offset,
      limit: 1000,
    });
    rows.push(...page.rows);
    offset = page.next_offset;
  }
  return rows;
}

const explorer = (ds: Dataset) => createSession(ds, { id: 'explorer' });

const SeriesQuery = z.object({
  sensor: z.string().min(1).max(200),
  start: z.string().min(1).max(40).optional(),
  end: z.string().min(1).max(40).optional(),
  resample: z.enum(['15min', 'hourly', 'daily']).optional(),
  aggregate: z.enum(['mean', 'min', 'max', 'last']).optional(),
});

interface History {
  asset_id: string;
  start: string;
  end: string;
  total_observations: number;
  gaps: Obj[];
  rows: Array<{ sensor: string; ts: string; value: number }>;
  handle: string | null;
  note: string | null;
}

export function worldRoutes(state: ServerState): Hono {
  const app = new Hono();

  app.get('/world', async (c) => {
    const ds = await state.world();
    const m = ds.manifest;
    return c.json({
      checksum: m.checksum,
      timeRange: m.timeRange,
      tables: Object.fromEntries(Object.entries(m.tables).map(([k, t]) => [k, { rows: t.rows }])),
    });
  });

  app.get('/world/assets', async (c) => {
    const session = explorer(await state.world());
    const { sites } = await tool<{ sites: Array<{ site: string; name: string; timezone: string }> }>(
      session,
      'sites',
      {},
    );
    const assets: Obj[] = [];
    for (const s of sites) {
      const r = await tool<{ assets: Obj[] }>(session, 'assets', { site: s.site });
      for (const a of r.assets) assets.push({ ...a, site: s.site });
    }
    return c.json({ now: session.nowIso, sites, assets });
  });

  app.get('/world/assets/:asset', async (c) => {
    const session = explorer(await state.world());
    const asset = c.req.param('asset');
    const details = await tool(session, 'asset_details', { asset });
    const { sensors } = await tool<{ sensors: Obj[] }>(session, 'sensors', { asset });
    return c.json({ now: session.nowIso, asset: details, sensors });
  });

  app.get('/world/assets/:asset/series', async (c) => {
    const q = parse(SeriesQuery, c.req.query(), 'query');
    const session = explorer(await state.world());
    const asset = c.req.param('asset');
    const end = q.end ?? session.nowIso;
    const endMs = Date.parse(end);
    if (!q.start && !Number.isFinite(endMs))
      throw new ApiError(400, `end "${end}" is not a date`, 'Use YYYY-MM-DD or an ISO time (UTC)');
    // A week up to the end, unless a start is given.
    const start = q.start ?? new Date(endMs - 7 * 86_400_000).toISOString();
    // Too many points for a chart: resample, coarser until it fits.
    const tries = q.resample ? [q.resample] : [undefined, 'hourly', 'daily'];
    let h: History | null = null;
    let resample: string | null = null;
    for (const r of tries) {
      h = await tool<History>(session, 'history', {
        asset,
        sensors: [q.sensor],
        start,
        end,
        ...(r ? { resample: r, aggregate: q.aggregate ?? 'mean' } : {}),
      });
      resample = r ?? null;
      if (h.total_observations <= state.limits.maxSeriesPoints) break;
    }
    if (!h) throw new Error('no history call was made');
    if (h.total_observations > state.limits.maxSeriesPoints)
      throw new ApiError(
        400,
        `the window holds ${h.total_observations} points, more than ${state.limits.maxSeriesPoints}`,
        'Narrow start and end',
      );
    const rows = await allRows(session, h.handle, h.rows);
    const listed = await tool<{
      name: string;
      sensors: Array<{ sensor: string; label: string; unit: string }>;
    }>(session, 'sensors', { asset });
    const wanted = q.sensor.toLowerCase();
    const info =
      listed.sensors.find((s) =>
        rows.length
          ? s.sensor === rows[0].sensor
          : [s.sensor, s.label, `${listed.name} ${s.label}`].some((x) => x.toLowerCase() === wanted),
      ) ?? null;
    const ev = await tool<{ events: Obj[]; handle: string | null; counts: Obj }>(session, 'get_events', {
      asset,
      start: h.start,
      end: h.end,
    });
    const events = await allRows(session, ev.handle, ev.events);
    return c.json({
      asset: h.asset_id,
      sensor: info ?? { sensor: q.sensor },
      start: h.start,
      end: h.end,
      now: session.nowIso,
      resample,
      points: rows.length,
      t: rows.map((r) => r.ts),
      v: rows.map((r) => r.value),
      gaps: h.gaps,
      note: h.note,
      // Alerts, anomalies and work orders on the same time axis.
      events,
      eventCounts: ev.counts,
    });
  });

  return app;
}
