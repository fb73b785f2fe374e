// End-to-end templates: questions that cross the domain agents (IoT readings, failure-mode
// knowledge, the event log and the maintenance system) in one multi-step plan.
//
//  e2e-detect-diagnose-act    an alert or KPI anomaly -> its likely failure mode -> a work order
//  e2e-signal-followup        did corrective work follow the first alert / KPI anomaly in N days
//  e2e-closed-but-persisting  trap (conflicting_logs): an order was closed but the signals go on
//  e2e-unknown-asset          trap (unanswerable): work orders of an asset the site does not have
//  e2e-monthly-event-counts   work orders, alerts and anomalies of an asset in a month
//  e2e-repair-effect          did the failure mode's sensor drop after a corrective repair
import type { AssetRow, SensorRow } from '../../tools/lookup.ts';
import { parseJsonList } from '../../util/json.ts';
import { DAY, isoFromEpoch } from '../../util/time.ts';
import { KPIS } from '../../world/anomalies.ts';
import { CLASS_SPECS } from '../../world/classes/specs.ts';
import type { AssetClassId } from '../../world/types.ts';
import type { RecordContract } from '../contract.ts';
import type { ExpectedAnswerInput } from '../schema.ts';
import {
  assetAliases,
  day,
  MONTH_NAMES,
  pickNow,
  readable,
  type ScenarioTemplate,
  sqlTs,
  stepData,
  type TemplateContext,
} from '../template.ts';
import { dayWindow, eventsAt, inDates, ordersAt } from './workorder.ts';

const TRACKS: ScenarioTemplate['tracks'] = ['planning', 'execution'];
const QUARTER = 900;

const iso = (sec: number) => isoFromEpoch(sec);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.floor(Number(v)));

function assetById(ctx: TemplateContext, id: string): AssetRow | undefined {
  return ctx.facts.assets.find((a) => a.asset_id === id);
}

function sensorByKey(ctx: TemplateContext, assetId: string, key: string): SensorRow | undefined {
  return ctx.facts.sensorsByAsset.get(assetId)?.find((s) => s.sensor_key === key);
}

interface ModeRow {
  failure_mode_id: string;
  asset_class: string;
  name: string;
  component: string | null;
  sensors: string[];
  failure_code: string | null;
}

async function modes(ctx: TemplateContext): Promise<ModeRow[]> {
  const rows = await ctx.sql<Omit<ModeRow, 'sensors'> & { sensors: string | null }>(
    'select failure_mode_id, asset_class, name, component, sensors, failure_code from failure_modes order by failure_mode_id',
  );
  return rows.map((r) => ({ ...r, sensors: parseJsonList(r.sensors) }));
}

/** The sensor keys behind a signal: an alert rule's sensor, or the sensors a KPI is computed from. */
async function signalSensors(
  ctx: TemplateContext,
  group: 'ALERT' | 'ANOMALY',
  type: string,
  cls: string,
): Promise<string[]> {
  if (group === 'ALERT') {
    const [r] = await ctx.sql<{ sensor_key: string | null }>(
      'select sensor_key from alert_rules where rule_id = $r',
      { r: type },
    );
    return r?.sensor_key ? [r.sensor_key] : [];
  }
  return KPIS[cls as AssetClassId]?.find((k) => k.name === type)?.sensors ?? [];
}

/** Floors to a quarter hour, but never before `min`. */
function quarter(t: number, min: number): number {
  return Math.max(min, Math.floor(t / QUARTER) * QUARTER);
}

// ---- (a) detect -> diagnose -> act --------------------------------------------------------

/**
 * An episode detected by an alert or a single-sensor KPI anomaly, asked about after the
 * signal and before maintenance reacted. The expected failure mode is the planted one, but
 * one signal cannot tell apart the modes the catalog links to the same sensor (condenser
 * fouling, low condenser water flow and excessive purge all raise condenser approach), so
 * any of those candidate modes is accepted as an alias. The priority follows the site's
 * practice (the maintenance generator's): 2 for a rule-engine alert, 3 for a KPI anomaly,
 * within 1.
 */
export const detectDiagnoseAct: ScenarioTemplate = {
  id: 'e2e-detect-diagnose-act',
  family: 'e2e',
  tracks: TRACKS,
  difficulty: 'hard',
  description: 'An alert or KPI anomaly: find the failure mode that explains it and draft a work order.',
  async instantiate(ctx) {
    const eps = await ctx.sql<{
      episode_id: string;
      asset_id: string;
      failure_mode_id: string;
      det: number;
      rule_id: string | null;
      rule_name: string | null;
      kpi: string | null;
    }>(
      `select e.episode_id, e.asset_id, e.failure_mode_id, epoch(e.detection) det, a.rule_id, r.name rule_name, an.kpi
         from episodes e
         left join alerts a on a.alert_id = e.detected_by
         left join alert_rules r on r.rule_id = a.rule_id
         left join anomalies an on an.anomaly_id = e.detected_by
        where e.detection is not null and e.detection <= $exp::TIMESTAMP
          and (a.alert_id is not null or an.anomaly_id is not null)
        order by e.episode_id`,
      { exp: sqlTs(ctx.facts.exposedUntil) },
    );
    if (eps.length === 0) return null;
    const ep = ctx.rng.pick(eps);
    const asset = assetById(ctx, ep.asset_id);
    if (!asset) return null;
    const det = Number(ep.det);
    const group = ep.rule_id ? 'ALERT' : 'ANOMALY';
    const keys = await signalSensors(ctx, group, (ep.rule_id ?? ep.kpi) as string, asset.asset_class);
    // One sensor only: a KPI computed from several sensors does not name one to diagnose from.
    if (keys.length !== 1) return null;
    const sensor = sensorByKey(ctx, asset.asset_id, keys[0]);
    if (!sensor) return null;
    const all = (await modes(ctx)).filter((m) => m.asset_class === asset.asset_class);
    const candidates = all.filter((m) => m.sensors.includes(keys[0]));
    const truth = candidates.find((m) => m.failure_mode_id === ep.failure_mode_id);
    if (!truth) return null;
    // Before maintenance reacted: the next corrective order after the signal is not reported yet.
    const [next] = await ctx.sql<{ t: number | null }>(
      `select epoch(min(reported_time)) t from work_orders
        where asset_id = $a and not preventive and reported_time > $d::TIMESTAMP`,
      { a: asset.asset_id, d: sqlTs(det) },
    );
    const until = Math.min(
      ctx.facts.exposedUntil,
      num(next?.t) !== null ? (num(next?.t) as number) - 60 : det + 6 * 3600,
    );
    const slots = Math.floor((until - det) / QUARTER);
    if (slots < 1) return null;
    const now = det + QUARTER * ctx.rng.int(1, Math.min(slots, 8));
    const priority = group === 'ALERT' ? 2 : 3;
    const signal =
      group === 'ALERT'
        ? `raised alert ${ep.rule_id}${ep.rule_name ? ` (${ep.rule_name})` : ''}`
        : `had a ${ep.kpi} KPI anomaly (the KPI left its normal band)`;
    const [code] = await ctx.sql<{ n: number }>(
      'select count(*)::INT n from failure_codes where secondary_code = $c',
      { c: truth.failure_code ?? '' },
    );
    const component = truth.component ?? sensor.label.toLowerCase();
    const aliases = [
      truth.failure_mode_id,
      ...candidates.filter((m) => m !== truth).flatMap((m) => [m.failure_mode_id, m.name]),
    ];
    return {
      key: ep.episode_id,
      utterance: `${asset.name} ${signal} at ${readable(det)} UTC. Which failure mode most likely explains it? Draft a work order for it with a suitable priority.`,
      now,
      site: asset.site_id,
      expected: {
        type: 'record',
        fields: {
          answer: { type: 'entity', value: truth.name, aliases },
          priority: { type: 'number', value: priority, tolerance: { abs: 1 } },
        },
      },
      requiredEvidence: [
        {
          tool: 'get_events',
          anyOf: ['history', 'run_tsad', 'latest'],
          asset: asset.asset_id,
          description: `look at the ${group === 'ALERT' ? 'alert' : 'anomaly'} of ${asset.asset_id} or the readings behind it`,
        },
        {
          tool: 'get_failure_mode_sensor_mapping',
          anyOf: ['get_failure_modes'],
          asset: asset.asset_id,
          description: `the failure modes linked to ${sensor.label}`,
        },
        {
          tool: 'create_work_order',
          asset: asset.asset_id,
          description: `draft the corrective work order for ${asset.asset_id}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, start: day(det), group },
          description: 'confirm the signal in the event log',
        },
        {
          id: 's2',
          agent: 'iot',
          tool: 'history',
          args: {
            asset: asset.name,
            sensors: [sensor.sensor_id],
            start: iso(Math.max(ctx.facts.start, det - 2 * DAY)),
            resample: 'hourly',
            aggregate: 'mean',
          },
          description: `the ${sensor.label} trend up to now`,
        },
        {
          id: 's3',
          agent: 'fmsr',
          tool: 'get_failure_mode_sensor_mapping',
          args: { asset: asset.name, sensors: [sensor.label] },
          description: `failure modes revealed by ${sensor.label}`,
        },
        {
          id: 's4',
          agent: 'wo',
          tool: 'create_work_order',
          args: {
            asset: asset.name,
            description:
              `${sensor.label} abnormal since ${readable(det)} UTC; suspected ${truth.name.toLowerCase()}. Inspect the ${component.toLowerCase()}.`.slice(
                0,
                200,
              ),
            priority,
            ...(code?.n ? { failure_code: truth.failure_code } : {}),
            ...(truth.component ? { component: truth.component } : {}),
          },
          dependsOn: ['s1', 's2', 's3'],
          description: 'draft the corrective work order',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const map = stepData<{ sensor2fm: Record<string, string[]> }>(results, 's3');
    const wo = stepData<{ wo_id: string; priority: number | null }>(results, 's4');
    if (!map || !wo) return undefined;
    return { answer: Object.values(map.sensor2fm)[0]?.[0], priority: wo.priority };
  },
};

// ---- (b) did corrective work follow the first alert / KPI shift ---------------------------

/** The rule: a corrective work order reported within N days after the signal (after it, at most N days). */
export const signalFollowup: ScenarioTemplate = {
  id: 'e2e-signal-followup',
  family: 'e2e',
  tracks: TRACKS,
  difficulty: 'medium',
  description:
    "Whether a corrective work order followed an asset's first alert or KPI anomaly within N days.",
  async instantiate(ctx) {
    const group = ctx.rng.pick(['ALERT', 'ANOMALY'] as const);
    const firsts = await ctx.sql<{ asset_id: string; t: number }>(
      `select asset_id, epoch(min(event_time)) t from events where event_group = $g group by asset_id order by asset_id`,
      { g: group },
    );
    // Even instances look for a "yes", odd ones for a "no" (a short window makes one likelier).
    const wantYes = ctx.draw % 2 === 0;
    const n = wantYes ? ctx.rng.int(2, 3) : 1;
    const fits = firsts.filter((f) => Number(f.t) + n * DAY <= ctx.facts.exposedUntil);
    if (fits.length === 0) return null;
    const f = ctx.rng.pick(fits);
    const asset = assetById(ctx, f.asset_id);
    if (!asset) return null;
    const t = Number(f.t);
    const now = Math.min(
      ctx.facts.exposedUntil,
      Math.ceil(ctx.rng.uniform(t + n * DAY, ctx.facts.exposedUntil) / 3600) * 3600,
    );
    const followed = (await ordersAt(ctx, now, { asset: asset.asset_id })).some(
      (w) => !w.preventive && w.reported !== null && w.reported > t && w.reported <= t + n * DAY,
    );
    // So both answers come up; a world where one of them is rare still yields instances (most,
    // not all, mismatches are redrawn).
    if (followed !== wantYes && ctx.rng.chance(0.85)) return null;
    const days = `${n} day${n === 1 ? '' : 's'}`;
    const utterance =
      group === 'ALERT'
        ? `Look at the first alert on record for ${asset.name}: was a corrective work order raised within ${days} after it?`
        : `Think of the first KPI anomaly on record for ${asset.name}, when one of its KPIs first left its normal band. Was a corrective work order raised within ${days} after it?`;
    return {
      key: `${asset.asset_id}:${group}:${n}`,
      utterance,
      now,
      site: asset.site_id,
      expected: { type: 'boolean', value: followed },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          description: `find the first ${group.toLowerCase()} of ${asset.asset_id}`,
        },
        {
          tool: 'get_corrective_work_orders',
          anyOf: ['get_work_orders', 'get_events'],
          asset: asset.asset_id,
          window: dayWindow(day(t), day(t + n * DAY)),
          description: 'the corrective work orders after it',
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, group },
          description: `the ${group.toLowerCase()} events of the asset, oldest first`,
        },
        {
          id: 's2',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: { asset: asset.name, start: day(t) },
          description: 'corrective work orders since that day',
        },
      ],
    };
  },
  answerFromPlan: (results, scenario) => {
    const ev = stepData<{ events: Array<{ event_time: string }> }>(results, 's1');
    const wos = stepData<{ work_orders: Array<{ reported_time: string | null }> }>(results, 's2');
    const m = /within (\d+) days?/.exec(scenario.utterance);
    if (!ev || !wos || !m || ev.events.length === 0) return undefined;
    const t = Date.parse(ev.events[0].event_time) / 1000;
    const n = Number(m[1]);
    return wos.work_orders.some((w) => {
      const r = w.reported_time ? Date.parse(w.reported_time) / 1000 : Number.NaN;
      return r > t && r <= t + n * DAY;
    });
  },
};

// ---- (c) trap: closed, but the fault goes on ----------------------------------------------

/**
 * A corrective order that is closed (and is the asset's last corrective order at now), while
 * within 30 days after its finish the asset raised an alert or KPI anomaly on a sensor that reveals the
 * order's failure mode (the mode whose failure code the order carries). The work-order log
 * says done, the signals say otherwise: the expected answer is "not resolved".
 *
 * When the world has episodes noted 'closed_while_fault_persists' (the first order was closed
 * while the fault went on: ground truth agrees), only those are used. Otherwise (the tiny
 * world has none) the general case above: there the answer follows the documented rule, which
 * the planted ground truth need not share (the later signal may be a false alarm).
 */
/** Only signals this soon after the finish make an instance (the problem came back, not a new one). */
const COMEBACK_DAYS = 30;

export const closedButPersisting: ScenarioTemplate = {
  id: 'e2e-closed-but-persisting',
  family: 'e2e',
  tracks: TRACKS,
  difficulty: 'hard',
  trap: 'conflicting_logs',
  description:
    'A corrective work order was closed but the signals of its failure mode went on: not resolved.',
  async instantiate(ctx) {
    const exp = ctx.facts.exposedUntil;
    // Every corrective order reported by the end of the exposed window (open ones too).
    const orders = (
      await ctx.sql<{
        wo_id: string;
        asset_id: string;
        secondary_code: string | null;
        r: number;
        f: number | null;
      }>(
        `select wo_id, asset_id, secondary_code, epoch(reported_time) r, epoch(actual_finish) f from work_orders
          where not preventive and reported_time is not null and reported_time <= $exp::TIMESTAMP order by wo_id`,
        { exp: sqlTs(exp) },
      )
    ).map((o) => ({ ...o, r: Number(o.r), f: num(o.f) }));
    const early = new Set(
      (
        await ctx.sql<{ note: string }>(
          `select note from episodes where note like 'closed_while_fault_persists%' order by episode_id`,
        )
      )
        .map((e) => /closed_while_fault_persists:\s*(\S+)/.exec(e.note)?.[1])
        .filter((x): x is string => !!x),
    );
    const signals = (
      await ctx.sql<{ asset_id: string; grp: 'ALERT' | 'ANOMALY'; type: string; t: number }>(
        `select asset_id, 'ALERT' grp, rule_id "type", epoch(start_time) t from alerts where start_time <= $exp::TIMESTAMP
         union all
         select asset_id, 'ANOMALY' grp, kpi "type", epoch(ts) t from anomalies where ts <= $exp::TIMESTAMP
         order by t, asset_id, "type"`,
        { exp: sqlTs(exp) },
      )
    ).map((x) => ({ ...x, t: Number(x.t) }));
    const ruleSensor = new Map(
      (
        await ctx.sql<{ rule_id: string; sensor_key: string | null }>(
          'select rule_id, sensor_key from alert_rules',
        )
      ).map((x) => [x.rule_id, x.sensor_key]),
    );
    const sensorsOf = (grp: 'ALERT' | 'ANOMALY', type: string, cls: string): string[] => {
      if (grp === 'ALERT') {
        const k = ruleSensor.get(type);
        return k ? [k] : [];
      }
      return KPIS[cls as AssetClassId]?.find((k) => k.name === type)?.sensors ?? [];
    };
    const allModes = await modes(ctx);
    const found: Array<{
      wo: (typeof orders)[number] & { f: number };
      asset: AssetRow;
      mode: ModeRow;
      first: number;
      until: number;
      keys: string[];
    }> = [];
    for (const wo of orders) {
      if (wo.f === null || wo.f < wo.r || wo.f > exp) continue;
      const asset = assetById(ctx, wo.asset_id);
      const mode = allModes.find(
        (m) => m.asset_class === asset?.asset_class && m.failure_code === wo.secondary_code,
      );
      if (!asset || !mode) continue;
      // The next corrective order of the asset reported after this one ends the question.
      const next = Math.min(
        Number.POSITIVE_INFINITY,
        ...orders.filter((o) => o.asset_id === wo.asset_id && o.r > wo.r).map((o) => o.r),
      );
      const finish = wo.f;
      for (const sig of signals) {
        if (sig.asset_id !== wo.asset_id || sig.t <= finish) continue;
        if (sig.t >= next || sig.t > finish + COMEBACK_DAYS * DAY) break;
        const keys = sensorsOf(sig.grp, sig.type, asset.asset_class).filter((k) => mode.sensors.includes(k));
        if (keys.length === 0 || keys.some((k) => !sensorByKey(ctx, asset.asset_id, k))) continue;
        found.push({
          wo: { ...wo, f: finish },
          asset,
          mode,
          first: sig.t,
          until: Math.min(exp, next - 60),
          keys,
        });
        break;
      }
    }
    // Every other draw asks about an order that did fix the problem: closed, and no signal of its
    // failure mode since (up to now, within the comeback window and before the next corrective
    // order), so that the answer is "resolved" about as often as not.
    let c: { wo: { wo_id: string; f: number }; asset: AssetRow; mode: ModeRow };
    let now: number;
    let labels: string[];
    let persisting: boolean;
    if (ctx.draw % 2 === 1) {
      const fixed = orders.flatMap((wo) => {
        if (wo.f === null || wo.f < wo.r || wo.f > exp) return [];
        const asset = assetById(ctx, wo.asset_id);
        const mode = allModes.find(
          (m) => m.asset_class === asset?.asset_class && m.failure_code === wo.secondary_code,
        );
        if (!asset || !mode) return [];
        const next = Math.min(
          Number.POSITIVE_INFINITY,
          ...orders.filter((o) => o.asset_id === wo.asset_id && o.r > wo.r).map((o) => o.r),
        );
        const until = Math.min(exp, next - 60, wo.f + COMEBACK_DAYS * DAY);
        return until >= wo.f + DAY ? [{ wo: { ...wo, f: wo.f }, asset, mode, until }] : [];
      });
      if (fixed.length === 0) return null;
      const f = ctx.rng.pick(fixed);
      now = quarter(ctx.rng.uniform(f.wo.f + DAY, f.until), f.wo.f + DAY);
      const since = signals.filter((x) => x.asset_id === f.asset.asset_id && x.t > f.wo.f && x.t <= now);
      const keys = [...new Set(since.flatMap((x) => sensorsOf(x.grp, x.type, f.asset.asset_class)))];
      if (keys.some((k) => f.mode.sensors.includes(k) || !sensorByKey(ctx, f.asset.asset_id, k))) return null;
      // The sensors the plan checks against the mode: those of the later signals, or (none came)
      // the mode's own sensors.
      const checked =
        keys.length > 0 ? keys : f.mode.sensors.filter((k) => sensorByKey(ctx, f.asset.asset_id, k));
      if (checked.length === 0) return null;
      c = f;
      labels = checked.map((k) => sensorByKey(ctx, f.asset.asset_id, k)?.label as string);
      persisting = false;
    } else {
      if (found.length === 0) return null;
      const preferred = found.filter((x) => early.has(x.wo.wo_id));
      const p = ctx.rng.pick(preferred.length > 0 ? preferred : found);
      now = quarter(ctx.rng.uniform(p.first, p.until), p.first);
      labels = p.keys.map((k) => sensorByKey(ctx, p.asset.asset_id, k)?.label as string);
      c = p;
      persisting = true;
    }
    return {
      key: c.wo.wo_id,
      utterance: `Work order ${c.wo.wo_id} on ${c.asset.name} (${c.mode.name.toLowerCase()}) was closed on ${day(c.wo.f)}. Is that problem really resolved? I'd call it still there if the asset has flagged it again since the finish, with an alert or a KPI anomaly on a sensor that shows that kind of failure.`,
      now,
      site: c.asset.site_id,
      expected: { type: 'boolean', value: !persisting },
      requiredEvidence: [
        {
          tool: 'get_work_orders',
          anyOf: ['get_corrective_work_orders'],
          asset: c.asset.asset_id,
          description: `the work order ${c.wo.wo_id} and any corrective work after it`,
        },
        {
          tool: 'get_events',
          anyOf: ['history', 'run_tsad'],
          asset: c.asset.asset_id,
          description: `alerts and anomalies of ${c.asset.asset_id} after ${day(c.wo.f)}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: { asset: c.asset.name, start: day(c.wo.f) },
          description: 'the closed order and any corrective work after it',
        },
        {
          id: 's2',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: c.asset.name, start: day(c.wo.f), group: 'ALERT' },
          description: 'alerts since the order was closed',
        },
        {
          id: 's3',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: c.asset.name, start: day(c.wo.f), group: 'ANOMALY' },
          description: 'KPI anomalies since the order was closed',
        },
        {
          id: 's4',
          agent: 'fmsr',
          tool: 'get_failure_mode_sensor_mapping',
          args: { asset: c.asset.name, failure_modes: [c.mode.failure_mode_id], sensors: labels },
          description: 'whether the signalling sensor reveals the failure mode',
        },
      ],
      traps: [
        {
          kind: 'conflicting_logs',
          description: persisting
            ? `${c.wo.wo_id} is closed, but ${c.asset.asset_id} signalled ${c.mode.name} again on ${labels.join(', ')} after it`
            : `${c.wo.wo_id} is closed and nothing since signalled ${c.mode.name}: it did fix the problem`,
        },
      ],
    };
  },
  answerFromPlan: (results, scenario) => {
    const id = /\bwork order (\S+) on/i.exec(scenario.utterance)?.[1];
    const wos = stepData<{ work_orders: Array<{ wo_id: string; actual_finish: string | null }> }>(
      results,
      's1',
    );
    const alerts = stepData<{ events: Array<{ event_time: string }> }>(results, 's2');
    const anomalies = stepData<{ events: Array<{ event_time: string }> }>(results, 's3');
    const map = stepData<{ relevancy: Array<{ relevant: boolean }> }>(results, 's4');
    const wo = wos?.work_orders.find((w) => w.wo_id === id);
    if (!wo?.actual_finish || !alerts || !anomalies || !map) return undefined;
    const finish = Date.parse(wo.actual_finish);
    const after = [...alerts.events, ...anomalies.events].some((e) => Date.parse(e.event_time) > finish);
    return !(after && map.relevancy.some((r) => r.relevant));
  },
};

// ---- (d) trap: an asset the site does not have ---------------------------------------------

function norm(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** A request about a named asset: whether the site has it, and the count asked for when it does. */
const LOOKUP_CONTRACT: RecordContract = {
  available: { schema: { type: 'boolean' } },
  answer: { schema: { type: 'integer' }, nullable: true },
};

/** Names of an asset other than its display name (its id, its site-qualified tag). */
function otherNames(a: AssetRow): string[] {
  return assetAliases(a).filter((n) => norm(n) !== norm(a.name));
}

/**
 * "How many work orders did <name> at <site> have in <year>?" where <name> is, about half the
 * time, a real asset of that site under another of its names (its id or its tag), and
 * otherwise an asset of another site or one the plant does not have. The question reads the
 * same either way: only the asset directory tells.
 */
export const unknownAsset: ScenarioTemplate = {
  id: 'e2e-unknown-asset',
  family: 'e2e',
  tracks: TRACKS,
  difficulty: 'medium',
  trap: 'unanswerable',
  description:
    'Asks for the work orders of a named asset: sometimes a real one under an alias, sometimes one the site does not have.',
  async instantiate(ctx) {
    const site = ctx.rng.pick(ctx.facts.sites);
    const here = ctx.facts.assets.filter((a) => a.site_id === site.site_id);
    const elsewhere = ctx.facts.assets.filter((a) => a.site_id !== site.site_id);
    const known = new Set(ctx.facts.assets.flatMap((a) => assetAliases(a).map(norm)));
    let name: string;
    let real: AssetRow | null = null;
    let other: AssetRow | null = null;
    // Every other draw names a real asset; the rest split between elsewhere and nowhere.
    const roll = ctx.draw % 2 === 0 ? 0 : ctx.rng.uniform(0.5, 1);
    if (here.length > 0 && roll < 0.5) {
      // A real asset of the site, named by its id or tag rather than its display name.
      real = ctx.rng.pick(here);
      const names = otherNames(real);
      if (names.length === 0) return null;
      name = ctx.rng.pick(names);
    } else if (elsewhere.length > 0 && roll < 0.7) {
      // An asset that exists, but at another site.
      other = ctx.rng.pick(elsewhere);
      name = other.name;
      if (here.some((a) => norm(a.name) === norm(name))) return null;
    } else {
      // A number past the highest of its class.
      const cls = ctx.rng.pick([...new Set(ctx.facts.assets.map((a) => a.asset_class))].sort());
      const label = CLASS_SPECS[cls as AssetClassId]?.displayName ?? cls;
      const numbers = ctx.facts.assets
        .filter((a) => a.asset_class === cls)
        .map((a) => Number(/(\d+)\s*$/.exec(a.name)?.[1] ?? 0));
      name = `${label} ${Math.max(0, ...numbers) + ctx.rng.int(1, 3)}`;
      if (known.has(norm(name))) return null;
    }
    const now = pickNow(ctx, 1);
    const y = ctx.rng.int(
      new Date(ctx.facts.historyStart * 1000).getUTCFullYear(),
      new Date(now * 1000).getUTCFullYear(),
    );
    const from = `${y}-01-01`;
    const to = `${y}-12-31`;
    const how = 'Go by the finish date, or the report date for ones still open.';
    const phrasing = ctx.rng.pick([
      `How many work orders did ${name} at site ${site.site_id} have in ${y}? ${how}`,
      `At ${site.site_id}, how many work orders were logged against ${name} in ${y}? ${how}`,
      `I need the ${y} work-order count for ${name} (site ${site.site_id}). ${how}`,
    ]);
    let expected: ExpectedAnswerInput = {
      type: 'record',
      fields: { available: { type: 'boolean', value: false } },
    };
    if (real) {
      const n = (await ordersAt(ctx, now, { asset: real.asset_id })).filter((w) =>
        inDates(w, from, to, now),
      ).length;
      expected = {
        type: 'record',
        fields: { available: { type: 'boolean', value: true }, answer: { type: 'count', value: n } },
      };
    }
    return {
      key: `${site.site_id}:${norm(name)}:${y}`,
      utterance: phrasing,
      now,
      site: site.site_id,
      expected,
      contract: LOOKUP_CONTRACT,
      requiredEvidence: [
        { tool: 'assets', site: site.site_id, description: `list the assets of ${site.site_id}` },
        ...(real
          ? [
              {
                tool: 'get_work_orders',
                anyOf: ['get_events'],
                asset: real.asset_id,
                window: dayWindow(from, to),
                description: `the work orders of ${real.asset_id} in ${y}`,
              },
            ]
          : []),
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'iot',
          tool: 'assets',
          args: { site: site.site_id },
          description: real
            ? `the assets of ${site.site_id} (${name} is ${real.name})`
            : `the assets of ${site.site_id} (${name} is not among them)`,
        },
        ...(real
          ? [
              {
                id: 's2',
                agent: 'wo' as const,
                tool: 'get_work_orders',
                args: { asset: name, start: from, end: to },
                dependsOn: ['s1'],
                description: `the work orders of ${name} in ${y} (the tool counts them)`,
              },
            ]
          : other
            ? [
                {
                  id: 's2',
                  agent: 'iot' as const,
                  tool: 'asset_details',
                  args: { asset: other.name },
                  dependsOn: ['s1'],
                  description: `${other.name} belongs to ${other.site_id}`,
                },
              ]
            : []),
      ],
      traps: [
        {
          kind: 'unanswerable',
          description: real
            ? `${name} is another name of ${real.name}, which is at ${site.site_id}`
            : other
              ? `${name} is at ${other.site_id}, not at ${site.site_id}`
              : `there is no ${name} in the plant`,
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ assets: Array<{ asset_id: string }> }>(results, 's1');
    if (!d) return undefined;
    // The asset the work-order tool resolved the name to, when the plan asked it.
    const wo = stepData<{ asset_id?: string; total?: number }>(results, 's2');
    const found = typeof wo?.total === 'number' && d.assets.some((a) => a.asset_id === wo.asset_id);
    return found ? { available: true, answer: wo?.total } : { available: false };
  },
};

// ---- (e) work orders, alerts and anomalies of an asset in a month --------------------------

export const monthlyEventCounts: ScenarioTemplate = {
  id: 'e2e-monthly-event-counts',
  family: 'e2e',
  tracks: TRACKS,
  difficulty: 'easy',
  description: 'How many work orders, alerts and anomalies an asset logged in one month.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const now = pickNow(ctx, 1);
    const end = new Date(now * 1000);
    // The month of the telemetry half the time (alerts and anomalies exist only there).
    const first = new Date((ctx.rng.chance(0.5) ? ctx.facts.start : ctx.facts.historyStart) * 1000);
    const span =
      (end.getUTCFullYear() - first.getUTCFullYear()) * 12 + end.getUTCMonth() - first.getUTCMonth();
    if (span < 0) return null;
    const m0 = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + ctx.rng.int(0, span), 1));
    const m1 = new Date(Date.UTC(m0.getUTCFullYear(), m0.getUTCMonth() + 1, 1));
    const from = m0.toISOString().slice(0, 10);
    const to = new Date(m1.getTime() - DAY * 1000).toISOString().slice(0, 10);
    const a = m0.getTime() / 1000;
    const b = Math.min(m1.getTime() / 1000, now + 1);
    const log = (await eventsAt(ctx, asset.asset_id, now)).filter((e) => e.time >= a && e.time < b);
    const count = (g: string) => log.filter((e) => e.event_group === g).length;
    const counts = { work_orders: count('WORK_ORDER'), alerts: count('ALERT'), anomalies: count('ANOMALY') };
    if (counts.work_orders + counts.alerts + counts.anomalies === 0 && ctx.rng.chance(0.8)) return null;
    // The event log places an order at its finish (open ones at their report) as the
    // work-order list does; skip months where the two disagree at now (an order reported in
    // the month that finishes after now is open in the list but not yet in the log).
    const listed = (await ordersAt(ctx, now, { asset: asset.asset_id })).filter((w) =>
      inDates(w, from, to, now),
    );
    if (listed.length !== counts.work_orders) return null;
    const month = `${MONTH_NAMES[m0.getUTCMonth()]} ${m0.getUTCFullYear()}`;
    const current = b < m1.getTime() / 1000;
    return {
      key: `${asset.asset_id}:${from}:${current ? now : ''}`,
      utterance: `How many work orders, alerts and anomalies were logged for ${asset.name} ${current ? 'so far in' : 'in'} ${month}? Count work orders by when they were finished, or reported if still open.`,
      now,
      site: asset.site_id,
      expected: {
        type: 'record',
        fields: {
          work_orders: { type: 'count', value: counts.work_orders },
          alerts: { type: 'count', value: counts.alerts },
          anomalies: { type: 'count', value: counts.anomalies },
        },
      },
      requiredEvidence: [
        {
          tool: 'get_events',
          asset: asset.asset_id,
          window: dayWindow(from, current ? day(now) : to),
          description: `the event log of ${asset.asset_id} in ${month}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_events',
          args: { asset: asset.name, start: from, end: to },
          description: 'the events of the month, counted per group',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ counts: { WORK_ORDER: number; ALERT: number; ANOMALY: number } }>(results, 's1');
    return d
      ? { work_orders: d.counts.WORK_ORDER, alerts: d.counts.ALERT, anomalies: d.counts.ANOMALY }
      : undefined;
  },
};

// ---- (f) the readings around a repair ------------------------------------------------------

/**
 * The first sensor the catalog lists for the order's failure mode, averaged over the 24 hours
 * before the order was reported and the 24 hours after its (logged) finish; "dropped" when the
 * second mean is lower. Instances need a change of at least 3% so that the yes/no is clear.
 */
export const repairEffect: ScenarioTemplate = {
  id: 'e2e-repair-effect',
  family: 'e2e',
  tracks: TRACKS,
  difficulty: 'medium',
  description: "Whether the failure mode's main sensor dropped after a corrective repair.",
  async instantiate(ctx) {
    const { start, exposedUntil } = ctx.facts;
    const orders = await ctx.sql<{
      wo_id: string;
      asset_id: string;
      secondary_code: string | null;
      r: number;
      f: number;
    }>(
      `select wo_id, asset_id, secondary_code, epoch(reported_time) r, epoch(actual_finish) f from work_orders
        where not preventive and reported_time >= $a::TIMESTAMP and actual_finish <= $b::TIMESTAMP
          and actual_finish > reported_time order by wo_id`,
      { a: sqlTs(start + DAY), b: sqlTs(exposedUntil - DAY) },
    );
    if (orders.length === 0) return null;
    const o = ctx.rng.pick(orders);
    const asset = assetById(ctx, o.asset_id);
    const mode = (await modes(ctx)).find(
      (m) => m.asset_class === asset?.asset_class && m.failure_code === o.secondary_code,
    );
    if (!asset || !mode) return null;
    const sensor = mode.sensors.map((k) => sensorByKey(ctx, asset.asset_id, k)).find((s) => s !== undefined);
    if (!sensor) return null;
    const r = Number(o.r);
    const f = Number(o.f);
    const stats = async (a: number, b: number) => {
      const [row] = await ctx.sql<{ m: number | null; n: number }>(
        'select avg(value) m, count(*)::INT n from telemetry where sensor_id = $s and ts >= $a::TIMESTAMP and ts < $b::TIMESTAMP',
        { s: sensor.sensor_id, a: sqlTs(a), b: sqlTs(b) },
      );
      return row;
    };
    const before = await stats(r - DAY, r);
    const after = await stats(f, f + DAY);
    const perDay = 1440 / Math.max(1, sensor.interval_minutes);
    if (before.m === null || after.m === null || before.n < perDay / 4 || after.n < perDay / 4) return null;
    if (Math.abs(after.m - before.m) < 0.03 * Math.max(Math.abs(before.m), 1e-9)) return null;
    const now = Math.min(exposedUntil, Math.ceil(ctx.rng.uniform(f + DAY, exposedUntil) / 3600) * 3600);
    if (now < f + DAY) return null;
    const tolerance = { abs: 0.01, rel: 0.01 };
    return {
      key: `${o.wo_id}:${sensor.sensor_id}`,
      utterance: `${asset.name} had a corrective repair for ${mode.name.toLowerCase()}, work order ${o.wo_id}. Did its ${sensor.label.toLowerCase()} drop after the repair? Compare the average over the 24 hours before the order was reported with the average over the 24 hours after it was finished${sensor.unit ? `, both in ${sensor.unit}` : ''}.`,
      now,
      site: asset.site_id,
      expected: {
        type: 'record',
        fields: {
          before: { type: 'number', value: before.m, tolerance, unit: sensor.unit },
          after: { type: 'number', value: after.m, tolerance, unit: sensor.unit },
          answer: { type: 'boolean', value: after.m < before.m },
        },
      },
      requiredEvidence: [
        {
          tool: 'get_corrective_work_orders',
          anyOf: ['get_work_orders'],
          asset: asset.asset_id,
          description: `the reported and finish times of ${o.wo_id}`,
        },
        {
          tool: 'history',
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          window: { start: iso(r - DAY), end: iso(r) },
          description: 'the readings before the order',
        },
        {
          tool: 'history',
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          window: { start: iso(f), end: iso(f + DAY) },
          description: 'the readings after the repair',
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: { asset: asset.name, start: day(r), end: day(f) },
          description: `find ${o.wo_id} and its times`,
        },
        {
          id: 's2',
          agent: 'iot',
          tool: 'history',
          args: { asset: asset.name, sensors: [sensor.sensor_id], start: iso(r - DAY), end: iso(r) },
          dependsOn: ['s1'],
          description: 'readings of the 24 hours before the report',
        },
        {
          id: 's3',
          agent: 'util',
          tool: 'json_reader',
          args: { handle: '$s2.handle', limit: 1000 },
          dependsOn: ['s2'],
          description: 'all of them',
        },
        {
          id: 's4',
          agent: 'iot',
          tool: 'history',
          args: { asset: asset.name, sensors: [sensor.sensor_id], start: iso(f), end: iso(f + DAY) },
          dependsOn: ['s1'],
          description: 'readings of the 24 hours after the finish',
        },
        {
          id: 's5',
          agent: 'util',
          tool: 'json_reader',
          args: { handle: '$s4.handle', limit: 1000 },
          dependsOn: ['s4'],
          description: 'all of them',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const mean = (id: string) => {
      const rows = stepData<{ rows: Array<{ value: number }> }>(results, id)?.rows;
      return rows && rows.length > 0 ? rows.reduce((s, x) => s + x.value, 0) / rows.length : undefined;
    };
    const before = mean('s3');
    const after = mean('s5');
    if (before === undefined || after === undefined) return undefined;
    return { answer: after < before, before, after };
  },
};

export const E2E_TEMPLATES: ScenarioTemplate[] = [
  detectDiagnoseAct,
  signalFollowup,
  closedButPersisting,
  unknownAsset,
  monthlyEventCounts,
  repairEffect,
];
