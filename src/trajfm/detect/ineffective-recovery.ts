// Ineffective error recovery: the agent saw a tool fail and tried again, more than once, and
// every attempt failed too. Trying is not the failure (a retry after a timeout is right); never
// getting past the error is. An attempt continues the first failure when it calls the same tool
// on the same target, or any call of that tool when the error said the call itself was wrong
// (a misspelt asset is fixed by changing the name). A success of such an attempt ends the
// episode as recovered.
import { type CallView, continues, describe, type Finding, type View } from './view.ts';

/** Failing attempts after the first error before it counts as "keeps failing". */
const MIN_FAILED_RETRIES = 2;

export function detectIneffectiveRecovery(v: View): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<CallView>();
  v.calls.forEach((first, i) => {
    if (first.ok || seen.has(first)) return;
    const failed: CallView[] = [];
    let recovered = false;
    for (const later of v.calls.slice(i + 1)) {
      if (!continues(v, first, later)) continue;
      if (later.ok) {
        recovered = true;
        break;
      }
      failed.push(later);
      seen.add(later);
    }
    if (recovered || failed.length < MIN_FAILED_RETRIES) return;
    const codes = [first, ...failed].map((c) => c.errorCode ?? 'error');
    const distinct = [...new Set(codes)];
    const last = failed[failed.length - 1];
    out.push({
      from: first.at,
      to: last.end ?? last.at,
      origin: first.at,
      evidence: `${describe(first)} failed ${codes.length} times (${distinct.join(', ')}) and no attempt succeeded`,
    });
  });
  return out;
}
