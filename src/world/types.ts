// Types shared by the plant model: asset classes, their sensors, the knobs that
// degradation turns, and the catalogs (failure modes, failure codes, alert rules).

export const ASSET_CLASSES = ['chiller', 'ahu', 'pump', 'cooling_tower', 'boiler', 'air_compressor'] as const;
export type AssetClassId = (typeof ASSET_CLASSES)[number];

/** One measured (or calculated) point on an asset, e.g. "Condenser Water Flow" on a chiller. */
export interface SensorSpec {
  /** Stable snake_case key inside the class, e.g. `condenser_water_flow`. */
  key: string;
  /** Human label; the sensor's full name is `${asset name} ${label}`, AssetOpsBench style. */
  label: string;
  unit: string;
  /** Sampling interval in minutes (15 unless the point is slow, such as a setpoint). */
  intervalMinutes: number;
  /** True for points the building system derives from others (approaches, kW/ton). */
  calculated?: boolean;
  /** Plausible physical range; used to clip simulated values and to size spikes. */
  min: number;
  max: number;
  /** Decimal places the building system reports. */
  decimals: number;
  description: string;
}

/**
 * A knob is a hidden physical parameter of the signal model that degradation moves:
 * for example `cond_approach_add` (extra condenser approach, degF) or `cond_flow_factor`
 * (a multiplier on condenser flow). `nominal` is its healthy value; failure modes add
 * `atFullSeverity` to it in proportion to an episode's severity (0..1).
 */
export interface KnobSpec {
  key: string;
  description: string;
  nominal: number;
  unit: string;
}

export interface AssetClassSpec {
  id: AssetClassId;
  /** Display name used in asset names, e.g. "Chiller" -> "Chiller 6". */
  displayName: string;
  /** Prefix of the equipment id alias, e.g. "CWC" -> "CWC04006". */
  equipmentPrefix: string;
  sensors: SensorSpec[];
  knobs: KnobSpec[];
  /** Rated capacity range and unit (tons for chillers, cfm for AHUs, ...). */
  capacity: { min: number; max: number; unit: string };
}

/** How an episode's severity grows from onset (0) to its peak (1). */
export type Progression = 'linear' | 'accelerating' | 'step' | 'intermittent';

export interface KnobEffect {
  knob: string;
  /** Added to the knob's nominal value at severity 1 (negative values reduce it). */
  atFullSeverity: number;
}

export interface FailureModeSpec {
  /** Stable id, e.g. `FM-CH-04`. */
  id: string;
  assetClass: AssetClassId;
  /** Short name, e.g. "Condenser water-side fouling". */
  name: string;
  /** The component that fails, e.g. "Condenser". */
  component: string;
  degradationMechanism: string;
  influencingFactors: string[];
  /** Sensor keys (of the class) whose readings reveal this failure mode. */
  sensors: string[];
  /** Plain-language signature: what an engineer sees in the data, and over what time. */
  signature: string;
  /** How the hidden parameters move; the generator applies these. */
  effects: KnobEffect[];
  progression: Progression;
  /** Typical days from onset to the point where repair is unavoidable. */
  progressionDays: { min: number; max: number };
  /** Relative likelihood within its class (higher = more common). */
  weight: number;
  /** Failure code (secondary code, e.g. `M011b`) written on the corrective work order. */
  failureCode: string;
  /** Alert rule ids that typically detect it. */
  alertRules: string[];
  /** Typical repair: labour hours range and parts cost range (USD). */
  repair: { laborHours: [number, number]; partsCost: [number, number] };
}

export interface FailureCodeSpec {
  category: string;
  primaryCode: string;
  primaryDescription: string;
  secondaryCode: string;
  secondaryDescription: string;
}

/** A rule of the building system's rule engine, evaluated over one sensor of a class. */
export interface AlertRuleSpec {
  /** e.g. `RUL0101` */
  id: string;
  /** e.g. "Chiller - Evaporator Approach High" */
  name: string;
  assetClass: AssetClassId;
  sensor: string;
  operator: '>' | '<';
  /**
   * Threshold, either absolute in the sensor's unit, or relative to the asset's own healthy
   * baseline when `relative` is true (then `threshold` is added to the baseline).
   */
  threshold: number;
  relative?: boolean;
  /** The condition must hold this long (minutes) before the alert opens. */
  minDurationMinutes: number;
  /** Only evaluated while the asset runs (run status on). */
  onlyWhenRunning: boolean;
  severity: 'low' | 'medium' | 'high';
  /** Primary failure codes the rule points at. */
  failureCodes: string[];
  description: string;
}

/** A preventive-maintenance task run on a fixed schedule for a class. */
export interface PmTaskSpec {
  assetClass: AssetClassId;
  /** Secondary failure/maintenance code written on the work order, e.g. `MT010b`. */
  code: string;
  description: string;
  intervalMonths: number;
  laborHours: [number, number];
  /** Component ("collection") the task is about. */
  component: string;
}
