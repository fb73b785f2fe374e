// The six asset classes: their sensors (what the building system logs) and their
// knobs (hidden physical parameters that degradation moves). The signal models in
// this folder read the knobs and write the sensors.
import type { AssetClassId, AssetClassSpec, KnobSpec, SensorSpec } from '../types.ts';

function s(
  key: string,
  label: string,
  unit: string,
  min: number,
  max: number,
  decimals: number,
  description: string,
  extra: Partial<SensorSpec> = {},
): SensorSpec {
  return { key, label, unit, intervalMinutes: 15, min, max, decimals, description, ...extra };
}

function k(key: string, nominal: number, unit: string, description: string): KnobSpec {
  return { key, nominal, unit, description };
}

// Knobs every class shares: sensor faults modelled as physics of the instrument.
const instrumentKnobs: KnobSpec[] = [
  k('temp_sensor_bias', 0, 'degF', 'Calibration offset of the main temperature transmitter'),
  k('control_noise', 0, 'ratio', 'Extra hunting of control loops (0 = stable, 1 = strong oscillation)'),
];

export const CHILLER: AssetClassSpec = {
  id: 'chiller',
  displayName: 'Chiller',
  equipmentPrefix: 'CWC',
  capacity: { min: 400, max: 1200, unit: 'tons' },
  sensors: [
    s('tonnage', 'Tonnage', 'tons', 0, 1500, 1, 'Cooling delivered, from chilled-water flow and delta T'),
    s('power_input', 'Power Input', 'kW', 0, 1400, 1, 'Electrical power drawn by the compressor'),
    s('efficiency', 'Chiller Efficiency', 'kW/ton', 0, 3, 3, 'Power input divided by tonnage', {
      calculated: true,
    }),
    s('percent_loaded', 'Chiller % Loaded', '%', 0, 120, 1, 'Tonnage as a share of rated capacity'),
    s('supply_temperature', 'Supply Temperature', 'degF', 34, 70, 2, 'Chilled water leaving the evaporator'),
    s(
      'return_temperature',
      'Return Temperature',
      'degF',
      34,
      80,
      2,
      'Chilled water returning from the plant',
    ),
    s('setpoint_temperature', 'Setpoint Temperature', 'degF', 38, 55, 1, 'Chilled water supply setpoint', {
      intervalMinutes: 60,
    }),
    s('chilled_water_flow', 'Chilled Water Flow', 'gpm', 0, 4000, 0, 'Flow through the evaporator'),
    s(
      'condenser_water_supply_temperature',
      'Condenser Water Supply Temperature',
      'degF',
      50,
      105,
      2,
      'Water entering the condenser from the cooling tower',
    ),
    s(
      'condenser_water_return_temperature',
      'Condenser Water Return To Tower Temperature',
      'degF',
      50,
      120,
      2,
      'Water leaving the condenser back to the tower',
    ),
    s('condenser_water_flow', 'Condenser Water Flow', 'gpm', 0, 5000, 0, 'Flow through the condenser'),
    s(
      'evaporator_refrigerant_temperature',
      'Liquid Refrigerant Evaporator Temperature',
      'degF',
      20,
      60,
      2,
      'Saturated refrigerant temperature in the evaporator',
    ),
    s(
      'evaporator_approach',
      'Evaporator Approach Temperature',
      'degF',
      0,
      20,
      2,
      'Chilled water supply minus evaporator refrigerant temperature',
      { calculated: true },
    ),
    s(
      'condenser_approach',
      'Condenser Approach Temperature',
      'degF',
      0,
      25,
      2,
      'Condensing refrigerant temperature minus condenser water leaving temperature',
      { calculated: true },
    ),
    s(
      'discharge_temperature',
      'Compressor Discharge Temperature',
      'degF',
      60,
      260,
      1,
      'Refrigerant gas leaving the compressor',
    ),
    s('vibration', 'Compressor Vibration', 'in/s', 0, 2, 3, 'Overall velocity at the compressor bearing'),
    s('run_status', 'Run Status', 'on/off', 0, 1, 0, 'Compressor running (1) or stopped (0)'),
    s('purge_runtime', 'Purge Run Time', 'min/h', 0, 60, 1, 'Minutes per hour the purge unit ran', {
      intervalMinutes: 60,
    }),
  ],
  knobs: [
    k('cond_approach_add', 0, 'degF', 'Extra condenser approach from water-side fouling or scale'),
    k('evap_approach_add', 0, 'degF', 'Extra evaporator approach from fouling or low charge'),
    k('cond_flow_factor', 1, 'ratio', 'Condenser water flow relative to design'),
    k('chw_flow_factor', 1, 'ratio', 'Chilled water flow relative to design'),
    k('kw_per_ton_factor', 1, 'ratio', 'Compressor energy use relative to healthy'),
    k('discharge_temp_add', 0, 'degF', 'Extra compressor discharge temperature'),
    k('vibration_add', 0, 'in/s', 'Extra bearing vibration'),
    k('purge_runtime_add', 0, 'min/h', 'Extra purge operation from air or moisture leaking in'),
    k('capacity_factor', 1, 'ratio', 'Available cooling capacity relative to rated'),
    k('supply_temp_offset', 0, 'degF', 'Failure to hold the chilled water setpoint (positive = warm)'),
    ...instrumentKnobs,
  ],
};

export const AHU: AssetClassSpec = {
  id: 'ahu',
  displayName: 'AHU',
  equipmentPrefix: 'AHU',
  capacity: { min: 8000, max: 40000, unit: 'cfm' },
  sensors: [
    s('supply_air_temperature', 'Supply Air Temperature', 'degF', 40, 90, 2, 'Air leaving the unit'),
    s('return_air_temperature', 'Return Air Temperature', 'degF', 55, 90, 2, 'Air returning from the zones'),
    s('mixed_air_temperature', 'Mixed Air Temperature', 'degF', 20, 100, 2, 'Return and outside air mix'),
    s('outside_air_temperature', 'Outside Air Temperature', 'degF', -20, 115, 2, 'Local outdoor sensor'),
    s('supply_air_setpoint', 'Supply Air Temperature Setpoint', 'degF', 50, 70, 1, 'Discharge setpoint', {
      intervalMinutes: 60,
    }),
    s('supply_static_pressure', 'Supply Air Static Pressure', 'inH2O', 0, 4, 3, 'Duct static pressure'),
    s('filter_dp', 'Filter Differential Pressure', 'inH2O', 0, 3, 3, 'Pressure drop across the filter bank'),
    s('supply_fan_speed', 'Supply Fan Speed', '%', 0, 100, 1, 'Variable speed drive output'),
    s('supply_fan_power', 'Supply Fan Power', 'kW', 0, 60, 2, 'Electrical power of the supply fan'),
    s('supply_air_flow', 'Supply Air Flow', 'cfm', 0, 45000, 0, 'Airflow measured at the fan inlet'),
    s('cooling_valve', 'Cooling Coil Valve Position', '%', 0, 100, 1, 'Chilled water valve command'),
    s('heating_valve', 'Heating Coil Valve Position', '%', 0, 100, 1, 'Hot water or steam valve command'),
    s('outside_air_damper', 'Outside Air Damper Position', '%', 0, 100, 1, 'Economizer damper command'),
    s('return_air_humidity', 'Return Air Humidity', '%RH', 0, 100, 1, 'Relative humidity of return air'),
    s('fan_vibration', 'Supply Fan Vibration', 'in/s', 0, 1.5, 3, 'Velocity at the fan bearing'),
    s('run_status', 'Run Status', 'on/off', 0, 1, 0, 'Supply fan running (1) or stopped (0)'),
  ],
  knobs: [
    k('filter_loading', 0, 'inH2O', 'Extra pressure drop from a loading filter'),
    k('coil_fouling', 0, 'ratio', 'Air-side fouling of the coils (0 clean, 1 heavily fouled)'),
    k('fan_efficiency_factor', 1, 'ratio', 'Fan and drive efficiency relative to healthy (lower = worse)'),
    k('belt_slip', 0, 'ratio', 'Belt slip: share of fan speed lost between motor and fan'),
    k('fan_vibration_add', 0, 'in/s', 'Extra bearing vibration'),
    k('damper_stuck', 0, 'ratio', 'Outside air damper stuck (1 = fully seized at its last position)'),
    k('valve_leak', 0, 'ratio', 'Cooling valve passing when closed, or heating valve leaking'),
    k(
      'humidity_offset',
      0,
      '%RH',
      'Humidity drifting from control (humidifier scale, dehumidification loss)',
    ),
    k('duct_restriction', 0, 'ratio', 'Added duct resistance (fouled ducts, closed fire damper)'),
    ...instrumentKnobs,
  ],
};

export const PUMP: AssetClassSpec = {
  id: 'pump',
  displayName: 'Pump',
  equipmentPrefix: 'PMP',
  capacity: { min: 500, max: 3000, unit: 'gpm' },
  sensors: [
    s('discharge_pressure', 'Discharge Pressure', 'psi', 0, 150, 2, 'Pressure at the pump outlet'),
    s('suction_pressure', 'Suction Pressure', 'psi', 0, 60, 2, 'Pressure at the pump inlet'),
    s('flow', 'Flow', 'gpm', 0, 3500, 0, 'Water flow delivered'),
    s('motor_power', 'Motor Power', 'kW', 0, 120, 2, 'Electrical power of the motor'),
    s('speed', 'Drive Speed', '%', 0, 100, 1, 'Variable frequency drive output'),
    s('bearing_temperature', 'Bearing Temperature', 'degF', 50, 250, 1, 'Motor drive-end bearing'),
    s('vibration', 'Vibration', 'in/s', 0, 2, 3, 'Overall velocity at the pump bearing'),
    s('run_status', 'Run Status', 'on/off', 0, 1, 0, 'Pump running (1) or stopped (0)'),
  ],
  knobs: [
    k('impeller_wear', 0, 'ratio', 'Loss of head from impeller wear (0 new, 1 badly worn)'),
    k('seal_leak', 0, 'ratio', 'Mechanical seal leakage'),
    k('bearing_wear', 0, 'ratio', 'Bearing wear: heat and vibration'),
    k('misalignment', 0, 'ratio', 'Shaft misalignment: vibration at running speed'),
    k('suction_restriction', 0, 'ratio', 'Clogged strainer or closed suction valve (cavitation risk)'),
    k('motor_efficiency_factor', 1, 'ratio', 'Motor efficiency relative to healthy'),
    ...instrumentKnobs,
  ],
};

export const COOLING_TOWER: AssetClassSpec = {
  id: 'cooling_tower',
  displayName: 'Cooling Tower',
  equipmentPrefix: 'CTW',
  capacity: { min: 600, max: 2500, unit: 'tons' },
  sensors: [
    s('leaving_water_temperature', 'Leaving Water Temperature', 'degF', 40, 105, 2, 'Cold basin water'),
    s(
      'entering_water_temperature',
      'Entering Water Temperature',
      'degF',
      40,
      120,
      2,
      'Hot water from the condensers',
    ),
    s('approach', 'Approach Temperature', 'degF', 0, 30, 2, 'Leaving water minus outdoor wet bulb', {
      calculated: true,
    }),
    s('fan_speed', 'Fan Speed', '%', 0, 100, 1, 'Fan drive output'),
    s('fan_power', 'Fan Power', 'kW', 0, 80, 2, 'Electrical power of the fan'),
    s('fan_vibration', 'Fan Vibration', 'in/s', 0, 2, 3, 'Velocity at the gearbox'),
    s('basin_level', 'Basin Level', '%', 0, 100, 1, 'Water level in the cold basin'),
    s('conductivity', 'Conductivity', 'uS/cm', 200, 6000, 0, 'Conductivity of the basin water', {
      intervalMinutes: 60,
    }),
  ],
  knobs: [
    k('fill_fouling', 0, 'ratio', 'Scale and biofilm on the fill (raises approach)'),
    k('fan_efficiency_factor', 1, 'ratio', 'Fan and gearbox efficiency relative to healthy'),
    k('gearbox_wear', 0, 'ratio', 'Gearbox wear: vibration'),
    k('makeup_fault', 0, 'ratio', 'Makeup water valve failing (basin level falls)'),
    k('blowdown_fault', 0, 'ratio', 'Blowdown not running (conductivity climbs)'),
    k('nozzle_clogging', 0, 'ratio', 'Clogged distribution nozzles (uneven flow, higher approach)'),
    ...instrumentKnobs,
  ],
};

export const BOILER: AssetClassSpec = {
  id: 'boiler',
  displayName: 'Boiler',
  equipmentPrefix: 'BLR',
  capacity: { min: 2000, max: 10000, unit: 'MBH' },
  sensors: [
    s(
      'supply_water_temperature',
      'Supply Water Temperature',
      'degF',
      60,
      220,
      2,
      'Hot water leaving the boiler',
    ),
    s('return_water_temperature', 'Return Water Temperature', 'degF', 60, 200, 2, 'Hot water returning'),
    s('supply_setpoint', 'Supply Water Setpoint', 'degF', 120, 200, 1, 'Reset schedule setpoint', {
      intervalMinutes: 60,
    }),
    s('firing_rate', 'Firing Rate', '%', 0, 100, 1, 'Burner modulation'),
    s('gas_flow', 'Gas Flow', 'cfh', 0, 12000, 0, 'Natural gas consumption'),
    s('stack_temperature', 'Stack Temperature', 'degF', 60, 600, 1, 'Flue gas leaving the boiler'),
    s('flue_o2', 'Flue Gas O2', '%', 0, 21, 2, 'Excess oxygen in the flue gas'),
    s('water_pressure', 'Water Pressure', 'psi', 0, 80, 2, 'System pressure at the boiler'),
    s('run_status', 'Run Status', 'on/off', 0, 1, 0, 'Burner firing (1) or off (0)'),
  ],
  knobs: [
    k('fireside_fouling', 0, 'ratio', 'Soot on the fire side (higher stack temperature, lower efficiency)'),
    k('waterside_scale', 0, 'ratio', 'Scale on the water side (higher stack temperature)'),
    k('excess_air_add', 0, '% O2', 'Burner out of tune: extra excess air'),
    k('pressure_loss', 0, 'psi', 'Loss of system pressure from a leak or a failed fill valve'),
    k('ignition_fault', 0, 'ratio', 'Flame failures: the burner trips and short-cycles'),
    ...instrumentKnobs,
  ],
};

export const AIR_COMPRESSOR: AssetClassSpec = {
  id: 'air_compressor',
  displayName: 'Air Compressor',
  equipmentPrefix: 'ACP',
  capacity: { min: 200, max: 1200, unit: 'scfm' },
  sensors: [
    s('discharge_pressure', 'Discharge Pressure', 'psig', 0, 150, 2, 'Plant air header pressure'),
    s('motor_power', 'Motor Power', 'kW', 0, 250, 2, 'Electrical power of the motor'),
    s('air_flow', 'Air Flow', 'scfm', 0, 1400, 0, 'Air delivered'),
    s('discharge_temperature', 'Discharge Temperature', 'degF', 60, 260, 1, 'Air leaving the airend'),
    s('oil_temperature', 'Oil Temperature', 'degF', 60, 240, 1, 'Lubricant leaving the cooler'),
    s('vibration', 'Vibration', 'in/s', 0, 2, 3, 'Velocity at the airend bearing'),
    s('load_percent', 'Load', '%', 0, 100, 1, 'Share of time loaded'),
    s('dew_point', 'Pressure Dew Point', 'degF', -40, 80, 1, 'After the dryer'),
  ],
  knobs: [
    k('air_leak', 0, 'ratio', 'Leaks in the distribution system (more flow and load for the same use)'),
    k('cooler_fouling', 0, 'ratio', 'Fouled oil or after-cooler (higher oil and discharge temperature)'),
    k('intake_filter_loading', 0, 'ratio', 'Clogged intake filter (less flow, more power per scfm)'),
    k('bearing_wear', 0, 'ratio', 'Airend bearing wear: vibration and heat'),
    k('dryer_fault', 0, 'ratio', 'Dryer failing (dew point rises)'),
    k('valve_fault', 0, 'ratio', 'Inlet or blowdown valve fault (pressure swings, unloaded running)'),
    ...instrumentKnobs,
  ],
};

export const CLASS_SPECS: Record<AssetClassId, AssetClassSpec> = {
  chiller: CHILLER,
  ahu: AHU,
  pump: PUMP,
  cooling_tower: COOLING_TOWER,
  boiler: BOILER,
  air_compressor: AIR_COMPRESSOR,
};

export function sensorSpec(assetClass: AssetClassId, key: string): SensorSpec {
  const spec = CLASS_SPECS[assetClass].sensors.find((x) => x.key === key);
  if (!spec) throw new Error(`asset class ${assetClass} has no sensor ${key}`);
  return spec;
}
