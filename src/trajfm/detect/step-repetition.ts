// Step repetition: the agent does again what it has already done, with nothing to gain. An
// identical call (tool and canonical arguments) that already succeeded cleanly is asked again
// two or more times; or the same thought is written three or more times (an agent in a loop
// narrates the same plan). One repeat is tolerated: re-reading a result once is cheap and
// sometimes deliberate. Calls hit by a fault or an empty read do not count: asking again after
// those is verification, not repetition. A call refused by the agent's own repeat guard was
// still asked for, so a loop the guard stopped is reported like any other.

import { norm } from '../../scoring/evidence/util.ts';
import { isEmptyRead } from '../../scoring/evidence/verification.ts';
import { type CallView, describe, type Finding, quote, type View } from './view.ts';

/** Occurrences (the first and its repeats) from which it is a repetition: 2+ repeats. */
const MIN_OCCURRENCES = 3;
/** Thoughts shorter than this ("OK.", "Next.") repeat by nature. */
const MIN_THOUGHT_CHARS = 12;

export function detectStepRepetition(v: View): Finding[] {
  const out: Finding[] = [];
  const byKey = new Map<string, CallView[]>();
  for (const c of v.calls) {
    // A call the agent's own repeat guard refused was still asked for: it counts as a repeat.
    const refusedRepeat = c.errorCode === 'repeated_call';
    if (!refusedRepeat && (!c.ok || c.fault !== null || isEmptyRead(c))) continue;
    byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
  }
  for (const same of byKey.values()) {
    if (same.length < MIN_OCCURRENCES) continue;
    const last = same[same.length - 1];
    out.push({
      from: same[0].at,
      to: last.end ?? last.at,
      origin: same[1].at,
      evidence: `${describe(same[0])} succeeded and was then made ${same.length - 1} more times with the same arguments`,
    });
  }
  const byThought = new Map<string, number[]>();
  for (const t of v.texts) {
    // A verifier that passes step after step is doing its job, not repeating itself.
    if (t.kind !== 'thought' || t.agent === 'verifier' || t.text.trim().length < MIN_THOUGHT_CHARS) continue;
    const k = `${t.agent}\u0000${norm(t.text)}`;
    byThought.set(k, [...(byThought.get(k) ?? []), t.at]);
  }
  for (const at of byThought.values()) {
    if (at.length < MIN_OCCURRENCES) continue;
    out.push({
      from: at[0],
      to: at[at.length - 1],
      origin: at[1],
      evidence: `the same thought written ${at.length} times: ${quote(v.steps[at[0]]?.content, 60)}`,
    });
  }
  return out;
}
