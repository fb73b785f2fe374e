// Water-cooled centrifugal chiller. Load comes from the site's staging; tonnage sets the
// chilled-water delta T, the condenser rejects tonnage plus compressor heat, and the
// lift between condensing and evaporating refrigerant sets kW/ton. Fouling raises an
// approach, which raises lift, kW/ton and power together, as on a real machine.
import { clamp, hunting, knob, Lag, type SignalModel, series, Wander } from './common.ts';
import { CHILLER } from './specs.ts';

const KEYS = CHILLER.sensors.map((s) => s.key);

export const simulateChiller: SignalModel = ({ asset, grid, drivers, knobs, rng, plant }) => {
  const n = grid.t.length;
  const out = series(KEYS, n);
  const cap = asset.capacity;
  const load = plant.chillerLoad.get(asset.assetId) ?? new Float64Array(n);
  // Healthy characteristics of this machine.
  const designKwPerTon = rng.uniform(0.52, 0.62);
  const evapApproach0 = rng.uniform(1.4, 2.4);
  const condApproach0 = rng.uniform(1.5, 2.8);
  const setpoint0 = Math.round(rng.uniform(42, 45) * 2) / 2;
  const chwFlowDesign = 2.4 * cap;
  const condFlowDesign = 3.0 * cap;
  const condOffset = rng.uniform(-0.6, 0.6);
  const phase = rng.uniform(0, 6.28);
  const vib0 = rng.uniform(0.05, 0.09);
  const purge0 = rng.uniform(1, 3);
  const supplyLag = new Lag(0.5);
  const condLag = new Lag(0.6);
  const offTemp = new Lag(0.05);
  const wander = new Wander(rng, 0.98, 0.15);
  let setpoint = setpoint0;
  for (let i = 0; i < n; i++) {
    const t = grid.t[i];
    // Operators occasionally reset the setpoint by half a degree on hot afternoons.
    if (i % 96 === 0) setpoint = drivers.oat[i] > 85 && rng.chance(0.3) ? setpoint0 - 0.5 : setpoint0;
    const k = (key: string, nom: number) => knob(knobs, key, i, nom);
    const capFactor = k('capacity_factor', 1);
    const towerT = plant.towerLeaving ? plant.towerLeaving[i] : Math.max(65, drivers.wetBulb[i] + 7);
    const condIn = towerT + condOffset;
    const share = load[i];
    const running = share > 0.01;
    const bias = k('temp_sensor_bias', 0);
    const hunt = k('control_noise', 0) * 1.6 * hunting(t, phase);
    if (!running) {
      // Stopped: water temperatures drift to the loop temperature, no power, no flow.
      const loop = offTemp.step(Math.min(62, 50 + 0.15 * (drivers.oat[i] - 50)));
      out.tonnage[i] = 0;
      out.power_input[i] = rng.uniform(0.3, 0.8);
      out.efficiency[i] = 0;
      out.percent_loaded[i] = 0;
      out.supply_temperature[i] = loop + bias + 0.1 * rng.normal();
      out.return_temperature[i] = loop + 0.3 + 0.1 * rng.normal();
      out.setpoint_temperature[i] = setpoint;
      out.chilled_water_flow[i] = 0;
      out.condenser_water_supply_temperature[i] = condIn;
      out.condenser_water_return_temperature[i] = condIn + 0.2 * rng.normal();
      out.condenser_water_flow[i] = 0;
      out.evaporator_refrigerant_temperature[i] = loop - 0.5;
      out.evaporator_approach[i] = out.supply_temperature[i] - out.evaporator_refrigerant_temperature[i];
      out.condenser_approach[i] = 0.5 + 0.1 * rng.normal();
      out.discharge_temperature[i] = 78 + 2 * rng.normal();
      out.vibration[i] = 0.01 + 0.005 * Math.abs(rng.normal());
      out.run_status[i] = 0;
      out.purge_runtime[i] = Math.max(0, purge0 * 0.3 + k('purge_runtime_add', 0) * 0.5 + 0.3 * rng.normal());
      supplyLag.step(loop);
      condLag.step(condIn);
      continue;
    }
    offTemp.step(setpoint + 6);
    // Demand this machine is asked for, and what it can deliver.
    const asked = share * cap;
    const deliverable = cap * capFactor * 1.05;
    const tons = Math.min(asked, deliverable) * (1 + 0.01 * rng.normal()) + wander.step();
    const shortfall = Math.max(0, asked - deliverable) / cap;
    const pct = tons / cap;
    const chwFlow = chwFlowDesign * k('chw_flow_factor', 1) * (1 + 0.005 * rng.normal());
    const deltaT = (24 * tons) / chwFlow;
    // Supply temperature holds setpoint unless capacity runs short or the valve/loop fails.
    const supply = supplyLag.step(setpoint + k('supply_temp_offset', 0) + 12 * shortfall + hunt);
    const ret = supply + deltaT;
    const evapApproach = evapApproach0 * (0.45 + 0.55 * pct) + k('evap_approach_add', 0);
    const evapRef = supply - evapApproach;
    const condFlowFactor = k('cond_flow_factor', 1);
    const condFlow = condFlowDesign * condFlowFactor * (1 + 0.005 * rng.normal());
    const condApproach =
      condApproach0 * (0.45 + 0.55 * pct) +
      k('cond_approach_add', 0) +
      5 * Math.max(0, 1 / condFlowFactor - 1);
    // kW/ton: part-load curve (worst at low load) times lift relative to design lift.
    const partLoad = 0.92 + 0.35 * (pct - 0.75) ** 2 + (pct < 0.3 ? 0.8 * (0.3 - pct) : 0);
    // Heat rejected is tonnage plus compressor work (estimated from the healthy curve).
    const kwGuess = designKwPerTon * partLoad * k('kw_per_ton_factor', 1);
    const condOut = condLag.step(condIn + (24 * tons * (1 + 0.2843 * kwGuess)) / condFlow);
    const lift = condOut + condApproach - evapRef;
    let kwPerTon = designKwPerTon * partLoad * (lift / 52) * k('kw_per_ton_factor', 1);
    kwPerTon *= 1 + 0.015 * rng.normal() + 0.04 * k('control_noise', 0) * hunting(t, phase + 1);
    const power = kwPerTon * tons;
    const measuredSupply = supply + bias + 0.08 * rng.normal();
    out.tonnage[i] = Math.max(0, tons);
    out.power_input[i] = power;
    out.efficiency[i] = tons > 1 ? power / tons : 0;
    out.percent_loaded[i] = 100 * pct;
    out.supply_temperature[i] = measuredSupply;
    out.return_temperature[i] = ret + 0.08 * rng.normal();
    out.setpoint_temperature[i] = setpoint;
    out.chilled_water_flow[i] = chwFlow;
    out.condenser_water_supply_temperature[i] = condIn + 0.1 * rng.normal();
    out.condenser_water_return_temperature[i] = condOut + 0.1 * rng.normal();
    out.condenser_water_flow[i] = condFlow;
    out.evaporator_refrigerant_temperature[i] = evapRef + 0.1 * rng.normal();
    // The building system computes approaches from the measured points.
    out.evaporator_approach[i] = measuredSupply - out.evaporator_refrigerant_temperature[i];
    out.condenser_approach[i] = condApproach + 0.1 * rng.normal();
    out.discharge_temperature[i] =
      condOut + condApproach + 18 + 12 * pct + k('discharge_temp_add', 0) + rng.normal();
    out.vibration[i] = clamp(vib0 + 0.03 * pct + k('vibration_add', 0) + 0.008 * rng.normal(), 0.005, 2);
    out.run_status[i] = 1;
    out.purge_runtime[i] = clamp(purge0 + k('purge_runtime_add', 0) + 0.5 * rng.normal(), 0, 60);
  }
  return out;
};
