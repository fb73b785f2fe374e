// Work-order templates: counts over an asset's maintenance history, its most frequent
// failure code, a site ranking by corrective work, bundles of corrective orders, the next
// work order a Markov chain predicts, how often an alert rule led to corrective work, and
// the open work of a site ranked by a documented risk rule.
//
// The reference solver reads work_orders and events with its own SQL and applies the
// frozen clock itself: an order exists once reported (imported ones: once started or
// finished), an order finishing after now is still open, and date filters compare the
// actual finish (open orders: the reported time), both dates included.
import type { AssetRow } from '../../tools/lookup.ts';
import { DAY, epochFromIso, isoFromEpoch } from '../../util/time.ts';
import { CLASS_SPECS } from '../../world/classes/specs.ts';
import type { AssetClassId } from '../../world/types.ts';
import {
  assetAliases,
  day,
  dayStart,
  pickNow,
  type ScenarioTemplate,
  sqlTs,
  stepData,
  type TemplateContext,
} from '../template.ts';

// ---- the reference solver's view of the maintenance log ----------------------------------

/** A work order as it looks at a scenario's now. */
export interface WoAt {
  wo_id: string;
  asset_id: string;
  preventive: boolean;
  primary_code: string | null;
  secondary_code: string | null;
  priority: number | null;
  description: string | null;
  reported: number | null;
  /** The actual finish when it is not after now; null while the order is open. */
  finish: number | null;
  /** The time date filters compare: the finish, or the reported time of an open order. */
  t: number | null;
}

interface RawWo {
  wo_id: string;
  asset_id: string;
  preventive: boolean;
  primary_code: string | null;
  secondary_code: string | null;
  priority: number | null;
  description: string | null;
  r: number | string | null;
  s: number | string | null;
  f: number | string | null;
}

const num = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Math.floor(Number(v));

/** Every work order of an asset (or of every asset of a site) that exists at now, as it looks then. */
export async function ordersAt(
  ctx: TemplateContext,
  now: number,
  scope: { asset?: string; site?: string },
): Promise<WoAt[]> {
  const where = scope.asset
    ? 'w.asset_id = $k'
    : 'w.asset_id in (select asset_id from assets where site_id = $k)';
  const rows = await ctx.sql<RawWo>(
    `select w.wo_id, w.asset_id, w.preventive, w.primary_code, w.secondary_code, w.priority, w.description,
            epoch(w.reported_time) r, epoch(w.actual_start) s, epoch(w.actual_finish) f
       from work_orders w where ${where}`,
    { k: (scope.asset ?? scope.site) as string },
  );
  const out: WoAt[] = [];
  for (const w of rows) {
    const r = num(w.r);
    const f = num(w.f);
    const exists = r ?? num(w.s) ?? f;
    if (exists === null || exists > now) continue;
    const finish = f !== null && f <= now ? f : null;
    out.push({
      wo_id: w.wo_id,
      asset_id: w.asset_id,
      preventive: Boolean(w.preventive),
      primary_code: w.primary_code,
      secondary_code: w.secondary_code,
      priority: w.priority === null ? null : Number(w.priority),
      description: w.description,
      reported: r,
      finish,
      t: finish ?? r,
    });
  }
  return out.sort(byFinish);
}

/** Finished orders by finish, then open ones by reported time; ties by id. */
export function byFinish(a: WoAt, b: WoAt): number {
  const oa = a.finish === null ? 1 : 0;
  const ob = b.finish === null ? 1 : 0;
  if (oa !== ob) return oa - ob;
  const d = (a.finish ?? a.reported ?? 0) - (b.finish ?? b.reported ?? 0);
  return d !== 0 ? d : a.wo_id.localeCompare(b.wo_id);
}

/**
 * Whether a work order's date-filter time falls in [from, to] (whole dates, both included;
 * no from: since records began), never past now.
 */
export function inDates(w: WoAt, from: string | null, to: string, now: number): boolean {
  const s = from === null ? 0 : epochFromIso(`${from}T00:00:00Z`);
  const e = Math.min(epochFromIso(`${to}T00:00:00Z`) + DAY, now + 1);
  return w.t !== null && w.t >= s && w.t < e;
}

export interface EventAt {
  event_id: string;
  event_group: string;
  event_category: string;
  event_type: string | null;
  description: string | null;
  time: number;
}

/** The event log of an asset up to now, in time order (ties by id). */
export async function eventsAt(ctx: TemplateContext, asset: string, now: number): Promise<EventAt[]> {
  const rows = await ctx.sql<Omit<EventAt, 'time'> & { time: number | string }>(
    `select event_id, event_group, event_category, event_type, description, epoch(event_time) "time"
       from events where asset_id = $a and event_time <= $now::TIMESTAMP`,
    { a: asset, now: sqlTs(now) },
  );
  return rows
    .map((e) => ({ ...e, time: Math.floor(Number(e.time)) }))
    .sort((a, b) => a.time - b.time || a.event_id.localeCompare(b.event_id));
}

/** Whole-day windows in evidence: from the start of `from` to the end of `to`. */
export function dayWindow(from: string, to: string): { start: string; end: string } {
  return { start: `${from}T00:00:00Z`, end: isoFromEpoch(epochFromIso(`${to}T00:00:00Z`) + DAY) };
}

export function classLabel(cls: string): string {
  const name = CLASS_SPECS[cls as AssetClassId]?.displayName ?? cls.replace(/_/g, ' ');
  return name === name.toUpperCase() ? name : name.toLowerCase();
}

function year(sec: number): number {
  return new Date(sec * 1000).getUTCFullYear();
}

/** The same calendar date `months` months earlier ("2024-03-05" -> "2023-03-05"). */
function monthsBefore(sec: number, months: number): string {
  const d = new Date(dayStart(sec) * 1000);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

function assetById(ctx: TemplateContext, id: string): AssetRow | undefined {
  return ctx.facts.assets.find((a) => a.asset_id === id);
}

/** Assets that have at least `min` corrective orders on record at now. */
async function assetsWithCorrective(ctx: TemplateContext, now: number, min: number): Promise<AssetRow[]> {
  const rows = await ctx.sql<{ asset_id: string; n: number }>(
    `select asset_id, count(*)::INT n from work_orders
      where not preventive and coalesce(reported_time, actual_start, actual_finish) <= $now::TIMESTAMP
      group by asset_id having count(*) >= $m order by asset_id`,
    { now: sqlTs(now), m: min },
  );
  return rows.map((r) => assetById(ctx, r.asset_id)).filter((a): a is AssetRow => a !== undefined);
}

const CODES_OF = (ctx: TemplateContext) =>
  ctx.sql<{
    primary_code: string;
    primary_description: string;
    secondary_code: string;
    secondary_description: string;
  }>('select primary_code, primary_description, secondary_code, secondary_description from failure_codes');

// ---- 1. work orders of an asset in a year ------------------------------------------------

export const workOrdersInYear: ScenarioTemplate = {
  id: 'wo-count-year',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'easy',
  description: 'Count all work orders (preventive and corrective) of an asset in one calendar year.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const now = pickNow(ctx, 1);
    const first = year(ctx.facts.historyStart);
    const y = ctx.rng.int(first, year(now));
    const from = `${y}-01-01`;
    const to = `${y}-12-31`;
    const orders = await ordersAt(ctx, now, { asset: asset.asset_id });
    const n = orders.filter((w) => inDates(w, from, to, now)).length;
    if (n === 0 && ctx.rng.chance(0.7)) return null;
    const current = y === year(now);
    return {
      key: `${asset.asset_id}:${y}:${current ? day(now) : ''}`,
      utterance: current
        ? `How many work orders, preventive and corrective, has ${asset.name} had so far this year (${y})? Go by the finish date, or the report date for ones still open.`
        : `How many work orders, preventive and corrective, did ${asset.name} have in ${y}? Go by the finish date, or the report date for ones still open.`,
      now,
      site: asset.site_id,
      expected: { type: 'count', value: n },
      requiredEvidence: [
        {
          tool: 'get_work_orders',
          anyOf: ['get_events'],
          asset: asset.asset_id,
          window: dayWindow(from, current ? day(now) : to),
          description: `list the work orders of ${asset.asset_id} in ${y}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_work_orders',
          args: { asset: asset.name, start: from, end: to },
          description: `all work orders of the year (the tool counts them)`,
        },
      ],
    };
  },
  answerFromPlan: (results) => stepData<{ total: number }>(results, 's1')?.total,
};

// ---- 2. corrective work orders in a date range -------------------------------------------

export const correctiveInRange: ScenarioTemplate = {
  id: 'wo-corrective-count-range',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'easy',
  description: 'Count the corrective work orders of an asset between two dates.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const now = pickNow(ctx, 1);
    const span = ctx.rng.pick([30, 61, 92, 183, 365]);
    const lo = dayStart(ctx.facts.historyStart);
    const hi = dayStart(now) - 14 * DAY;
    if (hi <= lo) return null;
    const a = dayStart(ctx.rng.uniform(lo, hi));
    const b = Math.min(a + (span - 1) * DAY, dayStart(now));
    const from = day(a);
    const to = day(b);
    const orders = await ordersAt(ctx, now, { asset: asset.asset_id });
    const n = orders.filter((w) => !w.preventive && inDates(w, from, to, now)).length;
    if (n === 0 && ctx.rng.chance(0.75)) return null;
    return {
      key: `${asset.asset_id}:${from}:${to}`,
      utterance: `How many corrective work orders did ${asset.name} have between ${from} and ${to}, both days included? Go by the finish date, or the report date for ones still open.`,
      now,
      site: asset.site_id,
      expected: { type: 'count', value: n },
      requiredEvidence: [
        {
          tool: 'get_corrective_work_orders',
          anyOf: ['get_work_orders'],
          asset: asset.asset_id,
          window: dayWindow(from, to),
          description: `list the corrective work orders of ${asset.asset_id} in the range`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: { asset: asset.name, start: from, end: to },
          description: 'corrective work orders in the range',
        },
      ],
    };
  },
  answerFromPlan: (results) => stepData<{ total: number }>(results, 's1')?.total,
};

// ---- 3. the most frequent failure code of an asset's corrective work ---------------------

interface ListedWo {
  wo_id: string;
  asset_id: string;
  primary_code: string | null;
  secondary_code: string | null;
  priority: number | null;
  reported_time: string | null;
  actual_finish: string | null;
  preventive: boolean;
}

/**
 * Counts (primary, secondary) code pairs as get_work_order_distribution does and returns
 * the top pair: most frequent first, ties broken by primary code, then secondary code.
 */
function topCodePair(
  orders: Array<{ primary_code: string | null; secondary_code: string | null }>,
): { primary: string | null; secondary: string | null; count: number; runnerUp: number } | null {
  const counts = new Map<string, { primary: string | null; secondary: string | null; count: number }>();
  for (const w of orders) {
    const key = `${w.primary_code ?? ''}\u0000${w.secondary_code ?? ''}`;
    const c = counts.get(key) ?? { primary: w.primary_code, secondary: w.secondary_code, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  const sorted = [...counts.values()].sort(
    (x, y) =>
      y.count - x.count ||
      (x.primary ?? '').localeCompare(y.primary ?? '') ||
      (x.secondary ?? '').localeCompare(y.secondary ?? ''),
  );
  if (sorted.length === 0) return null;
  return { ...sorted[0], runnerUp: sorted[1]?.count ?? 0 };
}

export const topFailureCode: ScenarioTemplate = {
  id: 'wo-top-failure-code',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description: "The most frequent failure code on an asset's corrective work orders.",
  async instantiate(ctx) {
    const now = pickNow(ctx, 1);
    const candidates = await assetsWithCorrective(ctx, now, 3);
    if (candidates.length === 0) return null;
    const asset = ctx.rng.pick(candidates);
    const orders = (await ordersAt(ctx, now, { asset: asset.asset_id })).filter((w) => !w.preventive);
    // The whole history, or the last two or three years of it.
    let years = ctx.rng.pick([0, 2, 3]);
    if (years > 0 && epochFromIso(`${monthsBefore(now, 12 * years)}T00:00:00Z`) <= ctx.facts.historyStart)
      years = 0;
    const from = years === 0 ? null : monthsBefore(now, 12 * years);
    const to = day(now);
    const inRange = orders.filter((w) => inDates(w, from, to, now));
    // The reference plan reads the orders inline (at most 50).
    if (inRange.length < 2 || inRange.length > 50) return null;
    const top = topCodePair(inRange);
    if (!top?.secondary) return null;
    const codes = await CODES_OF(ctx);
    const info = codes.find((c) => c.secondary_code === top.secondary);
    const since =
      years === 0 ? 'over its whole maintenance history' : `in the last ${years} years (since ${from})`;
    return {
      key: `${asset.asset_id}:${from ?? '*'}:${day(now)}`,
      utterance: `Which detailed failure code (the secondary one) shows up most often on ${asset.name}'s corrective work orders ${since}? If two are level, take the first alphabetically.`,
      now,
      site: asset.site_id,
      expected: {
        type: 'entity',
        value: top.secondary,
        aliases: info ? [info.secondary_description] : [],
      },
      requiredEvidence: [
        {
          tool: 'get_corrective_work_orders',
          anyOf: ['get_work_order_distribution', 'get_work_orders'],
          asset: asset.asset_id,
          description: `the corrective work orders (or code counts) of ${asset.asset_id}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: from === null ? { asset: asset.name } : { asset: asset.name, start: from, end: to },
          description: 'the corrective orders with their codes',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ work_orders: ListedWo[] }>(results, 's1');
    return d ? topCodePair(d.work_orders)?.secondary : undefined;
  },
};

// ---- 4. assets of a site ranked by corrective work in the last 12 months ------------------

export const rankAssetsByCorrective: ScenarioTemplate = {
  id: 'wo-rank-site-corrective',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description: 'Rank the assets of a site by their corrective work orders in the last 12 months.',
  async instantiate(ctx) {
    const sites = ctx.facts.sites.filter(
      (s) => ctx.facts.assets.filter((a) => a.site_id === s.site_id).length >= 3,
    );
    if (sites.length === 0) return null;
    const site = ctx.rng.pick(sites);
    const now = pickNow(ctx, 1);
    let assets = ctx.facts.assets.filter((a) => a.site_id === site.site_id);
    // Large sites: one class of assets, so that the plan stays a handful of calls.
    let cls: string | null = null;
    if (assets.length > 10) {
      const classes = [...new Set(assets.map((a) => a.asset_class))]
        .filter((c) => assets.filter((a) => a.asset_class === c).length >= 3)
        .sort();
      if (classes.length === 0) return null;
      cls = ctx.rng.pick(classes);
      assets = assets.filter((a) => a.asset_class === cls);
    }
    const from = monthsBefore(now, 12);
    const to = day(now);
    const orders = (await ordersAt(ctx, now, { site: site.site_id })).filter(
      (w) => !w.preventive && inDates(w, from, to, now),
    );
    const counts = assets.map((a) => ({ a, n: orders.filter((w) => w.asset_id === a.asset_id).length }));
    if (new Set(counts.map((c) => c.n)).size < 2) return null;
    counts.sort((x, y) => y.n - x.n || x.a.name.localeCompare(y.a.name));
    const what = cls ? `${classLabel(cls)}s` : 'assets';
    return {
      key: `${site.site_id}:${cls ?? '*'}:${to}`,
      utterance: `Rank all the ${what} at ${site.site_id} by how many corrective work orders they had from ${from} to ${to} (by finish date, or report date if still open), most first; break ties by name.`,
      now,
      site: site.site_id,
      expected: {
        type: 'ranking',
        values: counts.map((c) => c.a.name),
        aliases: Object.fromEntries(
          counts.map((c) => [c.a.name, assetAliases(c.a).filter((n) => n !== c.a.name)]),
        ),
        metric: 'kendall',
        threshold: 0.6,
      },
      requiredEvidence: assets.map((a) => ({
        tool: 'get_corrective_work_orders',
        anyOf: ['get_work_orders', 'get_work_order_distribution'],
        asset: a.asset_id,
        window: dayWindow(from, to),
        description: `corrective work orders of ${a.asset_id} in the last 12 months`,
      })),
      referencePlan: assets.map((a, i) => ({
        id: `s${i + 1}`,
        agent: 'wo' as const,
        tool: 'get_corrective_work_orders',
        args: { asset: a.name, start: from, end: to },
        description: `count the corrective orders of ${a.name}`,
      })),
    };
  },
  answerFromPlan: (results, scenario) => {
    const counts = scenario.referencePlan.map((s) => ({
      name: String(s.args.asset),
      n: stepData<{ total: number }>(results, s.id)?.total,
    }));
    if (counts.some((c) => c.n === undefined)) return undefined;
    return counts
      .sort((x, y) => (y.n as number) - (x.n as number) || x.name.localeCompare(y.name))
      .map((c) => c.name);
  },
};

// ---- 5. bundles of corrective work -------------------------------------------------------

/** Finished corrective orders chained while each finishes at most `gap` days after the previous one. */
function bundles(finishes: number[], gapDays: number, minSize = 2): number[] {
  const chains: number[][] = [];
  for (const f of finishes) {
    const chain = chains[chains.length - 1];
    if (chain && f - chain[chain.length - 1] <= gapDays * DAY) chain.push(f);
    else chains.push([f]);
  }
  return chains.filter((c) => c.length >= minSize).map((c) => c.length);
}

export const correctiveBundles: ScenarioTemplate = {
  id: 'wo-bundles',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description: 'Bundles of corrective work orders finished at most 14 days apart in a period.',
  async instantiate(ctx) {
    const now = pickNow(ctx, 1);
    const candidates = await assetsWithCorrective(ctx, now, 2);
    if (candidates.length === 0) return null;
    const asset = ctx.rng.pick(candidates);
    const y = ctx.rng.int(year(ctx.facts.historyStart), year(now));
    const whole = ctx.rng.chance(0.3);
    const from = whole ? null : `${y}-01-01`;
    const to = whole ? day(now) : y === year(now) ? day(now) : `${y}-12-31`;
    const done = (await ordersAt(ctx, now, { asset: asset.asset_id })).filter(
      (w) => !w.preventive && w.finish !== null && inDates(w, from, to, now),
    );
    if (done.length < 2) return null;
    const sizes = bundles(
      done.map((w) => w.finish as number),
      14,
    );
    if (sizes.length === 0 && ctx.rng.chance(0.6)) return null;
    const period = whole ? 'over its whole history' : y === year(now) ? `so far in ${y}` : `in ${y}`;
    return {
      key: `${asset.asset_id}:${from ?? '*'}:${to}`,
      utterance: `We want to group ${asset.name}'s corrective repairs into shared maintenance windows. Chaining repairs finished no more than 14 days apart, how many bundles of two or more work orders were there ${period}, and how many work orders do they hold in total?`,
      now,
      site: asset.site_id,
      expected: {
        type: 'record',
        fields: {
          answer: { type: 'count', value: sizes.length },
          total: { type: 'count', value: sizes.reduce((s, n) => s + n, 0) },
        },
      },
      requiredEvidence: [
        {
          tool: 'bundle_work_orders',
          anyOf: ['get_corrective_work_orders', 'get_work_orders'],
          asset: asset.asset_id,
          ...(from === null ? {} : { window: dayWindow(from, to) }),
          description: `the corrective work of ${asset.asset_id} in the period`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'bundle_work_orders',
          args: {
            asset: asset.name,
            ...(from === null ? {} : { start: from, end: to }),
            gap_days: 14,
            min_size: 2,
          },
          description: 'chain the corrective orders into bundles',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ total_bundles: number; bundles: Array<{ size: number }> }>(results, 's1');
    return d ? { answer: d.total_bundles, total: d.bundles.reduce((s, b) => s + b.size, 0) } : undefined;
  },
};

// ---- 6. the next work order, by a first-order Markov chain -------------------------------

/**
 * predict_next_work_order's method: primary codes in finish order (open orders last), count
 * the codes that followed each occurrence of the most recent code, and take the most frequent
 * (ties: alphabetical). If the most recent code was never followed, use overall frequencies.
 */
export function markovNext(codes: string[]): { code: string; fallback: boolean; margin: number } | null {
  if (codes.length < 2) return null;
  const last = codes[codes.length - 1];
  const row = new Map<string, number>();
  for (let i = 0; i + 1 < codes.length; i++) {
    if (codes[i] === last) row.set(codes[i + 1], (row.get(codes[i + 1]) ?? 0) + 1);
  }
  const fallback = row.size === 0;
  if (fallback) for (const c of codes) row.set(c, (row.get(c) ?? 0) + 1);
  const sorted = [...row].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  return { code: sorted[0][0], fallback, margin: sorted[0][1] - (sorted[1]?.[1] ?? 0) };
}

export const nextWorkOrder: ScenarioTemplate = {
  id: 'wo-next-code',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description: "The most likely primary code of an asset's next work order (first-order Markov chain).",
  async instantiate(ctx) {
    const now = pickNow(ctx, 1);
    const correctiveOnly = ctx.rng.chance(0.5);
    const pool = correctiveOnly ? await assetsWithCorrective(ctx, now, 3) : ctx.facts.assets;
    if (pool.length === 0) return null;
    const asset = ctx.rng.pick(pool);
    const codes = (await ordersAt(ctx, now, { asset: asset.asset_id }))
      .filter((w) => !correctiveOnly || !w.preventive)
      .map((w) => w.primary_code)
      .filter((c): c is string => !!c);
    const next = markovNext(codes);
    if (!next) return null;
    const info = (await CODES_OF(ctx)).find((c) => c.primary_code === next.code);
    const kind = correctiveOnly ? 'corrective work order' : 'work order';
    return {
      key: `${asset.asset_id}:${correctiveOnly}:${codes.length}:${codes[codes.length - 1]}`,
      utterance: `Going by ${asset.name}'s ${correctiveOnly ? 'corrective ' : ''}maintenance history, what type of ${kind} is it most likely to get next? Give the primary code. Judge by what has followed its latest code before, in finish order (open orders last), with ties going to the alphabetically first code; if that code was never followed by anything, go with its most common code.`,
      now,
      site: asset.site_id,
      expected: { type: 'entity', value: next.code, aliases: info ? [info.primary_description] : [] },
      requiredEvidence: [
        {
          tool: 'predict_next_work_order',
          anyOf: ['get_work_orders', 'get_corrective_work_orders'],
          asset: asset.asset_id,
          description: `the work-order history of ${asset.asset_id}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'predict_next_work_order',
          args: { asset: asset.name, corrective_only: correctiveOnly },
          description: 'Markov-chain prediction of the next primary code',
        },
      ],
    };
  },
  answerFromPlan: (results) =>
    stepData<{ predictions: Array<{ primary_code: string }> }>(results, 's1')?.predictions[0]?.primary_code,
};

// ---- 7. alerts of a rule followed by corrective work --------------------------------------

/**
 * analyze_alert_to_failure's rule: an alert is followed by maintenance when the first
 * corrective work order after it in the asset's event log (work orders are logged at their
 * finish, open ones at their report) comes within `horizonDays`.
 */
export function alertsFollowed(
  log: EventAt[],
  rule: string,
  horizonDays: number,
): { alerts: number; followed: number } {
  let alerts = 0;
  let followed = 0;
  log.forEach((e, i) => {
    if (e.event_group !== 'ALERT' || e.event_type !== rule) return;
    alerts++;
    const next = log.slice(i + 1).find((x) => x.event_group === 'WORK_ORDER' && x.event_category === 'CM');
    if (next && next.time - e.time <= horizonDays * DAY) followed++;
  });
  return { alerts, followed };
}

export const alertToCorrective: ScenarioTemplate = {
  id: 'wo-alert-followed',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'hard',
  description: 'How many alerts of a rule on an asset were followed by corrective work within 14 days.',
  async instantiate(ctx) {
    const pairs = await ctx.sql<{ asset_id: string; rule_id: string; first: number }>(
      `select asset_id, rule_id, epoch(min(start_time)) "first" from alerts
        where start_time <= $now::TIMESTAMP group by all order by asset_id, rule_id`,
      { now: sqlTs(ctx.facts.exposedUntil) },
    );
    if (pairs.length === 0) return null;
    const p = ctx.rng.pick(pairs);
    const asset = assetById(ctx, p.asset_id);
    if (!asset) return null;
    const first = Number(p.first);
    const now = Math.min(
      ctx.facts.exposedUntil,
      Math.ceil(ctx.rng.uniform(first + 3600, ctx.facts.exposedUntil + 3600) / 3600) * 3600,
    );
    if (now < first) return null;
    const [rule] = await ctx.sql<{ name: string | null }>('select name from alert_rules where rule_id = $r', {
      r: p.rule_id,
    });
    const log = await eventsAt(ctx, asset.asset_id, now);
    const r = alertsFollowed(log, p.rule_id, 14);
    if (r.alerts === 0) return null;
    const ruleText = rule?.name ? `${p.rule_id} (${rule.name})` : p.rule_id;
    return {
      key: `${asset.asset_id}:${p.rule_id}:${r.alerts}:${r.followed}`,
      utterance: `How often has alert rule ${ruleText} on ${asset.name} been followed by corrective maintenance within 14 days? Tell me how many alerts there were and how many of them were followed.`,
      now,
      site: asset.site_id,
      expected: {
        type: 'record',
        fields: {
          total: { type: 'count', value: r.alerts },
          answer: { type: 'count', value: r.followed },
        },
      },
      requiredEvidence: [
        {
          tool: 'analyze_alert_to_failure',
          anyOf: ['get_events'],
          asset: asset.asset_id,
          description: `the ${p.rule_id} alerts of ${asset.asset_id} and the corrective work after them`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'analyze_alert_to_failure',
          args: { asset: asset.name, rule_id: p.rule_id, horizon_days: 14 },
          description: 'alert-to-maintenance transitions of the rule on the asset',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{
      total_alerts_analyzed: number;
      transitions: Array<{ transition: string; count: number }>;
    }>(results, 's1');
    if (!d) return undefined;
    return {
      total: d.total_alerts_analyzed,
      answer: d.transitions.find((t) => t.transition === 'WORK_ORDER')?.count ?? 0,
    };
  },
};

// ---- 8. open work of a site ranked by risk -----------------------------------------------

/**
 * The risk rule for open work: priority ascending (1 is the most urgent; orders without a
 * priority last), then the oldest reported first, then the work-order id.
 */
function riskOrder(
  a: { priority: number | null; reported: string; wo_id: string },
  b: { priority: number | null; reported: string; wo_id: string },
): number {
  const pa = a.priority ?? 99;
  const pb = b.priority ?? 99;
  return pa - pb || a.reported.localeCompare(b.reported) || a.wo_id.localeCompare(b.wo_id);
}

export const rankOpenWork: ScenarioTemplate = {
  id: 'wo-rank-open-risk',
  family: 'workorder',
  tracks: ['execution', 'planning'],
  difficulty: 'hard',
  description: 'Rank the open work orders of a site by a documented risk rule.',
  async instantiate(ctx) {
    const site = ctx.rng.pick(ctx.facts.sites);
    const now = pickNow(ctx, 0);
    let assets = ctx.facts.assets.filter((a) => a.site_id === site.site_id);
    let cls: string | null = null;
    if (assets.length > 10) {
      cls = ctx.rng.pick([...new Set(assets.map((a) => a.asset_class))].sort());
      assets = assets.filter((a) => a.asset_class === cls);
    }
    const from = day(now - 365 * DAY);
    const all = (await ordersAt(ctx, now, { site: site.site_id })).filter((w) =>
      assets.some((a) => a.asset_id === w.asset_id),
    );
    const open = all.filter((w) => w.finish === null);
    if (open.length < 2) return null;
    // The plan lists a year of orders per asset: every open order must be in it, inline.
    if (open.some((w) => w.reported === null || w.reported < epochFromIso(`${from}T00:00:00Z`))) return null;
    for (const a of assets) {
      if (all.filter((w) => w.asset_id === a.asset_id && inDates(w, from, day(now), now)).length > 50)
        return null;
    }
    const ranked = open
      .map((w) => ({ priority: w.priority, reported: isoFromEpoch(w.reported as number), wo_id: w.wo_id }))
      .sort(riskOrder);
    const scope = cls ? `${classLabel(cls)}s at ${site.site_id}` : `site ${site.site_id}`;
    return {
      key: `${site.site_id}:${cls ?? '*'}:${ranked.map((r) => r.wo_id).join(',')}`,
      utterance: `List the open work orders for the ${scope}, riskiest first: most urgent priority first (1 is the most urgent), and among equal priorities the one waiting longest first.`,
      now,
      site: site.site_id,
      expected: {
        type: 'ranking',
        values: ranked.map((r) => r.wo_id),
        aliases: {},
        metric: 'kendall',
        threshold: 0.6,
      },
      requiredEvidence: assets.map((a) => ({
        tool: 'get_work_orders',
        anyOf: ['get_corrective_work_orders', 'get_preventive_work_orders'],
        asset: a.asset_id,
        description: `the open work orders of ${a.asset_id}`,
      })),
      referencePlan: assets.map((a, i) => ({
        id: `s${i + 1}`,
        agent: 'wo' as const,
        tool: 'get_work_orders',
        args: { asset: a.name, start: from },
        description: `the last year of work orders of ${a.name} (open ones come last)`,
      })),
    };
  },
  answerFromPlan: (results, scenario) => {
    const open: Array<{ priority: number | null; reported: string; wo_id: string }> = [];
    for (const s of scenario.referencePlan) {
      const d = stepData<{ work_orders: ListedWo[] }>(results, s.id);
      if (!d) return undefined;
      for (const w of d.work_orders) {
        if (w.actual_finish === null)
          open.push({ priority: w.priority, reported: w.reported_time ?? '', wo_id: w.wo_id });
      }
    }
    return open.sort(riskOrder).map((w) => w.wo_id);
  },
};

export const WORKORDER_TEMPLATES: ScenarioTemplate[] = [
  workOrdersInYear,
  correctiveInRange,
  topFailureCode,
  rankAssetsByCorrective,
  correctiveBundles,
  nextWorkOrder,
  alertToCorrective,
  rankOpenWork,
];
