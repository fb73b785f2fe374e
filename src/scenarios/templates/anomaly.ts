// Anomaly templates over the event log: KPI anomaly events (the analytics service's band
// excursions) and rule-engine alerts, as get_events shows them. Counts in a window, the first
// excursion of a KPI, which of two signals moved first after a fault began, which KPIs were
// flagged on one day, and a distractor trap.
import type { AssetRow } from '../../tools/lookup.ts';
import { isoFromEpoch } from '../../util/time.ts';
import { KPIS } from '../../world/anomalies.ts';
import type { AssetClassId } from '../../world/types.ts';
import { normName } from '../graders.ts';
import type { Scenario } from '../schema.ts';
import {
  assetAliases,
  day,
  dayStart,
  MONTH_NAMES,
  pickNow,
  type ScenarioTemplate,
  sensorOf,
  sqlTs,
  stepData,
  type TemplateContext,
} from '../template.ts';

/** get_events returns this many events inline; templates keep their windows under it. */
const INLINE_EVENTS = 50;

interface EventOut {
  event_group: string;
  event_type: string | null;
  description: string | null;
  event_time: string;
}
type EventsData = { total: number; counts: Record<string, number>; events: EventOut[] };

/** A day as people write it: "2024-03-04" or "March 4, 2024" (one style per utterance). */
type DayStyle = 'iso' | 'words';

function dayStyle(ctx: TemplateContext): DayStyle {
  return ctx.rng.chance(0.5) ? 'iso' : 'words';
}

function spokenDay(style: DayStyle, sec: number): string {
  if (style === 'iso') return day(sec);
  const d = new Date(sec * 1000);
  return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

const iso = (sec: number) => isoFromEpoch(sec);

function assetById(ctx: TemplateContext, id: string): AssetRow | undefined {
  return ctx.facts.assets.find((a) => a.asset_id === id);
}

/** Spellings of a KPI: its name, and the sensor's names when it is one sensor's reading. */
function kpiAliases(ctx: TemplateContext, asset: AssetRow, kpi: string): string[] {
  const spec = KPIS[asset.asset_class as AssetClassId]?.find((k) => k.name === kpi);
  const out = [kpi.toLowerCase(), `${kpi} anomaly`];
  if (spec && spec.sensors.length === 1) {
    const s = sensorOf(ctx.facts, asset, spec.sensors[0]);
    if (s) out.push(s.label, s.sensor_id);
  }
  return [...new Set(out)].filter((x) => x !== kpi);
}

/** The sensor keys a KPI is computed from. */
function kpiSensors(asset: AssetRow, kpi: string): string[] {
  return KPIS[asset.asset_class as AssetClassId]?.find((k) => k.name === kpi)?.sensors ?? [];
}

/** Days [d1, d2] (UTC midnights, d2 the last day included) ending on or before now's day. */
function dayWindow(ctx: TemplateContext, now: number, maxDays: number): { d1: number; d2: number } | null {
  const d2 = dayStart(now) - 86400 * ctx.rng.int(0, 1);
  const d1 = Math.max(dayStart(ctx.facts.start), d2 - 86400 * ctx.rng.int(0, maxDays - 1));
  return d2 < ctx.facts.start ? null : { d1, d2 };
}

/**
 * A window of days around an event at t (so it holds at least that event) and a "now" at or
 * after t, a day or two after the window most of the time.
 */
function windowAround(
  ctx: TemplateContext,
  t: number,
  maxDays: number,
): { d1: number; d2: number; now: number } {
  const { start, exposedUntil } = ctx.facts;
  const d1 = Math.max(dayStart(start), dayStart(t) - 86400 * ctx.rng.int(0, maxDays - 1));
  const d2 = Math.min(
    dayStart(exposedUntil),
    Math.max(dayStart(t), d1 + 86400 * ctx.rng.int(0, maxDays - 1)),
  );
  const later = Math.min(exposedUntil, d2 + 86400 + 3600 * ctx.rng.int(0, 48));
  const now = Math.max(later, Math.min(exposedUntil, Math.ceil(t / 3600) * 3600));
  return { d1, d2, now };
}

/** Words for [d1, d2]: "on D" for one day, "between A and B" otherwise. */
function windowWords(ctx: TemplateContext, d1: number, d2: number): string {
  const style = dayStyle(ctx);
  if (d1 === d2) return `on ${spokenDay(style, d1)}`;
  return ctx.rng.pick([
    `between ${spokenDay(style, d1)} and ${spokenDay(style, d2)}`,
    `from ${spokenDay(style, d1)} through ${spokenDay(style, d2)}`,
  ]);
}

/** Evidence window of [d1, d2 + 1 day), cut at now. */
function evidenceWindow(d1: number, d2: number, now: number): { start: string; end: string } {
  return { start: iso(d1), end: iso(Math.min(d2 + 86400, now)) };
}

/** Assets with at least one KPI anomaly event at or before exposedUntil. */
async function flaggedAssets(ctx: TemplateContext): Promise<string[]> {
  const rows = await ctx.sql<{ asset_id: string }>(
    'select distinct asset_id from anomalies where ts <= $until::TIMESTAMP order by asset_id',
    { until: sqlTs(ctx.facts.exposedUntil) },
  );
  return rows.map((r) => r.asset_id);
}

/** KPI anomaly events of an asset in [a, b) up to now. */
async function anomalyCount(
  ctx: TemplateContext,
  assetId: string,
  a: number,
  b: number,
  now: number,
): Promise<number> {
  const [row] = await ctx.sql<{ n: number }>(
    `select count(*)::INT n from anomalies where asset_id = $asset and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP
       and ts <= $now::TIMESTAMP`,
    { asset: assetId, a: sqlTs(a), b: sqlTs(b), now: sqlTs(now) },
  );
  return row.n;
}

/** The events of the anomaly count, as a plan step. */
function anomalyEventsStep(asset: AssetRow, d1: number, d2: number) {
  return {
    id: 's1',
    agent: 'wo' as const,
    tool: 'get_events',
    args: { asset: asset.name, start: day(d1), end: day(d2), group: 'ANOMALY' },
    description: `the KPI anomaly events of ${asset.name} in the window`,
  };
}

// ---- the number of anomaly events of an asset in a window ----------------------------------

export const anomalyEventCount: ScenarioTemplate = {
  id: 'anomaly-event-count',
  family: 'anomaly',
  tracks: ['execution'],
  difficulty: 'easy',
  description: 'Count the KPI anomaly events of an asset in a window of days.',
  async instantiate(ctx) {
    const flagged = await flaggedAssets(ctx);
    let asset: AssetRow | undefined;
    let w: { d1: number; d2: number } | null;
    let now: number;
    if (flagged.length > 0 && ctx.rng.chance(0.75)) {
      // Around one of the asset's events, so that most answers are not zero.
      asset = assetById(ctx, ctx.rng.pick(flagged));
      if (!asset) return null;
      const times = await ctx.sql<{ t: number }>(
        'select epoch(ts)::BIGINT t from anomalies where asset_id = $a and ts <= $until::TIMESTAMP order by ts',
        { a: asset.asset_id, until: sqlTs(ctx.facts.exposedUntil) },
      );
      ({ now, ...w } = windowAround(ctx, Number(ctx.rng.pick(times).t), 4));
    } else {
      asset = ctx.rng.pick(ctx.facts.assets);
      now = pickNow(ctx, 2);
      w = dayWindow(ctx, now, 4);
    }
    if (!w) return null;
    const n = await anomalyCount(ctx, asset.asset_id, w.d1, w.d2 + 86400, now);
    const when = windowWords(ctx, w.d1, w.d2);
    return {
      key: `${asset.asset_id}:${day(w.d1)}:${day(w.d2)}:${Math.min(now, w.d2 + 86400)}`,
      utterance: ctx.rng.pick([
        `How many KPI anomaly events did ${asset.name} log ${when}?`,
        `How many times was ${asset.name} flagged for a KPI anomaly ${when}?`,
        `Count the KPI anomalies recorded for ${asset.name} ${when}.`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'count', value: n },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          window: evidenceWindow(w.d1, w.d2, now),
          description: `read the anomaly events of ${asset.name} in the window`,
        },
      ],
      referencePlan: [anomalyEventsStep(asset, w.d1, w.d2)],
    };
  },
  answerFromPlan: (results) => stepData<EventsData>(results, 's1')?.counts.ANOMALY,
};

// ---- when a KPI first left its band ----------------------------------------------------------

export const firstExcursion: ScenarioTemplate = {
  id: 'anomaly-first-excursion',
  family: 'anomaly',
  tracks: ['execution'],
  difficulty: 'medium',
  description: 'When a KPI of an asset first left its band on or after a given day.',
  async instantiate(ctx) {
    const now = pickNow(ctx, 2);
    const pairs = await ctx.sql<{ asset_id: string; kpi: string }>(
      `select distinct asset_id, kpi from anomalies where ts <= $now::TIMESTAMP order by asset_id, kpi`,
      { now: sqlTs(now) },
    );
    if (pairs.length === 0) return null;
    const pair = ctx.rng.pick(pairs);
    const asset = assetById(ctx, pair.asset_id);
    if (!asset) return null;
    const times = await ctx.sql<{ t: number }>(
      `select epoch(ts)::BIGINT t from anomalies where asset_id = $a and kpi = $k and ts <= $now::TIMESTAMP order by ts`,
      { a: asset.asset_id, k: pair.kpi, now: sqlTs(now) },
    );
    // Start the window on the day of one of its events, or a day or two before.
    const anchor = Number(ctx.rng.pick(times).t);
    const d1 = Math.max(dayStart(ctx.facts.start), dayStart(anchor) - 86400 * ctx.rng.int(0, 2));
    const first = times.map((r) => Number(r.t)).find((t) => t >= d1);
    if (first === undefined) return null;
    // The whole answer must sit in get_events' inline list.
    if ((await anomalyCount(ctx, asset.asset_id, d1, now + 1, now)) > INLINE_EVENTS) return null;
    const since = spokenDay(dayStyle(ctx), d1);
    return {
      key: `${asset.asset_id}:${pair.kpi}:${day(d1)}`,
      utterance: ctx.rng.pick([
        `When did the ${pair.kpi} KPI of ${asset.name} first leave its normal band since ${since}?`,
        `Since ${since}, when was ${asset.name}'s ${pair.kpi} first flagged outside its expected range?`,
        `${asset.name}: at what time did ${pair.kpi} first break out of its band, counting from ${since}?`,
      ]),
      now,
      site: asset.site_id,
      expected: {
        type: 'time_window',
        start: iso(first),
        end: null,
        mode: 'timestamp',
        toleranceMinutes: 60,
      },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          window: { start: iso(d1), end: iso(first) },
          description: `read the ${pair.kpi} anomaly events of ${asset.name} since ${day(d1)}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, start: day(d1), group: 'ANOMALY' },
          description: `anomaly events since ${day(d1)}; the first ${pair.kpi} one`,
        },
      ],
    };
  },
  answerFromPlan(results, scenario) {
    const events = stepData<EventsData>(results, 's1')?.events;
    // The KPI is the one the utterance names (event types are KPI names).
    const hit = events?.find(
      (e) => e.event_type !== null && scenario.utterance.includes(` ${e.event_type} `),
    );
    return hit?.event_time;
  },
};

// ---- the number of alerts of a rule on an asset ------------------------------------------------

export const alertCount: ScenarioTemplate = {
  id: 'anomaly-alert-count',
  family: 'anomaly',
  tracks: ['execution'],
  difficulty: 'easy',
  description: 'Count the alerts of one rule on an asset in a window of days.',
  async instantiate(ctx) {
    const fired = await ctx.sql<{ asset_id: string; rule_id: string }>(
      `select distinct asset_id, rule_id from alerts where start_time <= $until::TIMESTAMP order by all`,
      { until: sqlTs(ctx.facts.exposedUntil) },
    );
    const rules = await ctx.sql<{ rule_id: string; name: string; asset_class: string }>(
      'select rule_id, name, asset_class from alert_rules order by rule_id',
    );
    let assetId: string;
    let ruleId: string;
    let w: { d1: number; d2: number } | null;
    let now: number;
    if (fired.length > 0 && ctx.rng.chance(0.8)) {
      // Around one of the pair's alerts, so that most answers are not zero.
      ({ asset_id: assetId, rule_id: ruleId } = ctx.rng.pick(fired));
      const times = await ctx.sql<{ t: number }>(
        `select epoch(start_time)::BIGINT t from alerts where asset_id = $a and rule_id = $r
           and start_time <= $until::TIMESTAMP order by start_time`,
        { a: assetId, r: ruleId, until: sqlTs(ctx.facts.exposedUntil) },
      );
      ({ now, ...w } = windowAround(ctx, Number(ctx.rng.pick(times).t), 7));
    } else {
      const a = ctx.rng.pick(ctx.facts.assets);
      const own = rules.filter((r) => r.asset_class === a.asset_class);
      if (own.length === 0) return null;
      assetId = a.asset_id;
      ruleId = ctx.rng.pick(own).rule_id;
      now = pickNow(ctx, 2);
      w = dayWindow(ctx, now, 7);
    }
    const asset = assetById(ctx, assetId);
    const rule = rules.find((r) => r.rule_id === ruleId);
    if (!asset || !rule || !w) return null;
    const params = { a: asset.asset_id, s: sqlTs(w.d1), e: sqlTs(w.d2 + 86400), now: sqlTs(now) };
    const [row] = await ctx.sql<{ n: number; all: number }>(
      `select count(*) filter (where rule_id = $r)::INT n, count(*)::INT "all" from alerts
       where asset_id = $a and start_time >= $s::TIMESTAMP and start_time < $e::TIMESTAMP
         and start_time <= $now::TIMESTAMP`,
      { ...params, r: rule.rule_id },
    );
    if (row.all > INLINE_EVENTS) return null;
    const when = windowWords(ctx, w.d1, w.d2);
    return {
      key: `${asset.asset_id}:${rule.rule_id}:${day(w.d1)}:${day(w.d2)}:${Math.min(now, w.d2 + 86400)}`,
      utterance: ctx.rng.pick([
        `How many "${rule.name}" alerts (${rule.rule_id}) did ${asset.name} raise ${when}?`,
        `How often did rule ${rule.rule_id} (${rule.name}) fire on ${asset.name} ${when}?`,
        `Count the ${rule.rule_id} alerts on ${asset.name} ${when}.`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'count', value: row.n },
      requiredEvidence: [
        {
          tool: 'get_events',
          anyOf: ['analyze_alert_to_failure'],
          asset: asset.asset_id,
          window: evidenceWindow(w.d1, w.d2, now),
          description: `read the alerts of ${asset.name} in the window`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, start: day(w.d1), end: day(w.d2), group: 'ALERT' },
          description: `the alerts of ${asset.name} in the window; count the ${rule.rule_id} ones`,
        },
      ],
    };
  },
  answerFromPlan(results, scenario) {
    const events = stepData<EventsData>(results, 's1')?.events;
    // Alert events carry their rule id as event_type; the utterance names the rule.
    const rule = /\bRUL\w+/.exec(scenario.utterance)?.[0];
    return events && rule ? events.filter((e) => e.event_type === rule).length : undefined;
  },
};

// ---- which of two signals moved first after a fault began ----------------------------------

interface Signal {
  /** What the event log calls it: the KPI name, or the alert rule's name. */
  name: string;
  kind: 'anomaly' | 'alert';
  first: number;
  sensors: string[];
  aliases: string[];
  /** How the utterance refers to it. */
  phrase: string;
}

export const firstMover: ScenarioTemplate = {
  id: 'anomaly-first-mover',
  family: 'anomaly',
  tracks: ['execution', 'planning'],
  difficulty: 'hard',
  description:
    'After a fault began on an asset, which of two signals (a KPI anomaly or a rule alert) showed up first in the event log.',
  async instantiate(ctx) {
    const episodes = await ctx.sql<{ asset_id: string; onset: number; repair: number | null }>(
      `select asset_id, epoch(onset)::BIGINT onset, epoch(repair)::BIGINT repair from episodes
       where has_telemetry and onset >= $start::TIMESTAMP and onset < $until::TIMESTAMP order by episode_id`,
      { start: sqlTs(ctx.facts.start), until: sqlTs(ctx.facts.exposedUntil) },
    );
    if (episodes.length === 0) return null;
    // Ground truth only picks the asset and the day the trouble began; the answer is the event log's.
    const ep = ctx.rng.pick(episodes);
    const asset = assetById(ctx, ep.asset_id);
    if (!asset) return null;
    const d1 = dayStart(Number(ep.onset));
    // Signals that showed up while the fault was there (until the repair, if one came before now).
    const until = Math.min(
      ctx.facts.exposedUntil,
      ep.repair === null ? Number.POSITIVE_INFINITY : Number(ep.repair),
    );
    const params = { a: asset.asset_id, d1: sqlTs(d1), until: sqlTs(until) };
    const kpis = await ctx.sql<{ kpi: string; t0: number }>(
      `select kpi, epoch(min(ts))::BIGINT t0 from anomalies
       where asset_id = $a and ts >= $d1::TIMESTAMP and ts <= $until::TIMESTAMP group by kpi order by kpi`,
      params,
    );
    const rules = await ctx.sql<{ rule_id: string; name: string; sensor_key: string; t0: number }>(
      `select r.rule_id, r.name, r.sensor_key, epoch(min(a.start_time))::BIGINT t0
       from alerts a join alert_rules r using (rule_id)
       where a.asset_id = $a and a.start_time >= $d1::TIMESTAMP and a.start_time <= $until::TIMESTAMP
       group by all order by r.rule_id`,
      params,
    );
    const signals: Signal[] = [
      ...kpis.map((k) => ({
        name: k.kpi,
        kind: 'anomaly' as const,
        first: Number(k.t0),
        sensors: kpiSensors(asset, k.kpi),
        aliases: kpiAliases(ctx, asset, k.kpi),
        phrase: ctx.rng.pick([`the ${k.kpi} anomaly`, `the ${k.kpi} KPI`]),
      })),
      ...rules.map((r) => {
        const s = sensorOf(ctx.facts, asset, r.sensor_key);
        return {
          name: r.name,
          kind: 'alert' as const,
          first: Number(r.t0),
          sensors: [r.sensor_key],
          aliases: [r.rule_id, ...(s ? [s.label, s.sensor_id, `${s.label} alert`] : [])],
          phrase: ctx.rng.pick([`the "${r.name}" alert`, `the ${r.rule_id} alert (${r.name})`]),
        };
      }),
    ];
    // Pairs on different sensors (their spellings must not overlap) that did not show up together.
    const pairs: Array<[Signal, Signal]> = [];
    for (let i = 0; i < signals.length; i++) {
      for (let j = i + 1; j < signals.length; j++) {
        const [a, b] = [signals[i], signals[j]];
        const shared = a.sensors.some((s) => b.sensors.includes(s));
        const spelled = [a.name, ...a.aliases].map(normName);
        const clash = [b.name, ...b.aliases].some((x) => spelled.includes(normName(x)));
        if (!shared && !clash && a.first !== b.first) pairs.push([a, b]);
      }
    }
    if (pairs.length === 0) return null;
    const [a, b] = ctx.rng.shuffle([...ctx.rng.pick(pairs)]);
    const winner = a.first < b.first ? a : b;
    const latest = Math.max(a.first, b.first);
    // "Now" is after both showed up (so both are in the log), within a few days of the later one.
    const lo = Math.min(ctx.facts.exposedUntil, Math.ceil(latest / 3600) * 3600);
    const hi = Math.min(ctx.facts.exposedUntil, lo + 3 * 86400);
    const now = Math.max(lo, Math.min(hi, Math.floor(ctx.rng.uniform(lo, hi + 1) / 3600) * 3600));
    if (now < latest) return null;
    // Both lists must fit get_events' inline page.
    const [sizes] = await ctx.sql<{ an: number; al: number }>(
      `select (select count(*) from anomalies where asset_id = $a and ts >= $d1::TIMESTAMP and ts <= $now::TIMESTAMP)::INT an,
              (select count(*) from alerts where asset_id = $a and start_time >= $d1::TIMESTAMP
                 and start_time <= $now::TIMESTAMP)::INT al`,
      { a: asset.asset_id, d1: sqlTs(d1), now: sqlTs(now) },
    );
    if (sizes.an > INLINE_EVENTS || sizes.al > INLINE_EVENTS) return null;
    const since = spokenDay(dayStyle(ctx), d1);
    return {
      key: `${asset.asset_id}:${day(d1)}:${[a.name, b.name].sort().join('|')}`,
      utterance: ctx.rng.pick([
        `${asset.name} started acting up around ${since}. Since then, which showed up first: ${a.phrase} or ${b.phrase}?`,
        `Looking at ${asset.name} since ${since}, which moved away from normal first, ${a.phrase} or ${b.phrase}?`,
        `On ${asset.name}, counting from ${since}: did ${a.phrase} or ${b.phrase} come first?`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'entity', value: winner.name, aliases: winner.aliases },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          window: { start: iso(d1), end: iso(Math.max(a.first, b.first)) },
          description: `read the anomaly and alert events of ${asset.name} since ${day(d1)}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, start: day(d1), group: 'ANOMALY' },
          description: `KPI anomaly events since ${day(d1)}`,
        },
        {
          id: 's2',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, start: day(d1), group: 'ALERT' },
          description: `alerts since ${day(d1)}`,
        },
      ],
    };
  },
  answerFromPlan(results, scenario: Scenario) {
    const events = [
      ...(stepData<EventsData>(results, 's1')?.events ?? []),
      ...(stepData<EventsData>(results, 's2')?.events ?? []),
    ];
    // Anomaly events are typed by KPI name, alert events described by their rule's name.
    const nameOf = (e: EventsData['events'][number]) =>
      e.event_group === 'ANOMALY' ? e.event_type : e.description;
    // The two signals are the ones the question names (the longest names first, so that a
    // name inside another does not count twice).
    const all = [...new Set(events.map(nameOf).filter((n): n is string => !!n))].sort(
      (x, y) => y.length - x.length,
    );
    let rest = scenario.utterance;
    const names: string[] = [];
    for (const n of all) {
      if (!rest.includes(n)) continue;
      names.push(n);
      rest = rest.split(n).join(' ');
    }
    const firstOf = (name: string) =>
      events
        .filter((e) => nameOf(e) === name)
        .map((e) => Date.parse(e.event_time))
        .reduce((m, t) => Math.min(m, t), Number.POSITIVE_INFINITY);
    const ranked = names.map((n) => ({ n, t: firstOf(n) })).sort((x, y) => x.t - y.t);
    return ranked.length === 2 && Number.isFinite(ranked[0].t) && ranked[0].t !== ranked[1].t
      ? ranked[0].n
      : undefined;
  },
};

// ---- which KPIs were flagged on one day --------------------------------------------------------

export const sameDayKpis: ScenarioTemplate = {
  id: 'anomaly-same-day-kpis',
  family: 'anomaly',
  tracks: ['execution'],
  difficulty: 'medium',
  description: 'Which KPIs of an asset had anomaly events on one day (correlated excursions).',
  async instantiate(ctx) {
    const days = await ctx.sql<{ asset_id: string; d: number; k: number }>(
      `select asset_id, epoch(date_trunc('day', ts))::BIGINT d, count(distinct kpi)::INT k from anomalies
       where ts <= $until::TIMESTAMP group by all order by all`,
      { until: sqlTs(ctx.facts.exposedUntil) },
    );
    if (days.length === 0) return null;
    // Days when several KPIs went off together are the interesting ones.
    const pick = ctx.rng.weighted(days, (r) => r.k * r.k);
    const asset = assetById(ctx, pick.asset_id);
    if (!asset) return null;
    const d = Number(pick.d);
    const now = Math.min(ctx.facts.exposedUntil, Math.max(d + 86400, pickNow(ctx, 2)));
    const kpis = await ctx.sql<{ kpi: string }>(
      `select distinct kpi from anomalies where asset_id = $a and ts >= $d::TIMESTAMP and ts < $e::TIMESTAMP
         and ts <= $now::TIMESTAMP order by kpi`,
      { a: asset.asset_id, d: sqlTs(d), e: sqlTs(d + 86400), now: sqlTs(now) },
    );
    if (kpis.length === 0) return null;
    if ((await anomalyCount(ctx, asset.asset_id, d, d + 86400, now)) > INLINE_EVENTS) return null;
    const on = spokenDay(dayStyle(ctx), d);
    const values = kpis.map((r) => r.kpi);
    return {
      key: `${asset.asset_id}:${day(d)}:${Math.min(now, d + 86400)}`,
      utterance: ctx.rng.pick([
        `Which KPIs of ${asset.name} were flagged as anomalous on ${on}?`,
        `On ${on}, which of ${asset.name}'s KPIs had anomaly events?`,
        `List the KPIs that left their band on ${asset.name} on ${on}.`,
      ]),
      now,
      site: asset.site_id,
      expected: {
        type: 'set',
        values,
        aliases: Object.fromEntries(values.map((k) => [k, kpiAliases(ctx, asset, k)])),
      },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          window: evidenceWindow(d, d, now),
          description: `read the anomaly events of ${asset.name} on ${day(d)}`,
        },
      ],
      referencePlan: [anomalyEventsStep(asset, d, d)],
    };
  },
  answerFromPlan(results) {
    const events = stepData<EventsData>(results, 's1')?.events;
    return events ? [...new Set(events.map((e) => e.event_type).filter((t) => t !== null))] : undefined;
  },
};

// ---- trap: a question wrapped in distracting details --------------------------------------------

const WEATHER = [
  'the cold snap this week',
  'this heat wave',
  'all the rain we had',
  'the humidity lately',
  'the storm earlier this week',
];

export const distractor: ScenarioTemplate = {
  id: 'anomaly-distractor',
  family: 'anomaly',
  tracks: ['execution'],
  difficulty: 'medium',
  trap: 'distractor',
  description:
    "Counts one asset's KPI anomaly events on a day; the utterance also mentions another asset and the weather, which do not matter.",
  async instantiate(ctx) {
    const days = await ctx.sql<{ asset_id: string; d: number }>(
      `select distinct asset_id, epoch(date_trunc('day', ts))::BIGINT d from anomalies
       where ts <= $until::TIMESTAMP order by all`,
      { until: sqlTs(ctx.facts.exposedUntil) },
    );
    if (days.length === 0) return null;
    const pick = ctx.rng.pick(days);
    const asset = assetById(ctx, pick.asset_id);
    if (!asset) return null;
    const d = Number(pick.d);
    const now = Math.min(ctx.facts.exposedUntil, Math.max(d + 86400, pickNow(ctx, 2)));
    const n = await anomalyCount(ctx, asset.asset_id, d, d + 86400, now);
    if (n === 0 || n > INLINE_EVENTS) return null;
    // The distracting asset: one whose count that day differs, so confusing them shows.
    const counts = await ctx.sql<{ asset_id: string; m: number }>(
      `select asset_id, count(*)::INT m from anomalies where ts >= $d::TIMESTAMP and ts < $e::TIMESTAMP
         and ts <= $now::TIMESTAMP group by asset_id`,
      { d: sqlTs(d), e: sqlTs(d + 86400), now: sqlTs(now) },
    );
    const countOf = new Map(counts.map((r) => [r.asset_id, r.m]));
    const others = ctx.facts.assets
      .filter((o) => o.asset_id !== asset.asset_id)
      .map((o) => ({ o, m: countOf.get(o.asset_id) ?? 0 }))
      .filter((x) => x.m !== n);
    if (others.length === 0) return null;
    // Best of all one that also had anomalies that day, then one at the same site.
    const busy = others.filter((x) => x.m > 0);
    const sameSite = others.filter((x) => x.o.site_id === asset.site_id);
    const pool = busy.length > 0 && ctx.rng.chance(0.7) ? busy : sameSite.length > 0 ? sameSite : others;
    const { o: other, m } = ctx.rng.pick(pool);
    const weather = ctx.rng.pick(WEATHER);
    const on = spokenDay(dayStyle(ctx), d);
    return {
      key: `${asset.asset_id}:${day(d)}:${Math.min(now, d + 86400)}`,
      utterance: ctx.rng.pick([
        `${other.name} kept the night shift busy again, and ${weather} isn't helping. Anyway: how many KPI anomaly events did ${asset.name} log on ${on}?`,
        `Quick one before the ${other.name} review meeting. With ${weather} everything has been running hard, so I want to know how many KPI anomalies were recorded for ${asset.name} on ${on}.`,
        `The contractor is coming for ${other.name} next week and ${weather} has the plant stretched. For ${asset.name}, how many anomaly events are in the log for ${on}?`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'count', value: n },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          window: evidenceWindow(d, d, now),
          description: `read the anomaly events of ${asset.name} on ${day(d)}`,
        },
      ],
      referencePlan: [anomalyEventsStep(asset, d, d)],
      traps: [
        {
          kind: 'distractor',
          description: `mentions ${other.name} (${m} anomaly event${m === 1 ? '' : 's'} that day) and the weather; only ${asset.name} (${assetAliases(asset).join(', ')}) is asked about`,
        },
      ],
    };
  },
  answerFromPlan: (results) => stepData<EventsData>(results, 's1')?.counts.ANOMALY,
};

export const ANOMALY_TEMPLATES: ScenarioTemplate[] = [
  anomalyEventCount,
  firstExcursion,
  alertCount,
  firstMover,
  sameDayKpis,
  distractor,
];
