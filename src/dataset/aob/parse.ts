// Small parsers for the value formats of the published AssetOpsBench files: US-style
// spreadsheet dates ("4/6/16 14:00"), ISO timestamps, "H:MM" durations, and CSV files
// exported from spreadsheets (byte-order marks, stray trailing commas).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UserError } from '../../util/errors.ts';

const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?Z?$/;

/** Epoch seconds for calendar fields, or NaN when a field is out of range (2/30, 25:00). */
function utcEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2/30 over into March; a date that does not round-trip is not a date.
  if (new Date(ms).getUTCDate() !== d) return Number.NaN;
  return ms / 1000;
}

/**
 * Parses the timestamps of the published files, all taken as UTC wall-clock time:
 * `m/d/yy H:MM` (two-digit years are 20yy), `m/d/yyyy H:MM`, and ISO
 * `2020-06-01 00:00:00` / `2020-06-01T00:00:00`. Returns epoch seconds.
 */
export function parseAobTime(text: string): number {
  const s = text.trim();
  let sec = Number.NaN;
  const us = US_TIME.exec(s);
  if (us) {
    const year = us[3].length === 2 ? 2000 + Number(us[3]) : Number(us[3]);
    sec = utcEpoch(year, Number(us[1]), Number(us[2]), Number(us[4]), Number(us[5]), Number(us[6] ?? 0));
  } else {
    const iso = ISO_TIME.exec(s);
    if (iso) {
      const [y, mo, d, h, mi, se] = iso.slice(1).map((x) => Number(x ?? 0));
      sec = utcEpoch(y, mo, d, h, mi, se);
    }
  }
  if (Number.isNaN(sec)) {
    throw new Error(`not a timestamp: ${JSON.stringify(text)} (expected m/d/yy H:MM or yyyy-mm-dd HH:MM:SS)`);
  }
  return sec;
}

/** Hours from "3:00" (3), "1:30" (1.5), "40:00:00" (40, spreadsheets add seconds past 24 h) or "2.5". */
export function parseHours(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
    throw new Error(`not a duration: ${JSON.stringify(text)} (expected H:MM or a number of hours)`);
  }
  return Number(m[1]) + Number(m[2]) / 60 + Number(m[3] ?? 0) / 3600;
}

/** One data row of a CSV file with the line it ends on (for error messages). */
export interface CsvRow {
  line: number;
  data: Record<string, string>;
}

function badCsv(file: string, line: number | string, what: string): UserError {
  return new UserError(
    `${file}, line ${line}: malformed CSV (${what})`,
    'Restore the file from the published AssetOpsBench data (it must not be edited by hand)',
    'bad_csv',
  );
}

/**
 * Reads a CSV file with a header row. Strips a UTF-8 byte-order mark, tolerates extra
 * empty trailing cells (alert_rule.csv ends every row with a stray comma) and fails
 * with the file and line on anything else that does not fit the header.
 */
export function readCsv(path: string, required: readonly string[] = []): CsvRow[] {
  const file = basename(path);
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info` the records come as { record, info } (the type definitions don't say so).
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw badCsv(file, e.lines ?? '?', e.message);
  }
  if (records.length === 0) throw badCsv(file, 1, 'no header row');
  const header = records[0].record.map((h) => h.trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) throw badCsv(file, 1, `missing column(s) ${missing.join(', ')}`);
  return records.slice(1).map(({ record, info }) => {
    if (record.length < header.length || record.slice(header.length).some((c) => c.trim() !== '')) {
      throw badCsv(file, info.lines, `${record.length} fields, the header has ${header.length}`);
    }
    const data: Record<string, string> = {};
    header.forEach((h, i) => {
      data[h] = record[i];
    });
    return { line: info.lines, data };
  });
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time an epoch instant shows in `timeZone`, returned as if that
 * wall-clock time were UTC. Used to undo a conversion that read naive local times
 * as zoned ones (see the JSONL telemetry in import.ts).
 */
export function wallClockFromEpoch(sec: number, timeZone: string): number {
  let fmt = zoneFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(
    fmt.formatToParts(new Date(sec * 1000)).map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) / 1000;
}
