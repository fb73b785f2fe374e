// Defects of the published items that no recipe decides: dates of the characteristic form the
// text does not name, a stated span its range contradicts, sites the data does not have.
import { DAY, isoFromEpoch } from '../../util/time.ts';
import { MONTH_NAMES } from '../template.ts';
import { epochOfDay, MONTH, monthNo, NUM, numberOf, pad, siteWords, YEAR_RE, yearNo } from './text.ts';
import type { World } from './world.ts';

/** What a text says about dates, for comparing a question with its characteristic form. */
interface DateMentions {
  years: Set<number>;
  months: Set<number>;
  /** "MM-DD" of explicit days (with expandWeeks, a "week of" date adds its seven days). */
  days: Set<string>;
  /** Months of the explicit days. */
  dayMonths: Set<number>;
  /** The phrases found, for messages. */
  raw: string[];
  /** A relative period ("last week", "the past week") not anchored with "of ...". */
  relative: string | null;
}

/** `expandWeeks`: a "week of D" covers its seven days (for the question; the form's dates are taken literally). */
function dateMentions(text: string, expandWeeks: boolean): DateMentions {
  const d: DateMentions = {
    years: new Set(),
    months: new Set(),
    days: new Set(),
    dayMonths: new Set(),
    raw: [],
    relative: null,
  };
  const addDay = (m: number, day: number, raw: string) => {
    d.days.add(`${pad(m)}-${pad(day)}`);
    d.dayMonths.add(m);
    d.raw.push(raw);
  };
  for (const m of text.matchAll(/\b(week of )?(\d{4})-(\d{2})-(\d{2})/gi)) {
    d.years.add(Number(m[2]));
    const base = epochOfDay(`${m[2]}-${m[3]}-${m[4]}`);
    for (let i = 0; i < (m[1] && expandWeeks ? 7 : 1); i++) {
      const day = isoFromEpoch(base + i * DAY);
      addDay(Number(day.slice(5, 7)), Number(day.slice(8, 10)), i === 0 ? m[0] : '');
    }
  }
  for (const m of text.matchAll(
    new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}|'\\d{2})\\b)?`, 'gi'),
  )) {
    addDay(monthNo(m[1]), Number(m[2]), m[0]);
    if (m[3]) d.years.add(yearNo(m[3]));
  }
  for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\b/g)) {
    addDay(Number(m[1]), Number(m[2]), m[0]);
    d.years.add(yearNo(m[3]));
  }
  for (const m of text.matchAll(
    new RegExp(`\\b${MONTH}\\s*(?:and|–|-|to)\\s*${MONTH}(?: of)?,?\\s+(\\d{4})\\b`, 'gi'),
  )) {
    d.months.add(monthNo(m[1]));
    d.months.add(monthNo(m[2]));
    d.raw.push(m[0]);
  }
  for (const m of text.matchAll(new RegExp(`\\b${MONTH}(?: of)?,?\\s+(\\d{4}|'\\d{2})\\b`, 'gi'))) {
    d.months.add(monthNo(m[1]));
    d.years.add(yearNo(m[2]));
    d.raw.push(m[0]);
  }
  for (const m of text.matchAll(new RegExp(`${YEAR_RE.source}|(?<=\\s)'(\\d{2})\\b`, 'g'))) {
    d.years.add(m[1] ? Number(m[1]) : yearNo(m[2]));
  }
  const rel = /\b(?:the\s+)?(?:last|past|previous|this|current)\s+(?:week|month|year)\b(?!\s+of\b)/i.exec(
    text,
  );
  d.relative = rel ? rel[0] : null;
  d.raw = [...new Set(d.raw.filter((r) => r !== ''))];
  return d;
}

function absolute(d: DateMentions): boolean {
  return d.years.size + d.months.size + d.days.size > 0;
}

function quoteList(items: string[]): string {
  return items.map((s) => `"${s}"`).join(', ');
}

/**
 * A defect when the characteristic form names dates the text does not (or names only a
 * relative period where the text names an absolute one). The text's own extra dates (the
 * "now" of 420) are not defects.
 */
export function dateDefect(text: string, form: string | null): string | null {
  if (!form) return null;
  const t = dateMentions(text, true);
  const f = dateMentions(form, false);
  const textSays = () => (t.raw.length ? quoteList(t.raw) : [...t.years].join(', '));
  if (!absolute(t)) return null;
  if (!absolute(f)) {
    return f.relative
      ? `date mismatch: the text says ${textSays()} but the characteristic form says "${f.relative}"`
      : null;
  }
  const extra: string[] = [];
  const badYears = [...f.years].filter((y) => !t.years.has(y));
  if (badYears.length) extra.push(`year ${badYears.join(', ')}`);
  const textMonths = new Set([...t.months, ...t.dayMonths]);
  if (t.days.size > 0) {
    const badDays = [...f.days].filter((x) => !t.days.has(x));
    if (badDays.length)
      extra.push(
        `day ${badDays.map((x) => `${MONTH_NAMES[Number(x.slice(0, 2)) - 1]} ${Number(x.slice(3))}`).join(', ')}`,
      );
  } else if (textMonths.size > 0) {
    const badDayMonths = [...f.dayMonths].filter((m) => !textMonths.has(m));
    if (badDayMonths.length) extra.push(`month ${badDayMonths.map((m) => MONTH_NAMES[m - 1]).join(', ')}`);
  }
  if (textMonths.size > 0) {
    const badMonths = [...f.months].filter((m) => !textMonths.has(m));
    if (badMonths.length) extra.push(`month ${badMonths.map((m) => MONTH_NAMES[m - 1]).join(', ')}`);
  }
  if (extra.length === 0) return null;
  const formSays = f.raw.length ? quoteList(f.raw) : [...f.years].join(', ');
  return `date mismatch: the text says ${textSays()} but the characteristic form says ${formSays} (${[...new Set(extra)].join('; ')})`;
}

/** A text that says a "two month's period" while its explicit range spans something else (430). */
export function spanDefect(text: string): string | null {
  const said = new RegExp(`\\b${NUM}[- ]months?(?:'s|’s)?\\s+period\\b`, 'i').exec(text);
  const dates = [...text.matchAll(/\b(\d{4})-(\d{2})-\d{2}/g)];
  if (!said || dates.length < 2) return null;
  const months = (Number(dates[1][1]) - Number(dates[0][1])) * 12 + Number(dates[1][2]) - Number(dates[0][2]);
  const n = numberOf(said[1]);
  if (n === null || Math.abs(months - n) <= 1) return null;
  return `the text says a ${said[1]}-month period but its range ${dates[0][0]} to ${dates[1][0]} spans ${months} months`;
}

/** Site names a text uses that the dataset does not have ("POKMAIN chiller 6"). */
export function unknownSites(world: World, text: string): string[] {
  const out = new Set<string>();
  for (const name of siteWords(text, true)) {
    // Only names written in capitals are site codes ("MAIN"); "main site" in prose is MAIN itself.
    if (name.length < 3 || name !== name.toUpperCase() || /^(IOT|TSFM|AHU|CQPA)$/.test(name)) continue;
    if (!world.sites.some((s) => s.site_id.toUpperCase() === name)) out.add(name);
  }
  return [...out];
}
