// Event recipes: groups, daily counts, alerts per rule and anomalies per KPI.
import {
  countsBefore,
  describe,
  intShape,
  openCountsShape,
  type Recipe,
  recordShape,
  type StepIn,
  ts,
  typed,
  unreachable,
  windowOf,
} from './recipe.ts';
import {
  endExclusive,
  escapeRe,
  eventGroupsIn,
  GROUP_FIELDS,
  GROUP_WORDS,
  type Group,
  oneAsset,
  periodIn,
} from './text.ts';
import { sql } from './world.ts';

/** Inline rows of get_events; longer results are paged through json_reader. */
const EVENTS_INLINE = 50;
const PAGE = 1000;

/** A get_events step plus the json_reader pages its rows need. */
function eventSteps(id: string, args: Record<string, unknown>, total: number, description: string): StepIn[] {
  const steps: StepIn[] = [{ id, agent: 'wo', tool: 'get_events', args, description }];
  if (total > EVENTS_INLINE) {
    for (let page = 0; page * PAGE < total; page++) {
      steps.push({
        id: `${id}-p${page + 1}`,
        agent: 'util',
        tool: 'json_reader',
        args: { handle: `$${id}.handle`, offset: page * PAGE, limit: PAGE },
        dependsOn: [id],
        description: `read all the events (page ${page + 1})`,
      });
    }
  }
  return steps;
}

export const eventGroupsRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/\bevents?\b/i.test(it.text) || !/\b(summary|group)/i.test(it.text)) return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  if (!a || !p) return null;
  const why = await unreachable(ctx, p, 'events', 'event_time', a.asset_id);
  if (why) return { kind: 'unreachable', reason: why };
  const rows = await sql<{ g: string; n: number }>(
    world.ds,
    `select event_group g, count(*)::INT n from events where asset_id = $a
       and event_time >= $s::TIMESTAMP and event_time < $e::TIMESTAMP group by 1`,
    { a: a.asset_id, s: ts(p.start), e: ts(endExclusive(p)) },
  );
  const counts = Object.fromEntries(
    (Object.keys(GROUP_FIELDS) as Group[]).map((g) => [GROUP_FIELDS[g], rows.find((r) => r.g === g)?.n ?? 0]),
  );
  const defects: string[] = [];
  for (const g of Object.keys(GROUP_FIELDS) as Group[]) {
    const said = countsBefore(it.form, GROUP_WORDS[g]);
    const n = counts[GROUP_FIELDS[g]];
    if (said.length && !said.includes(n))
      defects.push(`the characteristic form says ${said.join(', ')} ${GROUP_FIELDS[g]}; computed ${n}`);
  }
  const eq = a.equipment_id ?? a.asset_id;
  return typed({
    template: 'aob-event-groups',
    expected: {
      type: 'record',
      fields: Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { type: 'count', value: n }])),
    },
    answerFormat: {
      description: `How many of ${eq}'s events in the period the question names are work orders, alerts and anomalies.`,
      jsonShape: recordShape({ work_orders: intShape, alerts: intShape, anomalies: intShape }),
    },
    requiredEvidence: [
      {
        tool: 'get_events',
        asset: a.asset_id,
        window: windowOf(p),
        description: `read ${eq}'s events for ${describe(p)}`,
      },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'wo',
        tool: 'get_events',
        args: { asset: eq, start: p.start, end: p.end },
        description: 'events by group',
      },
    ],
    defects,
  });
};

export const dailyEventsRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/\bdaily count\b/i.test(it.text)) return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  const groups = eventGroupsIn(it.text);
  if (!a || !p || groups.length === 0) return null;
  const why = await unreachable(ctx, p, 'events', 'event_time', a.asset_id);
  if (why) return { kind: 'unreachable', reason: why };
  const params = { a: a.asset_id, s: ts(p.start), e: ts(endExclusive(p)) };
  // Group names are the suite's constants (text.ts), safe to inline.
  const [row] = await sql<{ ndays: number; n: number }>(
    world.ds,
    `select count(distinct event_time::DATE)::INT ndays, count(*)::INT n from events where asset_id = $a
       and event_group in (${groups.map((g) => `'${g}'`).join(', ')}) and event_time >= $s::TIMESTAMP
       and event_time < $e::TIMESTAMP`,
    params,
  );
  // The plan reads every event of the period (all groups: one call), so its paging follows that total.
  const [all] = await sql<{ n: number }>(
    world.ds,
    'select count(*)::INT n from events where asset_id = $a and event_time >= $s::TIMESTAMP and event_time < $e::TIMESTAMP',
    params,
  );
  const said = [...(it.form ?? '').matchAll(/\b(\d+)\s+days\b/gi)].map((m) => Number(m[1]));
  const defects =
    said.length && !said.includes(row.ndays)
      ? [`the characteristic form says ${said.join(', ')} days; computed ${row.ndays}`]
      : [];
  const eq = a.equipment_id ?? a.asset_id;
  const what = groups.map((g) => GROUP_FIELDS[g].replace('_', ' ')).join(', ');
  return typed({
    template: 'aob-daily-events',
    expected: {
      type: 'record',
      fields: {
        days_with_events: { type: 'count', value: row.ndays },
        events: { type: 'count', value: row.n },
      },
    },
    answerFormat: {
      description:
        `The daily counts of ${eq}'s ${what} events in the period the question names: report how many days had at least one, ` +
        'and how many events there were in all (give the per-day table in your explanation).',
      jsonShape: recordShape({ days_with_events: intShape, events: intShape }),
    },
    requiredEvidence: [
      {
        tool: 'get_events',
        asset: a.asset_id,
        window: windowOf(p),
        description: `read ${eq}'s events for ${describe(p)}`,
      },
    ],
    referencePlan: eventSteps('s1', { asset: eq, start: p.start, end: p.end }, all.n, `${eq}'s events`),
    defects,
  });
};

export const alertsAnomaliesRecipe: Recipe = async (ctx) => {
  const { world, it } = ctx;
  if (!/\breview\b/i.test(it.text) || !/\banomal/i.test(it.text) || !/\balert/i.test(it.text)) return null;
  // Reviews that end in a recommendation or a decision are judged, not counted.
  if (/recommend|suggest|should|guideline|work orders? (?:have been|has been)|scheduled/i.test(it.text))
    return null;
  const a = oneAsset(world, it.text);
  const p = periodIn(it.text);
  if (!a || !p) return null;
  const why =
    (await unreachable(ctx, p, 'alerts', 'start_time', a.asset_id)) ??
    (await unreachable(ctx, p, 'anomalies', 'ts', a.asset_id));
  if (why) return { kind: 'unreachable', reason: why };
  const params = { a: a.asset_id, s: ts(p.start), e: ts(endExclusive(p)) };
  // The alert and anomaly tables themselves (the tools read the event log: a second source).
  const rules = await sql<{ k: string; name: string | null; n: number }>(
    world.ds,
    `select a.rule_id k, r.name, count(*)::INT n from alerts a left join alert_rules r using (rule_id)
       where a.asset_id = $a and a.start_time >= $s::TIMESTAMP and a.start_time < $e::TIMESTAMP group by all order by 1`,
    params,
  );
  const kpis = await sql<{ k: string; n: number }>(
    world.ds,
    `select kpi k, count(*)::INT n from anomalies where asset_id = $a and ts >= $s::TIMESTAMP and ts < $e::TIMESTAMP
       group by 1 order by 1`,
    params,
  );
  const groupTotals = await sql<{ g: string; n: number }>(
    world.ds,
    `select event_group g, count(*)::INT n from events where asset_id = $a and event_time >= $s::TIMESTAMP
       and event_time < $e::TIMESTAMP group by 1`,
    params,
  );
  const fields: Record<string, { type: 'count'; value: number }> = {
    alerts: { type: 'count', value: rules.reduce((s, r) => s + r.n, 0) },
    anomalies: { type: 'count', value: kpis.reduce((s, r) => s + r.n, 0) },
  };
  for (const r of rules) fields[`${r.k} alerts`] = { type: 'count', value: r.n };
  for (const k of kpis) fields[`${k.k} anomalies`] = { type: 'count', value: k.n };
  const defects: string[] = [];
  const form = it.form ?? '';
  for (const m of form.matchAll(/\b(\d+)\s+alerts?\s+for\s+'([^']+)'/gi)) {
    const r = rules.find(
      (x) => (x.name ?? '').toLowerCase().replace(/\s+/g, ' ') === m[2].toLowerCase().replace(/\s+/g, ' '),
    );
    if (!r || r.n !== Number(m[1]))
      defects.push(`the characteristic form says ${m[1]} alerts for '${m[2]}'; computed ${r?.n ?? 0}`);
  }
  for (const k of kpis) {
    const m = new RegExp(`${escapeRe(k.k)}\\s*\\((\\d+)`, 'i').exec(form);
    if (m && Number(m[1]) !== k.n)
      defects.push(`the characteristic form says ${m[1]} ${k.k} anomalies; computed ${k.n}`);
  }
  const eq = a.equipment_id ?? a.asset_id;
  const n = (g: string) => groupTotals.find((x) => x.g === g)?.n ?? 0;
  return typed({
    template: 'aob-alerts-anomalies',
    expected: { type: 'record', fields },
    answerFormat: {
      description:
        `${eq}'s alerts and anomalies in the period the question names: the totals (alerts, anomalies), the alerts per rule as ` +
        '"<rule id> alerts" (e.g. "RUL0012 alerts") and the anomalies per KPI as "<KPI> anomalies" (e.g. "Cooling Load anomalies").',
      jsonShape: {
        ...openCountsShape('alerts, anomalies, "<rule id> alerts" and "<KPI> anomalies" counts'),
        required: ['alerts', 'anomalies'],
      },
    },
    requiredEvidence: [
      {
        tool: 'get_events',
        asset: a.asset_id,
        window: windowOf(p),
        description: `read ${eq}'s alerts and anomalies for ${describe(p)}`,
      },
    ],
    referencePlan: [
      ...eventSteps(
        'alerts',
        { asset: eq, start: p.start, end: p.end, group: 'ALERT' },
        n('ALERT'),
        `${eq}'s alerts`,
      ),
      ...eventSteps(
        'anomalies',
        { asset: eq, start: p.start, end: p.end, group: 'ANOMALY' },
        n('ANOMALY'),
        `${eq}'s anomalies`,
      ),
    ],
    defects,
  });
};
