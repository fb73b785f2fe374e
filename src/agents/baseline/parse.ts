// Reading a request with plain rules: asset and site mentions, alert rule ids, work-order
// ids, dates and windows in the ways operators write them ("2024-05-01", "March 4, 2024",
// "between ... and ...", "in 2017", "so far this year"), and the answer format's shape.
// Pure functions over text: no tool calls here, so every rule can be tested on its own.

export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

const MONTH_ALT = MONTHS.join('|');
const DAY_SEC = 86400;

/** Asset classes when the tool list does not name them (the assets tool normally does). */
export const DEFAULT_CLASSES = ['chiller', 'ahu', 'pump', 'cooling_tower', 'boiler', 'air_compressor'];

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lower case, single spaces, no underscores or hyphens: how names are compared. */
export function norm(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

// ---- dates ------------------------------------------------------------------------------

/** "2024-05-01" from epoch seconds. */
export function dayOf(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

/** Epoch seconds of a day's midnight (UTC). */
export function epochOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

export function epochOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export function isoOf(sec: number): string {
  return new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

export function addDays(day: string, n: number): string {
  return dayOf(epochOfDay(day) + n * DAY_SEC);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A day written in the request, where it sits, and a time of day when one follows it. */
export interface DayMention {
  day: string;
  time: string | null;
  index: number;
  end: number;
}

const DAY_RE = new RegExp(
  `\\b(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2}))?\\b|\\b(${MONTH_ALT})\\s+(\\d{1,2}),\\s*(\\d{4})\\b`,
  'gi',
);

/** Every day named in the text, in order ("2024-03-04", "2024-03-04 15:30", "March 4, 2024"). */
export function dayMentions(text: string): DayMention[] {
  const out: DayMention[] = [];
  for (const m of text.matchAll(DAY_RE)) {
    const index = m.index ?? 0;
    const end = index + m[0].length;
    if (m[1]) {
      out.push({ day: `${m[1]}-${m[2]}-${m[3]}`, time: m[4] ? `${m[4]}:${m[5]}` : null, index, end });
    } else {
      const month = MONTHS.indexOf(m[6].toLowerCase() as (typeof MONTHS)[number]) + 1;
      out.push({ day: `${m[8]}-${pad(month)}-${pad(Number(m[7]))}`, time: null, index, end });
    }
  }
  return out;
}

/** A window of whole days, both included; `to` null when it runs up to now. */
export interface DayRange {
  from: string;
  to: string | null;
}

/**
 * The window of days a request asks about: "between A and B", "from A through B", "on A",
 * "since A" / "counting from A" (open-ended). Null when it names none.
 */
export function dayRange(text: string): DayRange | null {
  const days = dayMentions(text);
  for (let i = 0; i + 1 < days.length; i++) {
    const between = text.slice(days[i].end, days[i + 1].index);
    const before = text.slice(Math.max(0, days[i].index - 12), days[i].index);
    if (/^\s*(and|through|to|until|thru|-|–)\s*$/i.test(between) && /\b(between|from)\s*$/i.test(before)) {
      return { from: days[i].day, to: days[i + 1].day };
    }
  }
  for (const d of days) {
    const before = text.slice(Math.max(0, d.index - 20), d.index);
    if (/\b(since|counting from|starting|from|after)\s*$/i.test(before)) return { from: d.day, to: null };
    if (/\b(on|for|of)\s*$/i.test(before)) return { from: d.day, to: d.day };
  }
  return days.length === 1 ? { from: days[0].day, to: days[0].day } : null;
}

/** "March 2024" -> the first and last day of that month. */
export function monthMention(text: string): DayRange | null {
  const m = new RegExp(`\\b(${MONTH_ALT})\\s+(\\d{4})\\b`, 'i').exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1].toLowerCase() as (typeof MONTHS)[number]);
  const year = Number(m[2]);
  const first = Date.UTC(year, month, 1) / 1000;
  const next = Date.UTC(year, month + 1, 1) / 1000;
  return { from: dayOf(first), to: dayOf(next - DAY_SEC) };
}

/** A calendar year the request names: "in 2017", "during 2020", "this year (2024)", "so far in 2024". */
export function yearMention(text: string): number | null {
  const m = /\b(?:in|during|for|of)\s+(?:the\s+)?(?:year\s+)?(\d{4})\b(?![-/])|\(\s*(\d{4})\s*\)/i.exec(text);
  if (!m) return null;
  return Number(m[1] ?? m[2]);
}

/** Two dates the answer format spells out ("finished 2017-01-01 to 2017-12-31"), both included. */
export function spelledPeriod(description: string): DayRange | null {
  const m = /\b(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})\b/.exec(description);
  return m ? { from: m[1], to: m[2] } : null;
}

/** "within 14 days", "no more than 14 days apart", "within 2 days after it" -> 14, 2. */
export function dayCount(text: string): number | null {
  const m = /\b(\d+)\s+days?\b/i.exec(text);
  return m ? Number(m[1]) : null;
}

/** Hours ahead: "next 24 hours", "next 2 days", "coming day". */
export function hoursAhead(text: string): number | null {
  const m = /\bnext\s+(\d+)\s+(hours?|days?)\b/i.exec(text);
  if (m) return Number(m[1]) * (/^day/i.test(m[2]) ? 24 : 1);
  if (/\b(next|coming)\s+day\b/i.test(text)) return 24;
  return null;
}

// ---- ids and names ----------------------------------------------------------------------

/** Alert rule ids (RUL0102). */
export function ruleIds(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/\bRUL\d{3,}\b/g), (m) => m[0]))];
}

/** Work-order ids (WO200117). */
export function workOrderIds(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/\bWO\d{4,}\b/g), (m) => m[0]))];
}

/** How a class id is written in a sentence: "cooling_tower" -> "cooling tower". */
export function classWords(cls: string): string {
  return cls.replace(/_/g, ' ');
}

function classAlternation(classes: string[]): string {
  // Longer names first, so "air compressor" is not read as something shorter.
  return [...classes]
    .map(classWords)
    .sort((a, b) => b.length - a.length)
    .map((c) => escapeRe(c).replace(/ /g, '\\s+'))
    .join('|');
}

export interface Mention {
  text: string;
  index: number;
}

/**
 * Assets named in the text: "<class> <number>" ("Chiller 6", "cooling tower 3") or an asset
 * id ("CWC04006"), in order of appearance, each spelling once.
 */
export function assetMentions(text: string, classes: string[]): Mention[] {
  const named = new RegExp(`\\b(?:${classAlternation(classes)})\\s+\\d+\\b`, 'gi');
  const ids = /\b(?!RUL|WO\d)[A-Z]{3}\d{5}\b/g;
  const found = [...text.matchAll(named), ...text.matchAll(ids)].map((m) => ({
    text: m[0].replace(/\s+/g, ' '),
    index: m.index ?? 0,
  }));
  found.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  return found.filter((m) => {
    const k = norm(m.text);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The class a text talks about ("How many chillers", "the AHU at MAIN"), as its id. */
export function classMention(text: string, classes: string[]): string | null {
  let best: { cls: string; index: number } | null = null;
  for (const cls of classes) {
    const re = new RegExp(`\\b${escapeRe(classWords(cls)).replace(/ /g, '\\s+')}s?\\b`, 'i');
    const m = re.exec(text);
    if (m && (best === null || m.index < best.index)) best = { cls, index: m.index };
  }
  return best?.cls ?? null;
}

/** "the chiller at MAIN": a class at a site without saying which one. */
export function vagueAsset(text: string, classes: string[]): { cls: string; site: string } | null {
  const re = new RegExp(
    `\\bthe\\s+(${classAlternation(classes)})\\s+at\\s+(?:site\\s+)?([A-Z][A-Z0-9_-]+)\\b`,
    'i',
  );
  const m = re.exec(text);
  if (!m) return null;
  const cls = classes.find((c) => norm(classWords(c)) === norm(m[1]));
  return cls ? { cls, site: m[2] } : null;
}

/** The longest of `names` the text contains as whole words (case-insensitive), or null. */
export function longestNamed(text: string, names: string[]): string | null {
  const hay = norm(text);
  let best: string | null = null;
  for (const name of names) {
    const n = norm(name);
    if (n === '') continue;
    const re = new RegExp(`(^|[^a-z0-9])${escapeRe(n)}($|[^a-z0-9])`);
    if (re.test(hay) && (best === null || n.length > norm(best).length)) best = name;
  }
  return best;
}

/** Meaningful words of a name, for loose matching ("Tower Approach" ~ "Approach Temperature"). */
export function words(text: string): string[] {
  return norm(text)
    .split(/[^a-z0-9%]+/)
    .filter((w) => w.length > 1 && !STOP.has(w));
}

const STOP = new Set(['the', 'of', 'and', 'a', 'an', 'to', 'in', 'on', 'for', 'kpi', 'high', 'low']);

// ---- the answer format ------------------------------------------------------------------

export interface Shape {
  /** Property names of the answer object. */
  keys: string[];
  required: string[];
  /** JSON type of `answer` when the shape is {answer: ...}. */
  answerType: string | null;
  /** Allowed values of `answer`, when the format lists them. */
  answerEnum: string[] | null;
  /** Item type of an array answer. */
  itemType: string | null;
}

export function readShape(jsonShape: Record<string, unknown> | null): Shape {
  const props = (jsonShape?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const answer = props.answer;
  const type = answer?.type;
  const items = answer?.items as Record<string, unknown> | undefined;
  const required = Array.isArray(jsonShape?.required) ? (jsonShape.required as string[]) : [];
  return {
    // Required names count as keys: open shapes (additionalProperties) list only those.
    keys: [...new Set([...Object.keys(props), ...required])],
    required,
    answerType: typeof type === 'string' ? type : null,
    answerEnum: Array.isArray(answer?.enum) ? (answer.enum as string[]) : null,
    itemType: typeof items?.type === 'string' ? items.type : null,
  };
}

export function hasKeys(shape: Shape, ...keys: string[]): boolean {
  return keys.every((k) => shape.keys.includes(k));
}
