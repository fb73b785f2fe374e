// Resolves the names people and models use (ids, names, aliases, any case) to the
// dataset's entities, and suggests the closest valid names when nothing matches.
import type { Dataset } from '../dataset/open.ts';
import { parseJsonList } from '../util/json.ts';
import { ToolFailure } from './types.ts';

export interface AssetRow {
  asset_id: string;
  name: string;
  equipment_id: string;
  site_id: string;
  asset_class: string;
  description: string | null;
  manufacturer: string | null;
  model: string | null;
  capacity: number | null;
  capacity_unit: string | null;
  install_date: string | null;
  location: string | null;
  aliases: string[];
}

export interface SensorRow {
  sensor_id: string;
  asset_id: string;
  sensor_key: string;
  label: string;
  unit: string;
  interval_minutes: number;
  calculated: boolean;
  min_value: number | null;
  max_value: number | null;
}

export interface SiteRow {
  site_id: string;
  name: string;
  timezone: string;
  description: string | null;
}

export interface Directory {
  sites: SiteRow[];
  assets: AssetRow[];
  sensorsByAsset: Map<string, SensorRow[]>;
  byAlias: Map<string, AssetRow>;
}

const cache = new WeakMap<Dataset, Promise<Directory>>();

function norm(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** The dataset's sites, assets and sensors, loaded once per dataset. */
export function directory(ds: Dataset): Promise<Directory> {
  let d = cache.get(ds);
  if (!d) {
    d = (async () => {
      const sites = await ds.query<SiteRow>(
        'select site_id, name, timezone, description from sites order by site_id',
      );
      const raw = await ds.query<Omit<AssetRow, 'aliases'> & { aliases: string | null }>(
        'select * exclude (install_date), install_date::VARCHAR install_date from assets order by asset_id',
      );
      const assets: AssetRow[] = raw.map((a) => ({
        ...a,
        aliases: parseJsonList(a.aliases),
      }));
      const sensors = await ds.query<SensorRow>(
        'select sensor_id, asset_id, sensor_key, label, unit, interval_minutes, calculated, min_value, max_value from sensors order by asset_id, sensor_id',
      );
      const sensorsByAsset = new Map<string, SensorRow[]>();
      for (const s of sensors) {
        const list = sensorsByAsset.get(s.asset_id) ?? [];
        list.push(s);
        sensorsByAsset.set(s.asset_id, list);
      }
      const byAlias = new Map<string, AssetRow>();
      for (const a of assets) {
        for (const name of [a.asset_id, a.name, a.equipment_id, ...a.aliases])
          if (name) byAlias.set(norm(name), a);
      }
      return { sites, assets, sensorsByAsset, byAlias };
    })();
    cache.set(ds, d);
  }
  return d;
}

/** Edit distance (Levenshtein), for suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The `count` candidates closest to `wanted` (substring matches first, then edit distance). */
export function closest(wanted: string, candidates: readonly string[], count = 3): string[] {
  const w = norm(wanted);
  return [...new Set(candidates)]
    .map((c) => {
      const n = norm(c);
      const score =
        n.includes(w) || w.includes(n) ? Math.abs(n.length - w.length) * 0.1 : editDistance(w, n) + 1;
      return { c, score };
    })
    .sort((a, b) => a.score - b.score || a.c.localeCompare(b.c))
    .slice(0, count)
    .map((x) => x.c);
}

export async function resolveSite(ds: Dataset, site: string): Promise<SiteRow> {
  const dir = await directory(ds);
  const hit = dir.sites.find((s) => norm(s.site_id) === norm(site) || norm(s.name) === norm(site));
  if (hit) return hit;
  const names = dir.sites.map((s) => s.site_id);
  throw new ToolFailure(
    'not_found',
    `unknown site "${site}"`,
    `Use one of: ${names.join(', ')} (see the sites tool)`,
    closest(site, names),
  );
}

export async function resolveAsset(ds: Dataset, asset: string): Promise<AssetRow> {
  const dir = await directory(ds);
  const hit = dir.byAlias.get(norm(asset));
  if (hit) return hit;
  const names = dir.assets.flatMap((a) => [a.name, a.asset_id]);
  const near = closest(asset, names);
  throw new ToolFailure(
    'not_found',
    `unknown asset "${asset}"`,
    `Use an asset name or id from the assets tool, e.g. ${near.map((n) => `"${n}"`).join(', ')}`,
    near,
  );
}

/** Resolves sensor names for one asset: full name ("Chiller 6 Tonnage"), label ("Tonnage") or key. */
export async function resolveSensors(ds: Dataset, asset: AssetRow, wanted?: string[]): Promise<SensorRow[]> {
  const dir = await directory(ds);
  const all = dir.sensorsByAsset.get(asset.asset_id) ?? [];
  if (!wanted || wanted.length === 0) return all;
  return wanted.map((w) => {
    const n = norm(w);
    const hit = all.find((s) => norm(s.sensor_id) === n || norm(s.label) === n || norm(s.sensor_key) === n);
    if (hit) return hit;
    // Compare with labels (what people misspell), suggest full names.
    const byLabel = new Map(all.map((s) => [s.label, s.sensor_id]));
    const near = closest(w.replace(new RegExp(`^${asset.name}\\s+`, 'i'), ''), [...byLabel.keys()]).map(
      (l) => byLabel.get(l) as string,
    );
    throw new ToolFailure(
      'not_found',
      `asset ${asset.name} has no sensor "${w}"`,
      `Use a sensor from the sensors tool for ${asset.name}, e.g. ${near.map((x) => `"${x}"`).join(', ')}`,
      near,
    );
  });
}
