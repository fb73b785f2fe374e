// Degradation episodes: when a failure mode starts on an asset, how its severity grows,
// and when a repair resets it. Severity (0..1) drives the class's knobs through the
// failure mode's effects, so the signature shows up in every coupled sensor.
import type { Rng } from '../util/rng.ts';
import { DAY } from '../util/time.ts';
import { failureModesFor } from './catalog/index.ts';
import type { KnobSeries } from './classes/common.ts';
import { CLASS_SPECS } from './classes/specs.ts';
import type { WorldConfig } from './config.ts';
import type { TimeGrid } from './drivers.ts';
import type { AssetRecord } from './plant.ts';
import type { FailureModeSpec } from './types.ts';

export interface Episode {
  episodeId: string;
  asset: AssetRecord;
  fm: FailureModeSpec;
  /** Grid index of onset. */
  onset: number;
  /** Steps from onset to full severity. */
  progressionSteps: number;
  peakSeverity: number;
  /** Grid index where severity resets (null: never repaired within the telemetry). */
  repairIndex: number | null;
  /** A repair that was logged as done but did not fix the fault (grid index). */
  failedRepairIndex: number | null;
  detectionIndex: number | null;
  detectedBy: string | null;
  /** Planned by a test or a config, not drawn at random. */
  forced: boolean;
  /** When false the episode is left to run (no repair). */
  repairable: boolean;
  /** On/off mask for intermittent faults (1 = fault present). */
  mask: Uint8Array | null;
  workOrderId: string | null;
  note: string | null;
}

/** Severity at grid index i (0 before onset and after the effective repair). */
export function severityAt(ep: Episode, i: number): number {
  if (i < ep.onset) return 0;
  if (ep.repairIndex !== null && i >= ep.repairIndex) return 0;
  const x = Math.min(1, (i - ep.onset) / Math.max(1, ep.progressionSteps));
  let s: number;
  switch (ep.fm.progression) {
    case 'accelerating':
      s = x ** 2.2;
      break;
    case 'step':
      s = Math.min(1, (i - ep.onset) / 4);
      break;
    case 'intermittent':
      s = ep.mask?.[i] ? Math.max(0.5, x) : 0.1 * x;
      break;
    default:
      s = x;
  }
  return s * ep.peakSeverity;
}

/** The knobs of an asset over time: nominal values plus every episode's effects. */
export function knobSeries(asset: AssetRecord, episodes: Episode[], n: number): KnobSeries {
  const out: KnobSeries = {};
  for (const k of CLASS_SPECS[asset.assetClass].knobs) out[k.key] = new Float64Array(n).fill(k.nominal);
  for (const ep of episodes) {
    const end = ep.repairIndex ?? n;
    for (let i = ep.onset; i < Math.min(end, n); i++) {
      const s = severityAt(ep, i);
      if (s === 0) continue;
      for (const e of ep.fm.effects) {
        const arr = out[e.knob];
        if (arr) arr[i] += e.atFullSeverity * s;
      }
    }
  }
  return out;
}

function intermittentMask(rng: Rng, n: number, stepsPerHour: number): Uint8Array {
  const mask = new Uint8Array(n);
  let i = 0;
  let on = false;
  while (i < n) {
    const len = Math.max(1, Math.round(rng.uniform(2, on ? 8 : 20) * stepsPerHour));
    if (on) mask.fill(1, i, Math.min(n, i + len));
    i += len;
    on = !on;
  }
  return mask;
}

function makeEpisode(
  asset: AssetRecord,
  fm: FailureModeSpec,
  onset: number,
  progressionSteps: number,
  rng: Rng,
  n: number,
  stepsPerHour: number,
  forced: boolean,
  repairable: boolean,
): Episode {
  return {
    episodeId: '',
    asset,
    fm,
    onset,
    progressionSteps,
    peakSeverity: forced ? 1 : rng.uniform(0.75, 1),
    repairIndex: null,
    failedRepairIndex: null,
    detectionIndex: null,
    detectedBy: null,
    forced,
    repairable,
    mask: fm.progression === 'intermittent' ? intermittentMask(rng, n, stepsPerHour) : null,
    workOrderId: null,
    note: null,
  };
}

/**
 * Draws the episodes of one asset over the telemetry window: a Poisson number of
 * failure modes (weighted by how common each is), one at a time, never overlapping.
 */
export function planEpisodes(asset: AssetRecord, config: WorldConfig, grid: TimeGrid, rng: Rng): Episode[] {
  const n = grid.t.length;
  const stepsPerDay = DAY / grid.stepSeconds;
  const stepsPerHour = stepsPerDay / 24;
  const modes = failureModesFor(asset.assetClass);
  const forced = config.forcedEpisodes
    .filter((f) => f.asset === asset.name)
    .map((f) => {
      const fm = modes.find((m) => m.id === f.failureModeId);
      if (!fm) throw new Error(`forced episode: ${f.failureModeId} is not a failure mode of ${asset.name}`);
      return makeEpisode(
        asset,
        fm,
        Math.round(f.onsetDay * stepsPerDay),
        Math.max(1, Math.round(f.progressionDays * stepsPerDay)),
        rng,
        n,
        stepsPerHour,
        true,
        f.repair,
      );
    });
  if (forced.length > 0) return forced;
  const count = rng.poisson((config.episodeRate * (config.days + config.holdoutDays)) / 30);
  const onsets = Array.from({ length: count }, () =>
    rng.int(0, Math.max(0, n - 1 - Math.round(stepsPerDay / 2))),
  );
  onsets.sort((a, b) => a - b);
  const episodes: Episode[] = [];
  let freeFrom = 0;
  for (const onset of onsets) {
    if (onset < freeFrom) continue;
    const fm = rng.weighted(modes, (m) => m.weight);
    const days = rng.uniform(fm.progressionDays.min, fm.progressionDays.max) * config.episodeTimeScale;
    const steps = Math.max(4, Math.round(days * stepsPerDay));
    episodes.push(makeEpisode(asset, fm, onset, steps, rng, n, stepsPerHour, false, true));
    // The next episode may start only after this one would have been repaired.
    freeFrom = onset + Math.round(steps * 1.6) + Math.round(3 * stepsPerDay * config.episodeTimeScale);
  }
  return episodes;
}
