// The time window a call read, from its start/end arguments and the tool's own window rule
// (its definition says how far back it reads without a start and whether a date-only end
// includes that day; see ToolDef.window), so that retrieval can tell whether a call covered
// the window the scenario needs. Times are UTC unless a zone is given, and cut at now.
import { parseTimestamp } from '../../scenarios/graders.ts';
import { toolRegistry } from '../../tools/registry.ts';

export interface Span {
  /** Epoch seconds; -Infinity when the tool reads from the beginning. */
  start: number;
  end: number;
}

const DAY = 86400;
/** A window a minute short of the wanted one still counts (rounding of "now", seconds). */
export const WINDOW_SLACK_SECONDS = 60;

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

/** The window a call with these arguments read; null when an argument is not a time. */
export function callSpan(tool: string, args: Record<string, unknown>, nowIso: string): Span | null {
  const now = parseTimestamp(nowIso) ?? Math.floor(Date.now() / 1000);
  // Listing tools, and tools the registry does not know (imports), read everything up to now.
  const rule = toolRegistry.get(tool)?.window ?? { defaultDays: null, dateOnlyEndInclusive: false };
  const rawStart = typeof args.start === 'string' ? args.start : undefined;
  const rawEnd = typeof args.end === 'string' ? args.end : undefined;
  const start =
    rawStart !== undefined
      ? parseTimestamp(rawStart)
      : rule.defaultDays === null
        ? Number.NEGATIVE_INFINITY
        : now - rule.defaultDays * DAY;
  let end = rawEnd === undefined ? now + 1 : parseTimestamp(rawEnd);
  if (start === null || end === null) return null;
  if (rawEnd !== undefined && rule.dateOnlyEndInclusive && DATE_ONLY.test(rawEnd)) end += DAY;
  return { start, end: Math.min(end, now + 1) };
}

/** Whether a call's window covers the wanted one (within a minute). */
export function covers(span: Span, wanted: { start: string; end: string }, nowIso: string): boolean {
  const ws = parseTimestamp(wanted.start);
  const we = parseTimestamp(wanted.end);
  if (ws === null || we === null) return true;
  const now = parseTimestamp(nowIso) ?? Number.POSITIVE_INFINITY;
  // Nothing after now exists, so a wanted window past now is covered by reading up to now.
  const wantedEnd = Math.min(we, now + 1);
  return span.start <= ws + WINDOW_SLACK_SECONDS && span.end >= wantedEnd - WINDOW_SLACK_SECONDS;
}
