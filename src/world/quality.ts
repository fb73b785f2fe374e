// Data-quality faults of the building system, applied to simulated readings: sensors
// going offline (gaps), values stuck at their last reading, spikes, slow calibration
// drift and duplicated readings. Every fault is returned as ground truth.
import type { Rng } from '../util/rng.ts';
import { DAY, HOUR } from '../util/time.ts';
import type { SimOutput } from './classes/common.ts';
import type { WorldConfig } from './config.ts';
import type { TimeGrid } from './drivers.ts';
import type { AssetRecord } from './plant.ts';

export type FaultKind = 'gap' | 'asset_outage' | 'stuck' | 'spike' | 'drift' | 'duplicate';

export interface DataFault {
  kind: FaultKind;
  asset: AssetRecord;
  /** Sensor key, or null for an asset-wide outage. */
  sensorKey: string | null;
  /** Grid indices, inclusive start, exclusive end. */
  start: number;
  end: number;
  detail: Record<string, unknown>;
}

/** Readings as the building system logged them: NaN where nothing was logged. */
export interface MeasuredSeries {
  values: Float64Array;
  /** Grid indices whose reading was logged twice. */
  duplicates: number[];
}

const KINDS: Array<[FaultKind, keyof WorldConfig['faultRates']]> = [
  ['gap', 'gap'],
  ['stuck', 'stuck'],
  ['spike', 'spike'],
  ['drift', 'drift'],
  ['duplicate', 'duplicate'],
];

/** Durations in hours for each kind: [min, max] drawn log-uniformly. */
const DURATION_HOURS: Record<FaultKind, [number, number]> = {
  gap: [1, 72],
  asset_outage: [2, 48],
  stuck: [4, 120],
  spike: [0, 0],
  drift: [240, 720],
  duplicate: [0.25, 2],
};

function logUniform(rng: Rng, [lo, hi]: [number, number]): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

/**
 * Plans the faults of one asset. `ensure` forces at least one fault of every kind on
 * this asset (tiny worlds are too short for the rates to produce them reliably).
 */
export function planFaults(
  asset: AssetRecord,
  config: WorldConfig,
  grid: TimeGrid,
  rng: Rng,
  ensure: boolean,
): DataFault[] {
  const n = grid.t.length;
  const months = (config.days + config.holdoutDays) / 30;
  const stepHours = grid.stepSeconds / HOUR;
  const faults: DataFault[] = [];
  const add = (kind: FaultKind, sensorKey: string | null) => {
    const hours = kind === 'spike' ? 0 : logUniform(rng, DURATION_HOURS[kind]);
    const len = Math.max(1, Math.round(hours / stepHours));
    const start = rng.int(0, Math.max(0, n - len - 1));
    const detail: Record<string, unknown> = {};
    if (kind === 'spike') detail.factor = rng.pick([-1, 1]) * rng.uniform(0.3, 0.8);
    if (kind === 'drift') detail.driftPerDayFraction = rng.pick([-1, 1]) * rng.uniform(0.002, 0.006);
    faults.push({ kind, asset, sensorKey, start, end: Math.min(n, start + len), detail });
  };
  const driftable = asset.sensors.filter((s) => /temperature|pressure|humidity/i.test(s.spec.label));
  for (const sensor of asset.sensors) {
    for (const [kind, rateKey] of KINDS) {
      if (kind === 'drift' && !driftable.includes(sensor)) continue;
      const count = rng.poisson(config.faultRates[rateKey] * months);
      for (let c = 0; c < count; c++) add(kind, sensor.spec.key);
    }
  }
  const outages = rng.poisson(config.faultRates.assetOutage * months);
  for (let c = 0; c < outages; c++) add('asset_outage', null);
  if (ensure) {
    for (const kind of ['gap', 'stuck', 'spike', 'duplicate', 'asset_outage'] as FaultKind[]) {
      if (!faults.some((f) => f.kind === kind))
        add(kind, kind === 'asset_outage' ? null : rng.pick(asset.sensors).spec.key);
    }
    if (driftable.length > 0 && !faults.some((f) => f.kind === 'drift'))
      add('drift', rng.pick(driftable).spec.key);
  }
  return faults;
}

function sampleStep(intervalMinutes: number, stepSeconds: number): number {
  return Math.max(1, Math.round((intervalMinutes * 60) / stepSeconds));
}

/**
 * Turns true signals into logged readings: subsample slow points, then apply drift,
 * stuck values, spikes, gaps and duplicates in that order.
 */
export function applyFaults(
  asset: AssetRecord,
  sim: SimOutput,
  faults: DataFault[],
  grid: TimeGrid,
): Map<string, MeasuredSeries> {
  const n = grid.t.length;
  const out = new Map<string, MeasuredSeries>();
  const stepsPerDay = DAY / grid.stepSeconds;
  for (const sensor of asset.sensors) {
    const key = sensor.spec.key;
    const every = sampleStep(sensor.spec.intervalMinutes, grid.stepSeconds);
    const v = new Float64Array(n).fill(Number.NaN);
    const src = sim[key];
    for (let i = 0; i < n; i += every) v[i] = src[i];
    const range = sensor.spec.max - sensor.spec.min;
    const mine = faults.filter((f) => f.sensorKey === key || f.sensorKey === null);
    for (const f of mine.filter((x) => x.kind === 'drift')) {
      const perDay = (f.detail.driftPerDayFraction as number) * range;
      for (let i = f.start; i < n; i += 1)
        if (!Number.isNaN(v[i])) v[i] += (perDay * Math.min(i, f.end) - perDay * f.start) / stepsPerDay;
    }
    for (const f of mine.filter((x) => x.kind === 'stuck')) {
      let last = Number.NaN;
      for (let i = f.start; i >= 0; i--) {
        if (!Number.isNaN(v[i])) {
          last = v[i];
          break;
        }
      }
      f.detail.value = last;
      for (let i = f.start; i < f.end; i++) if (!Number.isNaN(v[i])) v[i] = last;
    }
    for (const f of mine.filter((x) => x.kind === 'spike')) {
      const i = f.start - (f.start % every);
      if (Number.isNaN(v[i])) continue;
      const spiked = Math.min(
        sensor.spec.max * 1.5,
        Math.max(sensor.spec.min - 0.2 * range, v[i] + (f.detail.factor as number) * range),
      );
      f.detail.from = v[i];
      f.detail.to = spiked;
      v[i] = spiked;
      f.start = i;
      f.end = i + 1;
    }
    for (const f of mine.filter((x) => x.kind === 'gap' || x.kind === 'asset_outage'))
      v.fill(Number.NaN, f.start, f.end);
    const duplicates: number[] = [];
    for (const f of mine.filter((x) => x.kind === 'duplicate')) {
      for (let i = f.start; i < f.end; i++) if (!Number.isNaN(v[i])) duplicates.push(i);
    }
    out.set(key, { values: v, duplicates });
  }
  return out;
}
