// The building system's rule engine: each rule watches one sensor of a class and opens
// an alert when the reading stays past its threshold for a while. Alerts are split at
// midnight (UTC), as the rule engine reports them per day.
import { DAY } from '../util/time.ts';
import type { TimeGrid } from './drivers.ts';
import type { AssetRecord } from './plant.ts';
import type { MeasuredSeries } from './quality.ts';
import type { AlertRuleSpec, AssetClassId } from './types.ts';

export interface AlertRecord {
  ruleId: string;
  asset: AssetRecord;
  /** Grid indices: the alert opens at `start` and clears at `end` (exclusive). */
  start: number;
  end: number;
  severity: string;
  peak: number;
}

/**
 * Operating conditions a relative rule's baseline depends on, per class. A rule such as
 * "kW/ton above baseline + 0.1" compares against what this machine drew when healthy at
 * the same load and condenser water temperature, not against one fixed number.
 * `oat` and `wet_bulb` are the site's outdoor conditions.
 */
export const BASELINE_REGRESSORS: Record<AssetClassId, string[]> = {
  chiller: ['percent_loaded', 'condenser_water_supply_temperature'],
  ahu: ['supply_air_setpoint', 'supply_fan_speed', 'oat'],
  pump: ['speed'],
  cooling_tower: ['wet_bulb', 'fan_speed', 'entering_water_temperature'],
  boiler: ['supply_setpoint', 'firing_rate'],
  air_compressor: ['load_percent', 'oat'],
};

/** Solves the small symmetric system A x = b by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (Math.abs(m[p][c]) < 1e-9) return null;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * Steps where a machine has run for at least an hour. Start-up transients (water and
 * air temperatures pulling down) are not faults, so analytics skip them.
 */
export function settledMask(running: Float64Array | null, n: number, stepsPerHour: number): Uint8Array {
  const mask = new Uint8Array(n).fill(1);
  if (!running) return mask;
  let since = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const r = Number.isNaN(running[i]) ? last : running[i];
    last = r;
    since = r > 0.5 ? since + 1 : 0;
    mask[i] = since > stepsPerHour ? 1 : 0;
  }
  return mask;
}

/** Carries the last logged value forward over gaps (regressors are read at every step). */
export function carryForward(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let last = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) last = values[i];
    out[i] = last;
  }
  return out;
}

/**
 * Fits the healthy level of a sensor as a linear function of the operating conditions
 * (least squares over healthy samples, refitted once without outliers so that spikes
 * and stuck readings do not bend it). Returns the expected value at each step.
 */
export function fitExpected(
  values: Float64Array,
  regressors: Float64Array[],
  use: (i: number) => boolean,
): Float64Array | null {
  const n = values.length;
  const k = regressors.length + 1;
  const rowAt = (i: number) => [1, ...regressors.map((r) => r[i])];
  let keep = (i: number) =>
    use(i) && !Number.isNaN(values[i]) && regressors.every((r) => !Number.isNaN(r[i]));
  let coef: number[] | null = null;
  for (let pass = 0; pass < 2; pass++) {
    const ata = Array.from({ length: k }, () => new Array(k).fill(0));
    const atb = new Array(k).fill(0);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!keep(i)) continue;
      const x = rowAt(i);
      for (let r = 0; r < k; r++) {
        atb[r] += x[r] * values[i];
        for (let c = 0; c < k; c++) ata[r][c] += x[r] * x[c];
      }
      count++;
    }
    if (count < 4 * k) return null;
    // A little ridge keeps the fit stable when a condition barely varies.
    for (let r = 1; r < k; r++) ata[r][r] += 1e-6 * (ata[r][r] + 1);
    coef = solve(ata, atb);
    if (!coef) return null;
    const c = coef;
    const residuals: number[] = [];
    for (let i = 0; i < n; i++) {
      if (keep(i)) residuals.push(Math.abs(values[i] - rowAt(i).reduce((s, x, j) => s + x * c[j], 0)));
    }
    residuals.sort((a, b) => a - b);
    const limit = 4 * (residuals[Math.floor(residuals.length / 2)] || 1e-9) * 1.4826;
    const prev = keep;
    keep = (i: number) =>
      prev(i) && Math.abs(values[i] - rowAt(i).reduce((s, x, j) => s + x * c[j], 0)) <= limit;
  }
  const c = coef as number[];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rowAt(i).reduce((s, x, j) => s + x * c[j], 0);
  return out;
}

export function evaluateRules(
  asset: AssetRecord,
  rules: AlertRuleSpec[],
  measured: Map<string, MeasuredSeries>,
  running: Float64Array | null,
  grid: TimeGrid,
  /** Expected healthy value at each step, for relative rules. */
  baselines: Map<string, Float64Array>,
  /** When present, rules are only evaluated where the unit is enabled (staged on). */
  enabled: Float64Array | null = null,
): AlertRecord[] {
  const alerts: AlertRecord[] = [];
  const n = grid.t.length;
  const stepsPerDay = Math.round(DAY / grid.stepSeconds);
  const settled = settledMask(running, n, Math.round(stepsPerDay / 24));
  const enabledSettled = enabled ? settledMask(enabled, n, Math.round(stepsPerDay / 24)) : null;
  for (const rule of rules) {
    const series = measured.get(rule.sensor);
    if (!series) continue;
    const expected = rule.relative ? baselines.get(rule.id) : undefined;
    if (rule.relative && !expected) continue;
    const need = Math.max(1, Math.round((rule.minDurationMinutes * 60) / grid.stepSeconds));
    let since = -1; // first index of the current run of true conditions
    let falses = 0;
    let open: AlertRecord | null = null;
    const close = (end: number) => {
      if (!open) return;
      // Split at UTC midnight, as the rule engine reports alerts per day.
      let s = open.start;
      while (s < end) {
        const dayEnd = (Math.floor(s / stepsPerDay) + 1) * stepsPerDay;
        const e = Math.min(end, dayEnd);
        alerts.push({ ...open, start: s, end: e });
        s = e;
      }
      open = null;
    };
    for (let i = 0; i < n; i++) {
      const v = series.values[i];
      if (Number.isNaN(v)) continue; // nothing logged: the rule keeps its state
      if (enabledSettled && !enabledSettled[i]) {
        close(i);
        since = -1;
        continue;
      }
      const threshold = expected ? expected[i] + rule.threshold : rule.threshold;
      if (Number.isNaN(threshold)) continue;
      const isRunning = settled[i] === 1;
      const cond =
        (!rule.onlyWhenRunning || isRunning) && (rule.operator === '>' ? v > threshold : v < threshold);
      if (cond) {
        falses = 0;
        if (since < 0) since = i;
        if (!open && i - since >= need) {
          open = { ruleId: rule.id, asset, start: i, end: i + 1, severity: rule.severity, peak: v };
        }
        if (open) {
          const o: AlertRecord = open;
          o.peak = rule.operator === '>' ? Math.max(o.peak, v) : Math.min(o.peak, v);
        }
      } else {
        // Two clear readings in a row close the alert (a little hysteresis).
        falses++;
        if (falses >= 2) {
          close(i);
          since = -1;
        }
      }
    }
    close(n);
  }
  return alerts;
}
