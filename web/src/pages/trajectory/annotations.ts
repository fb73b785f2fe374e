// What the viewer marks on steps: the scorecard's evidence pointers and the failure events'
// spans, indexed by step.
import type { FailureEvent, Scorecard } from '../../lib/types.ts';

export interface EvidenceMark {
  dimension: string;
  pass: boolean;
  note: string;
}

export interface StepMarks {
  evidence: EvidenceMark[];
  failures: FailureEvent[];
}

export function stepMarks(card: Scorecard | null, events: FailureEvent[]): Map<number, StepMarks> {
  const out = new Map<number, StepMarks>();
  const at = (i: number) => {
    let m = out.get(i);
    if (!m) {
      m = { evidence: [], failures: [] };
      out.set(i, m);
    }
    return m;
  };
  if (card) {
    for (const [dimension, v] of Object.entries(card.dimensions)) {
      for (const e of v.evidence ?? []) {
        if (typeof e.step === 'number') at(e.step).evidence.push({ dimension, pass: v.pass, note: e.note });
      }
    }
  }
  // An event marks the steps where it begins and ends, not every step between (a failure
  // spanning steps 5 to 5,004 would stamp five thousand rows), and a step shows each
  // category once however many events of it touch the step.
  for (const ev of events) {
    for (const i of new Set([ev.span.from, ev.span.to])) {
      const m = at(i);
      if (!m.failures.some((f) => f.category === ev.category)) m.failures.push(ev);
    }
  }
  return out;
}
