// Seeded fault injection for tool sessions: the environment misbehaves the way real
// plant systems do, and every injected fault is recorded in the call log.
//   none     - tools behave.
//   flaky    - a few percent transient errors and timeouts.
//   hostile  - frequent errors, partial results (lists cut short while their totals
//              still tell the true size) and stale readings (an older snapshot).
import type { Rng } from '../util/rng.ts';

export const FAULT_PROFILES = ['none', 'flaky', 'hostile'] as const;
export type FaultProfile = (typeof FAULT_PROFILES)[number];

export interface InjectedFault {
  kind: 'error' | 'timeout' | 'partial' | 'stale';
  detail: string;
}

const RATES: Record<FaultProfile, { error: number; timeout: number; partial: number; stale: number }> = {
  none: { error: 0, timeout: 0, partial: 0, stale: 0 },
  flaky: { error: 0.03, timeout: 0.02, partial: 0, stale: 0 },
  hostile: { error: 0.12, timeout: 0.05, partial: 0.1, stale: 0.08 },
};

/**
 * How old a stale snapshot is (a day and up to an hour). A stale call is answered from that
 * snapshot: the session runs the tool with its clock set back, so the data is real, just old.
 */
export function staleShiftSeconds(rng: Rng): number {
  return 86400 + rng.int(0, 3600);
}

/** Tools whose results can be stale (they report readings "as of now"). */
const STALE_TOOLS = new Set(['latest', 'history']);

/** Decides, before the call runs, whether a fault hits it. Always draws the same numbers. */
export function injectFault(profile: FaultProfile, rng: Rng, tool: string): InjectedFault | null {
  const r = RATES[profile];
  const x = rng.next();
  const y = rng.next();
  if (profile === 'none') return null;
  if (x < r.error) return { kind: 'error', detail: 'transient error' };
  if (x < r.error + r.timeout) return { kind: 'timeout', detail: 'timed out' };
  if (y < r.partial) return { kind: 'partial', detail: 'list results cut short' };
  if (y < r.partial + r.stale && STALE_TOOLS.has(tool))
    return { kind: 'stale', detail: 'readings from an older snapshot' };
  return null;
}

/** Applies a partial fault to a successful result (a deep copy is changed). */
export function mangleResult(fault: InjectedFault, data: unknown): unknown {
  const copy = structuredClone(data);
  if (fault.kind === 'partial') {
    // Cut every list in half; totals and counts are left as they were, so a careful
    // agent can notice that rows are missing.
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (Array.isArray(child) && child.length > 1)
          (v as Record<string, unknown>)[k] = child.slice(0, Math.ceil(child.length / 2));
        else walk(child);
      }
    };
    walk(copy);
  }
  return copy;
}
