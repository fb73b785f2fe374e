// Work-order requests: counts in a year or between two dates, the most frequent failure
// code, rankings of a site's assets and of its open work, bundles of corrective orders, the
// next order a Markov chain predicts, and how often an alert rule led to corrective work.
import { type DayRange, dayCount, dayOf, ruleIds } from '../parse.ts';
import { type AssetInfo, type Run, Unable } from '../run.ts';
import { answer, has, type Intent, periodOf, wants, windowArgs } from './common.ts';
import type { WorkOrder } from './fmsr.ts';

function listTool(text: string): string {
  if (/\bcorrective\b/i.test(text)) return 'get_corrective_work_orders';
  if (/\bpreventive\b/i.test(text)) return 'get_preventive_work_orders';
  return 'get_work_orders';
}

export const workOrderCount: Intent = {
  id: 'work-order-count',
  plan: 'list the work orders of the asset in the period (corrective or preventive when asked) and count them',
  matches: (r) => wants(r, 'integer') && has(r.text, /\bwork orders?\b/i) && !has(r.text, /alerts?|anomal/i),
  async run(r) {
    const p = periodOf(r);
    if (!p) throw new Unable('the request names no period (a year or two dates)');
    const d = await r.call(listTool(r.text), { asset: r.asset(), ...windowArgs(p) });
    return answer(d.total);
  },
};

export const codeDistribution: Intent = {
  id: 'work-order-code-distribution',
  plan: 'count the work orders of the period per primary code (get_work_order_distribution)',
  matches: (r) => r.shape.keys.includes('total_work_orders'),
  async run(r) {
    const d = await r.call('get_work_order_distribution', { asset: r.asset(), ...windowArgs(periodOf(r)) });
    const out: Record<string, number> = { total_work_orders: Number(d.total_work_orders) };
    for (const row of (d.distribution ?? []) as Array<{ primary_code: string | null; count: number }>) {
      const k = row.primary_code ?? 'uncoded';
      out[k] = (out[k] ?? 0) + row.count;
    }
    return out;
  },
};

/** Corrective orders, every page, with an optional window. */
async function corrective(r: Run, asset: string, p: DayRange | null): Promise<WorkOrder[]> {
  const d = await r.call('get_corrective_work_orders', { asset, ...windowArgs(p) });
  return r.allRows<WorkOrder>(d, 'work_orders');
}

export const topFailureCode: Intent = {
  id: 'top-failure-code',
  plan: "count the (primary, secondary) codes of the asset's corrective orders; the most frequent wins, ties alphabetical",
  matches: (r) =>
    wants(r, 'string') && has(r.text, /\bfailure code\b/i) && has(r.text, /\bmost (often|frequent|common)/i),
  async run(r) {
    const whole = has(r.text, /whole|all[- ]time|ever\b/i);
    const orders = await corrective(r, r.asset(), whole ? null : periodOf(r));
    const counts = new Map<string, { p: string; s: string | null; n: number }>();
    for (const w of orders) {
      const k = `${w.primary_code ?? ''}|${w.secondary_code ?? ''}`;
      const c = counts.get(k) ?? { p: w.primary_code ?? '', s: w.secondary_code, n: 0 };
      c.n++;
      counts.set(k, c);
    }
    const top = [...counts.values()].sort(
      (a, b) => b.n - a.n || a.p.localeCompare(b.p) || (a.s ?? '').localeCompare(b.s ?? ''),
    )[0];
    if (!top?.s) throw new Unable('no coded corrective work order in that period');
    return answer(top.s);
  },
};

/** The site's assets the request is about: all of them, or those of the class it names. */
async function siteAssets(r: Run): Promise<{ site: string; assets: AssetInfo[] }> {
  const site = await r.siteInText();
  if (!site) throw new Unable('the request names no site I know');
  return { site, assets: await r.assetsAt(site, r.assetClass()) };
}

/** "the last 12 months": the same calendar date a year before now, to today. */
function lastMonths(r: Run, months: number): DayRange {
  // The answer format may spell the dates out ("from 2023-05-10 to 2024-05-10"): use them if so.
  const spelled = /from (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(r.task.answerFormat.description);
  if (spelled) return { from: spelled[1], to: spelled[2] };
  const d = new Date(Math.floor(r.now / 86400) * 86400 * 1000);
  d.setUTCMonth(d.getUTCMonth() - months);
  return { from: d.toISOString().slice(0, 10), to: dayOf(r.now) };
}

export const rankByCorrective: Intent = {
  id: 'rank-assets-by-corrective',
  plan: "count each asset's corrective orders of the last months and rank them, most first, ties by name",
  matches: (r) => wants(r, 'array') && has(r.text, /\brank\b/i) && has(r.text, /\bcorrective\b/i),
  async run(r) {
    const { assets } = await siteAssets(r);
    const m = /\blast (\d+) months\b/i.exec(r.text);
    const p = lastMonths(r, m ? Number(m[1]) : 12);
    const counted: Array<{ name: string; n: number }> = [];
    for (const a of assets) {
      const d = await r.call('get_corrective_work_orders', { asset: a.name, start: p.from, end: p.to });
      counted.push({ name: a.name, n: Number(d.total) });
    }
    counted.sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
    return answer(counted.map((c) => c.name));
  },
};

export const rankOpenWork: Intent = {
  id: 'rank-open-work',
  plan: 'collect the open orders of the site (or its assets of a class) and sort by priority, then age, then id',
  matches: (r) => wants(r, 'array') && has(r.text, /\bopen work orders\b/i) && r.assets().length === 0,
  async run(r) {
    const { assets } = await siteAssets(r);
    const open: WorkOrder[] = [];
    for (const a of assets) {
      const d = await r.call('get_work_orders', { asset: a.name });
      open.push(...(await r.allRows<WorkOrder>(d, 'work_orders')).filter((w) => w.actual_finish === null));
    }
    open.sort(
      (a, b) =>
        (a.priority ?? 99) - (b.priority ?? 99) ||
        (a.reported_time ?? '').localeCompare(b.reported_time ?? '') ||
        a.wo_id.localeCompare(b.wo_id),
    );
    return answer(open.map((w) => w.wo_id));
  },
};

const SMALL_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/** A number written as a word or in digits ("two", "2"); null when neither. */
function smallNumber(word: string | undefined): number | null {
  if (!word) return null;
  const w = word.toLowerCase();
  return SMALL_NUMBERS[w] ?? (Number.isFinite(Number(w)) ? Number(w) : null);
}

export const bundles: Intent = {
  id: 'bundle-corrective-work',
  plan: 'chain the finished corrective orders of the period into bundles (bundle_work_orders)',
  matches: (r) => r.shape.keys.includes('bundles'),
  async run(r) {
    const spec = `${r.text} ${r.task.answerFormat.description}`;
    const weeks = smallNumber(/\b(\w+) weeks?\b/i.exec(spec)?.[1]);
    const gap = Number(/(\d+) days?\b/i.exec(spec)?.[1] ?? (weeks ? weeks * 7 : 14));
    const minSize =
      smallNumber(/\b(\w+) or more\b/i.exec(spec)?.[1]) ??
      smallNumber(/\bat least (\w+)/i.exec(spec)?.[1]) ??
      2;
    const whole = has(r.text, /whole history|all[- ]time|ever\b/i);
    const d = await r.call('bundle_work_orders', {
      asset: r.asset(),
      ...windowArgs(whole ? null : periodOf(r)),
      gap_days: gap,
      min_size: minSize,
    });
    const list = (d.bundles ?? []) as Array<{ size: number }>;
    const out: Record<string, number> = {
      bundles: Number(d.total_bundles),
      bundled_work_orders: list.reduce((s, b) => s + b.size, 0),
    };
    // Formats that ask for each bundle's size ("bundle_1_size, bundle_2_size, ...").
    if (/bundle_1_size/.test(r.task.answerFormat.description)) {
      list.forEach((b, i) => {
        out[`bundle_${i + 1}_size`] = b.size;
      });
    }
    return out;
  },
};

export const nextWorkOrder: Intent = {
  id: 'next-work-order',
  plan: 'predict the next primary code with the Markov-chain tool',
  matches: (r) =>
    (wants(r, 'string') && has(r.text, /\bnext\b/i) && has(r.text, /\bprimary code\b|\btype of\b/i)) ||
    r.shape.keys.includes('most_likely'),
  async run(r) {
    const d = await r.call('predict_next_work_order', {
      asset: r.asset(),
      corrective_only: has(r.text, /\bcorrective\b/i),
    });
    const top = (d.predictions as Array<{ primary_code: string; probability: number }> | undefined)?.[0];
    if (!top) throw new Unable('the predictor gave no code');
    if (r.shape.keys.includes('most_likely'))
      return { most_likely: top.primary_code, probability: top.probability };
    return answer(top.primary_code);
  },
};

export const alertFollowed: Intent = {
  id: 'alerts-followed-by-maintenance',
  plan: "count the rule's alerts and those followed by corrective work within the horizon (analyze_alert_to_failure)",
  matches: (r) => r.shape.keys.includes('alerts') && r.shape.keys.includes('followed'),
  async run(r) {
    const rule = ruleIds(r.text)[0];
    if (!rule) throw new Unable('the request names no alert rule (e.g. RUL0102)');
    const d = await r.call('analyze_alert_to_failure', {
      asset: r.asset(),
      rule_id: rule,
      horizon_days: dayCount(r.text) ?? 14,
    });
    const t = (d.transitions ?? []) as Array<{ transition: string; count: number }>;
    return {
      alerts: d.total_alerts_analyzed,
      followed: t.find((x) => x.transition === 'WORK_ORDER')?.count ?? 0,
    };
  },
};

export const WORKORDER_INTENTS: Intent[] = [
  bundles,
  codeDistribution,
  alertFollowed,
  rankByCorrective,
  rankOpenWork,
  topFailureCode,
  nextWorkOrder,
  workOrderCount,
];
