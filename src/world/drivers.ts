// Site drivers: the weather and the occupancy schedule that every signal model reads,
// and the demands they create (cooling, heating, plant air). Weather follows a seasonal
// and a daily cycle plus multi-day weather systems (an AR(1) process).
import type { Rng } from '../util/rng.ts';
import { dayOfYear, HOUR, localHour, localWeekday } from '../util/time.ts';
import type { SiteConfig } from './config.ts';

export interface TimeGrid {
  /** Epoch seconds of each base step. */
  t: Float64Array;
  stepSeconds: number;
  /** Index of the last step tools may expose. */
  exposedIndex: number;
}

export interface SiteDrivers {
  site: SiteConfig;
  /** Outdoor dry-bulb temperature, degF. */
  oat: Float64Array;
  /** Outdoor wet-bulb temperature, degF. */
  wetBulb: Float64Array;
  /** Occupancy 0..1. */
  occupancy: Float64Array;
  /** Cooling demand as a share of the site's chiller capacity (0..~1.05). */
  coolingDemand: Float64Array;
  /** Heating demand as a share of the site's boiler capacity (0..1). */
  heatingDemand: Float64Array;
  /** Plant-air demand as a share of compressor capacity (0..1). */
  airDemand: Float64Array;
}

const CLIMATE: Record<
  SiteConfig['climate'],
  { mean: number; seasonal: number; daily: number; depression: number }
> = {
  temperate: { mean: 52, seasonal: 22, daily: 9, depression: 9 },
  hot_humid: { mean: 70, seasonal: 14, daily: 8, depression: 6 },
  dry: { mean: 55, seasonal: 22, daily: 14, depression: 18 },
  cold: { mean: 45, seasonal: 28, daily: 9, depression: 8 },
  marine: { mean: 58, seasonal: 8, daily: 7, depression: 7 },
};

/** Base internal cooling load (share of capacity) and whether the site runs at night. */
const PROFILE: Record<
  SiteConfig['profile'],
  { internal: number; occupied: number; airBase: number; airShift: number }
> = {
  office: { internal: 0.08, occupied: 0.22, airBase: 0.15, airShift: 0.25 },
  manufacturing: { internal: 0.15, occupied: 0.3, airBase: 0.2, airShift: 0.65 },
  datacenter: { internal: 0.45, occupied: 0.05, airBase: 0.15, airShift: 0.15 },
  hospital: { internal: 0.25, occupied: 0.15, airBase: 0.3, airShift: 0.25 },
  warehouse: { internal: 0.2, occupied: 0.1, airBase: 0.2, airShift: 0.45 },
  lab: { internal: 0.2, occupied: 0.25, airBase: 0.25, airShift: 0.3 },
};

export function makeGrid(startSec: number, days: number, holdoutDays: number, stepMinutes: number): TimeGrid {
  const stepSeconds = stepMinutes * 60;
  const perDay = Math.round((24 * 60) / stepMinutes);
  const n = (days + holdoutDays) * perDay;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = startSec + i * stepSeconds;
  return { t, stepSeconds, exposedIndex: days * perDay - 1 };
}

/** Occupancy 0..1 for a profile at a local hour and weekday. */
function occupancyAt(profile: SiteConfig['profile'], hour: number, weekday: number): number {
  const weekend = weekday === 0 || weekday === 6;
  const ramp = (from: number, to: number) =>
    hour < from - 1 || hour > to + 1 ? 0 : hour < from ? hour - (from - 1) : hour > to ? to + 1 - hour : 1;
  switch (profile) {
    case 'office':
    case 'lab':
      return weekend ? 0.1 * ramp(9, 15) : ramp(7, 19);
    case 'manufacturing':
      if (weekday === 0) return 0.05;
      if (weekday === 6) return 0.5 * ramp(6, 14);
      return Math.max(ramp(6, 22), 0.15);
    case 'warehouse':
      return weekday === 0 ? 0.2 : Math.max(ramp(5, 21), 0.25);
    default:
      // data centers and hospitals never sleep; an office wing adds a daytime bump
      return 0.6 + (weekend ? 0 : 0.4 * ramp(8, 18));
  }
}

export function makeSiteDrivers(site: SiteConfig, grid: TimeGrid, rng: Rng): SiteDrivers {
  const n = grid.t.length;
  const c = CLIMATE[site.climate];
  const p = PROFILE[site.profile];
  const oat = new Float64Array(n);
  const wetBulb = new Float64Array(n);
  const occupancy = new Float64Array(n);
  const coolingDemand = new Float64Array(n);
  const heatingDemand = new Float64Array(n);
  const airDemand = new Float64Array(n);
  // Weather systems persist for days: AR(1) with a 2-day time constant, sd 6 degF.
  const phi = Math.exp(-grid.stepSeconds / (2 * 24 * HOUR));
  const sdWeather = 6;
  const innov = sdWeather * Math.sqrt(1 - phi * phi);
  let weather = rng.normal(0, sdWeather);
  // Humidity swings too: the wet-bulb depression wanders around its climate mean.
  let humid = 0;
  let demandNoise = 0;
  for (let i = 0; i < n; i++) {
    const t = grid.t[i];
    const hour = localHour(t, site.utcOffsetHours);
    const doy = dayOfYear(t);
    weather = phi * weather + innov * rng.normal();
    humid = 0.995 * humid + 0.25 * rng.normal();
    const seasonal = c.mean - c.seasonal * Math.cos((2 * Math.PI * (doy - 20)) / 365.25);
    const daily = c.daily * Math.cos((2 * Math.PI * (hour - 15)) / 24);
    const temp = seasonal + daily + weather;
    oat[i] = temp;
    const depression = Math.max(
      1,
      (c.depression + humid) * (0.45 + 0.55 * Math.min(1, Math.max(0, (temp - 35) / 50))),
    );
    wetBulb[i] = temp - depression;
    const occ = occupancyAt(site.profile, hour, localWeekday(t, site.utcOffsetHours));
    occupancy[i] = occ;
    const solar = hour > 6 && hour < 19 ? 0.07 * Math.sin((Math.PI * (hour - 6)) / 13) : 0;
    demandNoise = 0.9 * demandNoise + 0.01 * rng.normal();
    const envelope = Math.max(0, temp - 55) / 40;
    // Plants are sized with margin: peak demand stays a little below installed capacity.
    coolingDemand[i] = Math.min(
      0.95,
      Math.max(0, p.internal + p.occupied * occ + 0.42 * envelope + solar + demandNoise),
    );
    const heating = Math.max(0, 60 - temp) / 65;
    heatingDemand[i] = Math.min(1, 0.06 + 0.05 * occ + heating);
    airDemand[i] = Math.min(1, Math.max(0.05, p.airBase + p.airShift * occ + demandNoise * 2));
  }
  return { site, oat, wetBulb, occupancy, coolingDemand, heatingDemand, airDemand };
}

/**
 * Stages units of one class at a site against a demand (chillers against cooling,
 * boilers against heating): units are started in a lead/lag order that rotates weekly,
 * decisions are held for an hour (no flapping), and running units share the load in
 * proportion to their rated capacity. Returns each unit's load as a share of its own rating.
 */
export function stageUnits(
  capacities: number[],
  demandShare: Float64Array,
  grid: TimeGrid,
  minShare: number,
): Float64Array[] {
  const n = demandShare.length;
  const total = capacities.reduce((a, b) => a + b, 0);
  const loads = capacities.map(() => new Float64Array(n));
  if (capacities.length === 0) return loads;
  const stepsPerHour = Math.max(1, Math.round(HOUR / grid.stepSeconds));
  let running: number[] = [];
  for (let i = 0; i < n; i++) {
    const demand = demandShare[i] * total;
    if (i % stepsPerHour === 0) {
      const week = Math.floor(grid.t[i] / (7 * 24 * HOUR));
      const order = capacities.map((_, k) => (k + week) % capacities.length);
      running = [];
      let cap = 0;
      const smallest = Math.min(...capacities);
      if (demand >= minShare * smallest) {
        for (const k of order) {
          running.push(k);
          cap += capacities[k];
          if (cap * 0.9 >= demand) break;
        }
      }
    }
    const runCap = running.reduce((s, k) => s + capacities[k], 0);
    for (const k of running) loads[k][i] = runCap > 0 ? demand / runCap : 0;
  }
  return loads;
}
