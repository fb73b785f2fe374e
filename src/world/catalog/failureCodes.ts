// Failure and maintenance codes written on work orders. Two levels, as in a CMMS:
// a primary code (`M001`, `OP02`, `MT006`) and secondary codes under it (`M001a`).
// Corrective work uses the failure categories; planned work uses the MT codes.
// Letters are spelled out (not generated) so a code never shifts meaning when a row is inserted.
import type { FailureCodeSpec } from '../types.ts';

function group(
  category: string,
  primaryCode: string,
  primaryDescription: string,
  secondaries: [letter: string, description: string][],
): FailureCodeSpec[] {
  return secondaries.map(([letter, secondaryDescription]) => ({
    category,
    primaryCode,
    primaryDescription,
    secondaryCode: primaryCode + letter,
    secondaryDescription,
  }));
}

const MECH = 'Structural and Mechanical';
const ELEC = 'Electrical';
const CTRL = 'Control and Instrumentation';
const LEAK = 'Leaks';
const OPER = 'Operational';
const CORR = 'Corrosion and Erosion';
const FOUL = 'Fouling and Contamination';
const HUMAN = 'Human and Procedural';
const EXT = 'External';
const MAINT = 'Maintenance and Planned Work';

export const FAILURE_CODES: FailureCodeSpec[] = [
  // Structural and mechanical
  ...group(MECH, 'M001', 'Bearing Failure', [
    ['a', 'Compressor Bearing Wear'],
    ['b', 'Motor Bearing Wear'],
    ['c', 'Fan Bearing Wear'],
    ['d', 'Pump Bearing Wear'],
    ['e', 'Airend Bearing Wear'],
  ]),
  ...group(MECH, 'M002', 'Misalignment', [
    ['a', 'Shaft Coupling Misalignment'],
    ['b', 'Soft Foot or Loose Base'],
    ['c', 'Belt and Sheave Misalignment'],
  ]),
  ...group(MECH, 'M003', 'Overheating', [
    ['a', 'Compressor Overheating'],
    ['b', 'Motor Overheating'],
  ]),
  ...group(MECH, 'M004', 'Vibration and Imbalance', [
    ['a', 'Rotor or Wheel Imbalance'],
    ['b', 'Mechanical Looseness'],
  ]),
  ...group(MECH, 'M005', 'Drive Train Wear', [
    ['a', 'Belt Worn or Slipping'],
    ['b', 'Sheave Groove Wear'],
    ['c', 'Gear Tooth Wear'],
  ]),
  ...group(MECH, 'M006', 'Seal Failure', [
    ['a', 'Mechanical Seal Worn'],
    ['b', 'Gasket or O-Ring Failure'],
  ]),
  ...group(MECH, 'M007', 'Valve and Damper Mechanical Failure', [
    ['a', 'Valve Seat Worn'],
    ['b', 'Valve Stem Binding'],
    ['c', 'Broken Valve Spring'],
    ['d', 'Damper Linkage Seized'],
    ['e', 'Diaphragm Ruptured'],
  ]),
  ...group(MECH, 'M008', 'Impeller and Blade Damage', [
    ['a', 'Impeller Wear'],
    ['b', 'Fan Blade Damage'],
  ]),
  ...group(MECH, 'M009', 'Auxiliary Equipment Failure', [
    ['a', 'Air Dryer Failure'],
    ['b', 'Condensate Drain Trap Failure'],
  ]),

  // Electrical
  ...group(ELEC, 'E001', 'Motor Winding Failure', [
    ['a', 'Insulation Breakdown'],
    ['b', 'Turn-to-Turn Short'],
  ]),
  ...group(ELEC, 'E002', 'Variable Frequency Drive Failure', [
    ['a', 'Drive Fault Trip'],
    ['b', 'Drive Component Failure'],
    ['c', 'Drive Parameters Lost'],
  ]),
  ...group(ELEC, 'E003', 'Power Quality', [
    ['a', 'Undervoltage'],
    ['b', 'Voltage Surge'],
  ]),
  ...group(ELEC, 'E004', 'Control Circuit Failure', [
    ['a', 'Contactor Failure'],
    ['b', 'Relay Failure'],
  ]),
  ...group(ELEC, 'E005', 'Ignition System Failure', [
    ['a', 'Igniter Failure'],
    ['b', 'Flame Sensor Fouled or Cracked'],
  ]),

  // Control and instrumentation
  ...group(CTRL, 'CS01', 'Calibration Drift', [
    ['a', 'Temperature Sensor Drift'],
    ['b', 'Pressure Transmitter Drift'],
    ['c', 'Flow Meter Drift'],
  ]),
  ...group(CTRL, 'CS02', 'Sensor Failure', [
    ['a', 'Temperature Sensor Failed'],
    ['b', 'Pressure Sensor Failed'],
  ]),
  ...group(CTRL, 'CS03', 'Actuator Failure', [
    ['a', 'Valve Actuator Failure'],
    ['b', 'Damper Actuator Failure'],
  ]),
  ...group(CTRL, 'CS04', 'Control Loop Problem', [
    ['a', 'Loop Hunting'],
    ['b', 'Control Loop Failure'],
    ['c', 'Incorrect Reset Schedule'],
  ]),
  ...group(CTRL, 'CS05', 'Controller Failure', [
    ['a', 'Controller Program Error'],
    ['b', 'Control Panel Component Failure'],
  ]),
  ...group(CTRL, 'CS06', 'Safety Device Trip', [
    ['a', 'Flame Safeguard Lockout'],
    ['b', 'Low Water Cutoff Trip'],
    ['c', 'High Pressure Cutout'],
  ]),

  // Leaks
  ...group(LEAK, 'L001', 'Refrigerant Leak', [
    ['a', 'Small Leak'],
    ['b', 'Large Leak'],
    ['c', 'Leak at Valve or Fitting'],
  ]),
  ...group(LEAK, 'L002', 'Water Leak', [
    ['a', 'Condenser Tube Leak'],
    ['b', 'Evaporator Tube Leak'],
    ['c', 'Piping or Valve Body Leak'],
  ]),
  ...group(LEAK, 'L003', 'Air or Gas Leak', [
    ['a', 'Compressed Air Distribution Leak'],
    ['b', 'Air Ingress Into Refrigerant Circuit'],
  ]),
  ...group(LEAK, 'L004', 'Oil Leak', [
    ['a', 'Compressor Oil Leak'],
    ['b', 'Gearbox Oil Leak'],
  ]),

  // Operational
  ...group(OPER, 'OP01', 'Flow Problem', [
    ['a', 'Low Flow'],
    ['b', 'Flow Imbalance Between Units'],
    ['c', 'Flow Rate Set Incorrectly'],
  ]),
  ...group(OPER, 'OP02', 'Blockage', [
    ['a', 'Strainer Clogged'],
    ['b', 'Expansion Device Restricted'],
    ['c', 'Spray Nozzle Clogged'],
    ['d', 'Duct or Damper Obstruction'],
  ]),
  ...group(OPER, 'OP03', 'Abnormal Cycling', [
    ['a', 'Short Cycling'],
    ['b', 'Surging'],
    ['c', 'Load or Unload Valve Malfunction'],
  ]),
  ...group(OPER, 'OP04', 'Pressure or Level Loss', [
    ['a', 'System Pressure Low'],
    ['b', 'Basin Level Low'],
    ['c', 'Makeup Water Valve Failure'],
  ]),
  ...group(OPER, 'OP05', 'Cavitation', [['a', 'Suction Cavitation']]),
  ...group(OPER, 'OP06', 'Combustion Problem', [
    ['a', 'Excess Air High'],
    ['b', 'Flame Instability'],
  ]),

  // Corrosion and erosion
  ...group(CORR, 'C001', 'Corrosion', [
    ['a', 'Tube Corrosion'],
    ['b', 'Casing or Frame Corrosion'],
    ['c', 'Linkage and Fastener Corrosion'],
    ['d', 'Coil Fin Corrosion'],
  ]),
  ...group(CORR, 'C002', 'Erosion', [
    ['a', 'Impeller Erosion'],
    ['b', 'Tube Inlet Erosion'],
  ]),

  // Fouling and contamination
  ...group(FOUL, 'F001', 'Water-Side Fouling', [
    ['a', 'Condenser Tube Fouling'],
    ['b', 'Evaporator Tube Fouling'],
    ['c', 'Boiler Water-Side Scale'],
    ['d', 'Tower Fill Scale and Biofilm'],
  ]),
  ...group(FOUL, 'F002', 'Air-Side Fouling', [
    ['a', 'Filter Loading'],
    ['b', 'Coil Fouling'],
    ['c', 'Fan Wheel Dirt Build-Up'],
    ['d', 'Cooler Core Fouling'],
  ]),
  ...group(FOUL, 'F003', 'Fire-Side Fouling', [
    ['a', 'Soot Build-Up'],
    ['b', 'Burner Head Fouling'],
  ]),
  ...group(FOUL, 'F004', 'Contamination', [
    ['a', 'Lubricant Degraded'],
    ['b', 'Moisture in System'],
    ['c', 'Water Chemistry Out of Range'],
    ['d', 'Biological Growth'],
  ]),

  // Human and procedural
  ...group(HUMAN, 'H001', 'Improper Operation', [
    ['a', 'Wrong Setpoint Entered'],
    ['b', 'Valve Left Mispositioned'],
  ]),
  ...group(HUMAN, 'H002', 'Improper Maintenance', [
    ['a', 'Incorrect Reassembly'],
    ['b', 'Missed Lubrication'],
    ['c', 'Wrong Part Installed'],
  ]),

  // External
  ...group(EXT, 'EX01', 'Weather', [
    ['a', 'Freeze Damage'],
    ['b', 'Extreme Heat'],
    ['c', 'Storm Debris'],
  ]),
  ...group(EXT, 'EX02', 'Utility Interruption', [
    ['a', 'Water Supply Interruption'],
    ['b', 'Power Outage'],
  ]),
  ...group(EXT, 'EX03', 'Physical Damage', [['a', 'Impact Damage']]),

  // Planned work (preventive maintenance and routine checks)
  ...group(MAINT, 'MT001', 'Routine Maintenance', [
    ['a', 'Scheduled Maintenance'],
    ['b', 'Unscheduled Maintenance'],
    ['c', 'Seasonal Start-Up'],
    ['d', 'Seasonal Shutdown'],
  ]),
  ...group(MAINT, 'MT002', 'Inspection', [
    ['a', 'Visual Inspection'],
    ['b', 'Operating Inspection'],
    ['c', 'Annual Statutory Inspection'],
    ['d', 'Safety Controls Test'],
  ]),
  ...group(MAINT, 'MT003', 'Lubrication', [
    ['a', 'Bearing Lubrication'],
    ['b', 'Oil and Filter Change'],
    ['c', 'Gearbox Oil Change'],
  ]),
  ...group(MAINT, 'MT004', 'Oil Analysis', [['a', 'Routine Oil Sample']]),
  ...group(MAINT, 'MT005', 'Vibration Analysis', [['a', 'Routine Vibration Survey']]),
  ...group(MAINT, 'MT006', 'Cleaning', [
    ['a', 'Condenser Tube Brushing'],
    ['b', 'Evaporator Tube Cleaning'],
    ['c', 'Coil Cleaning'],
    ['d', 'Basin and Fill Cleaning'],
    ['e', 'Fire-Side Cleaning'],
  ]),
  ...group(MAINT, 'MT007', 'Filter Replacement', [
    ['a', 'Air Filter Replacement'],
    ['b', 'Intake Filter Replacement'],
    ['c', 'Strainer Cleaning'],
  ]),
  ...group(MAINT, 'MT008', 'Belt Service', [['a', 'Belt Inspection and Replacement']]),
  ...group(MAINT, 'MT009', 'Water Treatment', [
    ['a', 'Chemical Test and Adjustment'],
    ['b', 'Blowdown Controller Check'],
  ]),
  ...group(MAINT, 'MT010', 'Calibration', [['a', 'Sensor Calibration']]),
  ...group(MAINT, 'MT011', 'Combustion Tuning', [
    ['a', 'Combustion Analysis'],
    ['b', 'Burner Tune-Up'],
  ]),
  ...group(MAINT, 'MT012', 'Refrigerant Work', [
    ['a', 'Refrigerant Level Check'],
    ['b', 'Refrigerant Addition'],
    ['c', 'Leak Test'],
  ]),
  ...group(MAINT, 'MT013', 'Compressed Air Service', [
    ['a', 'Drain Trap Test'],
    ['b', 'Dryer Service'],
    ['c', 'Leak Survey'],
  ]),
];
