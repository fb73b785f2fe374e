// Graders for typed expected answers. Answers come from agents, so every grader coerces
// leniently (numbers inside text, {answer: X} wrappers, JSON or code fences in a string,
// aliases, bullet lists) but never guesses: when an answer could mean two things it fails
// and the detail says why. No grader throws, whatever the answer is; the score is in [0, 1].
import { isoFromEpoch } from '../util/time.ts';
import type { ExpectedAnswer } from './schema.ts';

export interface GradeResult {
  pass: boolean;
  /** 0..1; partial credit where the answer type allows it. */
  score: number;
  /** One sentence a person can read: what was expected, what came, why it passed or failed. */
  detail: string;
  /** Set when a judge model must decide (free text, or a record holding a free-text field). */
  needsJudge?: boolean;
}

type Expected<T extends ExpectedAnswer['type']> = Extract<ExpectedAnswer, { type: T }>;
type Coerced<T> = { ok: true; value: T } | { ok: false; why: string };
type Obj = Record<string, unknown>;

const ok = <T>(value: T): Coerced<T> => ({ ok: true, value });
const bad = <T>(why: string): Coerced<T> => ({ ok: false, why });

/** Floating point slack so that e.g. 0.1 + 0.2 passes an exact tolerance of 0.3. */
const EPS = 1e-9;
/** Partial credit falls linearly from the tolerance to zero at this many times the tolerance. */
const DECAY_FACTOR = 10;
/** Share of the actual forecast points an answer must cover to pass. */
const MIN_FORECAST_COVERAGE = 0.8;
/** Longer strings are not parsed as JSON: nobody writes an answer that long on purpose. */
const MAX_JSON_CHARS = 1_000_000;
/** How many {answer: {value: ...}} wrappers are peeled off at most. */
const MAX_UNWRAP = 4;
const MAX_LISTED = 5;
const PREVIEW_CHARS = 60;

// ---------------------------------------------------------------------------------------------
// Small helpers

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function result(pass: boolean, score: number, detail: string): GradeResult {
  return { pass, score: clamp01(score), detail };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

function clip(s: string, n = PREVIEW_CHARS): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isScalar(x: unknown): boolean {
  return x === null || (typeof x !== 'object' && typeof x !== 'function');
}

/** A short, bounded description of any value for details (never serialises a whole object). */
export function preview(x: unknown): string {
  if (x === undefined) return 'nothing (undefined)';
  if (typeof x === 'string') return JSON.stringify(clip(x));
  if (isScalar(x)) return String(x);
  if (Array.isArray(x)) {
    if (x.length === 0) return 'an empty list';
    if (x.length <= 4 && x.every(isScalar)) return clip(`[${x.map(preview).join(', ')}]`);
    return `a list of ${plural(x.length, 'item')}`;
  }
  if (isObj(x)) {
    const keys = Object.keys(x);
    if (keys.length === 0) return 'an empty object';
    return clip(`an object with keys ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}`);
  }
  return `a ${typeof x}`;
}

/** At most five items, each clipped: answers may hold megabyte-long "names". */
function listed(items: string[]): string {
  const head = items
    .slice(0, MAX_LISTED)
    .map((item) => clip(item, 40))
    .join(', ');
  return items.length > MAX_LISTED ? `${head} and ${items.length - MAX_LISTED} more` : head;
}

/** Field and key names compare without case, spaces, underscores or hyphens ("Work_Orders" = "work orders"). */
function normKey(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The value of the first own key of obj whose normalised name is one of names (in names' order). */
function pick(obj: Obj, names: string[]): unknown {
  const keys = Object.keys(obj);
  for (const name of names) {
    const key = keys.find((k) => normKey(k) === name);
    if (key !== undefined) return obj[key];
  }
  return undefined;
}

const FENCE_RE = /^```[\w-]*\s*([\s\S]*?)\s*```$/;

/** Agents often return JSON as text, sometimes inside a markdown code fence: read it as JSON. */
function parseJsonText(x: unknown): unknown {
  if (typeof x !== 'string' || x.length > MAX_JSON_CHARS) return x;
  const fenced = FENCE_RE.exec(x.trim());
  const text = fenced ? fenced[1] : x.trim();
  if (!/^[[{]/.test(text)) return fenced ? text : x;
  try {
    return JSON.parse(text);
  } catch {
    return fenced ? text : x;
  }
}

/** Read JSON text, then peel {answer: X} / {value: X} wrappers ('answer' first). */
function prepare(answer: unknown, unwrap = true): unknown {
  let x = parseJsonText(answer);
  for (let i = 0; unwrap && i < MAX_UNWRAP && isObj(x); i++) {
    const inner = pick(x, ['answer', 'value']);
    if (inner === undefined) break;
    x = parseJsonText(inner);
  }
  return x;
}

/** A one-element list stands for its element (agents wrap scalars); longer lists are not one value. */
function single(x: unknown): unknown {
  return Array.isArray(x) && x.length === 1 ? x[0] : x;
}

// ---------------------------------------------------------------------------------------------
// Coercions

// A number not glued to a word or another number ("CO2", "v1.2" and "AHU-1"'s sign are not
// numbers); "1,234.5" keeps its thousands separators; "33." at the end of a sentence is 33.
const NUMBER_RE =
  /(?<![\p{L}\p{N}_.])[-+]?(?:\d{1,3}(?:,\d{3})+(?!\d|,\d)|\d+)(?:\.\d+)?(?:e[-+]?\d+)?(?!\.\d)/giu;

/** All distinct numbers written in a text. */
export function numbersInText(text: string): number[] {
  const clean = text.normalize('NFKC').replace(/\u2212/g, '-');
  const found = Array.from(clean.matchAll(NUMBER_RE), (m) => Number(m[0].replace(/,/g, '')));
  return [...new Set(found)];
}

export function coerceNumber(answer: unknown): Coerced<number> {
  const x = single(answer);
  if (typeof x === 'number') return Number.isFinite(x) ? ok(x) : bad(`${x} is not a finite number`);
  if (typeof x === 'string') {
    const found = numbersInText(x);
    if (found.length === 0) return bad(`there is no number in ${preview(x)}`);
    if (found.length > 1) {
      return bad(`${preview(x)} is ambiguous: it holds several numbers (${listed(found.map(fmt))})`);
    }
    return Number.isFinite(found[0]) ? ok(found[0]) : bad(`${preview(x)} is not a finite number`);
  }
  if (Array.isArray(x)) return bad(`${preview(x)} is not one number`);
  return bad(`${preview(x)} is not a number`);
}

const TRUE_WORDS = new Set(['true', 'yes']);
const FALSE_WORDS = new Set(['false', 'no']);

export function coerceBoolean(answer: unknown): Coerced<boolean> {
  const x = single(answer);
  if (typeof x === 'boolean') return ok(x);
  if (typeof x === 'string') {
    const word = x
      .trim()
      .toLowerCase()
      .replace(/[.!]+$/, '');
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
    return bad(`${preview(x)} is not yes/no or true/false`);
  }
  return bad(`${preview(x)} is not true or false`);
}

/**
 * Names compare without case, whitespace, underscores or hyphens, and without surrounding quotes
 * or a final full stop ("chiller_6." = "Chiller 6").
 */
export function normName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/^["'`]+|["'`.]+$/g, '')
    .replace(/[\s_-]+/g, '');
}

function coerceName(answer: unknown): Coerced<string> {
  const x = single(answer);
  if (typeof x === 'string') return ok(x);
  if (typeof x === 'number' && Number.isFinite(x)) return ok(String(x));
  return bad(`${preview(x)} is not a name`);
}

const LIST_SPLIT_RE = /[,;\n]+/;
const LIST_MARKER_RE = /^\s*(?:[-*•]|\d+[.)])\s+/;

/** A list from an array of names or from text separated by commas, semicolons or newlines. */
function coerceList(answer: unknown): Coerced<string[]> {
  if (typeof answer === 'string') {
    const parts = answer.split(LIST_SPLIT_RE).map((p) => p.replace(LIST_MARKER_RE, '').trim());
    return ok(parts.filter((p) => p !== ''));
  }
  if (!Array.isArray(answer)) return bad(`${preview(answer)} is not a list of names`);
  const names: string[] = [];
  for (const [i, item] of answer.entries()) {
    const name = coerceName(item);
    if (!name.ok) return bad(`item ${i + 1} of the list is ${preview(item)}, not a name`);
    names.push(name.value);
  }
  return ok(names);
}

// A date, optionally a time (T or space), optionally a zone; no zone means UTC.
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$/i;

function zoneOffsetSeconds(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2) || 0) * 60);
}

/**
 * Epoch seconds of an ISO timestamp or 'YYYY-MM-DD HH:MM[:SS]' (UTC when no zone is given),
 * or null. Epoch numbers are refused: seconds or milliseconds would be a guess.
 */
export function parseTimestamp(x: unknown): number | null {
  if (typeof x !== 'string') return null;
  const m = TIMESTAMP_RE.exec(x.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March: a date that does not round-trip is not a date.
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  if (!real || h > 23 || mi > 59 || s > 59) return null;
  return Math.floor(ms / 1000) - zoneOffsetSeconds(m[8]);
}

interface Window {
  start: number;
  end: number | null;
}

function windowFromParts(start: unknown, end: unknown): Coerced<Window> {
  const s = parseTimestamp(start);
  if (s === null) return bad(`the start ${preview(start)} is not a timestamp`);
  if (end === undefined || end === null || end === '') return ok({ start: s, end: null });
  const e = parseTimestamp(end);
  if (e === null) return bad(`the end ${preview(end)} is not a timestamp`);
  if (e < s) return bad(`the window ends (${isoFromEpoch(e)}) before it starts (${isoFromEpoch(s)})`);
  return ok({ start: s, end: e });
}

// "A/B" (ISO interval), "A to B", "A – B", "A .. B"; a plain hyphen needs spaces (dates hold hyphens).
const RANGE_SPLIT_RE = /\s*(?:\/|–|—|\.\.)\s*|\s+(?:to|until|-)\s+/i;

function windowFromText(text: string): Coerced<Window> {
  if (parseTimestamp(text) !== null) return windowFromParts(text, null);
  const parts = text.trim().split(RANGE_SPLIT_RE);
  if (parts.length === 2) return windowFromParts(parts[0], parts[1]);
  return bad(`${preview(text)} is neither a timestamp nor a start and end`);
}

function coerceWindow(answer: unknown): Coerced<Window> {
  const x = single(answer);
  if (typeof x === 'string') return windowFromText(x);
  if (Array.isArray(x) && x.length === 2) return windowFromParts(x[0], x[1]);
  if (isObj(x)) {
    const start = pick(x, ['start', 'from']);
    if (start !== undefined) return windowFromParts(start, pick(x, ['end', 'to']));
    const at = pick(x, ['timestamp', 'ts', 'time']);
    if (at !== undefined) return windowFromParts(at, null);
  }
  return bad(`${preview(x)} is neither a timestamp nor {start, end}`);
}

interface Point {
  ts: number;
  value: number;
}

/** A forecast point: {ts|timestamp|time, value|mean} or a [ts, value] pair; null when unreadable. */
function coercePoint(item: unknown): Point | null {
  let ts: unknown;
  let value: unknown;
  if (Array.isArray(item) && item.length === 2) [ts, value] = item;
  else if (isObj(item)) {
    ts = pick(item, ['ts', 'timestamp', 'time']);
    value = pick(item, ['value', 'mean']);
  } else return null;
  const sec = parseTimestamp(ts);
  const num = coerceNumber(value);
  return sec !== null && num.ok ? { ts: sec, value: num.value } : null;
}

interface ForecastPoints {
  points: Map<number, number>;
  unreadable: number;
}

function coerceForecast(answer: unknown): Coerced<ForecastPoints> {
  const list = isObj(answer) ? parseJsonText(pick(answer, ['forecast'])) : answer;
  if (!Array.isArray(list)) return bad(`${preview(answer)} is not a list of {ts, value} points`);
  const points = new Map<number, number>();
  let unreadable = 0;
  for (const item of list) {
    const p = coercePoint(item);
    if (p === null) unreadable++;
    // The first point of a timestamp counts; a repeat cannot improve the answer after the fact.
    else if (!points.has(p.ts)) points.set(p.ts, p.value);
  }
  return ok({ points, unreadable });
}

// ---------------------------------------------------------------------------------------------
// Names against expected values and aliases

/** Normalised spelling -> expected value, from the values and their aliases (first value wins). */
function nameIndex(values: string[], aliases: Record<string, string[]> | undefined): Map<string, string> {
  const index = new Map<string, string>();
  for (const value of values) {
    // Own keys only: an expected value called "constructor" must not find Object's.
    const extra = aliases && Object.hasOwn(aliases, value) ? aliases[value] : [];
    for (const name of [value, ...(Array.isArray(extra) ? extra : [])]) {
      const key = normName(String(name));
      if (key !== '' && !index.has(key)) index.set(key, value);
    }
  }
  return index;
}

interface MatchedItem {
  raw: string;
  /** The expected value it names, or null for an extra item. */
  value: string | null;
}

// An agent that finds nothing says so in words; these stand for an empty list unless expected.
const EMPTY_WORDS = new Set(['none', 'nothing', 'n/a', 'empty']);

/** Answer items in order, each mapped to an expected value; repeats (same value or spelling) dropped. */
function matchNames(items: string[], index: Map<string, string>): MatchedItem[] {
  const seen = new Set<string>();
  const out: MatchedItem[] = [];
  for (const raw of items) {
    const key = normName(raw);
    const value = index.get(key) ?? null;
    const id = value === null ? `extra:${key}` : `value:${value}`;
    if (key === '' || seen.has(id)) continue;
    seen.add(id);
    out.push({ raw, value });
  }
  if (out.length === 1 && out[0].value === null && EMPTY_WORDS.has(normName(out[0].raw))) return [];
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

// ---------------------------------------------------------------------------------------------
// Graders

export function gradeCount(expected: Expected<'count'>, answer: unknown): GradeResult {
  const raw = prepare(answer);
  const n = coerceNumber(raw);
  const want = `expected the count ${expected.value}`;
  if (!n.ok) return result(false, 0, `${want}, but ${n.why}.`);
  const got = typeof raw === 'string' ? `${fmt(n.value)} (from ${preview(raw)})` : fmt(n.value);
  if (!Number.isInteger(n.value))
    return result(false, 0, `${want}, got ${got}, which is not a whole number.`);
  if (n.value === expected.value) return result(true, 1, `${want} and got ${got}: exact match.`);
  return result(false, 0, `${want} but got ${got}.`);
}

/** The largest error that passes: the bigger of the absolute and the relative tolerance. */
function allowedError(expected: Expected<'number'>): number {
  const abs = expected.tolerance?.abs ?? 0;
  const rel = expected.tolerance?.rel ?? 0;
  return Math.max(abs, rel * Math.abs(expected.value));
}

/**
 * Passes within the tolerance (score 1). Outside it, partial credit falls linearly with the error,
 * score = max(0, 1 - err / (10 * allowed)), so an answer twice the tolerance off keeps 0.8 and one
 * ten times off gets 0; with no tolerance only an exact answer scores.
 */
export function gradeNumber(expected: Expected<'number'>, answer: unknown): GradeResult {
  const raw = prepare(answer);
  const n = coerceNumber(raw);
  const unit = expected.unit ? ` ${expected.unit}` : '';
  const allowed = allowedError(expected);
  const want = `expected ${fmt(expected.value)}${unit} (± ${fmt(allowed)})`;
  if (!n.ok) return result(false, 0, `${want}, but ${n.why}.`);
  const err = Math.abs(n.value - expected.value);
  const got = typeof raw === 'string' ? `${fmt(n.value)} (from ${preview(raw)})` : fmt(n.value);
  if (err <= allowed + EPS * Math.max(1, Math.abs(expected.value))) {
    return result(true, 1, `${want} and got ${got}: within tolerance.`);
  }
  const score = allowed > 0 ? Math.max(0, 1 - err / (DECAY_FACTOR * allowed)) : 0;
  return result(false, score, `${want} but got ${got}, off by ${fmt(err)}.`);
}

export function gradeEntity(expected: Expected<'entity'>, answer: unknown): GradeResult {
  const name = coerceName(prepare(answer));
  const want = `expected ${JSON.stringify(expected.value)}`;
  if (!name.ok) return result(false, 0, `${want}, but ${name.why}.`);
  const accepted = [expected.value, ...(expected.aliases ?? [])].map(normName);
  const key = normName(name.value);
  if (key !== '' && accepted.includes(key)) return result(true, 1, `${want} and got ${preview(name.value)}.`);
  return result(false, 0, `${want} but got ${preview(name.value)}, which is not it or one of its aliases.`);
}

export function gradeSet(expected: Expected<'set'>, answer: unknown): GradeResult {
  const list = coerceList(prepare(answer));
  const values = unique(expected.values);
  const minF1 = expected.minF1 ?? 1;
  const want = `expected the set {${listed(values)}}`;
  if (!list.ok) return result(false, 0, `${want}, but ${list.why}.`);
  const matched = matchNames(list.value, nameIndex(values, expected.aliases));
  const hits = new Set(matched.flatMap((m) => (m.value === null ? [] : [m.value])));
  const extra = matched.filter((m) => m.value === null).map((m) => m.raw);
  const missing = values.filter((v) => !hits.has(v));
  const precision = matched.length === 0 ? 1 : hits.size / matched.length;
  const recall = values.length === 0 ? 1 : hits.size / values.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const pass = f1 >= minF1 - EPS;
  const stats = `precision ${fmt(precision)}, recall ${fmt(recall)}, F1 ${fmt(f1)} (needs ${fmt(minF1)})`;
  const gaps = [
    missing.length ? `missing ${listed(missing)}` : '',
    extra.length ? `extra ${listed(extra)}` : '',
  ].filter(Boolean);
  const why = gaps.length ? `; ${gaps.join('; ')}` : '';
  return result(pass, f1, `${want} and got ${hits.size} of them: ${stats}${why}.`);
}

/** Kendall tau-b of two paired rankings (ties allowed); 0 when either ranking is all ties. */
export function kendallTauB(a: number[], b: number[]): number {
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i] - a[j]);
      const db = Math.sign(b[i] - b[j]);
      if (da === 0) tiesA++;
      if (db === 0) tiesB++;
      if (da * db > 0) concordant++;
      if (da * db < 0) discordant++;
    }
  }
  const pairs = (a.length * (a.length - 1)) / 2;
  const denom = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denom === 0 ? 0 : (concordant - discordant) / denom;
}

export function gradeRanking(expected: Expected<'ranking'>, answer: unknown): GradeResult {
  const list = coerceList(prepare(answer));
  const values = unique(expected.values);
  const want = `expected the ranking ${listed(values)}`;
  if (!list.ok) return result(false, 0, `${want}, but ${list.why}.`);
  const matched = matchNames(list.value, nameIndex(values, expected.aliases));
  return expected.metric === 'topk'
    ? gradeTopK(expected, values, matched, want)
    : gradeKendall(expected, values, matched, want);
}

/**
 * Kendall tau-b over the items both rankings hold, in the answer's order against the expected
 * order. Missing items are not placed anywhere (that would invent an order); instead the score
 * (tau + 1) / 2 is multiplied by the share of expected items present, and passing needs them all.
 */
function gradeKendall(
  expected: Expected<'ranking'>,
  values: string[],
  matched: MatchedItem[],
  want: string,
): GradeResult {
  const position = new Map(values.map((v, i) => [v, i]));
  const common = matched.flatMap((m) => (m.value === null ? [] : [m.value]));
  const missing = values.filter((v) => !common.includes(v));
  const gap = missing.length ? `; missing ${listed(missing)}` : '';
  if (common.length < 2) {
    return result(false, 0, `${want}, but only ${plural(common.length, 'item')} of it came${gap}.`);
  }
  const tau = kendallTauB(
    common.map((_, i) => i),
    common.map((v) => position.get(v)!),
  );
  const coverage = common.length / values.length;
  const pass = tau >= expected.threshold - EPS && missing.length === 0;
  const got = `got ${listed(common)} (Kendall tau ${fmt(tau)}, needs ${fmt(expected.threshold)})`;
  return result(pass, ((tau + 1) / 2) * coverage, `${want} and ${got}${gap}.`);
}

/** Share of the first k expected items among the first k answer items (an extra item takes a slot). */
function gradeTopK(
  expected: Expected<'ranking'>,
  values: string[],
  matched: MatchedItem[],
  want: string,
): GradeResult {
  const k = Math.max(1, Math.min(expected.k ?? values.length, values.length));
  const top = new Set(values.slice(0, k));
  const answered = matched.slice(0, k);
  const overlap = answered.filter((m) => m.value !== null && top.has(m.value)).length / k;
  const pass = overlap >= expected.threshold - EPS;
  const got = answered.length ? listed(answered.map((m) => m.raw)) : 'nothing';
  return result(
    pass,
    overlap,
    `${want}: the top ${k} answered are ${got}, overlap ${fmt(overlap)} (needs ${fmt(expected.threshold)}).`,
  );
}

/**
 * mode 'timestamp': the answer's start against the expected start; within the tolerance scores 1,
 * beyond it the score is max(0, 1 - err / (10 * tolerance)), as for numbers.
 * mode 'overlap': intersection over union of the two windows. An open window (end null) ends at
 * start + tolerance. Edges are forgiven by snapping: an answer edge within the tolerance of the
 * expected edge is moved onto it before the IoU. Snapping (unlike widening both windows) forgives
 * small errors without giving credit to windows that do not overlap at all.
 */
export function gradeTimeWindow(expected: Expected<'time_window'>, answer: unknown): GradeResult {
  const tolSec = expected.toleranceMinutes * 60;
  const exp = windowFromParts(expected.start, expected.end);
  if (!exp.ok) return result(false, 0, `the expected window is broken: ${exp.why}.`);
  const got = coerceWindow(prepare(answer));
  const want = `expected ${describeWindow(exp.value)} (± ${fmt(expected.toleranceMinutes)} min)`;
  if (!got.ok) return result(false, 0, `${want}, but ${got.why}.`);
  if (expected.mode === 'timestamp') {
    const errMin = Math.abs(got.value.start - exp.value.start) / 60;
    const seen = `${want} and got ${isoFromEpoch(got.value.start)}, ${fmt(errMin)} min off`;
    if (errMin <= expected.toleranceMinutes + EPS) return result(true, 1, `${seen}.`);
    const tol = expected.toleranceMinutes;
    return result(false, tol > 0 ? Math.max(0, 1 - errMin / (DECAY_FACTOR * tol)) : 0, `${seen}.`);
  }
  const iou = windowIoU(exp.value, got.value, tolSec);
  const minOverlap = expected.minOverlap ?? 0.5;
  const pass = iou >= minOverlap - EPS;
  const seen = `got ${describeWindow(got.value)}: overlap (IoU) ${fmt(iou)}, needs ${fmt(minOverlap)}`;
  return result(pass, iou, `${want} and ${seen}.`);
}

function describeWindow(w: Window): string {
  return w.end === null ? isoFromEpoch(w.start) : `${isoFromEpoch(w.start)} to ${isoFromEpoch(w.end)}`;
}

function windowIoU(exp: Window, ans: Window, tolSec: number): number {
  const expStart = exp.start;
  const expEnd = exp.end ?? exp.start + tolSec;
  const rawStart = ans.start;
  const rawEnd = ans.end ?? ans.start + tolSec;
  let start = Math.abs(rawStart - expStart) <= tolSec ? expStart : rawStart;
  let end = Math.abs(rawEnd - expEnd) <= tolSec ? expEnd : rawEnd;
  // Snapping one edge past the other would turn the window inside out: keep the raw edges then.
  if (start > end) [start, end] = [rawStart, rawEnd];
  const union = Math.max(end, expEnd) - Math.min(start, expStart);
  const inter = Math.max(0, Math.min(end, expEnd) - Math.max(start, expStart));
  // A zero union means both windows are the same instant.
  return union === 0 ? 1 : inter / union;
}

/**
 * Pairs answer points with the actual points by timestamp (to the second, any ISO spelling) and
 * takes the MAE over the pairs. The bound is maxRelativeMae x naiveMae (when naiveMae is 0: 1e-9 +
 * 1% of the mean |actual|). Passing needs MAE <= bound and >= 80% of the actual points covered.
 * Score: 1 within the bound, else clamp(1 - (MAE / bound - 1), 0, 1), so twice the bound scores
 * 0; then multiplied by the share of points covered, so a single lucky point cannot score 1.
 */
/** The forecast points an answer gives, read as the grader reads them (null: none readable). */
export function forecastPoints(answer: unknown): Array<{ ts: string; value: number }> | null {
  const got = coerceForecast(prepare(answer));
  if (!got.ok || got.value.points.size === 0) return null;
  return [...got.value.points]
    .sort((a, b) => a[0] - b[0])
    .map(([ts, value]) => ({ ts: new Date(ts * 1000).toISOString(), value }));
}

export function gradeForecast(expected: Expected<'forecast'>, answer: unknown): GradeResult {
  const want = `expected a forecast of ${expected.asset} ${expected.sensor} at ${plural(expected.actual.length, 'point')}`;
  const got = coerceForecast(prepare(answer));
  if (!got.ok) return result(false, 0, `${want}, but ${got.why}.`);
  const errors: number[] = [];
  for (const actual of expected.actual) {
    const predicted = got.value.points.get(parseTimestamp(actual.ts) ?? Number.NaN);
    if (predicted !== undefined) errors.push(Math.abs(predicted - actual.value));
  }
  const coverage = errors.length / expected.actual.length;
  const unreadable = got.value.unreadable ? ` (${plural(got.value.unreadable, 'unreadable point')})` : '';
  if (errors.length === 0) {
    return result(false, 0, `${want}, but none of the answer's timestamps match them${unreadable}.`);
  }
  const mae = errors.reduce((s, e) => s + e, 0) / errors.length;
  const bound = forecastBound(expected);
  const covered = coverage >= MIN_FORECAST_COVERAGE - EPS;
  const pass = covered && mae <= bound;
  const score = (mae <= bound ? 1 : clamp01(1 - (mae / bound - 1))) * coverage;
  const seen = `matched ${errors.length} of them${unreadable}; MAE ${fmt(mae)} against a bound of ${fmt(bound)}`;
  const why = covered ? '' : `, and under ${MIN_FORECAST_COVERAGE * 100}% of the points are covered`;
  return result(pass, score, `${want} and ${seen}${why}.`);
}

function forecastBound(expected: Expected<'forecast'>): number {
  if (expected.naiveMae > 0) return expected.naiveMae * expected.maxRelativeMae;
  // A flat or perfectly seasonal series: the naive forecast is exact, so only a near-exact one passes.
  const meanAbs = expected.actual.reduce((s, p) => s + Math.abs(p.value), 0) / expected.actual.length;
  return 1e-9 + 0.01 * meanAbs;
}

export function gradeBoolean(expected: Expected<'boolean'>, answer: unknown): GradeResult {
  const b = coerceBoolean(prepare(answer));
  const want = `expected ${expected.value ? 'yes (true)' : 'no (false)'}`;
  if (!b.ok) return result(false, 0, `${want}, but ${b.why}.`);
  const pass = b.value === expected.value;
  return result(pass, pass ? 1 : 0, `${want} and got ${b.value ? 'yes' : 'no'}.`);
}

/** Free text is never decided here: a judge model reads it against the characteristic answer. */
export function gradeFreeText(_expected: Expected<'free_text'>, _answer: unknown): GradeResult {
  return { pass: false, score: 0, needsJudge: true, detail: 'free text: graded by the judge' };
}

/**
 * Each expected field graded by its own grader against the answer field of the same normalised
 * name; score is the mean, passing needs every field to pass. A free-text field makes the record
 * needsJudge (the judge decides that part); extra answer fields are ignored.
 */
export function gradeRecord(expected: Expected<'record'>, answer: unknown): GradeResult {
  const names = Object.keys(expected.fields);
  let obj = prepare(answer, false);
  // {answer: {...}} is unwrapped one level at a time, and only while no expected field is
  // found at the top (so a record with a field named "value" is not mistaken for a wrapper).
  const hasField = (o: unknown) => isObj(o) && names.some((n) => pick(o, [normKey(n)]) !== undefined);
  for (let i = 0; i < MAX_UNWRAP && isObj(obj) && !hasField(obj); i++) {
    const inner = pick(obj, ['answer', 'value']);
    if (inner === undefined) break;
    obj = parseJsonText(inner);
  }
  const want = `expected a record with ${plural(names.length, 'field')} (${listed(names)})`;
  if (!isObj(obj)) return result(false, 0, `${want}, but got ${preview(obj)}.`);
  if (names.length === 0) return result(true, 1, `${want} and got an object.`);
  const graded = names.map((name) => {
    const value = pick(obj as Obj, [normKey(name)]);
    const r = value === undefined ? result(false, 0, 'missing') : grade(expected.fields[name], value);
    return { name, r };
  });
  const failing = graded.filter((g) => !g.r.pass);
  const score = graded.reduce((s, g) => s + g.r.score, 0) / graded.length;
  const needsJudge = graded.some((g) => g.r.needsJudge);
  const failed = failing.map((g) => `${g.name} (${clip(g.r.detail.replace(/\.$/, ''), 120)})`);
  const detail = failing.length
    ? `${graded.length - failing.length} of ${names.length} fields pass; failing: ${failed.join('; ')}.`
    : `all ${plural(names.length, 'field')} pass.`;
  return { ...result(failing.length === 0, score, detail), ...(needsJudge ? { needsJudge } : {}) };
}

function dispatch(expected: ExpectedAnswer, answer: unknown): GradeResult {
  switch (expected.type) {
    case 'count':
      return gradeCount(expected, answer);
    case 'number':
      return gradeNumber(expected, answer);
    case 'entity':
      return gradeEntity(expected, answer);
    case 'set':
      return gradeSet(expected, answer);
    case 'ranking':
      return gradeRanking(expected, answer);
    case 'time_window':
      return gradeTimeWindow(expected, answer);
    case 'forecast':
      return gradeForecast(expected, answer);
    case 'boolean':
      return gradeBoolean(expected, answer);
    case 'free_text':
      return gradeFreeText(expected, answer);
    case 'record':
      return gradeRecord(expected, answer);
    default:
      return result(
        false,
        0,
        `unknown expected answer type ${preview((expected as { type?: unknown }).type)}.`,
      );
  }
}

/** Grade an agent's answer against the expected answer; never throws. */
export function grade(expected: ExpectedAnswer, answer: unknown): GradeResult {
  try {
    if (!isObj(expected))
      return result(false, 0, `the expected answer is ${preview(expected)}, not an object.`);
    const r = dispatch(expected, answer);
    return { ...r, score: clamp01(r.score) };
  } catch (err) {
    // Belt and braces: a grader bug or a hostile object (a throwing getter) must not stop a run.
    const why = err instanceof Error ? err.message : String(err);
    return result(false, 0, `the answer could not be graded: ${clip(why, 120)}.`);
  }
}
