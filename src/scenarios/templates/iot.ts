import { isoFromEpoch } from '../../util/time.ts';
// IoT retrieval templates: sites, assets, sensors, readings, gaps.
import { CLASS_SPECS } from '../../world/classes/specs.ts';
import type { AssetClassId } from '../../world/types.ts';
import {
  day,
  dayStart,
  pickNow,
  type ScenarioTemplate,
  sensorOf,
  shape,
  sqlTs,
  stepData,
} from '../template.ts';

const classLabel = (cls: string) =>
  CLASS_SPECS[cls as AssetClassId]?.displayName.toLowerCase() ?? cls.replace('_', ' ');

export const assetsOfClassAtSite: ScenarioTemplate = {
  id: 'iot-assets-of-class',
  family: 'iot',
  tracks: ['execution', 'planning'],
  difficulty: 'easy',
  description: 'Count the assets of one class at a site.',
  async instantiate(ctx) {
    const site = ctx.rng.pick(ctx.facts.sites);
    const classes = [...new Set(ctx.facts.assets.map((a) => a.asset_class))].sort();
    const cls = ctx.rng.pick(classes);
    const [row] = await ctx.sql<{ n: number }>(
      'select count(*)::INT n from assets where site_id = $s and asset_class = $c',
      {
        s: site.site_id,
        c: cls,
      },
    );
    return {
      key: `${site.site_id}:${cls}`,
      utterance: `How many ${classLabel(cls)}s are there at site ${site.site_id}?`,
      now: ctx.facts.exposedUntil,
      site: site.site_id,
      expected: { type: 'count', value: row.n },
      answerFormat: { description: 'The number of assets.', jsonShape: shape('answer', { type: 'integer' }) },
      requiredEvidence: [
        { tool: 'assets', site: site.site_id, description: `list the assets of ${site.site_id}` },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'assets',
          args: { site: site.site_id, asset_class: cls },
          description: 'list them',
        },
      ],
    };
  },
  answerFromPlan: (results) => stepData<{ total: number }>(results, 's1')?.total,
};

/** Sensors a daily mean makes sense for (not status flags or setpoints). */
const MEAN_SENSORS = [
  'tonnage',
  'power_input',
  'efficiency',
  'condenser_approach',
  'supply_air_temperature',
  'filter_dp',
  'motor_power',
  'flow',
  'approach',
  'stack_temperature',
  'discharge_pressure',
];

export const dailyMean: ScenarioTemplate = {
  id: 'iot-daily-mean',
  family: 'iot',
  tracks: ['execution'],
  difficulty: 'medium',
  description: 'The mean of one sensor over one day.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const candidates = MEAN_SENSORS.map((k) => sensorOf(ctx.facts, asset, k)).filter((s) => s !== undefined);
    if (candidates.length === 0) return null;
    const sensor = ctx.rng.pick(candidates);
    const now = pickNow(ctx, 2);
    const d = dayStart(now) - 86400 * ctx.rng.int(1, 3);
    if (d < ctx.facts.start) return null;
    const [row] = await ctx.sql<{ m: number | null; n: number }>(
      `select avg(value) m, count(*)::INT n from telemetry where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP`,
      { s: sensor.sensor_id, a: sqlTs(d), b: sqlTs(d + 86400) },
    );
    if (row.m === null || row.n < 24) return null;
    return {
      key: `${sensor.sensor_id}:${day(d)}`,
      utterance: `What was the average ${sensor.label.toLowerCase()} of ${asset.name} on ${day(d)}? Give it in ${sensor.unit}.`,
      now,
      site: asset.site_id,
      expected: { type: 'number', value: row.m, tolerance: { abs: 0.01, rel: 0.005 }, unit: sensor.unit },
      answerFormat: {
        description: `The daily mean in ${sensor.unit}.`,
        jsonShape: shape('answer', { type: 'number' }),
      },
      requiredEvidence: [
        {
          tool: 'history',
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          window: { start: `${day(d)}T00:00:00Z`, end: `${day(d + 86400)}T00:00:00Z` },
          description: `read ${sensor.sensor_id} on ${day(d)}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'history',
          args: {
            asset: asset.name,
            sensors: [sensor.sensor_id],
            start: day(d),
            end: day(d + 86400),
            resample: 'daily',
            aggregate: 'mean',
          },
          description: 'daily mean of the sensor',
        },
      ],
    };
  },
  answerFromPlan: (results) => stepData<{ rows: Array<{ value: number }> }>(results, 's1')?.rows[0]?.value,
};

export const offlineWindow: ScenarioTemplate = {
  id: 'iot-offline-window',
  family: 'iot',
  tracks: ['execution', 'planning'],
  difficulty: 'hard',
  trap: 'unanswerable',
  description: 'Asks for a value while the sensor was offline: the right answer says there is no data.',
  async instantiate(ctx) {
    const gaps = await ctx.sql<{ sensor_id: string; asset_id: string; s: number; e: number }>(
      `select f.sensor_id, f.asset_id, epoch(f.start_time)::BIGINT s, epoch(f.end_time)::BIGINT e from data_faults f
       where f.kind = 'gap' and f.sensor_id is not null and f.end_time <= $now::TIMESTAMP
         and f.end_time - f.start_time >= interval 3 hour order by f.fault_id`,
      { now: sqlTs(ctx.facts.exposedUntil) },
    );
    if (gaps.length === 0) return null;
    const g = ctx.rng.pick(gaps);
    const asset = ctx.facts.assets.find((a) => a.asset_id === g.asset_id);
    const sensor = ctx.facts.sensorsByAsset.get(g.asset_id)?.find((s) => s.sensor_id === g.sensor_id);
    if (!asset || !sensor) return null;
    // A whole-hour window inside the gap.
    const a = Math.ceil(Number(g.s) / 3600) * 3600;
    const b = a + 3600 * Math.max(1, Math.min(6, Math.floor((Number(g.e) - a) / 3600)));
    if (b > Number(g.e)) return null;
    const [row] = await ctx.sql<{ n: number }>(
      'select count(*)::INT n from telemetry where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP',
      { s: sensor.sensor_id, a: sqlTs(a), b: sqlTs(b) },
    );
    if (row.n !== 0) return null;
    const iso = isoFromEpoch;
    return {
      key: `${sensor.sensor_id}:${a}`,
      utterance: `What was the average ${sensor.label.toLowerCase()} of ${asset.name} between ${iso(a).slice(0, 16).replace('T', ' ')} and ${iso(b).slice(11, 16)} UTC?`,
      now: ctx.facts.exposedUntil,
      site: asset.site_id,
      expected: { type: 'record', fields: { available: { type: 'boolean', value: false } } },
      answerFormat: {
        description: 'Whether the data exists; if it does, the average.',
        jsonShape: {
          type: 'object',
          properties: {
            available: { type: 'boolean' },
            average: { type: ['number', 'null'] },
            reason: { type: 'string' },
          },
          required: ['available'],
        },
      },
      requiredEvidence: [
        {
          tool: 'history',
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          window: { start: iso(a), end: iso(b) },
          description: 'look at the readings of that window',
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'history',
          args: { asset: asset.name, sensors: [sensor.sensor_id], start: iso(a), end: iso(b) },
          description: 'read the window (it is empty: the sensor was offline)',
        },
      ],
      traps: [{ kind: 'unanswerable', description: `${sensor.sensor_id} logged nothing in that window` }],
    };
  },
  answerFromPlan: (results, s) => {
    const d = stepData<{ counts: Record<string, number> }>(results, 's1');
    const sensor = s.referencePlan[0].args.sensors as string[];
    return d ? { available: (d.counts[sensor[0]] ?? 0) > 0 } : undefined;
  },
};

export const IOT_TEMPLATES: ScenarioTemplate[] = [assetsOfClassAtSite, dailyMean, offlineWindow];
