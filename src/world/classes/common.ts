// What every signal model receives and returns, plus small numeric helpers.
import type { Rng } from '../../util/rng.ts';
import type { SiteDrivers, TimeGrid } from '../drivers.ts';
import type { AssetRecord } from '../plant.ts';

/** Hidden parameters over time (nominal plus degradation), keyed by knob. */
export type KnobSeries = Record<string, Float64Array>;

/** What the site's other equipment is doing (computed before the asset is simulated). */
export interface SitePlantState {
  /** Load of each chiller as a share of its rating (0 when off), keyed by asset id. */
  chillerLoad: Map<string, Float64Array>;
  /** Load of each boiler as a share of its rating (0 when off). */
  boilerLoad: Map<string, Float64Array>;
  /** Share of the site's chiller capacity in use (0..1). */
  coolingShare: Float64Array;
  /** Leaving water temperature of the site's cooling towers (degF), once simulated. */
  towerLeaving: Float64Array | null;
}

export interface SimInput {
  asset: AssetRecord;
  grid: TimeGrid;
  drivers: SiteDrivers;
  knobs: KnobSeries;
  /** The asset's own noise stream: identical across simulation passes. */
  rng: Rng;
  plant: SitePlantState;
}

/**
 * Simulated readings at every base step, keyed by sensor key. Keys starting with `_`
 * are hidden state (not logged), e.g. `_enabled` for a unit staged off by design.
 */
export type SimOutput = Record<string, Float64Array>;

export type SignalModel = (input: SimInput) => SimOutput;

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** First-order lag: thermal mass and sensor time constants give readings memory. */
export class Lag {
  private y: number | null = null;
  constructor(private readonly alpha: number) {}
  step(x: number): number {
    this.y = this.y === null ? x : this.y + this.alpha * (x - this.y);
    return this.y;
  }
}

/** Slowly wandering noise (AR(1)) for quantities that drift rather than jump. */
export class Wander {
  private x = 0;
  constructor(
    private readonly rng: Rng,
    private readonly phi: number,
    private readonly sd: number,
  ) {}
  step(): number {
    this.x = this.phi * this.x + this.sd * Math.sqrt(1 - this.phi * this.phi) * this.rng.normal();
    return this.x;
  }
}

export function series(keys: readonly string[], n: number): SimOutput {
  return Object.fromEntries(keys.map((k) => [k, new Float64Array(n)]));
}

/** Knob value at step i, or its nominal when the knob is not present. */
export function knob(knobs: KnobSeries, key: string, i: number, nominal: number): number {
  const s = knobs[key];
  return s ? s[i] : nominal;
}

/** A controller oscillation of roughly 40 minutes, scaled by the control_noise knob. */
export function hunting(t: number, phase: number): number {
  return Math.sin((2 * Math.PI * t) / 2400 + phase);
}
