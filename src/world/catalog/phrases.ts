// Text banks for work-order descriptions. Technicians write in many registers: terse
// shorthand, full sentences, the odd typo. The generator picks one variant and fills
// `{asset}` (asset name) and `{component}` (the failure mode's component).
// Typos are deliberate; keep them.

export const CORRECTIVE_PHRASES: Record<string, string[]> = {
  // Chiller
  'FM-CH-01': [
    '{asset} compressor running hot, disch temp high. Chk cond side and oil cooler, reset and monitor.',
    'Compressor overheating alarm on {asset}. Found high discharge temperature under load; cleaned oil cooler strainer and verified motor cooling.',
    'CHLR hi disch temp trip - {component}. inspected, replaced faulty cooling solenoid, restarted ok',
    'Investigate compresser overheating on {asset}, discharge temp trending 30F above normal.',
  ],
  'FM-CH-02': [
    'High vibration on {asset} motor. Replace worn bearings, realign, check amps after.',
    '{asset} - {component} noisy, vib reading 0.45 in/s. repl brgs per vibration report',
    'Motor bearing worn on {asset}, vibration trending up for weeks. Bearings replaced and greased, readings back to normal.',
    "CHLR motor brg noise. pulled motor, new bearings installed, vib chk'd OK",
  ],
  'FM-CH-03': [
    'Evap approach high on {asset}. Isolate, open evaporator heads and clean tubes.',
    '{asset} evaporator tubes fouled - approach up ~6F. Brushed tubes, new head gaskets.',
    'Clean evaporater tubes {asset}, poor heat transfer noted by BAS',
    'Evaporator water side dirty on {asset}. Drained, cleaned tubes, refilled and verified approach back within 2-3F.',
  ],
  'FM-CH-04': [
    'Condenser approach high on {asset}, kW/ton up. Pull heads and brush condenser tubes.',
    '{asset} cond tubes plugged/scaled. rod out tubes, reinstall heads, new gaskets',
    'Condenser fouling {asset} - cleaned tubes, notify water treatment vendor re: scale.',
    'Perform condensor tube cleaning on {asset} due to high approach temp and poor efficency.',
  ],
  'FM-CH-05': [
    'Low condenser water flow on {asset}. Found isolation valve partly closed, opened fully, flow restored.',
    "{asset} CW flow low, cond approach up. chk'd strainer + valves, balanced flow",
    'Condenser water flow below design at {asset}; cleaned tower pump strainer and rebalanced.',
    'Investigate improper cond water flow {asset} - reset balancing valve to design gpm',
  ],
  'FM-CH-06': [
    'Purge running excessively on {asset}. Leak check low side, tighten flanges, service purge.',
    '{asset} purge runtime high (20+ min/hr). found leaking gasket on {component}, repl.',
    'Excessive purge {asset} - air leaking in. pressure test, replaced purge filter drier',
    'Purge unit on {asset} running nearly constant; located and repaired air leak, purge time back to normal.',
  ],
  'FM-CH-07': [
    '{asset} not making setpoint. Refrigerant control valve spring broken, replaced valve.',
    'CHW temp high on {asset}, control vlv not modulating. repl spring kit',
    'Chiller {asset} unable to hold chilled water setpoint. Diagnosed failed spring in refrigerant-operated control valve and rebuilt valve.',
    'Setpoint attainment alarm {asset} - replace faulty control valve on {component}',
  ],
  'FM-CH-08': [
    'Low refrigerant charge on {asset}. Leak check, repair leak, add refrigerant.',
    '{asset} low evap temp / high approach. found small leak at flare, repaired, added charge',
    'Refrigerant leak {asset} - leak tested, tightened fittings, recharged to spec.',
    'Add refrigerant to {asset} and find leak. evap approach creeping up last few weeks',
  ],
  'FM-CH-09': [
    'Compressor bearing failure on {asset}. Remove compressor, replace bearings, align and test.',
    '{asset} comp vib high 0.5+ in/s, brg failing. Sched overhaul of {component}.',
    'CHLR compressor brg replacement, machine down approx 1 wk',
    'Replace compresser motor bearings {asset}, vibration analysis confirmed bearing defect frequencies.',
  ],
  'FM-CH-10': [
    'Expansion valve restricted on {asset}. Replace valve and filter drier, evacuate and recharge.',
    '{asset} starving evap, hi superheat. TXV plugged - repl + new drier',
    'Blocked expansion valve on {asset} causing low evaporator temp and loss of capacity. Valve replaced.',
    'Check exp valve {asset}, suspect blockage, evap temp low and disch temp up',
  ],
  'FM-CH-11': [
    'Calibrate CHW supply temp sensor on {asset}, reading off vs test thermometer.',
    "{asset} supply temp sensor drifted ~4F. recal'd / replaced RTD",
    'Chilled water supply sensor on {asset} reading high compared to handheld; sensor replaced and loop verified.',
    'Temp sensor calibartion {asset} - found drift, adjusted offset in panel',
  ],
  'FM-CH-12': [
    'Low chilled water flow through {asset}. Clean strainer on evaporator inlet.',
    '{asset} CHW flow low, chiller unloading. found evap isolation vlv half shut, opened',
    'Chilled water flow loss at {asset}: strainer loaded with debris, cleaned and flow restored to design.',
    'Investigate low CHW flw {asset}, supply temp drifting above setpoint',
  ],
  'FM-CH-13': [
    '{asset} hunting - load and supply temp oscillating. Check control panel and retune loop.',
    'Control panel fault {asset}. replaced bad I/O card, loop stable',
    'Chiller {asset} cycling load every few minutes; reloaded controller parameters and retuned the leaving water loop.',
    'CHLR ctrl unstable, swinging. chk panel wiring + tuning on {component}',
  ],
  'FM-CH-14': [
    'Oil problem on {asset}: change oil and filter, check oil return and heater.',
    '{asset} oil analysis shows high acid, disch temp up. oil + filter change',
    'Compressor oil degraded on {asset}; drained and replaced oil, replaced filter, verified oil heater operation.',
    'Chk oil lvl and return on {asset} compresser, low oil warnings',
  ],

  // AHU
  'FM-AH-01': [
    'Filters loaded on {asset}, DP high. Replace filters.',
    '{asset} filter dp 1.3in - repl pre + final filters',
    'Replace clogged filters on {asset}; differential pressure back to clean-filter level.',
    'Chnage filters {asset} high DP alarm',
  ],
  'FM-AH-02': [
    'Supply fan bearing noisy on {asset}. Replace fan bearings.',
    "{asset} SF vib high, brg worn. repl both brgs, greased, chk'd align",
    'Fan bearings worn on {asset}, vibration up over several weeks. Bearings replaced and vibration verified.',
    'Replace fan bearigns {asset} per vib alarm',
  ],
  'FM-AH-03': [
    'Belts worn and slipping on {asset}. Replace belts and tension.',
    '{asset} belt squeal, slip. new belt set, aligned sheaves',
    'Supply fan belts on {asset} glazed and loose; replaced set, checked sheave wear and alignment.',
    'repl belts {asset}, fan not making static',
  ],
  'FM-AH-04': [
    'Outside air damper stuck on {asset}. Free up linkage and lubricate.',
    '{asset} OA dmpr seized, linkage corroded. freed + lubed, stroke tested',
    'Mixed air not following damper command on {asset}; damper blades seized, linkage repaired and actuator stroked.',
    'OA damper not moving {asset} - investigate',
  ],
  'FM-AH-05': [
    'Heating valve leaking through on {asset}. Replace valve seat / valve.',
    '{asset} HW vlv passing when closed, SAT high. rebuilt valve',
    'Supply air running warm on {asset} with heating valve closed; found valve leaking by and replaced it.',
    'Heatign valve leak by {asset}, cooling valve fighting',
  ],
  'FM-AH-06': [
    'Clean dirty cooling coil on {asset}.',
    '{asset} coil plugged w/ dirt, SAT not at setpt. coil cleaned, duct inspected',
    'Cooling coil on {asset} heavily fouled on air side; coil cleaned and drain pan flushed.',
    'Coil cleanign {asset} - valve 100% and still warm',
  ],
  'FM-AH-07': [
    'Supply fan motor running hot on {asset}. Megger and replace motor.',
    '{asset} SF mtr insulation low, high amps. repl motor',
    'Fan motor on {asset} drawing high power and vibrating; winding insulation found degraded, motor replaced.',
    'Check {component} on {asset}, motor hot and noisy',
  ],
  'FM-AH-08': [
    'Fan wheel dirty and out of balance on {asset}. Clean wheel and balance.',
    '{asset} SF vibration, dirt on blades. cleaned wheel, vib ok',
    'Vibration on {asset} traced to dirt build-up on the fan wheel; wheel cleaned and trim balanced.',
    'clean fan wheel {asset} imbalance',
  ],
  'FM-AH-09': [
    'Supply air temp sensor reading off on {asset}. Calibrate or replace.',
    '{asset} SAT sensor drifted ~4F vs handheld. repl sensor',
    'Discharge air sensor on {asset} drifted high; recalibrated and verified against reference thermometer.',
    'calibrate SAT sensr {asset}',
  ],
  'FM-AH-10': [
    'AHU {asset} hunting, valve and fan speed oscillating. Retune loops.',
    "{asset} ctrl unstable. retuned SAT + static loops, chk'd actuator",
    'Control loops on {asset} oscillating after controller fault; reloaded program and retuned PID settings.',
    'Valve hunting on {asset}, checked {component}',
  ],
  'FM-AH-11': [
    'Steam PRV diaphragm failed on {asset}. Replace diaphragm.',
    '{asset} stm press reg blown diaphram, SAT high. rebuilt regulator',
    'Uncontrolled steam to the heating coil of {asset}; pressure regulator diaphragm ruptured and was replaced.',
    'Check steam regulator {asset}, air temp hi',
  ],
  'FM-AH-12': [
    'Economizer damper actuator failed on {asset}. Replace actuator.',
    '{asset} OA act dead, no free cooling. repl actuator, stroke tested',
    'Damper actuator on {asset} no longer responds to command; replaced actuator and verified economizer operation.',
    'economiser not working {asset} - actuator',
  ],

  // Pump
  'FM-PU-01': [
    'Pump {asset} bearing noise and high vibration. Replace bearings.',
    '{asset} vib 0.4 in/s, brg temp up. repl brgs',
    'Bearings on {asset} worn per vibration route; pump rebuilt with new bearings and seals.',
    'Replace pump bearigns {asset}',
  ],
  'FM-PU-02': [
    'Pump/motor misaligned on {asset}. Laser align.',
    '{asset} coupling misalignment, vib high at 1x. realigned, shimmed motor',
    'Vibration on {asset} traced to shaft misalignment; laser aligned and replaced coupling insert.',
    'Align pump {asset}, vibration alarm',
  ],
  'FM-PU-03': [
    'Mechanical seal leaking on {asset}. Replace seal.',
    '{asset} seal lkg, water on floor. repl mech seal',
    'Pump {asset} leaking at mechanical seal; pump isolated, seal replaced and run tested.',
    'Seal leak {asset} - replace',
  ],
  'FM-PU-04': [
    'Pump {asset} not making pressure. Inspect impeller and wear rings.',
    '{asset} low head, impeller worn. repl impeller + wear rings',
    'Discharge pressure on {asset} low at normal speed; impeller found eroded and replaced.',
    'impeller wear {asset}, pump weak',
  ],
  'FM-PU-05': [
    'Low suction pressure on {asset}. Clean suction strainer.',
    '{asset} cavitating, strainer plugged. cleaned strainer',
    'Pump {asset} noisy with low suction pressure; suction strainer loaded with debris, cleaned and basket replaced.',
    'clean strainer {asset}, pump sounds like gravel',
  ],
  'FM-PU-06': [
    'Motor on {asset} running hot. Megger and replace motor.',
    '{asset} mtr hot, amps high, brg temp up. repl motor',
    'Motor winding insulation low on {asset}; motor replaced and drive-end bearing checked.',
    'Check pump motor {asset} overheating',
  ],
  'FM-PU-07': [
    'VFD hunting on {asset}. Retune pressure loop.',
    "{asset} speed cycling, press swinging. chk'd DP xmtr, retuned PID",
    'Pump {asset} drive speed oscillating; differential pressure loop retuned and transmitter verified.',
    'Pump speed unstabel {asset}, check VFD',
  ],

  // Cooling tower
  'FM-CT-01': [
    'Tower fill fouled on {asset}, approach high. Clean fill.',
    '{asset} fill scaled / slimed, approach ~12F. cleaned + chem treat',
    'Cooling tower {asset} approach high for weeks; fill found scaled and was cleaned, some sections replaced.',
    'Clean tower fil {asset}',
  ],
  'FM-CT-02': [
    'Spray nozzles clogged on {asset}. Clean distribution.',
    '{asset} nozzles plugged w/ debris, dry spots on fill. cleaned',
    'Uneven water distribution on {asset}; cleared clogged nozzles and cleaned hot-water basin.',
    'clean nozzels {asset}',
  ],
  'FM-CT-03': [
    'Tower fan gearbox noisy on {asset}. Inspect and replace gearbox.',
    '{asset} gbx vib high 0.5. oil milky. repl gearbox',
    'Gearbox vibration on {asset} increasing; inspection found worn gears, gearbox replaced.',
    'Gear box noise {asset} check oil level',
  ],
  'FM-CT-04': [
    'Tower fan motor running hot on {asset}. Replace motor.',
    '{asset} fan mtr high amps, insulation low. repl',
    'Fan motor on {asset} drawing excess power; insulation resistance low, motor replaced.',
    'Check fan motor {asset}, tower not cooling',
  ],
  'FM-CT-05': [
    'Basin level low on {asset}. Repair makeup valve.',
    '{asset} makeup vlv stuck closed, level dropping. repl float valve',
    'Makeup water not filling basin on {asset}; solenoid valve failed and was replaced.',
    'Tower {asset} low water, check make up',
  ],
  'FM-CT-06': [
    'Conductivity high on {asset}. Repair blowdown.',
    '{asset} blowdn not opening, cond high. cleaned probe + repl vlv',
    'Blowdown not operating on {asset}; conductivity probe cleaned and blowdown valve replaced.',
    'High conductivty {asset} - check controller',
  ],
  'FM-CT-07': [
    'Tower leaving water temp sensor off on {asset}. Calibrate.',
    '{asset} LWT sensor drift ~5F. repl sensor',
    'Leaving water sensor on {asset} reading high; recalibrated against reference.',
    'calibrate tower temp sensr {asset}',
  ],

  // Boiler
  'FM-BO-01': [
    'Stack temp high on {asset}. Brush fire tubes, check combustion.',
    '{asset} sooted up, stack temp +100F. brushed tubes, tuned burner',
    'High stack temperature on {asset}; fire side sooted, tubes cleaned and burner adjusted.',
    'Clean boiler tubes {asset} soot',
  ],
  'FM-BO-02': [
    'Water side scale in {asset}. Descale.',
    '{asset} scale on water side, stack temp up. descaled, chk water treatment',
    'Boiler {asset} efficiency down; water-side scale found at inspection, chemically descaled.',
    'Descale boilr {asset}',
  ],
  'FM-BO-03': [
    'Burner out of tune on {asset}. Combustion test and adjust.',
    '{asset} O2 high 6.5%. reset linkage, tuned',
    'Flue O2 high on {asset}; air-fuel linkage slipped, re-tuned burner across firing range.',
    'Tune burner {asset}, high excess air',
  ],
  'FM-BO-04': [
    'Low water pressure on {asset}. Find leak, repair fill valve.',
    '{asset} sys press low, LWCO tripping. repl fill vlv, fixed leak at relief',
    'System pressure dropping at {asset}; relief valve weeping and fill valve failed, both replaced.',
    'Boiler {asset} low pressure, check expansion tank',
  ],
  'FM-BO-05': [
    'Flame failure lockouts on {asset}. Clean flame rod, replace igniter.',
    '{asset} flame fail, locking out. repl flame rod + igniter',
    'Burner on {asset} repeatedly locking out on flame failure; flame sensor cracked, replaced.',
    'Boiler {asset} wont stay lit',
  ],
  'FM-BO-06': [
    'Supply water temp sensor reading low on {asset}. Calibrate.',
    '{asset} supply temp sensor drift -5F. repl sensor',
    'Supply water sensor on {asset} drifted low; replaced and verified against reference thermometer.',
    'calibrate boilr supply sensr {asset}',
  ],
  'FM-BO-07': [
    'Combustion control hunting on {asset}. Check O2 trim.',
    '{asset} firing rate swinging, O2 high. repl O2 sensor, retuned',
    'Firing rate on {asset} oscillating with high O2; O2 trim sensor failed and control was retuned.',
    'Boiler {asset} hunting, check {component}',
  ],

  // Air compressor
  'FM-AC-01': [
    'Oil cooler dirty on {asset}. Clean cooler.',
    '{asset} oil temp high, cooler fouled. blew out + cleaned',
    'Discharge and oil temperatures high on {asset}; oil cooler core cleaned.',
    'Clean compresser cooler {asset}',
  ],
  'FM-AC-02': [
    'Dryer not drying on {asset}. Repair dryer.',
    '{asset} dew pt high 55F. dryer cond dirty, low charge. repaired',
    'Dew point high after dryer on {asset}; dryer refrigeration circuit repaired and recharged.',
    'Water in air lines, check dryer {asset}',
  ],
  'FM-AC-03': [
    'Airend bearing noise on {asset}. Replace airend bearings.',
    '{asset} vib high, airend brg worn. rebuild airend',
    'Vibration analysis on {asset} showed bearing defect; airend rebuilt.',
    'Airend bearings {asset} noisy',
  ],
  'FM-AC-04': [
    'Air leaks in distribution from {asset}. Repair leaks.',
    '{asset} running loaded at night. leak survey, fixed 12 leaks',
    'Compressor {asset} load high with no production change; leak survey found and repaired leaks at hoses and drains.',
    'Fix air leaks {asset} system',
  ],
  'FM-AC-05': [
    'Intake filter clogged on {asset}. Replace filter.',
    '{asset} inlet filter plugged, low flow. repl filter',
    'Air delivery low on {asset}; intake filter clogged and replaced.',
    'Replace intake filtr {asset}',
  ],
  'FM-AC-06': [
    'Inlet valve sticking on {asset}. Rebuild valve.',
    '{asset} press swinging, inlet vlv sticky. rebuilt',
    'Header pressure unstable on {asset}; inlet valve sticking and blowdown valve leaking, both rebuilt.',
    'Check {component} on {asset}, pressure low',
  ],
};

export const PM_PHRASES: Record<string, string[]> = {
  MT001a: [
    'Quarterly PM {asset} per schedule',
    'Perform scheduled maintenance on {asset}: log review, safeties, panel.',
    "{asset} qtrly PM - chk'd ops, no issues",
  ],
  MT004a: [
    'Oil sample {asset} compressor, send to lab',
    'Routine oil analysis {asset} per PM',
    'pull oil sampl {asset}',
  ],
  MT005a: [
    'Vibration route {asset}',
    'Routine vibration survey on {asset}, readings logged.',
    'vib analysis {asset} per PM',
  ],
  MT012a: [
    'Refrigerant level check {asset}',
    'Check refrigerant charge and leak walk-down on {asset}.',
    '{asset} freon lvl chk - ok',
  ],
  MT006a: [
    'Annual condenser tube brushing {asset}',
    'Pull condenser heads on {asset} and brush tubes; new gaskets.',
    '{asset} cond tube cleaning per PM',
  ],
  MT010a: [
    'Calibrate sensors {asset}',
    'Annual sensor calibration on {asset}.',
    'cal sensors {asset} per PM',
  ],
  MT007a: ['Replace filters {asset}', 'Quarterly filter change on {asset}.', 'filter chnage {asset} per PM'],
  MT008a: [
    'Belt inspection {asset}',
    'Inspect and tension belts on {asset}, replace if worn.',
    'chk belts {asset}',
  ],
  MT003a: ['Grease bearings {asset}', 'Lubricate bearings on {asset} per PM.', 'lube brgs {asset}'],
  MT006c: [
    'Clean coils {asset}',
    'Annual coil and drain pan cleaning on {asset}.',
    'coil clean {asset} per PM',
  ],
  MT002a: [
    'Inspect {asset}',
    'Annual inspection of {asset}: seal, coupling, alignment.',
    'visual insp {asset}',
  ],
  MT009a: [
    'Water treatment check {asset}',
    'Test water chemistry and adjust feed on {asset}.',
    'chem test {asset}',
  ],
  MT003c: [
    'Gearbox oil change {asset}',
    'Change gearbox oil on {asset}, check for water.',
    'gbx oil chg {asset}',
  ],
  MT006d: [
    'Clean basin {asset}',
    'Drain and clean basin on {asset}, inspect fill and nozzles.',
    'basin clean {asset}',
  ],
  MT001c: [
    'Seasonal start-up {asset}',
    'Start-up {asset}: refill, check float and heaters.',
    'spring startup {asset}',
  ],
  MT001d: ['Seasonal shutdown {asset}', 'Winterize {asset}: drain and lock out fan.', 'fall shutdwn {asset}'],
  MT002d: [
    'Test safety controls {asset}',
    'Test LWCO, flame safeguard and limits on {asset}.',
    'safeties chk {asset}',
  ],
  MT011a: [
    'Combustion analysis {asset}',
    'Combustion test and burner adjustment on {asset}.',
    'comb test {asset}',
  ],
  MT006e: ['Brush fire tubes {asset}', 'Annual fire-side cleaning on {asset}.', 'tube brush {asset}'],
  MT002c: ['Annual inspection {asset}', 'Open {asset} for insurance inspection.', 'annual insp {asset}'],
  MT007b: [
    'Replace intake filter {asset}',
    'Quarterly intake filter change on {asset}.',
    'inlet filtr {asset}',
  ],
  MT003b: ['Oil change {asset}', 'Change oil, filter and separator on {asset}.', 'oil + filt chg {asset}'],
  MT013b: [
    'Dryer service {asset}',
    'Service dryer on {asset}: clean condenser, check dew point.',
    'dryer PM {asset}',
  ],
  MT013a: ['Test drains {asset}', 'Test condensate drain traps on {asset}.', 'drain chk {asset}'],
  MT013c: ['Leak survey {asset}', 'Ultrasonic leak survey of {asset} distribution.', 'leak srvy {asset}'],
};

export const FOLLOW_UP_PHRASES: string[] = [
  'Previous repair did not hold, problem is back.',
  'Callback: same problem as last WO.',
  'Re-opened - issue came back after repair.',
  'repeat failure, see prev WO',
  'Follow up on earlier repair, alarm returned.',
  'Callback from operators: not fixed.',
  'Same issue again on this unit, needs deeper look.',
  'Return visit, last fix only temporary.',
  'prev repair failed - reopen',
];

export const DUPLICATE_NOTE_PHRASES: string[] = [
  'Duplicate WO, see other ticket.',
  'dup - closed, work done on other WO',
  'Entered twice by mistake.',
  'Duplicate of earlier request, cancel.',
  'Already covered by open WO.',
];
