// Rotary-screw air compressor feeding the plant-air header. Demand follows the
// production schedule; leaks add demand around the clock, which is why leak hunting
// looks at nights and weekends. Fouled coolers run hot, a failing dryer lifts dew point.
import { clamp, hunting, knob, Lag, type SignalModel, series } from './common.ts';
import { AIR_COMPRESSOR } from './specs.ts';

const KEYS = AIR_COMPRESSOR.sensors.map((s) => s.key);

export const simulateAirCompressor: SignalModel = ({ asset, grid, drivers, knobs, rng }) => {
  const n = grid.t.length;
  const out = series(KEYS, n);
  const cap = asset.capacity;
  const designKw = cap * rng.uniform(0.17, 0.2);
  const pressureSp = rng.uniform(105, 115);
  const phase = rng.uniform(0, 6.28);
  const vib0 = rng.uniform(0.05, 0.09);
  const dew0 = rng.uniform(35, 39);
  const tempLag = new Lag(0.2);
  const oilLag = new Lag(0.15);
  for (let i = 0; i < n; i++) {
    const t = grid.t[i];
    const k = (key: string, nom: number) => knob(knobs, key, i, nom);
    const leak = k('air_leak', 0);
    const intake = k('intake_filter_loading', 0);
    const available = cap * (1 - 0.25 * intake);
    const demand = cap * (drivers.airDemand[i] * 0.85 + 0.25 * leak) * (1 + 0.03 * rng.normal());
    const delivered = Math.min(demand, available);
    const loadPct = clamp((100 * delivered) / available, 0, 100);
    const short = Math.max(0, demand - available) / cap;
    const valve = k('valve_fault', 0);
    out.discharge_pressure[i] =
      pressureSp - 4 * (loadPct / 100) - 25 * short + 6 * valve * hunting(t, phase) + 0.4 * rng.normal();
    out.air_flow[i] = delivered;
    out.load_percent[i] = loadPct;
    out.motor_power[i] =
      designKw *
      (0.25 + 0.75 * (loadPct / 100)) *
      (1 + 0.12 * intake + 0.1 * valve) *
      (1 + 0.01 * rng.normal());
    const ambient = 75 + 0.2 * (drivers.oat[i] - 60);
    const cooler = k('cooler_fouling', 0);
    const bearing = k('bearing_wear', 0);
    out.discharge_temperature[i] =
      tempLag.step(ambient + 95 + 20 * (loadPct / 100) + 45 * cooler + 20 * bearing) + 0.8 * rng.normal();
    out.oil_temperature[i] =
      oilLag.step(ambient + 85 + 12 * (loadPct / 100) + 38 * cooler + 10 * bearing) + 0.6 * rng.normal();
    out.vibration[i] = clamp(vib0 + 0.03 * (loadPct / 100) + 0.45 * bearing + 0.007 * rng.normal(), 0.005, 2);
    out.dew_point[i] = dew0 + 32 * k('dryer_fault', 0) + k('temp_sensor_bias', 0) + 0.5 * rng.normal();
  }
  return out;
};
