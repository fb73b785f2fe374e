// The world the suite is built on: the imported dataset's assets, sites and time range.
import type { Dataset } from '../../dataset/open.ts';
import { parseJsonList } from '../../util/json.ts';
import { epochFromIso } from '../../util/time.ts';

export interface AssetInfo {
  asset_id: string;
  name: string;
  equipment_id: string | null;
  site_id: string;
  asset_class: string;
  names: string[];
}

export interface World {
  ds: Dataset;
  assets: AssetInfo[];
  sites: Array<{ site_id: string; name: string }>;
  fmClasses: string[];
  exposedUntil: number;
  /** Dec 31 of the last year with work orders or events: the "now" of work-order items. */
  woNow: string;
}

export async function sql<T>(
  ds: Dataset,
  query: string,
  params?: Record<string, string | number>,
): Promise<T[]> {
  return ds.query<T>(query, params as never);
}

export async function loadWorld(ds: Dataset): Promise<World> {
  const raw = await sql<Omit<AssetInfo, 'names'> & { aliases: string | null }>(
    ds,
    'select asset_id, name, equipment_id, site_id, asset_class, aliases from assets order by asset_id',
  );
  const assets = raw.map((a) => {
    const aliases = parseJsonList(a.aliases);
    const names = [...new Set([a.name, a.asset_id, ...(a.equipment_id ? [a.equipment_id] : []), ...aliases])];
    return {
      asset_id: a.asset_id,
      name: a.name,
      equipment_id: a.equipment_id,
      site_id: a.site_id,
      asset_class: a.asset_class,
      names,
    };
  });
  const sites = await sql<{ site_id: string; name: string }>(
    ds,
    'select site_id, name from sites order by site_id',
  );
  const classes = await sql<{ c: string }>(ds, 'select distinct asset_class c from failure_modes order by 1');
  const [last] = await sql<{ y: number | null }>(
    ds,
    `select greatest((select max(year(actual_finish)) from work_orders), (select max(year(event_time)) from events))::INT y`,
  );
  return {
    ds,
    assets,
    sites,
    fmClasses: classes.map((c) => c.c),
    exposedUntil: epochFromIso(ds.manifest.timeRange.exposedUntil),
    woNow: `${last?.y ?? 2023}-12-31T00:00:00Z`,
  };
}
