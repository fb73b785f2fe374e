// An expected answer in words, as a person reads it: the CLI's `scenarios show` and the
// dashboard's attempt page say what the grader accepts without showing its JSON. Numbers are
// rounded for display only; the stored scenario keeps full precision.
import type { ExpectedAnswer } from './schema.ts';

/** A number for display: integers as they are, others to 2 decimals (4 below 1), trailing zeros dropped. */
export function displayNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  return String(Number(x.toFixed(Math.abs(x) < 1 ? 4 : 2)));
}

/** A JSON value as short text, numbers rounded for display and spaces after commas (so it wraps). */
export function valueText(v: unknown): string {
  if (typeof v === 'number') return displayNumber(v);
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${valueText(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

function aliasNote(aliases: string[]): string {
  if (aliases.length === 0) return '';
  const shown = aliases.slice(0, 3).map((a) => `"${a}"`);
  const more = aliases.length > 3 ? ` and ${aliases.length - 3} more` : '';
  return ` (also accepted: ${shown.join(', ')}${more})`;
}

const minutesText = (m: number) => (m % 60 === 0 && m >= 60 ? `${m / 60} h` : `${m} min`);
export const when = (iso: string) =>
  iso
    .replace('T', ' ')
    .replace(/:00(\.000)?Z$/, ' UTC')
    .replace(/Z$/, ' UTC');

/** The expected answer in words, one line per part (a record has one per field). */
export function expectedInWords(e: ExpectedAnswer): string[] {
  switch (e.type) {
    case 'count':
      return [`the count ${e.value}`];
    case 'number': {
      const tol = [
        e.tolerance.abs !== undefined ? `±${displayNumber(e.tolerance.abs)}` : null,
        e.tolerance.rel !== undefined ? `±${displayNumber(100 * e.tolerance.rel)}%` : null,
      ].filter(Boolean);
      return [
        `${displayNumber(e.value)}${e.unit ? ` ${e.unit}` : ''}${tol.length ? ` (within ${tol.join(' or ')})` : ''}`,
      ];
    }
    case 'entity':
      return [`"${e.value}"${aliasNote(e.aliases)}`];
    case 'set':
      return [
        `the ${e.values.length === 1 ? 'one value' : `${e.values.length} values`} ${e.values.map((v) => `"${v}"`).join(', ')}${e.minF1 < 1 ? ` (F1 at least ${displayNumber(e.minF1)})` : ' (exactly these)'}`,
      ];
    case 'ranking':
      return [
        `in this order: ${e.values.join(' > ')} (${e.metric === 'kendall' ? `Kendall tau at least ${displayNumber(e.threshold)}` : `top ${e.k ?? e.values.length}, overlap at least ${displayNumber(e.threshold)}`})`,
      ];
    case 'time_window':
      return e.mode === 'timestamp'
        ? [`the time ${when(e.start)}, within ${minutesText(e.toleranceMinutes)}`]
        : [
            `the window ${when(e.start)} to ${e.end ? when(e.end) : 'now'} (overlap at least ${displayNumber(100 * e.minOverlap)}%, edges within ${minutesText(e.toleranceMinutes)})`,
          ];
    case 'forecast': {
      const first = e.actual[0];
      const last = e.actual[e.actual.length - 1];
      return [
        `a forecast of ${e.sensor} (${e.asset}) for ${e.actual.length} points, ${when(first.ts)} to ${when(last.ts)}; passes with an MAE at most ${displayNumber(e.maxRelativeMae)}x the seasonal-naive one (${displayNumber(e.naiveMae)})`,
      ];
    }
    case 'boolean':
      return [e.value ? 'yes' : 'no'];
    case 'free_text':
      return [`free text, read by the judge; a good answer: ${e.characteristic}`];
    case 'record':
      return Object.entries(e.fields).map(([k, f]) => `${k}: ${expectedInWords(f).join('; ')}`);
  }
}
