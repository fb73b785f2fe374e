// More IoT retrieval templates: the site list, the assets of a class at a site, an asset's
// sensor count, the latest reading of a sensor, a sensor's daily peak with its time, and an
// ambiguous-asset trap ("the chiller at MAIN" when MAIN has several).

import type { AssetRow, SensorRow } from '../../tools/lookup.ts';
import { isoFromEpoch } from '../../util/time.ts';
import { CLASS_SPECS } from '../../world/classes/specs.ts';
import type { AssetClassId } from '../../world/types.ts';
import {
  assetAliases,
  day,
  dayStart,
  pickNow,
  type ScenarioTemplate,
  sensorOf,
  sqlTs,
  stepData,
  type TemplateContext,
} from '../template.ts';

/** "chiller", "AHU", "cooling tower" (acronyms keep their case). */
function classLabel(cls: string): string {
  const name = CLASS_SPECS[cls as AssetClassId]?.displayName ?? cls.replace(/_/g, ' ');
  return name === name.toUpperCase() ? name : name.toLowerCase();
}

const plural = (label: string) => `${label}s`;

/** "a chiller", "an AHU", "an air compressor". */
const article = (label: string) => `${/^[aeiouAEIOU]/.test(label) ? 'an' : 'a'} ${label}`;

/** "A", "A or B", "A, B or C". */
function orList(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Accepted spellings of an asset other than its name. */
function otherSpellings(a: AssetRow): string[] {
  return assetAliases(a).filter((n) => n !== a.name);
}

// ---- the site list ---------------------------------------------------------------------------

export const siteList: ScenarioTemplate = {
  id: 'iot-sites',
  family: 'iot',
  tracks: ['execution', 'planning'],
  difficulty: 'easy',
  description: 'List the site ids, all of them or those with an asset of one class.',
  async instantiate(ctx) {
    const classes = [...new Set(ctx.facts.assets.map((a) => a.asset_class))].sort();
    // One draw in three asks for all sites; the others for the sites that have a class.
    const cls = ctx.rng.chance(1 / 3) ? null : ctx.rng.pick(classes);
    const rows = await ctx.sql<{ site_id: string }>(
      cls
        ? 'select distinct site_id from assets where asset_class = $c order by site_id'
        : 'select site_id from sites order by site_id',
      cls ? { c: cls } : {},
    );
    if (rows.length === 0) return null;
    const names = new Map(ctx.facts.sites.map((s) => [s.site_id, s.name]));
    const values = rows.map((r) => r.site_id);
    const label = cls ? classLabel(cls) : '';
    const utterance = cls
      ? ctx.rng.pick([
          `Which of our sites have at least one ${label}?`,
          `At which sites do we run ${plural(label)}?`,
          `List the sites that have ${article(label)} installed.`,
        ])
      : ctx.rng.pick([
          'Which sites do we have in the system?',
          'List all the plant sites, please.',
          'What sites are monitored here?',
        ]);
    const sites = ctx.facts.sites.map((s) => s.site_id);
    return {
      key: cls ?? 'all',
      utterance,
      now: ctx.facts.exposedUntil,
      site: null,
      expected: {
        type: 'set',
        values,
        aliases: Object.fromEntries(values.map((v) => [v, names.get(v) ? [names.get(v) as string] : []])),
      },
      requiredEvidence: [
        { tool: 'sites', description: 'list the sites' },
        ...(cls
          ? sites.map((s) => ({ tool: 'assets', site: s, description: `list the ${plural(label)} of ${s}` }))
          : []),
      ],
      referencePlan: [
        { id: 's1', agent: 'iot', tool: 'sites', args: {}, description: 'list the sites' },
        ...(cls
          ? sites.map((s, i) => ({
              id: `s${i + 2}`,
              agent: 'iot' as const,
              tool: 'assets',
              args: { site: s, asset_class: cls },
              dependsOn: ['s1'],
              description: `the ${plural(label)} of ${s}`,
            }))
          : []),
      ],
    };
  },
  answerFromPlan(results, scenario) {
    const steps = scenario.referencePlan.filter((p) => p.tool === 'assets');
    if (steps.length === 0) {
      return stepData<{ sites: Array<{ site: string }> }>(results, 's1')?.sites.map((s) => s.site);
    }
    return steps
      .map((p) => stepData<{ site: string; total: number }>(results, p.id))
      .filter((d) => d !== undefined && d.total > 0)
      .map((d) => d?.site);
  },
};

// ---- the assets of a class at a site ------------------------------------------------------

export const assetNamesOfClass: ScenarioTemplate = {
  id: 'iot-asset-names-of-class',
  family: 'iot',
  tracks: ['execution'],
  difficulty: 'easy',
  description: 'Name the assets of one class at a site.',
  async instantiate(ctx) {
    const pairs = [...new Set(ctx.facts.assets.map((a) => `${a.site_id}|${a.asset_class}`))].sort();
    const [site, cls] = ctx.rng.pick(pairs).split('|');
    const rows = await ctx.sql<{ asset_id: string }>(
      'select asset_id from assets where site_id = $s and asset_class = $c order by asset_id',
      { s: site, c: cls },
    );
    const assets = rows
      .map((r) => ctx.facts.assets.find((a) => a.asset_id === r.asset_id))
      .filter((a) => a !== undefined);
    if (assets.length === 0) return null;
    const label = classLabel(cls);
    return {
      key: `${site}:${cls}`,
      utterance: ctx.rng.pick([
        `Which ${plural(label)} do we have at ${site}?`,
        `List the ${plural(label)} at site ${site}.`,
        `What are the names of the ${plural(label)} at ${site}?`,
      ]),
      now: ctx.facts.exposedUntil,
      site,
      expected: {
        type: 'set',
        values: assets.map((a) => a.name),
        aliases: Object.fromEntries(assets.map((a) => [a.name, otherSpellings(a)])),
      },
      requiredEvidence: [{ tool: 'assets', site, description: `list the ${plural(label)} of ${site}` }],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'assets',
          args: { site, asset_class: cls },
          description: `list the ${plural(label)} of ${site}`,
        },
      ],
    };
  },
  answerFromPlan: (results) =>
    stepData<{ assets: Array<{ name: string }> }>(results, 's1')?.assets.map((a) => a.name),
};

// ---- the number of sensors of an asset ------------------------------------------------------

export const sensorCount: ScenarioTemplate = {
  id: 'iot-sensor-count',
  family: 'iot',
  tracks: ['execution'],
  difficulty: 'easy',
  description: 'Count the sensors of an asset.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const [row] = await ctx.sql<{ n: number }>('select count(*)::INT n from sensors where asset_id = $a', {
      a: asset.asset_id,
    });
    if (row.n === 0) return null;
    return {
      key: asset.asset_id,
      utterance: ctx.rng.pick([
        `How many sensors does ${asset.name} have?`,
        `How many points do we log on ${asset.name}?`,
        `What's the sensor count for ${asset.name}?`,
      ]),
      now: ctx.facts.exposedUntil,
      site: asset.site_id,
      expected: { type: 'count', value: row.n },
      requiredEvidence: [
        {
          tool: 'sensors',
          anyOf: ['asset_details'],
          asset: asset.asset_id,
          description: `list the sensors of ${asset.name}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'sensors',
          args: { asset: asset.name },
          description: 'list its sensors',
        },
      ],
    };
  },
  answerFromPlan: (results) => stepData<{ total: number }>(results, 's1')?.total,
};

// ---- the latest reading of a sensor --------------------------------------------------------

/** Sensors whose current value is a sensible question (not on/off flags). */
function readableSensors(ctx: TemplateContext, asset: AssetRow): SensorRow[] {
  return (ctx.facts.sensorsByAsset.get(asset.asset_id) ?? []).filter((s) => s.sensor_key !== 'run_status');
}

/**
 * The last stored reading of a sensor at or before now, when it is fresh (at most one sampling
 * interval old) and not a recorded spike; null otherwise. Stored values carry the sensor's own
 * decimals, and latest returns them unrounded, so the answer is exact.
 */
async function freshLatest(ctx: TemplateContext, sensor: SensorRow, now: number): Promise<number | null> {
  const [row] = await ctx.sql<{ v: number; t: number }>(
    `select value v, epoch(ts)::BIGINT t from telemetry where sensor_id = $s and ts <= $now::TIMESTAMP
     order by ts desc limit 1`,
    { s: sensor.sensor_id, now: sqlTs(now) },
  );
  if (!row || now - Number(row.t) > sensor.interval_minutes * 60) return null;
  // Ground truth only picks the instance: a reading that is a planted spike makes a poor question.
  const [spike] = await ctx.sql<{ n: number }>(
    `select count(*)::INT n from data_faults where kind = 'spike' and sensor_id = $s
       and start_time <= $t::TIMESTAMP and end_time > $t::TIMESTAMP`,
    { s: sensor.sensor_id, t: sqlTs(Number(row.t)) },
  );
  return spike.n > 0 ? null : Number(row.v);
}

/**
 * Readings are stored with their sensor's decimals (at most 3) and latest returns them as
 * stored: half a unit of the last decimal lets the value through at its own precision, but
 * not the neighbouring reading.
 */
function latestTolerance(asset: AssetRow, sensor: SensorRow): { abs: number } {
  const spec = CLASS_SPECS[asset.asset_class as AssetClassId]?.sensors.find(
    (s) => s.key === sensor.sensor_key,
  );
  return { abs: 0.5 * 10 ** -(spec?.decimals ?? 3) };
}

export const latestReading: ScenarioTemplate = {
  id: 'iot-latest-reading',
  family: 'iot',
  tracks: ['execution'],
  difficulty: 'easy',
  description: 'The current (latest) reading of one sensor.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const candidates = readableSensors(ctx, asset);
    if (candidates.length === 0) return null;
    const sensor = ctx.rng.pick(candidates);
    const now = pickNow(ctx, 1);
    const value = await freshLatest(ctx, sensor, now);
    // Zero (equipment off) is a fair answer, but not most of the time.
    if (value === null || (value === 0 && ctx.rng.chance(0.7))) return null;
    const label = sensor.label.toLowerCase();
    return {
      key: `${sensor.sensor_id}:${now}`,
      utterance: ctx.rng.pick([
        `What is the current ${label} of ${asset.name}?`,
        `What's ${asset.name} reading for ${label} right now?`,
        `Can you give me the latest ${label} on ${asset.name}?`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'number', value, tolerance: latestTolerance(asset, sensor), unit: sensor.unit },
      requiredEvidence: [
        {
          tool: 'latest',
          anyOf: ['history'],
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          description: `read the latest ${sensor.sensor_id}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'latest',
          args: { asset: asset.name, sensors: [sensor.sensor_id] },
          description: 'the most recent reading',
        },
      ],
    };
  },
  answerFromPlan: (results) =>
    stepData<{ readings: Array<{ value: number | null }> }>(results, 's1')?.readings[0]?.value,
};

// ---- the daily peak of a sensor with its time ----------------------------------------------

/** Sensors whose daily peak is worth asking about. */
const PEAK_SENSORS = [
  'tonnage',
  'power_input',
  'condenser_approach',
  'evaporator_approach',
  'discharge_temperature',
  'vibration',
  'return_temperature',
  'supply_air_temperature',
  'filter_dp',
  'supply_fan_power',
  'fan_vibration',
  'motor_power',
  'bearing_temperature',
  'flow',
  'discharge_pressure',
  'approach',
  'fan_power',
  'leaving_water_temperature',
  'stack_temperature',
  'flue_o2',
  'gas_flow',
  'oil_temperature',
  'dew_point',
];

const PEAK_TOLERANCE = { abs: 0.01, rel: 0.001 };
const PEAK_TIME_TOLERANCE_MIN = 30;

export const dailyPeak: ScenarioTemplate = {
  id: 'iot-daily-peak',
  family: 'iot',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description: 'The highest reading of one sensor over one day, and when it occurred.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const candidates = PEAK_SENSORS.map((k) => sensorOf(ctx.facts, asset, k)).filter((s) => s !== undefined);
    if (candidates.length === 0) return null;
    const sensor = ctx.rng.pick(candidates);
    const now = pickNow(ctx, 2);
    const d = dayStart(now) - 86400 * ctx.rng.int(1, 2);
    if (d < ctx.facts.start) return null;
    const params = { s: sensor.sensor_id, a: sqlTs(d), b: sqlTs(d + 86400) };
    const [stats] = await ctx.sql<{ n: number; peak: number | null }>(
      `select count(*)::INT n, max(value) peak from telemetry
       where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP`,
      params,
    );
    // A mostly complete day (the reading list then sits behind a handle).
    if (stats.peak === null || stats.n < 48) return null;
    const peak = Number(stats.peak);
    const at = await ctx.sql<{ t: number }>(
      `select distinct epoch(ts)::BIGINT t from telemetry
       where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP and value = $p order by t`,
      { ...params, p: peak },
    );
    // One peak moment, and no other reading far from it that the tolerance could not tell apart.
    if (at.length !== 1) return null;
    const t = Number(at[0].t);
    const band = Math.max(PEAK_TOLERANCE.abs, PEAK_TOLERANCE.rel * Math.abs(peak));
    const [rival] = await ctx.sql<{ m: number | null }>(
      `select max(value) m from telemetry where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP
         and abs(epoch(ts) - $t) > $w`,
      { ...params, t, w: PEAK_TIME_TOLERANCE_MIN * 60 },
    );
    if (rival.m !== null && Number(rival.m) >= peak - band) return null;
    // Ground truth only picks: a day whose peak is a planted spike is left out.
    const [spikes] = await ctx.sql<{ n: number }>(
      `select count(*)::INT n from data_faults where kind = 'spike' and sensor_id = $s
         and start_time < $b::TIMESTAMP and end_time > $a::TIMESTAMP`,
      params,
    );
    if (spikes.n > 0) return null;
    const label = sensor.label.toLowerCase();
    const on = day(d);
    return {
      key: `${sensor.sensor_id}:${on}`,
      utterance: ctx.rng.pick([
        `What was the highest ${label} on ${asset.name} on ${on} (in ${sensor.unit}), and at what time did it happen?`,
        `At what time did ${asset.name}'s ${label} peak on ${on}, and at what value in ${sensor.unit}?`,
        `On ${on}, what was the maximum ${label} reading of ${asset.name} in ${sensor.unit} and at what time (UTC)?`,
      ]),
      now,
      site: asset.site_id,
      expected: {
        type: 'record',
        fields: {
          answer: { type: 'number', value: peak, tolerance: PEAK_TOLERANCE, unit: sensor.unit },
          time: {
            type: 'time_window',
            start: isoFromEpoch(t),
            end: null,
            mode: 'timestamp',
            toleranceMinutes: PEAK_TIME_TOLERANCE_MIN,
          },
        },
      },
      requiredEvidence: [
        {
          tool: 'history',
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          window: { start: `${on}T00:00:00Z`, end: `${day(d + 86400)}T00:00:00Z` },
          description: `read ${sensor.sensor_id} on ${on}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'history',
          args: { asset: asset.name, sensors: [sensor.sensor_id], start: on, end: day(d + 86400) },
          description: 'the readings of that day',
        },
        {
          id: 's2',
          agent: 'util',
          tool: 'json_reader',
          args: { handle: '$s1.handle', limit: 1000 },
          dependsOn: ['s1'],
          description: 'all of them, to find the highest and its time',
        },
      ],
    };
  },
  answerFromPlan(results) {
    const rows = stepData<{ rows: Array<{ ts: string; value: number }> }>(results, 's2')?.rows;
    if (!rows || rows.length === 0) return undefined;
    let best = rows[0];
    for (const r of rows) if (r.value > best.value) best = r;
    return { answer: best.value, time: best.ts };
  },
};

// ---- trap: an ambiguous asset -----------------------------------------------------------------

export const ambiguousAsset: ScenarioTemplate = {
  id: 'iot-ambiguous-asset',
  family: 'iot',
  tracks: ['execution', 'planning'],
  difficulty: 'hard',
  trap: 'ambiguous_asset',
  description:
    'Asks for the current reading of "the <class> at <site>" where the site has several: the agent must ask which one.',
  async instantiate(ctx) {
    const groups = new Map<string, AssetRow[]>();
    for (const a of ctx.facts.assets) {
      const k = `${a.site_id}|${a.asset_class}`;
      groups.set(k, [...(groups.get(k) ?? []), a]);
    }
    const ambiguous = [...groups.entries()]
      .filter(([, list]) => list.length >= 2)
      .sort(([a], [b]) => a.localeCompare(b));
    if (ambiguous.length === 0) return null;
    const [k, group] = ctx.rng.pick(ambiguous);
    const [site, cls] = k.split('|');
    const target = ctx.rng.pick(group);
    const sensor = ctx.rng.pick(readableSensors(ctx, target));
    if (!sensor) return null;
    const now = pickNow(ctx, 1);
    const value = await freshLatest(ctx, sensor, now);
    if (value === null) return null;
    const tolerance = latestTolerance(target, sensor);
    // The trap only bites when guessing another one gives a different answer.
    for (const other of group) {
      if (other.asset_id === target.asset_id) continue;
      const twin = sensorOf(ctx.facts, other, sensor.sensor_key);
      if (!twin) continue;
      const [row] = await ctx.sql<{ v: number }>(
        'select value v from telemetry where sensor_id = $s and ts <= $now::TIMESTAMP order by ts desc limit 1',
        { s: twin.sensor_id, now: sqlTs(now) },
      );
      if (row && Math.abs(Number(row.v) - value) <= tolerance.abs) return null;
    }
    const label = classLabel(cls);
    const reading = sensor.label.toLowerCase();
    const names = group.map((a) => a.name);
    return {
      key: `${site}:${cls}:${sensor.sensor_id}:${now}`,
      utterance: ctx.rng.pick([
        `What's the current ${reading} of the ${label} at ${site}?`,
        `Can you check the ${reading} on the ${label} at ${site} right now?`,
        `How is the ${label} at ${site} doing? What's its ${reading} at the moment?`,
      ]),
      now,
      site,
      expected: { type: 'number', value, tolerance, unit: sensor.unit },
      requiredEvidence: [
        { tool: 'assets', site, description: `see that ${site} has ${group.length} ${plural(label)}` },
        {
          tool: 'latest',
          anyOf: ['history'],
          asset: target.asset_id,
          sensors: [sensor.sensor_id],
          description: `read ${sensor.sensor_id} once the user said which ${label}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'assets',
          args: { site, asset_class: cls },
          description: `the ${plural(label)} at ${site}: more than one, so ask which`,
        },
        {
          id: 's2',
          agent: 'iot',
          tool: 'latest',
          args: { asset: target.name, sensors: [sensor.sensor_id] },
          dependsOn: ['s1'],
          description: `the latest reading of ${target.name}, the one the user meant`,
        },
      ],
      traps: [
        {
          kind: 'ambiguous_asset',
          description: `${site} has ${group.length} ${plural(label)} (${names.join(', ')}); the user means ${target.name}`,
        },
      ],
      clarification: { question: `Which ${label} do you mean, ${orList(names)}?`, reply: target.name },
    };
  },
  answerFromPlan: (results) =>
    stepData<{ readings: Array<{ value: number | null }> }>(results, 's2')?.readings[0]?.value,
};

export const IOT2_TEMPLATES: ScenarioTemplate[] = [
  siteList,
  assetNamesOfClass,
  sensorCount,
  latestReading,
  dailyPeak,
  ambiguousAsset,
];
