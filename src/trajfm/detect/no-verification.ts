// No verification: a result that signals trouble went into the answer as if it were sound.
// Trouble is what the tool server or the result itself says: an injected partial result (lists
// cut short) or stale snapshot, a read that brought back no readings, a window with gaps, or a
// result text that says "no readings". The agent handled it if it asked again and got a clean
// result for the same target, or if the answer carries a caveat (or admits it has no answer,
// which uses nothing). Which step used the result cannot be told from the record, so any
// answer with content counts as using it.

import { isObj } from '../../scoring/evidence/util.ts';
import { isEmptyRead } from '../../scoring/evidence/verification.ts';
import { type CallView, describe, type Finding, sameTarget, type View } from './view.ts';
import { acknowledges, isBlank, isRefusal } from './words.ts';

const NO_READINGS_RE = /\bno (?:readings|data|observations|records)\b/i;
const GAPS_TEXT_RE = /"gaps"\s*:\s*\[\s*\{/;

function trouble(c: CallView): string | null {
  if (!c.ok) return null;
  if (c.fault === 'partial') return 'came back partial (lists cut short)';
  if (c.fault === 'stale') return 'came back from a stale snapshot';
  if (isEmptyRead(c)) return 'returned no readings';
  const r = c.result;
  if (isObj(r) && Array.isArray(r.gaps) && r.gaps.length > 0)
    return `has ${r.gaps.length} gap${r.gaps.length === 1 ? '' : 's'} in its window`;
  if (r === undefined && c.resultText !== null && GAPS_TEXT_RE.test(c.resultText))
    return 'has gaps in its window';
  if (r === undefined && c.resultText !== null && NO_READINGS_RE.test(c.resultText))
    return 'says no readings';
  if (isObj(r) && typeof r.note === 'string' && NO_READINGS_RE.test(r.note)) return 'says no readings';
  return null;
}

export function detectNoVerification(v: View): Finding[] {
  if (isBlank(v.answer) || isRefusal(v.answer) || acknowledges(v.answer, true)) return [];
  const out: Finding[] = [];
  const reported: CallView[] = [];
  v.calls.forEach((c, i) => {
    const what = trouble(c);
    if (what === null || reported.some((r) => sameTarget(v, r, c))) return;
    const requeried = v.calls
      .slice(i + 1)
      .some((later) => later.ok && sameTarget(v, c, later) && trouble(later) === null);
    if (requeried) return;
    reported.push(c);
    out.push({
      from: c.at,
      to: v.finalAt,
      origin: c.at,
      evidence: `${describe(c)} ${what}; no clean re-query, and the answer has no caveat`,
    });
  });
  return out;
}
