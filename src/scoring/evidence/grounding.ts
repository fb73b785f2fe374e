// What the agent was shown: the text of every tool result in the trajectory, the task (its
// utterance, answer format and "now") and the operator's replies. A sub-agent's report is not
// among them: it is grounded only through the tool results the sub-agent itself got. A claim is grounded when
// what it states is there: a name as whole words (any case), a timestamp to the minute (a
// date by its day), a number within a small relative tolerance or after rounding. Simple
// aggregates of returned lists (count, sum, mean, min, max) also count as shown: agents are
// asked to count and average what the tools return.
import { parseTimestamp } from '../../scenarios/graders.ts';
import type { Claim } from './claims.ts';
import type { Context } from './context.ts';
import { isSubAgentName } from './tool-facts.ts';
import { containsWords, isObj, norm, textOf } from './util.ts';

/** Relative tolerance for numbers (0.2%): unit rounding and float printing, not estimates. */
export const NUMBER_REL_TOLERANCE = 0.002;
const MAX_AGGREGATE_ROWS = 100_000;

export interface SourceText {
  /** Normalised text (norm) to look names up in. */
  text: string;
  step?: number;
  note: string;
}

export interface Sources {
  texts: SourceText[];
  /** Sorted numbers, each with the index of the text it came from. */
  numbers: Array<{ v: number; from: number }>;
  /** Epoch minute -> text index; UTC date (YYYY-MM-DD) -> text index. */
  minutes: Map<number, number>;
  dates: Map<string, number>;
  /** Tool results recorded cut short (some recorders clip long results): what they hid is unknown. */
  clipped: number[];
}

/** A result recorded cut short: it ends in an ellipsis and is no longer the JSON it began as. */
function isClipped(text: string): boolean {
  if (!/(?:…|\.\.\.)\s*$/.test(text)) return false;
  if (!/^\s*[[{]/.test(text)) return text.length >= 500;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

// A number not glued to a word (the digits of "CWC04001" or "WO200117" are no number).
const RAW_NUMBER_RE = /(?<![\p{L}\p{N}_.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/giu;
const RAW_TIMESTAMP_RE =
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})\b|Z)?)?/gi;

/** count/sum/mean/min/max of every list in a parsed result. */
function aggregates(x: unknown, out: number[], budget = { rows: 0 }, depth = 0): void {
  if (depth > 8 || budget.rows > MAX_AGGREGATE_ROWS) return;
  if (Array.isArray(x)) {
    out.push(x.length);
    budget.rows += x.length;
    const columns = new Map<string, number[]>();
    for (const item of x) {
      if (typeof item === 'number') columns.set('', [...(columns.get('') ?? []), item]);
      else if (isObj(item))
        for (const [k, v] of Object.entries(item))
          if (typeof v === 'number' && Number.isFinite(v)) {
            const col = columns.get(k) ?? [];
            col.push(v);
            columns.set(k, col);
          }
    }
    for (const col of columns.values()) {
      if (col.length === 0) continue;
      const sum = col.reduce((a, b) => a + b, 0);
      out.push(sum, sum / col.length, Math.min(...col.slice(0, 10000)), Math.max(...col.slice(0, 10000)));
    }
    for (const item of x.slice(0, 1000))
      if (typeof item === 'object') aggregates(item, out, budget, depth + 1);
  } else if (isObj(x)) {
    for (const v of Object.values(x)) if (typeof v === 'object') aggregates(v, out, budget, depth + 1);
  }
}

/** Every string of a JSON value, unescaped, so names with quotes or unicode read as written. */
function stringsOf(x: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 10 || out.length > 20000) return out;
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) for (const v of x) stringsOf(v, out, depth + 1);
  else if (isObj(x))
    for (const [k, v] of Object.entries(x)) {
      out.push(k);
      stringsOf(v, out, depth + 1);
    }
  return out;
}

type RawSource = { text: string; step?: number; note: string; result?: boolean };

/**
 * A sub-agent's report (the result of delegating to iot_agent, or a domain agent's reply to
 * its planner) is not data: what it says is grounded only where its own tool results are.
 */
function isReport(ctx: Context, i: number): boolean {
  const s = ctx.steps[i];
  if (s.kind === 'tool_result') return isSubAgentName(s.tool?.name ?? '');
  return s.kind === 'message' && isSubAgentName(s.agent ?? '') && ctx.steps[i - 1]?.kind !== 'ask';
}

/**
 * What sub-agents told their callers, as sources of their own: a claim of the answer that is in
 * no tool result but is in a report first appeared there, and that sub-agent invented it.
 */
export function buildReportSources(ctx: Context): Sources {
  const raw: RawSource[] = [];
  ctx.steps.forEach((s, i) => {
    if (typeof s.content === 'string' && isReport(ctx, i))
      raw.push({
        text: s.content,
        step: i,
        note: `${s.kind === 'tool_result' ? (s.tool?.name ?? 'a sub-agent') : s.agent}'s report`,
      });
  });
  return indexSources(raw);
}

export function buildSources(ctx: Context): Sources {
  const raw: RawSource[] = [];
  ctx.steps.forEach((s, i) => {
    if (s.kind === 'tool_result' && typeof s.content === 'string' && !isReport(ctx, i))
      raw.push({ text: s.content, step: i, note: `result of ${s.tool?.name ?? 'a tool'}`, result: true });
    // The operator's reply to a question is something the agent was told.
    if (s.kind === 'message' && ctx.steps[i - 1]?.kind === 'ask' && typeof s.content === 'string')
      raw.push({ text: s.content, step: i, note: "the operator's reply" });
  });
  const s = ctx.scenario;
  const task = [s.utterance, ctx.trajectory.task].filter((t): t is string => typeof t === 'string');
  for (const t of task) raw.push({ text: t, note: 'the task' });
  if (isObj(s.answerFormat))
    raw.push({
      text: `${s.answerFormat.description ?? ''} ${textOf(s.answerFormat.jsonShape ?? '')}`,
      note: 'the answer format',
    });
  raw.push({ text: ctx.now, note: 'the current time' });
  return indexSources(raw);
}

function indexSources(raw: RawSource[]): Sources {
  const sources: Sources = { texts: [], numbers: [], minutes: new Map(), dates: new Map(), clipped: [] };
  raw.forEach((r, from) => {
    if (r.result && isClipped(r.text)) sources.clipped.push(from);
    const parsed = (() => {
      try {
        return /^\s*[[{]/.test(r.text) ? JSON.parse(r.text) : undefined;
      } catch {
        return undefined;
      }
    })();
    const plain = parsed === undefined ? r.text : `${r.text}\n${stringsOf(parsed).join('\n')}`;
    sources.texts.push({
      text: norm(plain),
      ...(r.step !== undefined ? { step: r.step } : {}),
      note: r.note,
    });
    // Timestamps are matched as times; their digits ("03", "15") would ground any small number.
    const untimed = r.text.replace(RAW_TIMESTAMP_RE, ' ');
    for (const m of untimed.matchAll(RAW_NUMBER_RE)) {
      const v = Number(m[0]);
      if (Number.isFinite(v)) sources.numbers.push({ v, from });
    }
    const derived: number[] = [];
    if (parsed !== undefined) aggregates(parsed, derived);
    for (const v of derived) if (Number.isFinite(v)) sources.numbers.push({ v, from });
    for (const m of plain.matchAll(RAW_TIMESTAMP_RE)) {
      const epoch = parseTimestamp(m[0].trim());
      if (epoch === null) continue;
      const minute = Math.floor(epoch / 60);
      if (!sources.minutes.has(minute)) sources.minutes.set(minute, from);
      const day = new Date(epoch * 1000).toISOString().slice(0, 10);
      if (!sources.dates.has(day)) sources.dates.set(day, from);
    }
  });
  sources.numbers.sort((a, b) => a.v - b.v);
  return sources;
}

/** Index of the first number >= x (binary search). */
function lowerBound(numbers: Sources['numbers'], x: number): number {
  let lo = 0;
  let hi = numbers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (numbers[mid].v < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function numberFound(sources: Sources, value: number, decimals: number): number | null {
  // Within rounding of what was written (22.89 is 22.887 rounded), or the relative tolerance.
  const w = Math.max(0.5 * 10 ** -Math.min(decimals, 12), NUMBER_REL_TOLERANCE * Math.abs(value), 1e-9);
  const i = lowerBound(sources.numbers, value - w);
  const hit = sources.numbers[i];
  return hit !== undefined && hit.v <= value + w ? hit.from : null;
}

function nameFound(sources: Sources, name: string): number | null {
  const n = norm(name).replace(/^["'`]+|["'`.]+$/g, '');
  if (n.length < 2) return -1;
  const variants = [n, n.endsWith('s') ? n.slice(0, -1) : `${n}s`];
  for (const [i, s] of sources.texts.entries()) if (variants.some((v) => containsWords(s.text, v))) return i;
  return null;
}

function at(sources: Sources, i: number): { step?: number; note: string } {
  const t = sources.texts[i];
  return t
    ? { ...(t.step !== undefined ? { step: t.step } : {}), note: `found in ${t.note}` }
    : { note: 'found' };
}

/**
 * Marks each claim grounded or not (in place) against what the agent was shown. Completion
 * claims are not decided here: they are about the tool log (hallucination.ts).
 */
export function groundClaims(claims: Claim[], sources: Sources): Claim[] {
  for (const c of claims) {
    let found: number | null = null;
    switch (c.kind) {
      case 'completion':
        continue;
      case 'number': {
        const v = c.value ?? Number.NaN;
        found = Number.isFinite(v) ? numberFound(sources, v, c.decimals ?? 0) : -1;
        // "85%" may be shown as 0.85.
        if (found === null && c.unit === '%') found = numberFound(sources, v / 100, (c.decimals ?? 0) + 2);
        break;
      }
      case 'timestamp': {
        const e = c.epoch ?? null;
        if (e === null) found = -1;
        else if (c.dateOnly) found = sources.dates.get(new Date(e * 1000).toISOString().slice(0, 10)) ?? null;
        else {
          const minute = Math.floor(e / 60);
          found =
            sources.minutes.get(minute) ??
            sources.minutes.get(minute - 1) ??
            sources.minutes.get(minute + 1) ??
            null;
          // Midnight of a day the sources name by date only.
          if (found === null && e % 86400 === 0)
            found = sources.dates.get(new Date(e * 1000).toISOString().slice(0, 10)) ?? null;
        }
        break;
      }
      default:
        found = nameFound(sources, c.text);
    }
    if (found === null && sources.clipped.length > 0) {
      // The hidden part of a clipped result may hold it: neither grounded nor a hallucination.
      const first = sources.texts[sources.clipped[0]];
      c.grounded = null;
      c.source = {
        ...(first?.step !== undefined ? { step: first.step } : {}),
        note: `not in the recorded text, and ${sources.clipped.length} tool result(s) were recorded clipped`,
      };
      continue;
    }
    c.grounded = found !== null;
    c.source =
      found === null
        ? { note: `not in any tool result or the task` }
        : found < 0
          ? { note: 'nothing to check' }
          : at(sources, found);
  }
  return claims;
}
