// Result verification: did the agent notice when what it got back was not good enough? Every
// call that failed, was hit by an injected fault (timeout, partial list, stale snapshot), or
// read no data where data was needed is a problem the agent must handle: re-query (a later
// successful, clean call of the same tool) or say so in the answer. The scenario's traps add
// checks of their own: an unanswerable question must be answered "cannot", an ambiguous asset
// needs a question to the operator (or an answer that names the ambiguity), conflicting logs
// must be reconciled, and gaps the trap describes count as problems in the results.
import type { DimensionVerdict, EvidencePointer } from '../types.ts';
import { type Call, describeCall, pointTo } from './calls.ts';
import type { Context } from './context.ts';
import { entityArgs, sensorMatches } from './entities.ts';
import { MALFORMED_CODES } from './tool-accuracy.ts';
import { isObj, leaves, listed, plural, verdict } from './util.ts';

/** Words with which an answer admits a problem with its data. */
const PROBLEM_RE =
  /\b(?:partial(?:ly)?|incomplete|missing|gaps?|conflict(?:s|ing)?|inconsisten(?:t|cy)|contradict\w*|could ?n[o']?t|cannot|can't|unable|unavailable|not available|stale|outdated|out of date|old(?:er)? snapshot|timed? ?out|time-?outs?|failed|(?:an|tool|server) error|errored|no data|no readings|not found|does(?:n't| not) exist|no such|no asset|offline|truncated|cut short|only (?:part|some|the first)|retr(?:y|ied)|uncertain|caveat|warning|limited data)\b/i;
/** Words with which an answer says a question cannot be answered. */
const UNANSWERABLE_RE =
  /\b(?:cannot|can't|can ?not|could ?n[o']?t|unable|not (?:be )?(?:possible|available|answerable|determinable|determined)|unavailable|no (?:data|readings|records|such|asset|sensor|information)|does(?:n't| not) exist|not exist|not found|unknown (?:asset|sensor|site)|missing|offline|insufficient|(?:is ?n[o']?t|is not|not) at\b)/i;
/** Words with which an answer names an ambiguity. */
export const AMBIGUOUS_RE =
  /\b(?:ambiguous|ambiguity|which one|more than one|several|multiple|two (?:of them|\w+s)|did you mean|do you mean|please (?:clarify|specify)|clarif\w+|not sure which|unclear which)\b/i;
/** Words with which an answer reconciles conflicting records. */
const CONFLICT_RE =
  /\b(?:but|however|although|though|despite|even though|yet|still|again|persist\w*|recur\w*|conflict\w*|inconsisten\w*|contradict\w*|reappear\w*|returned)\b/i;
/** Trap descriptions that make gaps in the data part of the test. */
const GAP_TRAP_RE = /\b(?:gaps?|offline|logged nothing|no readings|missing|no data|outage)\b/i;

/** Keys that say whether data exists; false is an answer that admits there is none. */
const AVAILABILITY_KEYS = new Set([
  'available',
  'exists',
  'answerable',
  'found',
  'possible',
  'hasdata',
  'dataavailable',
]);
/** Keys under which the answer's main value sits. */
const PRIMARY_KEYS = new Set(['answer', 'value', 'average', 'result', 'mean', 'total', 'count', 'reading']);

type ProblemKind = 'error' | 'timeout' | 'partial' | 'stale' | 'empty' | 'gap';

interface Item {
  label: string;
  handled: boolean;
  how: string;
  pointer: EvidencePointer | null;
}

function normKey(k: string): string {
  return k.toLowerCase().replace(/[\s_-]+/g, '');
}

/** true/false when the answer has an availability flag (available: false...), else null. */
function availability(answer: unknown): boolean | null {
  for (const { key, value } of leaves(answer))
    if (typeof value === 'boolean' && AVAILABILITY_KEYS.has(normKey(key))) return value;
  return null;
}

/** Whether the answer's main value is a number (a bare number, or {answer: 3.2}). */
function answersWithNumber(answer: unknown): boolean {
  if (typeof answer === 'number') return true;
  if (typeof answer === 'string') return /^\s*[-+]?\d+(?:\.\d+)?\s*[\p{L}%°/]*\s*$/u.test(answer);
  if (isObj(answer))
    return Object.entries(answer).some(([k, v]) => PRIMARY_KEYS.has(normKey(k)) && answersWithNumber(v));
  return false;
}

/** The answer admits a problem: in words, with an availability flag set to false, or a null value. */
function acknowledges(ctx: Context, re: RegExp = PROBLEM_RE): boolean {
  if (availability(ctx.answer) === false) return true;
  if (
    isObj(ctx.answer) &&
    Object.entries(ctx.answer).some(([k, v]) => PRIMARY_KEYS.has(normKey(k)) && v === null)
  )
    return true;
  return re.test(ctx.answerText);
}

export function saysUnanswerable(ctx: Context): boolean {
  const flag = availability(ctx.answer);
  if (flag !== null) return !flag;
  if (answersWithNumber(ctx.answer)) return false;
  if (
    isObj(ctx.answer) &&
    Object.entries(ctx.answer).some(([k, v]) => PRIMARY_KEYS.has(normKey(k)) && v === null)
  )
    return true;
  return UNANSWERABLE_RE.test(ctx.answerText);
}

/** A read that brought back no readings at all (an offline sensor, an empty window). */
export function isEmptyRead(call: Call): boolean {
  if (!call.ok || call.resultText === null) return false;
  const r = call.result;
  const text = call.resultText.trim();
  if (text === '' || text === 'null' || text === '{}' || text === '[]') return true;
  if (!isObj(r)) return false;
  if (call.tool === 'history')
    return r.total_observations === 0 || (Array.isArray(r.rows) && r.rows.length === 0);
  if (call.tool === 'latest' && Array.isArray(r.readings))
    return (
      r.readings.length === 0 || r.readings.every((x) => isObj(x) && (x.value === null || x.offline === true))
    );
  return false;
}

function hasGaps(call: Call): boolean {
  if (!call.ok) return false;
  if (isObj(call.result)) return Array.isArray(call.result.gaps) && call.result.gaps.length > 0;
  return call.resultText !== null && /"gaps"\s*:\s*\[\s*\{/.test(call.resultText);
}

function problemOf(call: Call, gapsMatter: boolean): ProblemKind | null {
  if (!call.ok) return call.fault === 'timeout' || call.errorCode === 'timeout' ? 'timeout' : 'error';
  if (call.fault === 'partial' || call.fault === 'stale') return call.fault;
  if (isEmptyRead(call)) return 'empty';
  if (gapsMatter && hasGaps(call)) return 'gap';
  return null;
}

const PROBLEM_TEXT: Record<ProblemKind, string> = {
  error: 'failed',
  timeout: 'timed out',
  partial: 'returned a partial result',
  stale: 'returned stale readings',
  empty: 'returned no data',
  gap: 'returned data with gaps',
};

/** Same assets, sites and sensors (by alias group): the same question asked again. */
function sameTarget(ctx: Context, a: Call, b: Call): boolean {
  const ea = entityArgs(a.args);
  const eb = entityArgs(b.args);
  const same = (x: string[], y: string[]) =>
    x.length === y.length && x.every((n) => y.some((m) => ctx.aliases.same(n, m) || sensorMatches(n, m)));
  // Handles (json_reader) name the result being read.
  const handle = (c: Call) => (typeof c.args.handle === 'string' ? c.args.handle : null);
  return (
    same(ea.assets, eb.assets) &&
    same(ea.sites, eb.sites) &&
    same(ea.sensors, eb.sensors) &&
    handle(a) === handle(b)
  );
}

/**
 * A later call of the same tool that succeeded, on the same target, unless the call was
 * rejected for its arguments (then the corrected call names another target, as it should).
 * After an empty read the later call must have found data. A re-query that is itself faulty
 * is a problem of its own, checked in turn.
 */
function requery(ctx: Context, call: Call, kind: ProblemKind): Call | undefined {
  const after = ctx.calls.slice(ctx.calls.indexOf(call) + 1);
  const rejected = !call.ok && MALFORMED_CODES.has(call.errorCode ?? '');
  return after.find(
    (c) =>
      c.tool === call.tool &&
      c.ok &&
      (rejected || sameTarget(ctx, call, c)) &&
      (kind !== 'empty' || !isEmptyRead(c)),
  );
}

function trapItems(ctx: Context): Item[] {
  const traps = Array.isArray(ctx.scenario.traps) ? ctx.scenario.traps : [];
  const items: Item[] = [];
  const finalStep = ctx.steps.findLastIndex((s) => s.kind === 'final');
  const atAnswer = finalStep >= 0 ? { step: finalStep, note: '' } : null;
  for (const trap of traps) {
    const what = trap.description ?? trap.kind;
    if (trap.kind === 'unanswerable') {
      const ok = saysUnanswerable(ctx);
      items.push({
        label: `unanswerable: ${what}`,
        handled: ok,
        how: ok
          ? 'the answer says it cannot be answered'
          : 'the answer gives a value instead of saying it cannot be answered',
        pointer: atAnswer,
      });
    } else if (trap.kind === 'ambiguous_asset') {
      const ask = ctx.steps.findIndex((s) => s.kind === 'ask');
      const ok = ask >= 0 || AMBIGUOUS_RE.test(ctx.answerText);
      items.push({
        label: `ambiguous asset: ${what}`,
        handled: ok,
        how:
          ask >= 0
            ? 'the agent asked the operator'
            : ok
              ? 'the answer names the ambiguity'
              : 'the agent guessed without asking',
        pointer: ask >= 0 ? { step: ask, note: '' } : atAnswer,
      });
    } else if (trap.kind === 'conflicting_logs') {
      const words = CONFLICT_RE.test(ctx.answerText) || PROBLEM_RE.test(ctx.answerText);
      const ok = words || ctx.grade.pass === true;
      items.push({
        label: `conflicting logs: ${what}`,
        handled: ok,
        how: words
          ? 'the answer reconciles the records'
          : ok
            ? 'the typed answer takes the later evidence over the record'
            : 'the answer takes one record at its word',
        pointer: atAnswer,
      });
    }
  }
  return items;
}

export function scoreVerification(ctx: Context): DimensionVerdict {
  const finalStep = ctx.steps.findLastIndex((s) => s.kind === 'final');
  const atAnswer = finalStep >= 0 ? [{ step: finalStep, note: 'the final answer' }] : [];
  // Verification is of results: with no data fetched there is nothing that was verified.
  if (ctx.work.none) return verdict(false, 0, 'No data was fetched, so no result was verified.', atAnswer);
  if (ctx.work.wrongAbstention)
    return verdict(
      false,
      0,
      'The answer declines an answerable question: declining verifies nothing.',
      atAnswer,
    );
  const traps = Array.isArray(ctx.scenario.traps) ? ctx.scenario.traps : [];
  const gapsMatter = traps.some((t) => GAP_TRAP_RE.test(`${t.description ?? ''}`));
  const items: Item[] = [];
  for (const call of ctx.calls) {
    const kind = problemOf(call, gapsMatter);
    if (!kind) continue;
    const again = requery(ctx, call, kind);
    const said = acknowledges(ctx);
    items.push({
      label: `${describeCall(call)} ${PROBLEM_TEXT[kind]}`,
      handled: again !== undefined || said,
      how: again ? `re-queried (#${again.seq})` : said ? 'the answer says so' : 'ignored',
      pointer: pointTo(call, ''),
    });
  }
  items.push(...trapItems(ctx));
  if (items.length === 0)
    return verdict(
      true,
      1,
      'Every call that fetched data succeeded with clean data, and the scenario sets no trap.',
    );
  const missed = items.filter((i) => !i.handled);
  const evidence = items.map((i) => ({ ...(i.pointer ?? {}), note: `${i.label}: ${i.how}` }));
  const rationale =
    missed.length === 0
      ? `All ${plural(items.length, 'problem')} handled (${listed(
          items.map((i) => i.how),
          3,
        )}).`
      : `${missed.length} of ${plural(items.length, 'problem')} not handled: ${listed(
          missed.map((i) => `${i.label} (${i.how})`),
          3,
        )}.`;
  return verdict(missed.length === 0, (items.length - missed.length) / items.length, rationale, evidence);
}
