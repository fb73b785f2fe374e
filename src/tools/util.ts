// Utility tools: the session clock, paging through stored results, date arithmetic.
import { z } from 'zod';
import { isoFromEpoch } from '../util/time.ts';
import { checkYearRange, parseTime } from './timeargs.ts';
import { defineTool, ToolFailure } from './types.ts';

const DAY = 86400;

// Made once: toLocaleDateString builds a formatter on every call, which made the clock tool
// one of the slowest a server answers. Same locales and options, so the same text.
const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

export const currentDateTimeTool = defineTool({
  name: 'current_date_time',
  domain: 'util',
  description:
    'The current date and time of this session (all data tools treat it as "now"; nothing after it exists yet). No arguments.',
  input: z.object({}),
  output: z.object({ now: z.string(), description: z.string(), weekday: z.string() }),
  readOnly: true,
  async handler(_args, { now }) {
    const d = new Date(now * 1000);
    const weekday = WEEKDAY.format(d);
    const description = `${weekday}, ${DAY_MONTH_YEAR.format(d)} ${isoFromEpoch(now).slice(11, 16)} UTC`;
    return { now: isoFromEpoch(now), description, weekday };
  },
});

export const jsonReaderTool = defineTool({
  name: 'json_reader',
  domain: 'util',
  description:
    'Read the full result behind a handle that another tool returned (e.g. history). Arguments: handle (e.g. "res-3"), offset (default 0), limit (default 200, at most 1000). Returns a page of rows and the total.',
  input: z.object({
    handle: z.string().min(1),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  output: z.object({
    handle: z.string(),
    label: z.string(),
    total: z.number(),
    offset: z.number(),
    rows: z.array(z.unknown()),
    next_offset: z.number().nullable(),
  }),
  readOnly: true,
  // Pages through a result another tool fetched: what it returns is that tool's data.
  plantData: true,
  async handler({ handle, offset = 0, limit = 200 }, ctx) {
    const r = ctx.readResult(handle);
    if (!r) {
      throw new ToolFailure(
        'not_found',
        `no result with handle "${handle}"`,
        'Use a handle returned by a tool in this session, e.g. res-1',
      );
    }
    const rows = r.rows.slice(offset, offset + limit);
    const next = offset + rows.length < r.rows.length ? offset + rows.length : null;
    return { handle, label: r.label, total: r.rows.length, offset, rows, next_offset: next };
  },
});

const PERIODS = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'last_n_days',
] as const;

function startOfWeek(sec: number): number {
  const day = Math.floor(sec / DAY) * DAY;
  const weekday = (new Date(day * 1000).getUTCDay() + 6) % 7; // Monday = 0
  return day - weekday * DAY;
}

function startOfMonth(sec: number, offsetMonths = 0): number {
  const d = new Date(sec * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offsetMonths, 1) / 1000;
}

export const dateMathTool = defineTool({
  name: 'date_math',
  domain: 'util',
  description:
    'Date arithmetic relative to now (or to a base date). Either shift: amount and unit (minutes, hours, days, weeks, months; negative goes back), or period: today, yesterday, this_week, last_week (Monday to Monday), this_month, last_month, last_n_days (with amount). Returns start and end (end exclusive), UTC.',
  input: z.object({
    period: z.enum(PERIODS).optional(),
    amount: z.number().int().min(-3650).max(3650).optional(),
    unit: z.enum(['minutes', 'hours', 'days', 'weeks', 'months']).optional(),
    base: z.string().optional(),
  }),
  output: z.object({ start: z.string(), end: z.string(), description: z.string() }),
  readOnly: true,
  async handler({ period, amount, unit, base }, { now }) {
    const b = base ? parseTime(base, 'base') : now;
    if (period) {
      const today = Math.floor(b / DAY) * DAY;
      const ranges: Record<(typeof PERIODS)[number], () => [number, number]> = {
        today: () => [today, today + DAY],
        yesterday: () => [today - DAY, today],
        this_week: () => [startOfWeek(b), startOfWeek(b) + 7 * DAY],
        last_week: () => [startOfWeek(b) - 7 * DAY, startOfWeek(b)],
        this_month: () => [startOfMonth(b), startOfMonth(b, 1)],
        last_month: () => [startOfMonth(b, -1), startOfMonth(b)],
        last_n_days: () => {
          if (!amount || amount < 1) {
            throw new ToolFailure(
              'invalid_arguments',
              'last_n_days needs a positive amount',
              'Pass amount, e.g. 7',
            );
          }
          return [b - amount * DAY, b];
        },
      };
      const [s, e] = ranges[period]().map((t) => checkYearRange(t, 'the result')) as [number, number];
      return {
        start: isoFromEpoch(s),
        end: isoFromEpoch(e),
        description: `${period.replaceAll('_', ' ')} relative to ${isoFromEpoch(b)}`,
      };
    }
    if (amount === undefined || !unit) {
      throw new ToolFailure(
        'invalid_arguments',
        'date_math needs either a period, or an amount with a unit',
        'For example {"period": "last_week"} or {"amount": -3, "unit": "days"}',
      );
    }
    let t: number;
    if (unit === 'months') {
      const d = new Date(b * 1000);
      d.setUTCMonth(d.getUTCMonth() + amount);
      t = d.getTime() / 1000;
    } else {
      t = b + amount * { minutes: 60, hours: 3600, days: DAY, weeks: 7 * DAY }[unit];
    }
    checkYearRange(t, `${amount} ${unit} from ${isoFromEpoch(b)}`);
    const [s, e] = t < b ? [t, b] : [b, t];
    return {
      start: isoFromEpoch(s),
      end: isoFromEpoch(e),
      description: `${amount} ${unit} from ${isoFromEpoch(b)}`,
    };
  },
});

export const UTIL_TOOLS = [currentDateTimeTool, jsonReaderTool, dateMathTool];
