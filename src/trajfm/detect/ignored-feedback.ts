// Ignored feedback: the tool said what was wrong (unknown asset, window out of range, no such
// tool, already closed) and the agent sent the very same call again. Transient errors (timeouts,
// "temporarily unavailable") say nothing about the call, so repeating those is a retry, not
// ignored feedback. A repeat that then succeeds shows the message was not about the call after
// all, so only repeats that fail again count.
import { describe, errorOf, type Finding, TRANSIENT_CODES, type View } from './view.ts';

export function detectIgnoredFeedback(v: View): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  v.calls.forEach((call, i) => {
    if (call.ok || call.fault !== null || reported.has(call.key)) return;
    if (TRANSIENT_CODES.has(call.errorCode ?? 'error') || !call.error?.trim()) return;
    const repeats = v.calls.slice(i + 1).filter((c) => c.key === call.key);
    const firstSuccess = repeats.findIndex((c) => c.ok);
    const failedRepeats = firstSuccess < 0 ? repeats : repeats.slice(0, firstSuccess);
    if (failedRepeats.length === 0) return;
    reported.add(call.key);
    const last = failedRepeats[failedRepeats.length - 1];
    out.push({
      from: call.at,
      to: last.end ?? last.at,
      origin: failedRepeats[0].at ?? call.at,
      evidence: `${describe(call)} was told "${errorOf(call)}" and sent the same call ${failedRepeats.length} more time${failedRepeats.length === 1 ? '' : 's'}`,
    });
  });
  return out;
}
