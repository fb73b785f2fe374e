// Air handling unit with economizer, cooling and heating coils and a VAV supply fan.
// The fan holds duct static pressure: a loading filter or a slipping belt makes it
// spin faster and draw more power for the same air, until it runs out of speed.
import { clamp, hunting, knob, Lag, type SignalModel, series } from './common.ts';
import { AHU } from './specs.ts';

const KEYS = AHU.sensors.map((s) => s.key);

export const simulateAhu: SignalModel = ({ asset, grid, drivers, knobs, rng }) => {
  const n = grid.t.length;
  const out = series(KEYS, n);
  const designCfm = asset.capacity;
  const designKw = (designCfm / 1000) * rng.uniform(0.9, 1.2);
  const cleanDp = rng.uniform(0.35, 0.6);
  const alwaysOn =
    drivers.site.profile === 'datacenter' || drivers.site.profile === 'hospital' || rng.chance(0.15);
  const zoneSet = rng.uniform(71, 74);
  const phase = rng.uniform(0, 6.28);
  const vib0 = rng.uniform(0.04, 0.07);
  const minOa = rng.uniform(0.15, 0.25);
  const stuckAt = rng.uniform(0.1, 0.3);
  const satLag = new Lag(0.5);
  const ratLag = new Lag(0.1);
  const dpLag = new Lag(0.7);
  for (let i = 0; i < n; i++) {
    const t = grid.t[i];
    const k = (key: string, nom: number) => knob(knobs, key, i, nom);
    const oat = drivers.oat[i];
    const occ = drivers.occupancy[i];
    const running = alwaysOn || occ > 0.05;
    const bias = k('temp_sensor_bias', 0);
    const sp = oat > 60 ? 55 : 55 + Math.min(7, (60 - oat) / 6);
    const rat = ratLag.step(zoneSet + (running ? 0.8 * occ : 2) + 0.03 * (oat - 70) + 0.2 * rng.normal());
    out.return_air_temperature[i] = rat + 0.1 * rng.normal();
    out.outside_air_temperature[i] = oat + 0.3 * rng.normal();
    out.supply_air_setpoint[i] = Math.round(sp * 2) / 2;
    out.return_air_humidity[i] = clamp(
      42 + 0.25 * (drivers.wetBulb[i] - 50) + k('humidity_offset', 0) + 1.2 * rng.normal(),
      5,
      98,
    );
    if (!running) {
      const sat = satLag.step(rat - 1);
      out.supply_air_temperature[i] = sat + bias + 0.1 * rng.normal();
      out.mixed_air_temperature[i] = rat - 0.5 + 0.1 * rng.normal();
      out.supply_static_pressure[i] = Math.max(0, 0.01 * rng.normal());
      out.filter_dp[i] = Math.max(0, dpLag.step(0) + 0.005 * rng.normal());
      out.supply_fan_speed[i] = 0;
      out.supply_fan_power[i] = 0;
      out.supply_air_flow[i] = 0;
      out.cooling_valve[i] = 0;
      out.heating_valve[i] = 0;
      out.outside_air_damper[i] = 0;
      out.fan_vibration[i] = 0.01 + 0.004 * Math.abs(rng.normal());
      out.run_status[i] = 0;
      continue;
    }
    // Economizer: free cooling between 45 and 65 degF outdoors, minimum air otherwise.
    let oaFrac = oat > 45 && oat < 65 ? clamp((rat - sp) / Math.max(1, rat - oat), minOa, 1) : minOa;
    const stuck = k('damper_stuck', 0);
    oaFrac = (1 - stuck) * oaFrac + stuck * stuckAt;
    const mat = oaFrac * oat + (1 - oaFrac) * rat;
    // VAV demand: occupancy and sensible load set the airflow the zones ask for.
    const demand = clamp(0.45 + 0.35 * occ + 0.01 * (oat - 65), 0.35, 1);
    const restriction = 1 + k('filter_loading', 0) * 0.25 + k('duct_restriction', 0) * 0.5;
    const slip = k('belt_slip', 0);
    const speedNeeded = (100 * demand * Math.sqrt(restriction)) / (1 - slip);
    const speed = clamp(speedNeeded, 20, 100);
    const flowFrac = ((speed / 100) * (1 - slip)) / Math.sqrt(restriction);
    const flow = designCfm * flowFrac * (1 + 0.01 * rng.normal());
    const staticSp = 1.5;
    const staticP = staticSp * Math.min(1, speed / speedNeeded) ** 2 + 0.03 * rng.normal();
    const power = (designKw * (speed / 100) ** 2.6 * restriction) / k('fan_efficiency_factor', 1);
    // Coils: fouling cuts capacity, so the valve opens further and may saturate.
    // Coils: the valve opens with the heat to remove (airflow times temperature drop);
    // fouling cuts capacity, so the valve opens further and may run out of travel.
    const fouling = k('coil_fouling', 0);
    const need = mat - sp;
    const coilGain = 3.6 * flowFrac * (1 + 1.2 * fouling);
    let cooling = need > 0 ? clamp(need * coilGain, 0, 100) : 0;
    let heating = need < -0.5 ? clamp(-need * 3 * flowFrac, 0, 100) : 0;
    cooling = clamp(cooling + 8 * k('control_noise', 0) * hunting(t, phase), 0, 100);
    const unmet = need > 0 ? Math.max(0, need - 100 / coilGain) : 0;
    const leak = k('valve_leak', 0);
    heating = clamp(heating, 0, 100);
    const sat = satLag.step(
      sp + unmet - 3 * leak + 1.2 * k('control_noise', 0) * hunting(t, phase + 0.5) + 0.15 * rng.normal(),
    );
    out.supply_air_temperature[i] = sat + bias;
    out.mixed_air_temperature[i] = mat + 0.2 * rng.normal();
    out.supply_static_pressure[i] = Math.max(0, staticP);
    out.filter_dp[i] = Math.max(
      0,
      dpLag.step((cleanDp + k('filter_loading', 0)) * flowFrac ** 2) + 0.01 * rng.normal(),
    );
    out.supply_fan_speed[i] = speed;
    out.supply_fan_power[i] = power * (1 + 0.01 * rng.normal());
    out.supply_air_flow[i] = flow;
    out.cooling_valve[i] = cooling;
    out.heating_valve[i] = heating;
    out.outside_air_damper[i] = 100 * oaFrac;
    out.fan_vibration[i] = clamp(
      vib0 + 0.03 * (speed / 100) + k('fan_vibration_add', 0) + 0.006 * rng.normal(),
      0,
      1.5,
    );
    out.run_status[i] = 1;
  }
  return out;
};
