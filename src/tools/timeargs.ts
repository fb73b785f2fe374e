// Time arguments: ISO timestamps or dates, always UTC, never past the session's now.
import { isoFromEpoch } from '../util/time.ts';
import { ToolFailure } from './types.ts';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Times tools accept and answer with: years 1 to 9999 (JavaScript dates end in 275760). */
const FIRST_SEC = -62135596800;
const LAST_SEC = 253402300799;

/** Refuses a time outside years 1 to 9999 as the caller's mistake, not the tool's. */
export function checkYearRange(sec: number, what: string): number {
  if (!Number.isFinite(sec) || sec < FIRST_SEC || sec > LAST_SEC) {
    throw new ToolFailure(
      'out_of_range',
      `${what} falls outside the years 1 to 9999`,
      'Use dates near the data (see current_date_time)',
    );
  }
  return sec;
}

/** Parses "2024-05-01", "2024-05-01T06:00:00Z" or "2024-05-01 06:00"; UTC unless a zone is given. */
export function parseTime(value: string, field: string): number {
  const v = value.trim();
  const iso = DATE_ONLY.test(v)
    ? `${v}T00:00:00Z`
    : /[zZ]|[+-]\d\d:?\d\d$/.test(v)
      ? v.replace(' ', 'T')
      : `${v.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new ToolFailure(
      'invalid_arguments',
      `${field} "${value}" is not a date or time`,
      `Write ${field} as YYYY-MM-DD or an ISO timestamp such as 2024-05-01T06:00:00Z`,
    );
  }
  return checkYearRange(Math.floor(ms / 1000), `${field} "${value}"`);
}

export function isDateOnly(value: string): boolean {
  return DATE_ONLY.test(value.trim());
}

export interface Window {
  start: number;
  end: number;
  /** Set when the window was cut at the session's now. */
  note?: string;
}

/**
 * A [start, end) window. A date-only `end` is inclusive of that day when `inclusiveDates`
 * is set (work-order tools, as in AssetOpsBench). The window is cut at `now`.
 */
export function timeWindow(
  start: string | undefined,
  end: string | undefined,
  now: number,
  defaults: { start: number; end?: number },
  inclusiveDates = false,
): Window {
  const s = start ? parseTime(start, 'start') : defaults.start;
  let e = end ? parseTime(end, 'end') : (defaults.end ?? now + 1);
  if (end && inclusiveDates && isDateOnly(end)) e += 86400;
  if (s > now) {
    throw new ToolFailure(
      'out_of_range',
      `start ${isoFromEpoch(s)} is after the current time ${isoFromEpoch(now)}`,
      'Data after the current time does not exist yet; ask about the past (see current_date_time)',
    );
  }
  if (s >= e) {
    throw new ToolFailure(
      'invalid_arguments',
      `start ${isoFromEpoch(s)} is not before end ${isoFromEpoch(e)}`,
      'Give a start earlier than the end',
    );
  }
  if (e > now + 1) {
    return { start: s, end: now + 1, note: `the window was cut at the current time ${isoFromEpoch(now)}` };
  }
  return { start: s, end: e };
}
