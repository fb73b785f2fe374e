// Hot-water boiler with a modulating burner and an outdoor-air reset setpoint. Soot on
// the fire side or scale on the water side pushes stack temperature up and efficiency
// down (more gas for the same heat); a burner out of tune shows as excess flue O2.
import { clamp, knob, Lag, type SignalModel, series } from './common.ts';
import { BOILER } from './specs.ts';

const KEYS = BOILER.sensors.map((s) => s.key);

export const simulateBoiler: SignalModel = ({ asset, grid, drivers, knobs, rng, plant }) => {
  const n = grid.t.length;
  const out = series(KEYS, n);
  const load = plant.boilerLoad.get(asset.assetId) ?? new Float64Array(n);
  const maxGasCfh = asset.capacity; // MBH of input is about cfh of natural gas
  const stack0 = rng.uniform(300, 340);
  const o2base = rng.uniform(3, 4);
  const pressure0 = rng.uniform(25, 35);
  const supplyLag = new Lag(0.4);
  const stackLag = new Lag(0.5);
  let tripLeft = 0;
  // Hidden series: the boiler is enabled when staged on; rules ignore a boiler that is off by design.
  const enabled = new Float64Array(n);
  out._enabled = enabled;
  for (let i = 0; i < n; i++) {
    const k = (key: string, nom: number) => knob(knobs, key, i, nom);
    const oat = drivers.oat[i];
    const setpoint = clamp(180 - (oat - 0) * (40 / 60), 140, 180);
    out.supply_setpoint[i] = Math.round(setpoint);
    out.water_pressure[i] =
      pressure0 - k('pressure_loss', 0) + 0.02 * (supplyLag.step(setpoint) - 160) + 0.2 * rng.normal();
    // Flame failures: with an ignition fault the burner locks out until someone resets it.
    enabled[i] = load[i] > 0 ? 1 : 0;
    if (tripLeft > 0) tripLeft--;
    else if (load[i] > 0 && rng.chance(0.02 * k('ignition_fault', 0))) tripLeft = rng.int(4, 24);
    const firing = load[i] > 0 && tripLeft === 0;
    const rate = firing ? clamp(100 * load[i], 20, 100) : 0;
    const fire = k('fireside_fouling', 0);
    const scale = k('waterside_scale', 0);
    const excess = k('excess_air_add', 0);
    const efficiency = 0.86 - 0.07 * fire - 0.05 * scale - 0.012 * excess;
    if (!firing) {
      const supply = supplyLag.step(load[i] > 0 ? setpoint - 12 : Math.max(75, setpoint - 40));
      out.supply_water_temperature[i] = supply + k('temp_sensor_bias', 0) + 0.3 * rng.normal();
      out.return_water_temperature[i] = supply - 3 + 0.3 * rng.normal();
      out.firing_rate[i] = 0;
      out.gas_flow[i] = 0;
      out.stack_temperature[i] = stackLag.step(90 + 0.3 * (oat - 50)) + rng.normal();
      out.flue_o2[i] = clamp(20.5 + 0.1 * rng.normal(), 0, 21);
      out.run_status[i] = 0;
      continue;
    }
    const supply = supplyLag.step(setpoint + 0.8 * rng.normal());
    out.supply_water_temperature[i] = supply + k('temp_sensor_bias', 0);
    out.return_water_temperature[i] = supply - 8 - 14 * (rate / 100) + 0.4 * rng.normal();
    out.firing_rate[i] = rate;
    out.gas_flow[i] = ((maxGasCfh * rate) / 100) * (0.86 / efficiency) * (1 + 0.01 * rng.normal());
    out.stack_temperature[i] =
      stackLag.step(stack0 + 0.9 * (rate - 50) + 110 * fire + 65 * scale + 7 * excess) + 1.5 * rng.normal();
    out.flue_o2[i] = clamp(o2base + excess + 1.5 * (1 - rate / 100) + 0.15 * rng.normal(), 0.2, 21);
    out.run_status[i] = 1;
  }
  return out;
};
