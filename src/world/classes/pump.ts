// Centrifugal pump on a variable-speed drive. Flow follows speed (affinity laws:
// head with speed squared, power with speed cubed); impeller wear costs head, bearing
// wear and misalignment show as heat and vibration, a restricted suction as cavitation.
import { clamp, knob, Lag, type SignalModel, series } from './common.ts';
import { PUMP } from './specs.ts';

const KEYS = PUMP.sensors.map((s) => s.key);

export const simulatePump: SignalModel = ({ asset, grid, drivers, knobs, rng, plant }) => {
  const n = grid.t.length;
  const out = series(KEYS, n);
  const designFlow = asset.capacity;
  const designHead = rng.uniform(35, 60);
  const designKw = ((designFlow * designHead * 2.31) / 3960 / 0.7) * 0.746;
  const staticSuction = rng.uniform(15, 28);
  const vib0 = rng.uniform(0.05, 0.09);
  const bearingLag = new Lag(0.03);
  for (let i = 0; i < n; i++) {
    const k = (key: string, nom: number) => knob(knobs, key, i, nom);
    let speedFrac = 0;
    if (asset.service === 'hot_water') {
      const h = drivers.heatingDemand[i];
      speedFrac = h > 0.08 ? clamp(0.45 + 0.5 * h, 0, 1) : 0;
    } else {
      const c = plant.coolingShare[i];
      if (c > 0.01) speedFrac = asset.service === 'condenser_water' ? 0.9 : clamp(0.4 + 0.6 * c, 0.4, 1);
    }
    const running = speedFrac > 0;
    const ambient = 70 + 0.1 * (drivers.oat[i] - 60);
    if (!running) {
      out.discharge_pressure[i] = staticSuction + 0.3 * rng.normal();
      out.suction_pressure[i] = staticSuction + 0.3 * rng.normal();
      out.flow[i] = 0;
      out.motor_power[i] = 0;
      out.speed[i] = 0;
      out.bearing_temperature[i] = bearingLag.step(ambient) + 0.3 * rng.normal();
      out.vibration[i] = 0.01 + 0.004 * Math.abs(rng.normal());
      out.run_status[i] = 0;
      continue;
    }
    const wear = k('impeller_wear', 0);
    const restriction = k('suction_restriction', 0);
    const seal = k('seal_leak', 0);
    const bearing = k('bearing_wear', 0);
    const mis = k('misalignment', 0);
    const speed = speedFrac * (1 + 0.005 * rng.normal());
    const flow = designFlow * speed * (1 - 0.25 * wear) * (1 - 0.3 * restriction) * (1 - 0.05 * seal);
    const head = designHead * speed * speed * (1 - 0.35 * wear);
    const suction = staticSuction - 8 * restriction * speed - 2 * seal + 0.2 * rng.normal();
    // Cavitation: a starved suction makes vibration jump around.
    const cavitation = restriction > 0.4 ? restriction * 0.25 * Math.abs(rng.normal()) : 0;
    out.suction_pressure[i] = suction;
    out.discharge_pressure[i] = suction + head / 2.31 + 0.3 * rng.normal();
    out.flow[i] = flow * (1 + 0.01 * rng.normal());
    out.motor_power[i] =
      ((designKw * speed ** 3) / k('motor_efficiency_factor', 1)) *
      (1 + 0.08 * bearing + 0.08 * mis) *
      (1 + 0.01 * rng.normal());
    out.speed[i] = 100 * speed;
    out.bearing_temperature[i] =
      bearingLag.step(ambient + 45 * speed + 70 * bearing + 20 * mis) + 0.4 * rng.normal();
    out.vibration[i] = clamp(
      vib0 + 0.04 * speed + 0.4 * bearing + 0.35 * mis + cavitation + 0.007 * rng.normal(),
      0.005,
      2,
    );
    out.run_status[i] = 1;
  }
  return out;
};
