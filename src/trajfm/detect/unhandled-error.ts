// Unhandled tool error: a call failed (an error, or an injected timeout) and the agent went on as
// if it had not: no retry of the same attempt and no word about it in any later thought, message
// or answer. A failed call inside a chain of retries is handled by the chain. Partial and stale
// results are not failures of the call; they are no_verification's concern, so one oversight is
// not counted twice.

import { continues, describe, errorOf, type Finding, textsAfter, type View } from './view.ts';
import { acknowledges, PROBLEM_RE } from './words.ts';

export function detectUnhandledError(v: View): Finding[] {
  const out: Finding[] = [];
  v.calls.forEach((call, i) => {
    if (call.ok) return;
    const retried = v.calls.slice(i + 1).some((later) => continues(v, call, later));
    // The last failure of a retry chain: the chain was the handling.
    const previous = v.calls
      .slice(0, i)
      .reverse()
      .find((c) => continues(v, c, call) || continues(v, call, c));
    const inChain = previous !== undefined && !previous.ok;
    if (retried || inChain) return;
    const mentioned = textsAfter(v, call.end).some((t) => PROBLEM_RE.test(t.text)) || acknowledges(v.answer);
    if (mentioned) return;
    out.push({
      from: call.at,
      to: v.finalAt ?? call.end,
      origin: call.at,
      evidence: `${describe(call)} failed (${errorOf(call)}); not retried, and nothing later mentions it`,
    });
  });
  return out;
}
