// Premature termination: the agent stopped before it had what it needed.
//  - The run ended on a limit or an error (status limit / error).
//  - It answered without a single data call (utilities such as the clock do not count), unless
//    the answer is a question back to the operator.
//  - It gave up (no answer, "I could not...") after tool errors without retrying any of them and
//    without a successful data call after the first. Errors that settle the question (no such
//    asset, no data in that window, already closed) are answers in themselves, so giving up on
//    those is not premature; it takes a failure that a retry or a fixed call could get past.
import { continues, describe, errorOf, type Finding, isDataCall, quote, type View } from './view.ts';
import { asksBack, isRefusal } from './words.ts';

/** Failures that establish a fact the answer can rest on. */
const SETTLING_CODES = new Set(['not_found', 'no_data', 'out_of_range', 'conflict']);

/** Where a planning run gave up: the last step of the sub-agent last handed work, else the final. */
function giveUpStep(v: View): number | null {
  let to: string | null = null;
  for (const s of v.steps) if (s.kind === 'handoff' && typeof s.handoff?.to === 'string') to = s.handoff.to;
  if (to !== null) for (let i = v.steps.length - 1; i >= 0; i--) if (v.steps[i].agent === to) return i;
  return v.finalAt;
}

export function detectPrematureTermination(v: View): Finding[] {
  if (v.status === 'limit' || v.status === 'error') {
    const why = v.errors[0] ? `: ${v.errors[0].kind} ${quote(v.errors[0].message, 60)}` : '';
    const at = v.steps.length > 0 ? v.steps.length - 1 : null;
    return [{ from: at, to: at, origin: at, evidence: `the run stopped with status ${v.status}${why}` }];
  }
  const data = v.calls.filter(isDataCall);
  if (data.length === 0 && !asksBack(v.answer)) {
    const origin = giveUpStep(v);
    return [
      {
        from: 0,
        to: v.finalAt,
        origin,
        evidence: `answered ${quote(v.answerText, 50)} without any data call${v.calls.length > 0 ? ` (only ${v.calls.map((c) => c.tool).join(', ')})` : ''}`,
      },
    ];
  }
  if (!isRefusal(v.answer)) return [];
  const failures = data.filter((c) => !c.ok);
  const firstOpen = failures.find((c) => !SETTLING_CODES.has(c.errorCode ?? ''));
  if (!firstOpen) return [];
  const retried = failures.some((f) => {
    const i = v.calls.indexOf(f);
    return v.calls.slice(i + 1).some((later) => continues(v, f, later));
  });
  const after = v.calls.slice(v.calls.indexOf(firstOpen) + 1);
  if (retried || after.some((c) => c.ok && isDataCall(c))) return [];
  return [
    {
      from: firstOpen.at,
      to: v.finalAt,
      origin: firstOpen.at,
      evidence: `gave up with ${quote(v.answerText, 50)} right after ${describe(firstOpen)} failed (${errorOf(firstOpen)}), without a retry`,
    },
  ];
}
