// Work-order tools: the maintenance history of an asset, the event log, code statistics,
// a next-work-order predictor, alert-to-maintenance analysis, bundling, and a per-session
// sandbox where agents can create and update work orders without touching the dataset.
//
// The frozen clock applies throughout: an order reported after now does not exist yet, an
// order finishing after now is shown as still open, and events after now do not exist.
import { z } from 'zod';
import type { Dataset } from '../dataset/open.ts';
import { DAY, HOUR, isoFromEpoch, sqlTimestamp } from '../util/time.ts';
import { type FailureCodeRow, failureCodes } from './fmsr.ts';
import { closest, resolveAsset } from './lookup.ts';
import { parseTime, timeWindow, type Window } from './timeargs.ts';
import { defineTool, type ToolContext, ToolFailure, WO_WINDOW } from './types.ts';

/** Rows returned inline; the rest is behind a handle for json_reader. */
export const WO_ROWS = 50;

export const WO_STATUSES = ['WAPPR', 'APPR', 'INPRG', 'WMATL', 'COMP', 'CLOSE', 'CAN'] as const;
type Status = (typeof WO_STATUSES)[number];

/** Status changes a maintenance system allows (Maximo-like); anything else is a conflict. */
const NEXT_STATUS: Record<Status, Status[]> = {
  WAPPR: ['APPR', 'CAN'],
  APPR: ['WAPPR', 'INPRG', 'WMATL', 'CAN'],
  WMATL: ['APPR', 'INPRG', 'CAN'],
  INPRG: ['WMATL', 'COMP'],
  COMP: ['CLOSE'],
  CLOSE: [],
  CAN: [],
};

/** A work order as the tools hold it: times as epoch seconds (null when unknown or not yet). */
interface Wo {
  wo_id: string;
  asset_id: string;
  description: string | null;
  component: string | null;
  preventive: boolean;
  primary_code: string | null;
  secondary_code: string | null;
  priority: number | null;
  status: string;
  reported: number | null;
  start: number | null;
  finish: number | null;
  duration_hours: number | null;
  labor_hours: number | null;
  cost: number | null;
  logged_timezone: string | null;
  sandbox: boolean;
}

const WorkOrderOut = z.object({
  wo_id: z.string(),
  asset_id: z.string(),
  description: z.string().nullable(),
  component: z.string().nullable(),
  preventive: z.boolean(),
  primary_code: z.string().nullable(),
  secondary_code: z.string().nullable(),
  priority: z.number().nullable(),
  status: z.string(),
  reported_time: z.string().nullable(),
  actual_start: z.string().nullable(),
  actual_finish: z.string().nullable(),
  duration_hours: z.number().nullable(),
  labor_hours: z.number().nullable(),
  cost: z.number().nullable(),
  logged_timezone: z.string().nullable(),
  /** True when this session's sandbox created or changed the order. */
  sandbox: z.boolean(),
});
type WorkOrderOut = z.infer<typeof WorkOrderOut>;

function iso(sec: number | null): string | null {
  return sec === null ? null : isoFromEpoch(sec);
}

function woOut(w: Wo): WorkOrderOut {
  return {
    wo_id: w.wo_id,
    asset_id: w.asset_id,
    description: w.description,
    component: w.component,
    preventive: w.preventive,
    primary_code: w.primary_code,
    secondary_code: w.secondary_code,
    priority: w.priority,
    status: w.status,
    reported_time: iso(w.reported),
    actual_start: iso(w.start),
    actual_finish: iso(w.finish),
    duration_hours: w.duration_hours,
    labor_hours: w.labor_hours,
    cost: w.cost,
    logged_timezone: w.logged_timezone,
    sandbox: w.sandbox,
  };
}

// ---------------------------------------------------------------------------------------
// Reading work orders under the frozen clock

type RawWo = Omit<Wo, 'reported' | 'start' | 'finish' | 'sandbox'> & {
  reported: number | string | null;
  start: number | string | null;
  finish: number | string | null;
};

const WO_SELECT = `select wo_id, asset_id, description, component, preventive, primary_code, secondary_code, priority,
    status, epoch(reported_time) AS "reported", epoch(actual_start) AS "start", epoch(actual_finish) AS "finish",
    duration_hours, labor_hours, cost, logged_timezone from work_orders`;

/**
 * Orders exist from the moment they are reported. Imported AssetOpsBench orders have no
 * reported time, so they exist from their start (or finish).
 */
const WO_VISIBLE = 'coalesce(reported_time, actual_start, actual_finish) <= $now::TIMESTAMP';

function epochOrNull(v: number | string | null): number | null {
  return v === null || v === undefined ? null : Math.floor(Number(v));
}

/** A dataset row as it looks at `now`: work finishing later is still in progress. */
function atNow(r: RawWo, now: number): Wo {
  const w: Wo = {
    ...r,
    reported: epochOrNull(r.reported),
    start: epochOrNull(r.start),
    finish: epochOrNull(r.finish),
    sandbox: false,
  };
  if (w.finish !== null && w.finish > now) {
    return {
      ...w,
      status: 'INPRG',
      // Work that began before now shows its start; its finish is still in the future.
      start: w.start !== null && w.start <= now ? w.start : null,
      finish: null,
      duration_hours: null,
      labor_hours: null,
      cost: null,
    };
  }
  if (w.start !== null && w.start > now) return { ...w, start: null };
  return w;
}

interface Sandbox {
  next: number;
  /** Orders created in this session and copies of dataset orders it changed, by wo_id. */
  orders: Map<string, Wo>;
}

const SANDBOX_KEY = 'wo-sandbox';

function sandbox(ctx: ToolContext): Sandbox {
  let s = ctx.state.get(SANDBOX_KEY) as Sandbox | undefined;
  if (!s) {
    s = { next: 1, orders: new Map() };
    ctx.state.set(SANDBOX_KEY, s);
  }
  return s;
}

/** Finished orders by finish time, then open ones by reported time. */
function compareWo(a: Wo, b: Wo): number {
  const openA = a.finish === null ? 1 : 0;
  const openB = b.finish === null ? 1 : 0;
  if (openA !== openB) return openA - openB;
  const ta = (a.finish ?? a.reported ?? 0) - (b.finish ?? b.reported ?? 0);
  return ta !== 0 ? ta : a.wo_id.localeCompare(b.wo_id);
}

/** Every order of an asset visible in this session at now: dataset rows with the sandbox laid over them. */
// An asset's work orders and events are read once per dataset and filtered in memory
// (they do not depend on the session); the clock and sandbox are applied per call.
const orderCache = new WeakMap<Dataset, Map<string, Promise<RawWo[]>>>();
const eventCache = new WeakMap<
  Dataset,
  Map<string, Promise<Array<Omit<EventRow, 'time'> & { time: number }>>>
>();

function cached<T>(
  cache: WeakMap<Dataset, Map<string, Promise<T>>>,
  ds: Dataset,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  let byKey = cache.get(ds);
  if (!byKey) {
    byKey = new Map();
    cache.set(ds, byKey);
  }
  let hit = byKey.get(key);
  if (!hit) {
    hit = load();
    byKey.set(key, hit);
    hit.catch(() => byKey.delete(key));
  }
  return hit;
}

async function visibleOrders(ctx: ToolContext, assetId: string): Promise<Wo[]> {
  const all = await cached(orderCache, ctx.ds, assetId, () =>
    ctx.ds.query<RawWo>(`${WO_SELECT} where asset_id = $asset`, { asset: assetId }),
  );
  // Orders exist from the moment they are reported (imported ones: from their start or finish).
  const raw = all.filter((r) => {
    const t = epochOrNull(r.reported) ?? epochOrNull(r.start) ?? epochOrNull(r.finish);
    return t !== null && t <= ctx.now;
  });
  const box = sandbox(ctx).orders;
  const rows = raw.map((r) => box.get(r.wo_id) ?? atNow(r, ctx.now));
  const known = new Set(rows.map((r) => r.wo_id));
  for (const w of box.values()) if (w.asset_id === assetId && !known.has(w.wo_id)) rows.push(w);
  return rows.sort(compareWo);
}

/** Date filters compare with the finish (as in AssetOpsBench); open orders match by when they were reported. */
function inWindow(w: Wo, win: Window): boolean {
  const t = w.finish ?? w.reported;
  return t !== null && t >= win.start && t < win.end;
}

const AssetWindowInput = {
  asset: z.string().min(1).describe('Asset name or id, e.g. "Chiller 9" or "CWC04009"'),
  start: z.string().min(1).optional().describe('YYYY-MM-DD or ISO time, inclusive'),
  end: z.string().min(1).optional().describe('YYYY-MM-DD (inclusive) or ISO time'),
};

/** Work-order window: whole dates are inclusive at both ends; nothing after now. */
function woWindow(args: { start?: string; end?: string }, now: number): Window {
  // Without an end, a start after now would read as "start not before end"; say what is wrong.
  if (args.start && !args.end && parseTime(args.start, 'start') > now) {
    throw new ToolFailure(
      'out_of_range',
      `start ${args.start} is after the current time ${isoFromEpoch(now)}`,
      'Work orders after the current time do not exist yet; ask about the past (see current_date_time)',
    );
  }
  return timeWindow(args.start, args.end, now, { start: 0 }, true);
}

function joinNotes(...notes: Array<string | null | undefined | false>): string | null {
  return notes.filter(Boolean).join('; ') || null;
}

// ---------------------------------------------------------------------------------------
// Listing work orders

const WorkOrderListOut = z.object({
  asset_id: z.string(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  total: z.number(),
  work_orders: z.array(WorkOrderOut),
  handle: z.string().nullable(),
  note: z.string().nullable(),
});

type Kind = 'all' | 'preventive' | 'corrective';

async function listWorkOrders(
  args: { asset: string; start?: string; end?: string },
  ctx: ToolContext,
  kind: Kind,
): Promise<z.infer<typeof WorkOrderListOut>> {
  const a = await resolveAsset(ctx.ds, args.asset);
  const win = woWindow(args, ctx.now);
  const rows = (await visibleOrders(ctx, a.asset_id))
    .filter((w) => inWindow(w, win))
    .filter((w) => kind === 'all' || w.preventive === (kind === 'preventive'))
    .map(woOut);
  const open = rows.filter((w) => w.actual_finish === null).length;
  const long = rows.length > WO_ROWS;
  return {
    asset_id: a.asset_id,
    start: args.start ?? null,
    end: args.end ?? null,
    total: rows.length,
    work_orders: rows.slice(0, WO_ROWS),
    handle: long ? ctx.storeResult(rows, `${kind} work orders of ${a.name}`) : null,
    note: joinNotes(
      win.note,
      rows.length === 0 &&
        `no ${kind === 'all' ? '' : `${kind} `}work orders for ${a.asset_id} in this period`,
      open > 0 && `${open} still open (no finish yet; matched by reported time)`,
      long && `showing the first ${WO_ROWS} of ${rows.length}; read all with json_reader`,
    ),
  };
}

const WINDOW_HELP =
  'Arguments: asset (name or id, e.g. "CWC04013"), start and end (optional, YYYY-MM-DD, both days included). Orders are matched on their actual finish time; open orders on their reported time.';

/** The three listing tools differ only in which orders they keep and how they say it. */
function workOrderListTool(name: string, kind: 'all' | 'preventive' | 'corrective', what: string) {
  return defineTool({
    name,
    domain: 'wo',
    description: `${what} ${WINDOW_HELP} Returns the total, the first ${WO_ROWS} orders with codes, status, times, hours and cost, and a handle for json_reader.`,
    input: z.object(AssetWindowInput),
    output: WorkOrderListOut,
    readOnly: true,
    window: WO_WINDOW,
    handler: (args, ctx) => listWorkOrders(args, ctx, kind),
  });
}

export const getWorkOrdersTool = workOrderListTool(
  'get_work_orders',
  'all',
  'All work orders (preventive and corrective) of an asset, ordered by finish time, open ones last.',
);
export const getPreventiveWorkOrdersTool = workOrderListTool(
  'get_preventive_work_orders',
  'preventive',
  'Preventive (planned, scheduled) work orders of an asset.',
);
export const getCorrectiveWorkOrdersTool = workOrderListTool(
  'get_corrective_work_orders',
  'corrective',
  'Corrective (unplanned, repair) work orders of an asset.',
);

// ---------------------------------------------------------------------------------------
// The event log

const EVENT_GROUPS = ['WORK_ORDER', 'ALERT', 'ANOMALY'] as const;
type EventGroup = (typeof EVENT_GROUPS)[number];

interface EventRow {
  event_id: string;
  event_group: string;
  event_category: string;
  event_type: string | null;
  description: string | null;
  time: number;
  note: string | null;
}

const EventOut = z.object({
  event_id: z.string(),
  event_group: z.string(),
  event_category: z.string(),
  event_type: z.string().nullable(),
  description: z.string().nullable(),
  event_time: z.string(),
  note: z.string().nullable(),
});

/** Events of an asset up to now in [start, end), with this session's new work orders among them. */
async function assetEvents(ctx: ToolContext, assetId: string, win: Window): Promise<EventRow[]> {
  const all = await cached(eventCache, ctx.ds, assetId, async () => {
    const rows = await ctx.ds.query<Omit<EventRow, 'time'> & { time: number | string }>(
      `select event_id, event_group, event_category, event_type, description, epoch(event_time) AS "time", note
         from events where asset_id = $asset order by event_time, event_id`,
      { asset: assetId },
    );
    return rows.map((r) => ({ ...r, time: Math.floor(Number(r.time)) }));
  });
  const events: EventRow[] = all.filter((e) => e.time >= win.start && e.time < win.end && e.time <= ctx.now);
  for (const w of sandbox(ctx).orders.values()) {
    // Only orders created here are new events; changed dataset orders already have theirs.
    if (w.asset_id !== assetId || !w.wo_id.startsWith('SBX-') || w.reported === null) continue;
    if (w.reported < win.start || w.reported >= win.end) continue;
    events.push({
      event_id: w.wo_id,
      event_group: 'WORK_ORDER',
      event_category: w.preventive ? 'PM' : 'CM',
      event_type: w.primary_code,
      description: w.description,
      time: w.reported,
      note: 'created in this session',
    });
  }
  return events.sort((a, b) => a.time - b.time || a.event_id.localeCompare(b.event_id));
}

function eventOut(e: EventRow): z.infer<typeof EventOut> {
  return {
    event_id: e.event_id,
    event_group: e.event_group,
    event_category: e.event_category,
    event_type: e.event_type,
    description: e.description,
    event_time: isoFromEpoch(e.time),
    note: e.note,
  };
}

export const getEventsTool = defineTool({
  name: 'get_events',
  domain: 'wo',
  description:
    'The event log of an asset: work orders, alerts from the rule engine and KPI anomalies in one time-ordered list. Arguments: asset, start and end (optional, YYYY-MM-DD, both days included; compared with the event time), group (optional: WORK_ORDER, ALERT or ANOMALY). Returns counts per group, the total, the first 50 events and a handle for json_reader.',
  input: z.object({ ...AssetWindowInput, group: z.enum(EVENT_GROUPS).optional() }),
  output: z.object({
    asset_id: z.string(),
    start: z.string().nullable(),
    end: z.string().nullable(),
    total: z.number(),
    counts: z.object({ WORK_ORDER: z.number(), ALERT: z.number(), ANOMALY: z.number() }),
    events: z.array(EventOut),
    handle: z.string().nullable(),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: WO_WINDOW,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const win = woWindow(args, ctx.now);
    const all = await assetEvents(ctx, a.asset_id, win);
    const counts: Record<EventGroup, number> = { WORK_ORDER: 0, ALERT: 0, ANOMALY: 0 };
    for (const e of all) if (e.event_group in counts) counts[e.event_group as EventGroup]++;
    const rows = (args.group ? all.filter((e) => e.event_group === args.group) : all).map(eventOut);
    const long = rows.length > WO_ROWS;
    return {
      asset_id: a.asset_id,
      start: args.start ?? null,
      end: args.end ?? null,
      total: rows.length,
      counts,
      events: rows.slice(0, WO_ROWS),
      handle: long ? ctx.storeResult(rows, `events of ${a.name}`) : null,
      note: joinNotes(
        win.note,
        rows.length === 0 && 'no events in this period',
        long && `showing the first ${WO_ROWS} of ${rows.length}; read all with json_reader`,
      ),
    };
  },
});

// ---------------------------------------------------------------------------------------
// Code statistics and prediction

interface CodeInfo {
  category: string | null;
  primary_description: string | null;
  secondary_description: string | null;
}

/** Descriptions of a primary code and, when given, of its secondary code. */
function codeInfo(codes: FailureCodeRow[], primary: string | null, secondary: string | null): CodeInfo {
  const bySecondary = secondary ? codes.find((c) => c.secondary_code === secondary) : undefined;
  const byPrimary = bySecondary ?? (primary ? codes.find((c) => c.primary_code === primary) : undefined);
  return {
    category: byPrimary?.category ?? null,
    primary_description: byPrimary?.primary_description ?? null,
    secondary_description: bySecondary?.secondary_description ?? null,
  };
}

export const getWorkOrderDistributionTool = defineTool({
  name: 'get_work_order_distribution',
  domain: 'wo',
  description: `How often each failure/maintenance code occurs on an asset's work orders. ${WINDOW_HELP} Returns counts per (primary code, secondary code) pair with their descriptions and category, most frequent first.`,
  input: z.object(AssetWindowInput),
  output: z.object({
    asset_id: z.string(),
    start: z.string().nullable(),
    end: z.string().nullable(),
    total_work_orders: z.number(),
    distribution: z.array(
      z.object({
        category: z.string().nullable(),
        primary_code: z.string().nullable(),
        primary_description: z.string().nullable(),
        secondary_code: z.string().nullable(),
        secondary_description: z.string().nullable(),
        count: z.number(),
      }),
    ),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: WO_WINDOW,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const win = woWindow(args, ctx.now);
    const rows = (await visibleOrders(ctx, a.asset_id)).filter((w) => inWindow(w, win));
    const counts = new Map<string, { primary: string | null; secondary: string | null; count: number }>();
    for (const w of rows) {
      const key = `${w.primary_code ?? ''}\u0000${w.secondary_code ?? ''}`;
      const c = counts.get(key) ?? { primary: w.primary_code, secondary: w.secondary_code, count: 0 };
      c.count++;
      counts.set(key, c);
    }
    const codes = await failureCodes(ctx.ds);
    const distribution = [...counts.values()]
      .sort(
        (x, y) =>
          y.count - x.count ||
          (x.primary ?? '').localeCompare(y.primary ?? '') ||
          (x.secondary ?? '').localeCompare(y.secondary ?? ''),
      )
      .map((c) => {
        const info = codeInfo(codes, c.primary, c.secondary);
        return {
          category: info.category,
          primary_code: c.primary,
          primary_description: info.primary_description,
          secondary_code: c.secondary,
          secondary_description: info.secondary_description,
          count: c.count,
        };
      });
    return {
      asset_id: a.asset_id,
      start: args.start ?? null,
      end: args.end ?? null,
      total_work_orders: rows.length,
      distribution,
      note: joinNotes(win.note, rows.length === 0 && 'no work orders in this period'),
    };
  },
});

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Next-work-order prediction, a first-order Markov chain over primary codes (as in
 * AssetOpsBench): take the asset's orders in finish order, count transitions code[i] ->
 * code[i+1], normalise each row of the count matrix to probabilities, and return the row
 * of the most recent code. When that code was never followed by anything (it only occurs
 * last), the row is empty and we fall back to the overall code frequencies, saying so.
 */
function markovRow(codes: string[]): { probs: Map<string, number>; fallback: boolean } {
  const last = codes[codes.length - 1];
  const row = new Map<string, number>();
  for (let i = 0; i + 1 < codes.length; i++) {
    if (codes[i] === last) row.set(codes[i + 1], (row.get(codes[i + 1]) ?? 0) + 1);
  }
  const fallback = row.size === 0;
  if (fallback) for (const c of codes) row.set(c, (row.get(c) ?? 0) + 1);
  const total = [...row.values()].reduce((s, n) => s + n, 0);
  return { probs: new Map([...row].map(([c, n]) => [c, n / total])), fallback };
}

export const predictNextWorkOrderTool = defineTool({
  name: 'predict_next_work_order',
  domain: 'wo',
  description:
    "Predict the type (primary code) of an asset's next work order from its history with a first-order Markov chain: how often each code followed the most recent code in the past. Arguments: asset, start and end (optional history period, YYYY-MM-DD inclusive), corrective_only (optional, default false: use only corrective orders). Returns the last code, the history size and the next codes with probabilities, most likely first.",
  input: z.object({ ...AssetWindowInput, corrective_only: z.boolean().optional() }),
  output: z.object({
    asset_id: z.string(),
    last_primary_code: z.string(),
    last_description: z.string().nullable(),
    history_size: z.number(),
    predictions: z.array(
      z.object({
        primary_code: z.string(),
        description: z.string().nullable(),
        category: z.string().nullable(),
        probability: z.number(),
      }),
    ),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: WO_WINDOW,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const win = woWindow(args, ctx.now);
    const history = (await visibleOrders(ctx, a.asset_id))
      .filter((w) => inWindow(w, win) && (!args.corrective_only || !w.preventive))
      .map((w) => w.primary_code)
      .filter((c): c is string => !!c);
    if (history.length < 2) {
      throw new ToolFailure(
        'no_data',
        `${a.asset_id} has ${history.length} coded ${args.corrective_only ? 'corrective ' : ''}work order(s) in this period; a prediction needs at least 2`,
        'Widen the period (or omit start and end), or drop corrective_only',
      );
    }
    const codes = await failureCodes(ctx.ds);
    const { probs, fallback } = markovRow(history);
    const last = history[history.length - 1];
    const predictions = [...probs]
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .map(([code, p]) => {
        const info = codeInfo(codes, code, null);
        return {
          primary_code: code,
          description: info.primary_description,
          category: info.category,
          probability: round(p),
        };
      });
    return {
      asset_id: a.asset_id,
      last_primary_code: last,
      last_description: codeInfo(codes, last, null).primary_description,
      history_size: history.length,
      predictions,
      note: joinNotes(
        win.note,
        fallback &&
          `${last} was never followed by another order before; probabilities are the overall code frequencies`,
      ),
    };
  },
});

// ---------------------------------------------------------------------------------------
// Alerts followed by maintenance

async function knownRules(ds: Dataset): Promise<Map<string, string | null>> {
  const rows = await ds.query<{ rule_id: string; name: string | null }>(
    `select rule_id, name from alert_rules
     union select distinct event_type, null from events where event_group = 'ALERT' and event_type is not null`,
  );
  const rules = new Map<string, string | null>();
  for (const r of rows) if (!rules.get(r.rule_id)) rules.set(r.rule_id, r.name);
  return rules;
}

async function resolveRule(ds: Dataset, ruleId: string): Promise<{ id: string; name: string | null }> {
  const rules = await knownRules(ds);
  const id = [...rules.keys()].find((r) => r.toUpperCase() === ruleId.trim().toUpperCase());
  if (id) return { id, name: rules.get(id) ?? null };
  const near = closest(ruleId, [...rules.keys()]);
  throw new ToolFailure(
    'not_found',
    `unknown alert rule "${ruleId}"`,
    `Use a rule id such as ${near.join(', ')} (alert events carry it as event_type in get_events)`,
    near,
  );
}

export const analyzeAlertToFailureTool = defineTool({
  name: 'analyze_alert_to_failure',
  domain: 'wo',
  description:
    "How often an alert rule is followed by corrective maintenance on an asset. Walks the asset's event log: an alert of the rule counts as followed by maintenance when a corrective work order of the asset comes within horizon_days after it; otherwise 'No Maintenance'. Arguments: asset, rule_id (e.g. RUL0018), start and end (optional, YYYY-MM-DD inclusive, which alerts to analyse), horizon_days (optional, default 14). Returns the number of alerts and, per outcome, count, probability and the average hours from alert to work order.",
  input: z.object({
    ...AssetWindowInput,
    rule_id: z.string().min(1),
    horizon_days: z.number().positive().max(365).optional(),
  }),
  output: z.object({
    asset_id: z.string(),
    rule_id: z.string(),
    rule_name: z.string().nullable(),
    horizon_days: z.number(),
    total_alerts_analyzed: z.number(),
    transitions: z.array(
      z.object({
        transition: z.enum(['WORK_ORDER', 'No Maintenance']),
        count: z.number(),
        probability: z.number(),
        average_hours_to_maintenance: z.number().nullable(),
      }),
    ),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: WO_WINDOW,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const rule = await resolveRule(ctx.ds, args.rule_id);
    const win = woWindow(args, ctx.now);
    const horizon = args.horizon_days ?? 14;
    // The whole log up to now, so an alert near the end of the window still sees what followed it.
    const log = await assetEvents(ctx, a.asset_id, { start: 0, end: ctx.now + 1 });
    const hours: number[] = [];
    let alerts = 0;
    log.forEach((e, i) => {
      if (e.event_group !== 'ALERT' || e.event_type !== rule.id || e.time < win.start || e.time >= win.end)
        return;
      alerts++;
      // Alerts repeat (the rule engine reports them per day), so the question is whether
      // corrective work followed within the horizon, whatever other events came between.
      const next = log.slice(i + 1).find((x) => x.event_group === 'WORK_ORDER' && x.event_category === 'CM');
      if (next && next.time - e.time <= horizon * DAY) hours.push((next.time - e.time) / HOUR);
    });
    const none = alerts - hours.length;
    const avg = hours.length ? round(hours.reduce((s, h) => s + h, 0) / hours.length, 2) : null;
    return {
      asset_id: a.asset_id,
      rule_id: rule.id,
      rule_name: rule.name,
      horizon_days: horizon,
      total_alerts_analyzed: alerts,
      transitions: [
        {
          transition: 'WORK_ORDER' as const,
          count: hours.length,
          probability: alerts ? round(hours.length / alerts) : 0,
          average_hours_to_maintenance: avg,
        },
        {
          transition: 'No Maintenance' as const,
          count: none,
          probability: alerts ? round(none / alerts) : 0,
          average_hours_to_maintenance: null,
        },
      ],
      note: joinNotes(win.note, alerts === 0 && `no ${rule.id} alerts on ${a.asset_id} in this period`),
    };
  },
});

// ---------------------------------------------------------------------------------------
// Bundling corrective work

export const bundleWorkOrdersTool = defineTool({
  name: 'bundle_work_orders',
  domain: 'wo',
  description:
    "Group an asset's finished corrective work orders into bundles that could share one maintenance window: orders are taken in finish order and chained while each finishes at most gap_days after the previous one. Arguments: asset, start and end (YYYY-MM-DD inclusive), gap_days (optional, default 14), min_size (optional, default 2: smaller groups are not bundles). Returns the bundles in time order with their size, first and last finish and their work orders.",
  input: z.object({
    ...AssetWindowInput,
    gap_days: z.number().positive().max(365).optional(),
    min_size: z.number().int().min(1).max(1000).optional(),
  }),
  output: z.object({
    asset_id: z.string(),
    start: z.string().nullable(),
    end: z.string().nullable(),
    gap_days: z.number(),
    min_size: z.number(),
    corrective_work_orders: z.number(),
    total_bundles: z.number(),
    bundles: z.array(
      z.object({
        bundle: z.number(),
        size: z.number(),
        first_finish: z.string(),
        last_finish: z.string(),
        span_days: z.number(),
        wo_ids: z.array(z.string()),
        work_orders: z.array(
          z.object({
            wo_id: z.string(),
            actual_finish: z.string(),
            primary_code: z.string().nullable(),
            description: z.string().nullable(),
          }),
        ),
      }),
    ),
    note: z.string().nullable(),
  }),
  readOnly: true,
  window: WO_WINDOW,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const win = woWindow(args, ctx.now);
    const gap = args.gap_days ?? 14;
    const minSize = args.min_size ?? 2;
    const done = (await visibleOrders(ctx, a.asset_id)).filter(
      (w) => !w.preventive && w.finish !== null && inWindow(w, win),
    );
    const chains: Wo[][] = [];
    for (const w of done) {
      const chain = chains[chains.length - 1];
      const prev = chain?.[chain.length - 1];
      if (prev && (w.finish as number) - (prev.finish as number) <= gap * DAY) chain.push(w);
      else chains.push([w]);
    }
    const bundles = chains
      .filter((c) => c.length >= minSize)
      .map((c, i) => {
        const first = c[0].finish as number;
        const last = c[c.length - 1].finish as number;
        return {
          bundle: i + 1,
          size: c.length,
          first_finish: isoFromEpoch(first),
          last_finish: isoFromEpoch(last),
          span_days: round((last - first) / DAY, 2),
          wo_ids: c.map((w) => w.wo_id),
          work_orders: c.map((w) => ({
            wo_id: w.wo_id,
            actual_finish: isoFromEpoch(w.finish as number),
            primary_code: w.primary_code,
            description: w.description,
          })),
        };
      });
    return {
      asset_id: a.asset_id,
      start: args.start ?? null,
      end: args.end ?? null,
      gap_days: gap,
      min_size: minSize,
      corrective_work_orders: done.length,
      total_bundles: bundles.length,
      bundles,
      note: joinNotes(win.note, done.length === 0 && 'no finished corrective work orders in this period'),
    };
  },
});

// ---------------------------------------------------------------------------------------
// The sandbox: creating and updating work orders

async function resolveSecondaryCode(ds: Dataset, code: string): Promise<FailureCodeRow> {
  const codes = await failureCodes(ds);
  const hit = codes.find((c) => c.secondary_code.toUpperCase() === code.trim().toUpperCase());
  if (hit) return hit;
  const near = closest(
    code,
    codes.map((c) => c.secondary_code),
  );
  throw new ToolFailure(
    'not_found',
    `no secondary failure code "${code}"`,
    `Use a secondary code from get_failure_codes, e.g. ${near.join(', ')}`,
    near,
  );
}

export const createWorkOrderTool = defineTool({
  name: 'create_work_order',
  domain: 'wo',
  description:
    'Create a work order (status WAPPR, waiting for approval) in this session. Arguments: asset, description (at most 200 characters), priority (1 = most urgent to 5), failure_code (optional secondary code such as M001a, from get_failure_codes), component (optional, e.g. "condenser"), preventive (optional, default false). Returns the new order; the work-order tools of this session show it.',
  input: z.object({
    asset: z.string().min(1),
    description: z.string().trim().min(1).max(200),
    priority: z.number().int().min(1).max(5),
    failure_code: z.string().min(1).optional(),
    component: z.string().min(1).max(100).optional(),
    preventive: z.boolean().optional(),
  }),
  output: WorkOrderOut,
  readOnly: false,
  async handler(args, ctx) {
    const a = await resolveAsset(ctx.ds, args.asset);
    const code = args.failure_code ? await resolveSecondaryCode(ctx.ds, args.failure_code) : null;
    const box = sandbox(ctx);
    const w: Wo = {
      wo_id: `SBX-${String(box.next++).padStart(4, '0')}`,
      asset_id: a.asset_id,
      description: args.description,
      component: args.component ?? null,
      preventive: args.preventive ?? false,
      primary_code: code?.primary_code ?? null,
      secondary_code: code?.secondary_code ?? null,
      priority: args.priority,
      status: 'WAPPR',
      reported: ctx.now,
      start: null,
      finish: null,
      duration_hours: null,
      labor_hours: null,
      cost: null,
      logged_timezone: null,
      sandbox: true,
    };
    box.orders.set(w.wo_id, w);
    return woOut(w);
  },
});

/** A work order by id as this session sees it: its sandbox copy, else the dataset row at now. */
async function findOrder(ctx: ToolContext, woId: string): Promise<Wo> {
  const box = sandbox(ctx).orders;
  const wanted = woId.trim().toUpperCase();
  const own = [...box.values()].find((w) => w.wo_id.toUpperCase() === wanted);
  if (own) return own;
  const [row] = await ctx.ds.query<RawWo>(`${WO_SELECT} where upper(wo_id) = $id and ${WO_VISIBLE}`, {
    id: wanted,
    now: sqlTimestamp(ctx.now),
  });
  if (row) return atNow(row, ctx.now);
  const ids = await ctx.ds.query<{ wo_id: string }>(`select wo_id from work_orders where ${WO_VISIBLE}`, {
    now: sqlTimestamp(ctx.now),
  });
  const near = closest(woId, [...box.keys(), ...ids.map((r) => r.wo_id)]);
  throw new ToolFailure(
    'not_found',
    `no work order "${woId}"`,
    `Use a wo_id from get_work_orders or create_work_order, e.g. ${near.join(', ')}`,
    near,
  );
}

/** Applies a status change, filling in the times a real system would stamp. */
function withStatus(w: Wo, status: Status, now: number): Wo {
  const from = w.status as Status;
  const allowed = NEXT_STATUS[from] ?? WO_STATUSES;
  if (status !== from && !allowed.includes(status)) {
    throw new ToolFailure(
      'conflict',
      `work order ${w.wo_id} cannot go from ${from} to ${status}`,
      allowed.length
        ? `From ${from} it can go to ${allowed.join(', ')}`
        : `${from} is final; create a new work order instead`,
    );
  }
  const next = { ...w, status };
  if ((status === 'INPRG' || status === 'COMP') && next.start === null) next.start = now;
  if (status === 'COMP' && next.finish === null) {
    next.finish = now;
    next.duration_hours = round((now - (next.start as number)) / HOUR, 2);
  }
  return next;
}

export const updateWorkOrderTool = defineTool({
  name: 'update_work_order',
  domain: 'wo',
  description:
    'Change a work order in this session: its status, priority or description. Arguments: wo_id (from get_work_orders or create_work_order), status (optional: WAPPR, APPR, INPRG, WMATL, COMP, CLOSE, CAN), priority (optional, 1-5), description (optional, at most 200 characters). Status follows WAPPR -> APPR -> INPRG -> COMP -> CLOSE (WMATL while waiting for material, CAN to cancel before work starts). Returns the updated order and the changes.',
  input: z.object({
    wo_id: z.string().min(1),
    status: z.enum(WO_STATUSES).optional(),
    priority: z.number().int().min(1).max(5).optional(),
    description: z.string().trim().min(1).max(200).optional(),
  }),
  output: z.object({
    work_order: WorkOrderOut,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  }),
  readOnly: false,
  async handler(args, ctx) {
    if (args.status === undefined && args.priority === undefined && args.description === undefined) {
      throw new ToolFailure(
        'invalid_arguments',
        'nothing to change',
        'Give at least one of status, priority, description',
      );
    }
    const before = await findOrder(ctx, args.wo_id);
    if ((before.status === 'CLOSE' || before.status === 'CAN') && (args.priority || args.description)) {
      throw new ToolFailure(
        'conflict',
        `work order ${before.wo_id} is ${before.status} and can no longer be edited`,
        'Create a new work order with create_work_order instead',
      );
    }
    let after: Wo = { ...before, sandbox: true };
    if (args.status) after = withStatus(after, args.status, ctx.now);
    if (args.priority !== undefined) after.priority = args.priority;
    if (args.description !== undefined) after.description = args.description;
    const changes = (['status', 'priority', 'description', 'start', 'finish'] as const)
      .filter((f) => before[f] !== after[f])
      .map((f) => ({
        field: f === 'start' ? 'actual_start' : f === 'finish' ? 'actual_finish' : f,
        from: f === 'start' || f === 'finish' ? iso(before[f]) : before[f],
        to: f === 'start' || f === 'finish' ? iso(after[f]) : after[f],
      }));
    sandbox(ctx).orders.set(after.wo_id, after);
    return { work_order: woOut(after), changes };
  },
});

export const WO_TOOLS = [
  getWorkOrdersTool,
  getPreventiveWorkOrdersTool,
  getCorrectiveWorkOrdersTool,
  getEventsTool,
  getWorkOrderDistributionTool,
  predictNextWorkOrderTool,
  analyzeAlertToFailureTool,
  bundleWorkOrdersTool,
  createWorkOrderTool,
  updateWorkOrderTool,
];
