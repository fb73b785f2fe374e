// IoT requests: sites, assets of a class, sensor counts, latest readings, daily means and
// peaks, and averages over a window that may hold no data at all.
import { addDays, dayRange, hasKeys, isoOf, norm, vagueAsset } from '../parse.ts';
import { type Run, type SensorInfo, Unable } from '../run.ts';
import { type Answer, answer, has, type Intent, mean, periodOf, tidy, wants } from './common.ts';

interface Reading {
  sensor: string;
  ts: string;
  value: number;
}

export const siteList: Intent = {
  id: 'site-list',
  plan: 'list the sites (and keep those with an asset of the class named, if one is)',
  matches: (r) =>
    wants(r, 'array') &&
    has(r.text, /\bsites\b/i) &&
    !has(r.text, /work orders?|failure/i) &&
    r.assets().length === 0,
  async run(r) {
    const sites = await r.siteIds();
    const cls = r.assetClass();
    if (!cls) return answer(sites);
    const out: string[] = [];
    for (const s of sites) if ((await r.assetsAt(s, cls)).length > 0) out.push(s);
    return answer(out);
  },
};

/** The site and class a request about "the chillers at MAIN" names; Unable when either is missing. */
async function siteAndClass(r: Run): Promise<{ site: string; cls: string }> {
  const site = await r.siteInText();
  const cls = r.assetClass();
  if (!site) throw new Unable('the request names no site I know');
  if (!cls) throw new Unable('the request names no asset class I know');
  return { site, cls };
}

export const assetNames: Intent = {
  id: 'asset-names',
  plan: 'list the assets at the site (of the class named, if one is)',
  matches: (r) =>
    wants(r, 'array') &&
    r.assets().length === 0 &&
    (r.assetClass() !== null || has(r.text, /\b(assets|equipment)\b/i)) &&
    has(r.text, /\b(which|list|names?|what)\b/i) &&
    !has(r.text, /work orders?|failure|sites\b|rank|sensors/i),
  async run(r) {
    const site = await r.siteInText();
    if (!site) throw new Unable('the request names no site I know');
    return answer((await r.assetsAt(site, r.assetClass())).map((a) => a.name));
  },
};

export const assetDetails: Intent = {
  id: 'asset-details',
  plan: "read the asset's details (ids, class, site, make, model, capacity, location)",
  matches: (r) => hasKeys(r.shape, 'asset_id', 'asset_class'),
  async run(r) {
    const d = await r.call('asset_details', { asset: r.asset() });
    return { ...d };
  },
};

export const sensorList: Intent = {
  id: 'sensor-list',
  plan: "list the asset's sensors",
  matches: (r) =>
    wants(r, 'array') && has(r.text, /\bsensors\b/i) && !has(r.text, /failure|reveal|show|confirm/i),
  async run(r) {
    return answer((await r.sensorsOf(r.asset())).map((s) => s.sensor));
  },
};

export const readingsCount: Intent = {
  id: 'readings-count',
  plan: 'read the sensor data of the period (all sensors unless one is named) and report how many readings came',
  matches: (r) => r.shape.keys.includes('readings'),
  async run(r) {
    const p = periodOf(r);
    if (!p) throw new Unable('the request names no period');
    const asset = r.asset();
    // One sensor when the request names one; else all of them.
    const sensor = await r.sensorIn(asset).catch((e) => {
      if (e instanceof Unable) return null;
      throw e;
    });
    const d = await r.call('history', {
      asset,
      ...(sensor ? { sensors: [sensor.sensor] } : {}),
      start: p.from,
      end: addDays(p.to ?? p.from, 1),
    });
    return { readings: d.total_observations, handle: d.handle ?? null };
  },
};

export const assetCount: Intent = {
  id: 'count-assets-of-class',
  plan: 'count the assets of the class at the site',
  matches: (r) =>
    wants(r, 'integer') &&
    has(r.text, /\bhow many\b/i) &&
    r.assets().length === 0 &&
    r.assetClass() !== null &&
    !has(r.text, /sensors?|points|work orders?|alerts?|anomal/i),
  async run(r) {
    const { site, cls } = await siteAndClass(r);
    return answer((await r.assetsAt(site, cls)).length);
  },
};

export const sensorCount: Intent = {
  id: 'sensor-count',
  plan: "count the asset's sensors",
  matches: (r) => wants(r, 'integer') && has(r.text, /\bhow many (sensors|points)\b|\bsensor count\b/i),
  async run(r) {
    return answer((await r.sensorsOf(r.asset())).length);
  },
};

/**
 * The asset meant. "The chiller at MAIN" is only clear when MAIN has one chiller; with
 * several, the operator is asked which, and the reply is read for one of their names.
 */
async function assetMeant(r: Run): Promise<string> {
  if (r.assets().length > 0) return r.asset();
  const vague = vagueAsset(r.text, r.classes);
  if (!vague) return r.asset();
  const group = await r.assetsAt(vague.site, vague.cls);
  if (group.length === 0) throw new Unable(`there is no ${vague.cls} at ${vague.site}`);
  if (group.length === 1) return group[0].name;
  const names = group.map((a) => a.name);
  const list = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  const reply = await r.ask(`${vague.site} has ${names.length} of them: which one do you mean, ${list}?`);
  if (!reply) throw new Unable(`${vague.site} has several (${names.join(', ')}) and nobody said which one`);
  const said = norm(reply);
  // An exact name first; else the longest name the reply contains ("Chiller 10" before "Chiller 1").
  const pick =
    group.find((a) => said === norm(a.name) || said === norm(a.asset_id)) ??
    [...group]
      .sort((a, b) => b.name.length - a.name.length)
      .find((a) => said.includes(norm(a.name)) || said.includes(norm(a.asset_id)));
  if (!pick) throw new Unable(`the reply "${reply}" names none of ${names.join(', ')}`);
  r.thought(`The operator means ${pick.name}.`);
  return pick.name;
}

export const latestReading: Intent = {
  id: 'latest-reading',
  plan: 'read the latest value of the sensor',
  matches: (r) =>
    wants(r, 'number') &&
    has(r.text, /\b(current|latest|right now|at the moment|currently)\b/i) &&
    !has(r.text, /forecast|tomorrow|next \d+/i),
  async run(r) {
    const asset = await assetMeant(r);
    const sensor = await r.sensorIn(asset);
    const d = await r.call('latest', { asset, sensors: [sensor.sensor] });
    const reading = (d.readings as Array<{ value: number | null }> | undefined)?.[0];
    if (reading?.value === null || reading?.value === undefined)
      throw new Unable(`${sensor.sensor} has no reading yet`);
    return answer(reading.value);
  },
};

/** The readings of one sensor in [start, end), all of them; empty when it logged nothing. */
async function readings(r: Run, asset: string, sensor: SensorInfo, start: string, end: string) {
  const d = await r.call('history', { asset, sensors: [sensor.sensor], start, end });
  const n = (d.counts as Record<string, number> | undefined)?.[sensor.sensor] ?? 0;
  return n === 0 ? [] : r.allRows<Reading>(d, 'rows');
}

export const dailyMean: Intent = {
  id: 'daily-mean',
  plan: "average the sensor's readings of that day (history, resampled daily)",
  matches: (r) =>
    wants(r, 'number') &&
    has(r.text, /\b(average|mean)\b/i) &&
    !has(r.text, /tomorrow|forecast|expect|next \d+/i) &&
    dayRange(r.text) !== null,
  async run(r) {
    const range = dayRange(r.text);
    if (!range) throw new Unable('the request names no day');
    const asset = r.asset();
    const sensor = await r.sensorIn(asset);
    const end = addDays(range.to ?? range.from, 1);
    const d = await r.call('history', {
      asset,
      sensors: [sensor.sensor],
      start: range.from,
      end,
      resample: 'daily',
      aggregate: 'mean',
    });
    const days = await r.allRows<Reading>(d, 'rows');
    if (days.length === 0) throw new Unable(`${sensor.sensor} logged nothing from ${range.from} to ${end}`);
    // One day is one row; over several days, the mean of daily means is close enough for a baseline.
    return answer(tidy(mean(days.map((x) => x.value)) as number));
  },
};

/** "between 2024-03-04 00:00 and 05:00 UTC": the window; an end at or before the start is the next day. */
function timeWindow(text: string): { start: string; end: string } | null {
  const m =
    /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})\s*(?:UTC)?\s*(?:and|to|until|-)\s*(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{2}:\d{2})/i.exec(
      text,
    );
  if (m) {
    const start = `${m[1]}T${m[2]}:00Z`;
    let end = `${m[3] ?? m[1]}T${m[4]}:00Z`;
    if (Date.parse(end) <= Date.parse(start)) end = isoOf(Date.parse(end) / 1000 + 86400);
    return { start, end };
  }
  const range = dayRange(text);
  return range ? { start: range.from, end: addDays(range.to ?? range.from, 1) } : null;
}

export const windowAverage: Intent = {
  id: 'window-average',
  plan: 'read the window; say the data is missing when the sensor logged nothing, else average it',
  matches: (r) => hasKeys(r.shape, 'available'),
  async run(r): Promise<Answer> {
    const w = timeWindow(r.text);
    if (!w) throw new Unable('the request names no time window');
    const asset = r.asset();
    const sensor = await r.sensorIn(asset);
    const rows = await readings(r, asset, sensor, w.start, w.end);
    if (rows.length === 0) {
      return {
        available: false,
        average: null,
        reason: `${sensor.sensor} logged no readings from ${w.start} to ${w.end} (offline)`,
      };
    }
    return { available: true, average: tidy(mean(rows.map((x) => x.value)) as number) };
  },
};

export const dailyPeak: Intent = {
  id: 'daily-peak',
  plan: 'read every reading of that day and take the highest and its time',
  matches: (r) => hasKeys(r.shape, 'peak', 'time'),
  async run(r) {
    const range = dayRange(r.text);
    if (!range) throw new Unable('the request names no day');
    const asset = r.asset();
    const sensor = await r.sensorIn(asset);
    const rows = await readings(r, asset, sensor, range.from, addDays(range.to ?? range.from, 1));
    if (rows.length === 0) throw new Unable(`${sensor.sensor} logged nothing on ${range.from}`);
    let best = rows[0];
    for (const x of rows) if (x.value > best.value) best = x;
    return { peak: best.value, time: best.ts };
  },
};

export const IOT_INTENTS: Intent[] = [
  assetDetails,
  readingsCount,
  windowAverage,
  dailyPeak,
  siteList,
  assetNames,
  sensorList,
  assetCount,
  sensorCount,
  latestReading,
  dailyMean,
];
