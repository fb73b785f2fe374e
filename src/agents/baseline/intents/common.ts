// What every intent is: a rule that recognises one kind of request from its words and its
// answer format, and a handler that answers it with tool calls.
import { type DayRange, dayOf, dayRange, monthMention, spelledPeriod, yearMention } from '../parse.ts';
import type { Run } from '../run.ts';

export type Answer = Record<string, unknown>;

export interface Intent {
  id: string;
  /** What the handler does, for the thought step that says which rule matched. */
  plan: string;
  /** Text and answer-format tests only: no tool calls, so matching is cheap and side-effect free. */
  matches(r: Run): boolean;
  run(r: Run): Promise<Answer>;
}

/** The usual {answer: X} object. */
export function answer(value: unknown): Answer {
  return { answer: value };
}

export function mean(xs: number[]): number | null {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length === 0 ? null : ok.reduce((s, x) => s + x, 0) / ok.length;
}

/** Rounds away float noise (sums of readings) without touching the readings' own decimals. */
export function tidy(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function has(text: string, re: RegExp): boolean {
  return re.test(text);
}

/** Asks the request: is it after a whole number, a number, a string, a list or yes/no? */
export function wants(r: Run, type: 'integer' | 'number' | 'string' | 'array' | 'boolean'): boolean {
  return r.shape.keys.includes('answer') && r.shape.answerType === type;
}

/**
 * The period a request is about, both dates included: dates the answer format spells out
 * (the most precise), else two dates, "since" a date, a month or a year in the request;
 * null when it names none (all of the history).
 */
export function periodOf(r: Run): DayRange | null {
  const spelled = spelledPeriod(r.task.answerFormat.description);
  if (spelled) return spelled;
  const range = dayRange(r.text);
  if (range) return { from: range.from, to: range.to ?? dayOf(r.now) };
  const month = monthMention(r.text);
  if (month) return month;
  const year = yearMention(r.text);
  if (year) return { from: `${year}-01-01`, to: `${year}-12-31` };
  return null;
}

/** start/end arguments of the work-order and event tools (dates, both included). */
export function windowArgs(p: DayRange | null): Record<string, string> {
  return p ? { start: p.from, end: p.to ?? p.from } : {};
}
