// Requests that cross domains: a signal -> its failure mode -> a drafted work order; whether
// corrective work followed the first signal; whether a closed order's problem is gone; an
// asset that may not exist at the site; a period's events; readings before and after a repair.
import { dayMentions, dayOf, epochOf, hasKeys, isoOf, norm, ruleIds, words, workOrderIds } from '../parse.ts';
import { type Run, type SensorInfo, Unable } from '../run.ts';
import { type Answer, has, type Intent, mean, periodOf, tidy } from './common.ts';
import { events } from './events.ts';
import { failureModes, modeNamed, sensorMap, type WorkOrder } from './fmsr.ts';

const DAY = 86400;

/** Words that name the same thing in KPI names, rule names and sensor labels. */
const SYNONYMS: Record<string, string> = { load: 'tonnage', oxygen: 'o2', loading: 'filter' };

function signalWords(text: string): Set<string> {
  return new Set(words(text).map((w) => SYNONYMS[w] ?? w));
}

/** The sensor whose label shares the most words with a KPI or rule name; null on a tie or none. */
export function sensorForSignal(name: string, sensors: SensorInfo[]): SensorInfo | null {
  const want = signalWords(name);
  const scored = sensors
    .map((s) => {
      const label = signalWords(s.label);
      const shared = [...want].filter((w) => label.has(w)).length;
      // Fewer unshared words breaks ties: "Condenser Approach" is "Condenser Approach Temperature".
      return { s, shared, extra: label.size - shared };
    })
    .filter((x) => x.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.extra - b.extra);
  if (scored.length === 0) return null;
  if (scored[1] && scored[1].shared === scored[0].shared && scored[1].extra === scored[0].extra) return null;
  return scored[0].s;
}

/** The whole corrective history of an asset (or since a day). */
async function correctiveOrders(r: Run, asset: string, start?: string): Promise<WorkOrder[]> {
  const d = await r.call('get_corrective_work_orders', start ? { asset, start } : { asset });
  return r.allRows<WorkOrder>(d, 'work_orders');
}

/** "site practice is 2 for a rule-engine alert and 3 for a KPI anomaly", read from the answer format. */
function practicePriority(r: Run, alert: boolean): number {
  const desc = r.task.answerFormat.description;
  const m = alert
    ? /(\d)\s+for\s+a\s+rule-engine alert/i.exec(desc)
    : /(\d)\s+for\s+a\s+KPI anomaly/i.exec(desc);
  return m ? Number(m[1]) : alert ? 2 : 3;
}

export const detectDiagnoseAct: Intent = {
  id: 'diagnose-and-draft-work-order',
  plan: 'confirm the signal in the event log, find the failure modes behind it, draft a work order',
  matches: (r) => hasKeys(r.shape, 'failure_mode', 'priority'),
  async run(r): Promise<Answer> {
    const asset = r.asset();
    const rule = ruleIds(r.text)[0] ?? null;
    const when = dayMentions(r.text)[0];
    if (!when) throw new Unable('the request does not say when the signal came');
    await events(r, asset, { from: when.day, to: null }, rule ? 'ALERT' : 'ANOMALY');
    const modes = await failureModes(r, asset);
    let name: string | undefined;
    let signal: string;
    if (rule) {
      // The catalog lists the rules that typically catch each mode.
      name = modes.find((m) => m.alert_rules.includes(rule))?.name;
      signal = `alert ${rule}`;
    } else {
      const kpi = /\b(?:a|an)\s+(.+?)\s+KPI anomaly/i.exec(r.text)?.[1] ?? '';
      const sensor = sensorForSignal(kpi, await r.sensorsOf(asset));
      if (!sensor) throw new Unable(`no sensor of ${asset} matches the KPI "${kpi}"`);
      const map = await sensorMap(r, { asset, sensors: [sensor.label] });
      name = (map.sensor2fm[sensor.label] ?? [])[0];
      signal = `${kpi} KPI anomaly`;
    }
    if (!name) throw new Unable(`no failure mode of ${asset}'s catalog explains the ${signal}`);
    const mode = modes.find((m) => m.name === name);
    const priority = practicePriority(r, rule !== null);
    const at = when.time ? `${when.day} ${when.time} UTC` : when.day;
    const args: Record<string, unknown> = {
      asset,
      description:
        `${signal} at ${at}; suspected ${name.toLowerCase()}. Inspect the ${mode?.component ?? 'equipment'}.`.slice(
          0,
          200,
        ),
      priority,
      ...(mode?.component ? { component: mode.component } : {}),
    };
    let created = await r.tryCall('create_work_order', {
      ...args,
      ...(mode?.failure_code ? { failure_code: mode.failure_code } : {}),
    });
    // A catalog code the work-order system does not know: draft the order without it.
    if (!created.ok && mode?.failure_code) created = await r.tryCall('create_work_order', args);
    const wo = created.ok ? (created.data.work_order as { wo_id?: string } | undefined)?.wo_id : undefined;
    return { failure_mode: name, priority, ...(wo ? { wo_id: wo } : {}) };
  },
};

export const signalFollowup: Intent = {
  id: 'first-signal-followed',
  plan: 'find the first alert or KPI anomaly on record, then corrective orders reported within N days after it',
  matches: (r) => r.shape.keys.includes('first_signal_time'),
  async run(r): Promise<Answer> {
    const asset = r.asset();
    const group = has(r.text, /anomal/i) ? 'ANOMALY' : 'ALERT';
    const first = (await events(r, asset, null, group)).events[0];
    if (!first) throw new Unable(`${asset} has no ${group.toLowerCase()} on record`);
    const t = epochOf(first.event_time);
    const n = Number(/\bwithin\s+(\d+)\s+days?/i.exec(r.text)?.[1] ?? 1);
    const orders = await correctiveOrders(r, asset, dayOf(t));
    const hit = orders.find((w) => {
      const rep = w.reported_time ? epochOf(w.reported_time) : Number.NaN;
      return rep > t && rep <= t + n * DAY;
    });
    return { answer: hit !== undefined, first_signal_time: first.event_time, work_order: hit?.wo_id ?? null };
  },
};

export const closedButPersisting: Intent = {
  id: 'closed-order-resolved',
  plan: "find the order's finish, then alerts or KPI anomalies after it on sensors that reveal its failure mode",
  matches: (r) =>
    has(r.text, /\bresolved\b/i) && workOrderIds(r.text).length > 0 && r.shape.keys.includes('answer'),
  async run(r): Promise<Answer> {
    const asset = r.asset();
    const id = workOrderIds(r.text)[0];
    const closed = dayMentions(r.text)[0]?.day;
    const orders = await correctiveOrders(r, asset, closed);
    const wo = orders.find((w) => w.wo_id === id);
    const finish = wo?.actual_finish
      ? epochOf(wo.actual_finish)
      : closed
        ? epochOf(`${closed}T00:00:00Z`)
        : null;
    if (finish === null) throw new Unable(`${id} is not among ${asset}'s corrective work orders`);
    const after = (await events(r, asset, { from: dayOf(finish), to: null })).events.filter(
      (e) => e.event_group !== 'WORK_ORDER' && epochOf(e.event_time) > finish,
    );
    // The failure mode in parentheses ("(condenser water-side fouling)"): the rules that catch it
    // and the sensors that reveal it decide which later signals are the same problem.
    const said = /\(([^)]+)\)/.exec(r.text)?.[1] ?? '';
    const mode = modeNamed(said, await failureModes(r, asset));
    const labels = mode
      ? (Object.values((await sensorMap(r, { asset, failure_modes: [mode.name] })).fm2sensor)[0] ?? [])
      : [];
    const sensors = await r.sensorsOf(asset);
    const related = after.filter((e) => {
      if (!mode) return true;
      if (e.event_group === 'ALERT' && e.event_type && mode.alert_rules.includes(e.event_type)) return true;
      const name = e.event_group === 'ANOMALY' ? (e.event_type ?? '') : (e.description ?? '');
      const s = sensorForSignal(name, sensors);
      return s !== null && labels.includes(s.label);
    });
    if (related.length > 0) {
      const e = related[0];
      return {
        answer: false,
        evidence: `${id} finished ${isoOf(finish)}, but ${asset} logged ${related.length} related signal(s) after it, first ${e.event_group} ${e.event_type ?? ''} at ${e.event_time}`,
      };
    }
    return {
      answer: true,
      evidence: `no related alert or KPI anomaly after ${id} finished (${isoOf(finish)})`,
    };
  },
};

export const assetAtSite: Intent = {
  id: 'asset-at-site',
  plan: "check the site's asset list for the asset; list its work orders only if it is there",
  matches: (r) => r.shape.keys.includes('exists'),
  async run(r): Promise<Answer> {
    const name = r.asset();
    const site = await r.siteInText();
    if (!site) throw new Unable('the request names no site I know');
    const here = (await r.assetsAt(site)).find(
      (a) => norm(a.name) === norm(name) || norm(a.asset_id) === norm(name),
    );
    if (!here) {
      const elsewhere = await r.tryCall('asset_details', { asset: name });
      const where = elsewhere.ok
        ? `; ${name} is at site ${elsewhere.data.site}`
        : `; no asset called ${name} exists`;
      return { exists: false, reason: `${site} has no asset ${name}${where}` };
    }
    const d = await r.call('get_work_orders', { asset: here.name });
    const orders = await r.allRows<WorkOrder>(d, 'work_orders');
    return { exists: true, work_orders: orders.map((w) => w.wo_id) };
  },
};

export const periodCounts: Intent = {
  id: 'event-counts-by-group',
  plan: "read the asset's event log for the period and count work orders, alerts and anomalies",
  matches: (r) => hasKeys(r.shape, 'work_orders', 'alerts', 'anomalies'),
  async run(r): Promise<Answer> {
    const p = periodOf(r);
    if (!p) throw new Unable('the request names no period (a month, a year or two dates)');
    const { data } = await events(r, r.asset(), p);
    const c = data.counts as Record<string, number>;
    return { work_orders: c.WORK_ORDER ?? 0, alerts: c.ALERT ?? 0, anomalies: c.ANOMALY ?? 0 };
  },
};

async function meanOf(
  r: Run,
  asset: string,
  sensor: SensorInfo,
  start: number,
  end: number,
): Promise<number> {
  const d = await r.call('history', {
    asset,
    sensors: [sensor.sensor],
    start: isoOf(start),
    end: isoOf(end),
  });
  const rows = await r.allRows<{ value: number }>(d, 'rows');
  const m = mean(rows.map((x) => x.value));
  if (m === null) throw new Unable(`${sensor.sensor} logged nothing from ${isoOf(start)} to ${isoOf(end)}`);
  return tidy(m);
}

export const repairEffect: Intent = {
  id: 'repair-effect',
  plan: "find the order's reported and finish times, then average the sensor over the day before and the day after",
  matches: (r) => hasKeys(r.shape, 'before', 'after', 'dropped'),
  async run(r): Promise<Answer> {
    const asset = r.asset();
    const id = workOrderIds(r.text)[0];
    if (!id) throw new Unable('the request names no work order');
    // The sensor is named in the question part ("Did its load drop"), not in the failure mode.
    const question = /\bdid its\b.*$/i.exec(r.text)?.[0] ?? r.text;
    const sensor = await r.sensorIn(asset, question);
    const wo = (await correctiveOrders(r, asset)).find((w) => w.wo_id === id);
    if (!wo?.reported_time || !wo.actual_finish)
      throw new Unable(`${id} has no reported and finish time on record`);
    const rep = epochOf(wo.reported_time);
    const fin = epochOf(wo.actual_finish);
    const before = await meanOf(r, asset, sensor, rep - DAY, rep);
    const after = await meanOf(r, asset, sensor, fin, fin + DAY);
    return { before, after, dropped: after < before };
  },
};

export const E2E_INTENTS: Intent[] = [
  detectDiagnoseAct,
  signalFollowup,
  closedButPersisting,
  assetAtSite,
  periodCounts,
  repairEffect,
];
