// Induced-draft cooling tower. Leaving water sits above the outdoor wet bulb by the
// approach; the fan speeds up with load. Fouled fill or clogged nozzles widen the
// approach, which the chillers downstream feel as warmer condenser water.
import { clamp, knob, Lag, type SignalModel, series } from './common.ts';
import { COOLING_TOWER } from './specs.ts';

const KEYS = COOLING_TOWER.sensors.map((s) => s.key);

export const simulateCoolingTower: SignalModel = ({ asset, grid, drivers, knobs, rng, plant }) => {
  const n = grid.t.length;
  const out = series(KEYS, n);
  const approach0 = rng.uniform(6, 8);
  const designKw = asset.capacity / 40;
  const vib0 = rng.uniform(0.06, 0.1);
  const cond0 = rng.uniform(1100, 1700);
  const leaveLag = new Lag(0.3);
  const condLag = new Lag(0.01);
  let level = rng.uniform(70, 80);
  for (let i = 0; i < n; i++) {
    const k = (key: string, nom: number) => knob(knobs, key, i, nom);
    const wb = drivers.wetBulb[i];
    const loadFrac = clamp(plant.coolingShare[i] * 1.1, 0, 1.2);
    const running = loadFrac > 0.01;
    const fouling = k('fill_fouling', 0);
    const nozzles = k('nozzle_clogging', 0);
    // Level: make-up valve refills between 70 and 80 %; a failing valve lets it fall.
    const makeup = k('makeup_fault', 0);
    level -= running ? 0.15 * loadFrac : 0.01;
    if (level < 70 - 45 * makeup) level += 10 * (1 - makeup) + 0.5;
    level = clamp(level, 5, 100);
    out.basin_level[i] = level + 0.3 * rng.normal();
    out.conductivity[i] = condLag.step(cond0 * (1 + 1.8 * k('blowdown_fault', 0))) + 15 * rng.normal();
    if (!running) {
      const leave = leaveLag.step(Math.max(wb + 3, 55));
      out.leaving_water_temperature[i] = leave + 0.15 * rng.normal();
      out.entering_water_temperature[i] = leave + 0.3 + 0.15 * rng.normal();
      out.approach[i] = out.leaving_water_temperature[i] - wb;
      out.fan_speed[i] = 0;
      out.fan_power[i] = 0;
      out.fan_vibration[i] = 0.01 + 0.004 * Math.abs(rng.normal());
      continue;
    }
    // The fan holds a 70 degF minimum leaving temperature; above that it runs up with load.
    const speed = clamp(35 + 65 * loadFrac * (1 + 0.4 * fouling), 20, 100);
    const approach =
      (approach0 + 7 * fouling + 5 * nozzles) * (0.6 + 0.5 * loadFrac) * (1.25 - 0.35 * (speed / 100));
    const leave = leaveLag.step(Math.max(wb + approach, 65));
    const range = 10 * loadFrac;
    // A drifting leaving-water transmitter also skews the approach the system computes from it.
    out.leaving_water_temperature[i] = leave + k('temp_sensor_bias', 0) + 0.15 * rng.normal();
    out.entering_water_temperature[i] = leave + range + 0.15 * rng.normal();
    out.approach[i] = out.leaving_water_temperature[i] - wb;
    out.fan_speed[i] = speed;
    out.fan_power[i] =
      ((designKw * (speed / 100) ** 3) / k('fan_efficiency_factor', 1)) * (1 + 0.01 * rng.normal());
    out.fan_vibration[i] = clamp(
      vib0 + 0.05 * (speed / 100) + 0.5 * k('gearbox_wear', 0) + 0.008 * rng.normal(),
      0,
      2,
    );
  }
  return out;
};
