import { isoFromEpoch } from '../../util/time.ts';
// IoT retrieval templates: sites, assets, sensors, readings, gaps.
import { CLASS_SPECS } from '../../world/classes/specs.ts';
import type { AssetClassId } from '../../world/types.ts';
import type { RecordContract } from '../contract.ts';
import type { ExpectedAnswerInput } from '../schema.ts';
import { day, dayStart, pickNow, type ScenarioTemplate, sensorOf, sqlTs, stepData } from '../template.ts';

/**
 * "The average of X over a window": whether the sensor logged anything then, and the mean if
 * it did. The daily mean and the offline-window trap share it, so the contract does not tell
 * them apart, and the trap's outcome varies.
 */
export const WINDOW_MEAN_CONTRACT: RecordContract = {
  available: { schema: { type: 'boolean' } },
  answer: { schema: { type: 'number' }, nullable: true },
};

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
      expected: {
        type: 'record',
        fields: {
          available: { type: 'boolean', value: true },
          answer: { type: 'number', value: row.m, tolerance: { abs: 0.01, rel: 0.005 }, unit: sensor.unit },
        },
      },
      contract: WINDOW_MEAN_CONTRACT,
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
  answerFromPlan: (results) => {
    const value = stepData<{ rows: Array<{ value: number }> }>(results, 's1')?.rows[0]?.value;
    return value === undefined ? undefined : { available: true, answer: value };
  },
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
    // Half the instances ask about whole hours inside the outage (no data: the answer says so);
    // the other half about the hours just before it, which have data. The question reads the
    // same either way, so only the readings tell.
    const inside = ctx.draw % 2 === 0;
    const gs = Number(g.s);
    const ge = Number(g.e);
    const hours = ctx.rng.int(1, 6);
    const a = inside ? Math.ceil(gs / 3600) * 3600 : Math.floor(gs / 3600) * 3600 - hours * 3600;
    const b = inside
      ? a + 3600 * Math.max(1, Math.min(hours, Math.floor((ge - a) / 3600)))
      : a + hours * 3600;
    if (inside && b > ge) return null;
    // One UTC day, so that the daily mean the plan asks for is the mean of the window.
    if (dayStart(a) !== dayStart(b - 1) || a < ctx.facts.start) return null;
    const [row] = await ctx.sql<{ n: number; m: number | null }>(
      'select count(*)::INT n, avg(value) m from telemetry where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP',
      { s: sensor.sensor_id, a: sqlTs(a), b: sqlTs(b) },
    );
    if (inside ? row.n !== 0 : row.n < 2 || row.m === null) return null;
    const iso = isoFromEpoch;
    const expected: ExpectedAnswerInput = inside
      ? { type: 'record', fields: { available: { type: 'boolean', value: false } } }
      : {
          type: 'record',
          fields: {
            available: { type: 'boolean', value: true },
            answer: {
              type: 'number',
              value: row.m as number,
              tolerance: { abs: 0.01, rel: 0.005 },
              unit: sensor.unit,
            },
          },
        };
    const from = iso(a).slice(0, 16).replace('T', ' ');
    const to = iso(b).slice(11, 16);
    const what = `${sensor.label.toLowerCase()} of ${asset.name}`;
    return {
      key: `${sensor.sensor_id}:${a}:${b}`,
      utterance: ctx.rng.pick([
        `What was the average ${what} between ${from} and ${to} UTC?`,
        `Between ${from} and ${to} UTC, what did the ${what} average?`,
        `${asset.name}: mean ${sensor.label.toLowerCase()} from ${from} to ${to} UTC, please.`,
      ]),
      now: ctx.facts.exposedUntil,
      site: asset.site_id,
      expected,
      contract: WINDOW_MEAN_CONTRACT,
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
          args: {
            asset: asset.name,
            sensors: [sensor.sensor_id],
            start: iso(a),
            end: iso(b),
            resample: 'daily',
            aggregate: 'mean',
          },
          description: inside
            ? 'read the window (it is empty: the sensor was offline)'
            : 'the mean of the window (the sensor went offline right after it)',
        },
      ],
      traps: [
        {
          kind: 'unanswerable',
          description: inside
            ? `${sensor.sensor_id} logged nothing in that window`
            : `${sensor.sensor_id} went offline right after that window; the window itself has data`,
        },
      ],
    };
  },
  answerFromPlan: (results, s) => {
    const d = stepData<{ counts: Record<string, number>; rows: Array<{ value: number }> }>(results, 's1');
    const sensor = s.referencePlan[0].args.sensors as string[];
    if (!d) return undefined;
    return (d.counts[sensor[0]] ?? 0) > 0
      ? { available: true, answer: d.rows[0]?.value }
      : { available: false };
  },
};

export const IOT_TEMPLATES: ScenarioTemplate[] = [assetsOfClassAtSite, dailyMean, offlineWindow];
