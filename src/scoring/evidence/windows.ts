// The time window a call read, from its start/end arguments and the tool's defaults, so that
// retrieval can tell whether a call covered the window the scenario needs. The rules follow
// the tools: timeargs.ts (UTC unless a zone is given, cut at now), wo.ts (whole dates are
// inclusive at both ends), iot.ts (history defaults to the last 7 days) and tsfm.ts (14 days).
import { parseTimestamp } from '../../scenarios/graders.ts';

export interface Span {
  /** Epoch seconds; -Infinity when the tool reads from the beginning. */
  start: number;
  end: number;
}

const DAY = 86400;
/** A window a minute short of the wanted one still counts (rounding of "now", seconds). */
export const WINDOW_SLACK_SECONDS = 60;

/** Work-order tools (wo.ts): a date-only end includes that whole day, no start means all history. */
const WO_WINDOW_TOOLS = new Set([
  'get_work_orders',
  'get_preventive_work_orders',
  'get_corrective_work_orders',
  'get_events',
  'get_work_order_distribution',
  'predict_next_work_order',
  'analyze_alert_to_failure',
  'bundle_work_orders',
]);
const TSFM_WINDOW_TOOLS = new Set([
  'run_tsfm_forecasting',
  'run_tsad',
  'run_integrated_tsad',
  'forecast_evaluation',
]);

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

function defaultStart(tool: string, now: number): number {
  if (tool === 'history') return now - 7 * DAY;
  if (TSFM_WINDOW_TOOLS.has(tool)) return now - 14 * DAY;
  // Listing tools and tools of other agents read everything up to now.
  return Number.NEGATIVE_INFINITY;
}

/** The window a call with these arguments read; null when an argument is not a time. */
export function callSpan(tool: string, args: Record<string, unknown>, nowIso: string): Span | null {
  const now = parseTimestamp(nowIso) ?? Math.floor(Date.now() / 1000);
  const rawStart = typeof args.start === 'string' ? args.start : undefined;
  const rawEnd = typeof args.end === 'string' ? args.end : undefined;
  const start = rawStart === undefined ? defaultStart(tool, now) : parseTimestamp(rawStart);
  let end = rawEnd === undefined ? now + 1 : parseTimestamp(rawEnd);
  if (start === null || end === null) return null;
  if (rawEnd !== undefined && WO_WINDOW_TOOLS.has(tool) && DATE_ONLY.test(rawEnd)) end += DAY;
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
