// KPI anomaly events, as an analytics service beside the rule engine would raise them:
// hourly KPIs per asset, an adaptive band (exponentially weighted mean and spread over
// the last few days), and an event when the KPI leaves its band.
import { HOUR } from '../util/time.ts';
import { settledMask } from './alerts.ts';
import type { TimeGrid } from './drivers.ts';
import type { AssetRecord } from './plant.ts';
import type { MeasuredSeries } from './quality.ts';
import type { AssetClassId } from './types.ts';

export interface KpiSpec {
  name: string;
  /** Sensor keys the KPI is computed from (links anomalies to failure modes). */
  sensors: string[];
  compute: (v: (key: string) => number) => number;
  /** Smallest half-width of the band, in KPI units. */
  floor: number;
}

const diff = (a: string, b: string) => (v: (key: string) => number) => v(a) - v(b);
const one = (a: string) => (v: (key: string) => number) => v(a);

export const KPIS: Record<AssetClassId, KpiSpec[]> = {
  chiller: [
    { name: 'Cooling Load', sensors: ['tonnage'], compute: one('tonnage'), floor: 40 },
    {
      name: 'Delta Temperature',
      sensors: ['return_temperature', 'supply_temperature'],
      compute: diff('return_temperature', 'supply_temperature'),
      floor: 1,
    },
    {
      name: 'Delta Setpoint',
      sensors: ['supply_temperature', 'setpoint_temperature'],
      compute: diff('supply_temperature', 'setpoint_temperature'),
      floor: 0.8,
    },
    {
      name: 'Flow Efficiency',
      sensors: ['efficiency', 'power_input', 'tonnage'],
      compute: one('efficiency'),
      floor: 0.04,
    },
    {
      name: 'Condenser Approach',
      sensors: ['condenser_approach'],
      compute: one('condenser_approach'),
      floor: 0.8,
    },
  ],
  ahu: [
    { name: 'Filter Loading', sensors: ['filter_dp'], compute: one('filter_dp'), floor: 0.15 },
    {
      name: 'Discharge Air Deviation',
      sensors: ['supply_air_temperature', 'supply_air_setpoint'],
      compute: diff('supply_air_temperature', 'supply_air_setpoint'),
      floor: 1,
    },
    {
      name: 'Fan Specific Power',
      sensors: ['supply_fan_power', 'supply_air_flow'],
      compute: (v) => (1000 * v('supply_fan_power')) / Math.max(1, v('supply_air_flow')),
      floor: 0.08,
    },
  ],
  pump: [
    {
      name: 'Pump Specific Power',
      sensors: ['motor_power', 'flow'],
      compute: (v) => (1000 * v('motor_power')) / Math.max(1, v('flow')),
      floor: 1,
    },
    {
      name: 'Bearing Temperature',
      sensors: ['bearing_temperature'],
      compute: one('bearing_temperature'),
      floor: 4,
    },
  ],
  cooling_tower: [{ name: 'Tower Approach', sensors: ['approach'], compute: one('approach'), floor: 1.2 }],
  boiler: [
    {
      name: 'Stack Temperature',
      sensors: ['stack_temperature'],
      compute: one('stack_temperature'),
      floor: 15,
    },
    { name: 'Excess Oxygen', sensors: ['flue_o2'], compute: one('flue_o2'), floor: 0.6 },
  ],
  air_compressor: [
    {
      name: 'Specific Power',
      sensors: ['motor_power', 'air_flow'],
      compute: (v) => (100 * v('motor_power')) / Math.max(1, v('air_flow')),
      floor: 1.5,
    },
    { name: 'Dew Point', sensors: ['dew_point'], compute: one('dew_point'), floor: 3 },
  ],
};

export interface AnomalyRecord {
  asset: AssetRecord;
  kpi: string;
  /** Grid index of the hour's last step. */
  index: number;
  value: number;
  upper: number;
  lower: number;
  score: number;
}

/** Hours of history before the band is trusted. */
const WARMUP_HOURS = 72;
/** While a KPI stays out of its band, repeat the event at most this often. */
const REPEAT_HOURS = 6;

export function detectAnomalies(
  asset: AssetRecord,
  measured: Map<string, MeasuredSeries>,
  running: Float64Array | null,
  grid: TimeGrid,
): AnomalyRecord[] {
  const out: AnomalyRecord[] = [];
  const perHour = Math.max(1, Math.round(HOUR / grid.stepSeconds));
  const n = grid.t.length;
  const settled = settledMask(running, n, perHour);
  for (const kpi of KPIS[asset.assetClass]) {
    const cols = kpi.sensors.map((k) => measured.get(k)?.values);
    if (cols.some((c) => !c)) continue;
    // Slow points (setpoints) are logged hourly: carry the last reading forward.
    const last = new Map<string, number>();
    const alpha = 1 / 72;
    let mean = Number.NaN;
    let variance = 0;
    let seen = 0;
    let lastEvent = -Infinity;
    for (let h = 0; h + perHour <= n; h += perHour) {
      let sum = 0;
      let count = 0;
      for (let i = h; i < h + perHour; i++) {
        if (!settled[i]) continue;
        let ok = true;
        kpi.sensors.forEach((key, c) => {
          const x = (cols[c] as Float64Array)[i];
          if (!Number.isNaN(x)) last.set(key, x);
          else if (!last.has(key)) ok = false;
        });
        const fresh = kpi.sensors.some((_, c) => !Number.isNaN((cols[c] as Float64Array)[i]));
        if (!ok || !fresh) continue;
        const value = kpi.compute((key) => last.get(key) as number);
        if (Number.isFinite(value)) {
          sum += value;
          count++;
        }
      }
      if (count < Math.max(1, perHour / 2)) continue;
      const value = sum / count;
      if (Number.isNaN(mean)) {
        mean = value;
        seen = 1;
        continue;
      }
      const sd = Math.sqrt(variance);
      const half = Math.max(3.5 * sd, kpi.floor);
      const upper = mean + half;
      const lower = mean - half;
      const outside = value > upper || value < lower;
      if (seen >= WARMUP_HOURS && outside && h - lastEvent >= REPEAT_HOURS * perHour) {
        const excess = (value > upper ? value - upper : lower - value) / half;
        out.push({
          asset,
          kpi: kpi.name,
          index: h + perHour - 1,
          value,
          upper,
          lower,
          score: 0.5 + 0.5 * (1 - Math.exp(-3 * excess)),
        });
        lastEvent = h;
      }
      // Learn slowly from the value, clipped to the band so a fault does not become normal at once.
      const clipped = Math.min(upper, Math.max(lower, value));
      const d = clipped - mean;
      mean += alpha * d;
      variance = (1 - alpha) * (variance + alpha * d * d);
      seen++;
    }
  }
  return out;
}
