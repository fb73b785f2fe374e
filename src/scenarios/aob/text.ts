// Recognising what a published text names: periods and dates, numbers, equipment, sites,
// event groups and TSFM capabilities.
import { DAY, epochFromIso, isoFromEpoch } from '../../util/time.ts';
import type { AssetInfo, World } from './world.ts';

export const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep[a-z]*|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

/** A year on its own: "2017", the ends of "2017-2019"; not digits inside ids ("CWC04013"). */
export const YEAR_RE = /(?<![A-Za-z0-9_])((?:19|20)\d{2})(?![A-Za-z0-9_])/g;

export function monthNo(tok: string): number {
  return (
    ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(
      tok.slice(0, 3).toLowerCase(),
    ) + 1
  );
}

/** "2020", "'20" or "20" as a year. */
export function yearNo(tok: string): number {
  const t = tok.replace("'", '');
  return t.length <= 2 ? 2000 + Number(t) : Number(t);
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

function lastDayOf(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function addDays(date: string, days: number): string {
  return isoFromEpoch(epochFromIso(`${date}T00:00:00Z`) + days * DAY).slice(0, 10);
}

/** A period of whole days, both ends included. */
export interface Period {
  start: string;
  end: string;
}

/** The day after the period (the exclusive end). */
export function endExclusive(p: Period): string {
  return addDays(p.end, 1);
}

export function epochOfDay(date: string): number {
  return epochFromIso(`${date}T00:00:00Z`);
}

/** Clauses that set the scenario's "now" rather than the period asked about. */
const NOW_CLAUSE =
  /\b(?:assume|assuming)\b[^.,?]*?\b(?:today|current date)\s+is\s+[^,.?]*(?:\d{4}-\d{2}-\d{2})?[^,.?]*[,.]?/gi;

/**
 * The period a question is about: "first/last week of June 2020", "last week of 2020",
 * "May and June of 2020", "June of 2020", or the span of the years it names ("year 2017",
 * "2017-2019", "2017, 2018 and 2019"). Null when there is none or it is ambiguous.
 */
export function periodIn(text: string): Period | null {
  const t = text.replace(NOW_CLAUSE, ' ');
  const week = new RegExp(
    `\\b(first|last) week of (?:the )?${MONTH}(?: of)?,? (\\d{4}|'\\d{2})\\b`,
    'i',
  ).exec(t);
  if (week) {
    const y = yearNo(week[3]);
    const m = monthNo(week[2]);
    const last = lastDayOf(y, m);
    return week[1].toLowerCase() === 'first'
      ? { start: ymd(y, m, 1), end: ymd(y, m, 7) }
      : { start: ymd(y, m, last - 6), end: ymd(y, m, last) };
  }
  const yearWeek = /\blast week of (\d{4})\b/i.exec(t);
  if (yearWeek) return { start: `${yearWeek[1]}-12-25`, end: `${yearWeek[1]}-12-31` };
  const twoMonths = new RegExp(`\\b${MONTH}\\s*(?:and|–|-|to)\\s*${MONTH}(?: of)?,? (\\d{4})\\b`, 'i').exec(
    t,
  );
  if (twoMonths) {
    const y = Number(twoMonths[3]);
    const [a, b] = [monthNo(twoMonths[1]), monthNo(twoMonths[2])].sort((x, z) => x - z);
    return { start: ymd(y, a, 1), end: ymd(y, b, lastDayOf(y, b)) };
  }
  const months = [...t.matchAll(new RegExp(`\\b${MONTH}(?: of)?,? (\\d{4}|'\\d{2})\\b`, 'gi'))].map((m) => ({
    y: yearNo(m[2]),
    m: monthNo(m[1]),
  }));
  const distinct = [...new Set(months.map((m) => `${m.y}-${m.m}`))];
  if (distinct.length === 1) {
    const { y, m } = months[0];
    return { start: ymd(y, m, 1), end: ymd(y, m, lastDayOf(y, m)) };
  }
  if (distinct.length > 1) return null;
  const years = [...t.matchAll(YEAR_RE)].map((m) => Number(m[1]));
  if (years.length === 0) return null;
  return { start: `${Math.min(...years)}-01-01`, end: `${Math.max(...years)}-12-31` };
}

export const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  no: 0,
  one: 1,
  once: 1,
  two: 2,
  twice: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
export const NUM = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;

export function numberOf(tok: string): number | null {
  return /^\d+$/.test(tok) ? Number(tok) : (NUMBER_WORDS[tok.toLowerCase()] ?? null);
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The dataset's assets a text names (by id, name or alias), longest names first, each once. */
export function assetsIn(world: World, text: string): AssetInfo[] {
  const hits: Array<{ at: number; a: AssetInfo }> = [];
  for (const a of world.assets) {
    let at = -1;
    for (const n of [...a.names].sort((x, y) => y.length - x.length)) {
      const m = new RegExp(`(?<![\\w])${escapeRe(n)}(?![\\w])`, 'i').exec(text);
      if (m && (at < 0 || m.index < at)) at = m.index;
    }
    if (at >= 0) hits.push({ at, a });
  }
  return hits.sort((x, y) => x.at - y.at).map((h) => h.a);
}

export function oneAsset(world: World, text: string): AssetInfo | null {
  const list = assetsIn(world, text);
  return list.length === 1 ? list[0] : null;
}

/** The asset a whole phrase names ("Chiller 6"), not one it merely mentions ("Chiller 6 that can be..."). */
export function exactAsset(world: World, phrase: string): AssetInfo | null {
  const p = phrase.trim().toLowerCase();
  return world.assets.find((a) => a.names.some((n) => n.toLowerCase() === p)) ?? null;
}

export function assetAliases(a: AssetInfo): string[] {
  return a.names.filter((n) => n !== a.name);
}

/**
 * Words in a site's position: "site MAIN", "MAIN site", "MAIN facility" (and, with `chiller`,
 * "POKMAIN chiller 6"). Two passes: one alternation would consume "at site" in "at site MAIN".
 */
export function siteWords(text: string, chiller = false): string[] {
  const after = [...text.matchAll(/\bsite\s+([A-Za-z][A-Za-z0-9]+)\b/g)].map((m) => m[1]);
  const before = [
    ...text.matchAll(
      new RegExp(`\\b([A-Za-z][A-Za-z0-9]+)\\s+(?:site|facility${chiller ? '|chiller' : ''})\\b`, 'gi'),
    ),
  ].map((m) => m[1]);
  return [...after, ...before];
}

/** The site a text names ("the MAIN site", "site MAIN", "MAIN facility"), if the dataset has it. */

export function siteIn(world: World, text: string): string | null {
  for (const raw of siteWords(text)) {
    const name = raw.toUpperCase();
    const hit = world.sites.find((s) => s.site_id.toUpperCase() === name);
    if (hit) return hit.site_id;
  }
  return null;
}

export const GROUP_FIELDS = { WORK_ORDER: 'work_orders', ALERT: 'alerts', ANOMALY: 'anomalies' } as const;
export type Group = keyof typeof GROUP_FIELDS;
export const GROUP_WORDS: Record<Group, string> = {
  WORK_ORDER: 'work orders?',
  ALERT: 'alerts?',
  ANOMALY: 'anomal(?:y|ies)',
};

export function eventGroupsIn(text: string): Group[] {
  const out: Group[] = [];
  if (/work order/i.test(text)) out.push('WORK_ORDER');
  if (/\balert/i.test(text)) out.push('ALERT');
  if (/\banomal/i.test(text)) out.push('ANOMALY');
  return out;
}

export type Capability =
  | 'forecasting_models'
  | 'lstm'
  | 'chronos'
  | 'anomaly_detection'
  | 'classification'
  | 'regression'
  | 'context_1024';

/** The capability a yes/no TSFM question asks about; null for TTM and context-96 questions (free text). */
export function tsfmCapability(text: string): Capability | null {
  if (/\bTTM\b|tiny time/i.test(text)) return null;
  const ctx = /context length (?:exactly )?(\d+)/i.exec(text);
  if (ctx) return ctx[1] === '1024' ? 'context_1024' : null;
  if (/\bLSTM\b/i.test(text)) return 'lstm';
  if (/\bchronos\b/i.test(text)) return 'chronos';
  if (/forecasting models?/i.test(text)) return 'forecasting_models';
  if (/anomaly detection/i.test(text)) return 'anomaly_detection';
  if (/classification/i.test(text)) return 'classification';
  if (/regression/i.test(text)) return 'regression';
  return null;
}
