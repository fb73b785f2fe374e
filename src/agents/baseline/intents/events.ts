// Event-log requests: KPI anomaly and alert counts in a window of days, when a KPI first
// left its band, which of two signals came first, and which KPIs were flagged on a day.
import { type DayRange, dayRange, hasKeys, norm, ruleIds } from '../parse.ts';
import { type Run, Unable } from '../run.ts';
import { type Answer, answer, has, type Intent, periodOf, wants } from './common.ts';

export interface LogEvent {
  event_id: string;
  event_group: string;
  event_category: string;
  event_type: string | null;
  description: string | null;
  event_time: string;
}

/** Events of an asset (one group, or all), every page of them. */
export async function events(
  r: Run,
  asset: string,
  range: DayRange | null,
  group?: 'ALERT' | 'ANOMALY' | 'WORK_ORDER',
): Promise<{ data: Record<string, unknown>; events: LogEvent[] }> {
  const args: Record<string, unknown> = { asset };
  if (range) {
    args.start = range.from;
    if (range.to) args.end = range.to;
  }
  if (group) args.group = group;
  const data = await r.call('get_events', args);
  return { data, events: await r.allRows<LogEvent>(data, 'events') };
}

/**
 * The KPI an anomaly event is about. Our log types events by KPI name ("Cooling Load");
 * imported logs write "KPI Cooling Load above upper bound".
 */
export function kpiOf(e: LogEvent): string | null {
  if (!e.event_type) return null;
  return e.event_type
    .replace(/^KPI\s+/i, '')
    .replace(/\s+(above|below)\s+(the\s+)?(upper|lower)\s+bound$/i, '')
    .trim();
}

function needRange(r: Run): DayRange {
  const range = dayRange(r.text);
  if (!range) throw new Unable('the request names no day or window of days');
  return range;
}

const COUNT_WORDS = /\b(how many|how often|count|number of)\b/i;

export const anomalyCount: Intent = {
  id: 'anomaly-count',
  plan: 'count the KPI anomaly events of the asset in the window (get_events, group ANOMALY)',
  matches: (r) =>
    wants(r, 'integer') && has(r.text, /anomal/i) && has(r.text, COUNT_WORDS) && ruleIds(r.text).length === 0,
  async run(r) {
    const { data } = await events(r, r.asset(), needRange(r), 'ANOMALY');
    return answer((data.counts as Record<string, number>).ANOMALY ?? 0);
  },
};

export const alertCount: Intent = {
  id: 'alert-count',
  plan: 'list the alerts of the asset in the window and count those of the rule',
  matches: (r) =>
    wants(r, 'integer') &&
    ruleIds(r.text).length === 1 &&
    has(r.text, COUNT_WORDS) &&
    !has(r.text, /followed|maintenance/i),
  async run(r) {
    const rule = ruleIds(r.text)[0];
    const { events: list } = await events(r, r.asset(), needRange(r), 'ALERT');
    return answer(list.filter((e) => e.event_type === rule).length);
  },
};

export const firstExcursion: Intent = {
  id: 'first-excursion',
  plan: 'list the KPI anomaly events since that day and take the first of the KPI named',
  matches: (r) =>
    wants(r, 'string') &&
    r.shape.answerEnum === null &&
    has(r.text, /\bfirst\b/i) &&
    has(r.text, /\b(band|range)\b/i),
  async run(r) {
    const { events: list } = await events(r, r.asset(), needRange(r), 'ANOMALY');
    const kpis = [...new Set(list.map(kpiOf).filter((t): t is string => !!t))];
    // The KPI the request names: the longest KPI name in the text (e.g. "Dew Point").
    const named = kpis.filter((k) => norm(r.text).includes(norm(k))).sort((a, b) => b.length - a.length)[0];
    if (!named)
      throw new Unable(`no anomaly event since then names a KPI of the request (seen: ${kpis.join(', ')})`);
    const first = list.find((e) => kpiOf(e) === named);
    return answer(first?.event_time ?? null);
  },
};

export const firstMover: Intent = {
  id: 'first-mover',
  plan: 'read the anomaly and alert events since that day; the earlier of the two signals wins',
  matches: (r) => (r.shape.answerEnum?.length ?? 0) === 2 && has(r.text, /\bfirst\b/i),
  async run(r) {
    const asset = r.asset();
    const range = needRange(r);
    const names = r.shape.answerEnum ?? [];
    const all = [
      ...(await events(r, asset, { from: range.from, to: null }, 'ANOMALY')).events,
      ...(await events(r, asset, { from: range.from, to: null }, 'ALERT')).events,
    ];
    // Anomaly events carry the KPI name as their type, alerts their rule's name as description.
    const firstOf = (name: string) =>
      all
        .filter((e) =>
          [e.event_type, kpiOf(e), e.description].some((x) => x !== null && norm(x) === norm(name)),
        )
        .reduce((m, e) => Math.min(m, Date.parse(e.event_time)), Number.POSITIVE_INFINITY);
    const ranked = names.map((n) => ({ n, t: firstOf(n) })).sort((a, b) => a.t - b.t);
    if (ranked.length < 2 || !Number.isFinite(ranked[0].t)) throw new Unable('neither signal is in the log');
    if (ranked[0].t === ranked[1].t) throw new Unable('both signals showed up at the same time');
    return answer(ranked[0].n);
  },
};

export const flaggedKpis: Intent = {
  id: 'kpis-flagged-on-day',
  plan: 'list the KPI anomaly events of that day and name their KPIs',
  matches: (r) => wants(r, 'array') && has(r.text, /\bKPIs\b/i),
  async run(r) {
    const { events: list } = await events(r, r.asset(), needRange(r), 'ANOMALY');
    return answer([...new Set(list.map(kpiOf).filter((t): t is string => !!t))]);
  },
};

/** Event groups a request names ("alert, anomaly and work order"); all three when it names none. */
function groupsNamed(text: string): string[] {
  const out: string[] = [];
  if (/\balerts?\b/i.test(text)) out.push('ALERT');
  if (/\banomal/i.test(text)) out.push('ANOMALY');
  if (/\bwork orders?\b/i.test(text)) out.push('WORK_ORDER');
  return out.length > 0 ? out : ['ALERT', 'ANOMALY', 'WORK_ORDER'];
}

export const dailyEvents: Intent = {
  id: 'daily-event-counts',
  plan: 'read the event log of the period, keep the groups asked, and count the days with events and the events',
  matches: (r) => hasKeys(r.shape, 'days_with_events', 'events'),
  async run(r): Promise<Answer> {
    const p = periodOf(r);
    if (!p) throw new Unable('the request names no period');
    const groups = groupsNamed(r.text);
    const list = (await events(r, r.asset(), p)).events.filter((e) => groups.includes(e.event_group));
    const days = new Set(list.map((e) => e.event_time.slice(0, 10)));
    return { days_with_events: days.size, events: list.length };
  },
};

export const alertsAndAnomalies: Intent = {
  id: 'alerts-and-anomalies',
  plan: 'read the alerts and KPI anomalies of the period; count them in all, per rule and per KPI',
  matches: (r) => hasKeys(r.shape, 'alerts', 'anomalies') && !r.shape.keys.includes('work_orders'),
  async run(r): Promise<Answer> {
    const p = periodOf(r);
    if (!p) throw new Unable('the request names no period');
    const list = (await events(r, r.asset(), p)).events;
    const out: Record<string, number> = { alerts: 0, anomalies: 0 };
    for (const e of list) {
      if (e.event_group === 'ALERT') {
        out.alerts++;
        const k = `${e.event_type ?? 'unknown'} alerts`;
        out[k] = (out[k] ?? 0) + 1;
      } else if (e.event_group === 'ANOMALY') {
        out.anomalies++;
        const k = `${kpiOf(e) ?? 'unknown'} anomalies`;
        out[k] = (out[k] ?? 0) + 1;
      }
    }
    return out;
  },
};

export const EVENT_INTENTS: Intent[] = [
  dailyEvents,
  alertsAndAnomalies,
  firstMover,
  anomalyCount,
  alertCount,
  firstExcursion,
  flaggedKpis,
];
