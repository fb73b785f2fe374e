// The building system's rule engine: each rule watches one sensor of a class and opens
// an alert when the reading stays past its threshold for a while. Alerts are split at
// midnight (UTC), as the rule engine reports them per day.
import { DAY } from '../util/time.ts';
import type { TimeGrid } from './drivers.ts';
import type { AssetRecord } from './plant.ts';
import type { MeasuredSeries } from './quality.ts';
import type { AlertRuleSpec } from './types.ts';

export interface AlertRecord {
  ruleId: string;
  asset: AssetRecord;
  /** Grid indices: the alert opens at `start` and clears at `end` (exclusive). */
  start: number;
  end: number;
  severity: string;
  peak: number;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The healthy level of a sensor for relative rules: the median while running at
 * times without an active fault (the engine is configured on a healthy machine).
 */
export function healthyBaseline(
  values: Float64Array,
  running: Float64Array | null,
  healthy: (i: number) => boolean,
): number {
  const pick: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    if (running && !(running[i] > 0.5)) continue;
    if (!healthy(i)) continue;
    pick.push(values[i]);
  }
  return median(pick);
}

export function evaluateRules(
  asset: AssetRecord,
  rules: AlertRuleSpec[],
  measured: Map<string, MeasuredSeries>,
  running: Float64Array | null,
  grid: TimeGrid,
  baselines: Map<string, number>,
): AlertRecord[] {
  const alerts: AlertRecord[] = [];
  const n = grid.t.length;
  const stepsPerDay = Math.round(DAY / grid.stepSeconds);
  for (const rule of rules) {
    const series = measured.get(rule.sensor);
    if (!series) continue;
    const base = rule.relative ? (baselines.get(rule.id) ?? Number.NaN) : 0;
    if (Number.isNaN(base)) continue;
    const threshold = base + rule.threshold;
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
      const isRunning = !running || Number.isNaN(running[i]) || running[i] > 0.5;
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
