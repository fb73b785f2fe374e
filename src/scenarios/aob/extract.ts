// Reading answers out of the reference plans.
import type { Scenario } from '../schema.ts';
import { type Capability, eventGroupsIn, type Group, tsfmCapability } from './text.ts';
import { capabilityTool } from './tsfm.ts';

type Obj = Record<string, unknown>;

function data(results: Map<string, unknown>, id: string): Obj {
  const d = results.get(id);
  if (!d || typeof d !== 'object') throw new Error(`step ${id} has no result`);
  return d as Obj;
}

function list(results: Map<string, unknown>, id: string, key: string): Obj[] {
  const v = data(results, id)[key];
  if (!Array.isArray(v)) throw new Error(`step ${id} has no ${key} list`);
  return v as Obj[];
}

/** All rows of a get_events step: its json_reader pages when it has them, else the inline events. */
function eventRows(results: Map<string, unknown>, scenario: Scenario, id: string): Obj[] {
  const pages = scenario.referencePlan.filter((s) => s.id.startsWith(`${id}-p`));
  if (pages.length === 0) return list(results, id, 'events');
  return pages.flatMap((s) => list(results, s.id, 'rows'));
}

function countBy(rows: Obj[], key: (r: Obj) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = key(r);
    if (k !== null) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

function supports(results: Map<string, unknown>, c: Capability): boolean {
  if (capabilityTool(c) === 'get_ai_tasks') {
    const tasks = list(results, 's1', 'tasks').map((t) => `${t.task_id} ${t.description}`.toLowerCase());
    const word = c === 'anomaly_detection' ? 'anomaly' : c;
    return tasks.some((t) => t.includes(word));
  }
  const models = list(results, c === 'context_1024' && results.has('s2') ? 's2' : 's1', 'models');
  switch (c) {
    case 'forecasting_models':
      return models.some((m) => m.task === 'tsfm_forecasting');
    case 'context_1024':
      return models.some((m) =>
        /context[^.]{0,20}\b1024\b|\b1024\b[^.]{0,10}(?:step|context)/i.test(
          `${m.model_id} ${m.description}`,
        ),
      );
    default:
      return models.some((m) => new RegExp(c, 'i').test(`${m.model_id} ${m.description}`));
  }
}

/** The answer the reference plan reaches, in the shape of the scenario's expected answer. */
export function aobAnswerFromPlan(results: Map<string, unknown>, scenario: Scenario): unknown {
  switch (scenario.template) {
    case 'aob-sites':
      return list(results, 's1', 'sites').map((s) => s.site);
    case 'aob-assets':
      return list(results, 's1', 'assets').map((a) => a.name);
    case 'aob-asset-details': {
      const d = data(results, 's1');
      return { asset_id: d.asset_id, site: d.site, asset_class: d.asset_class };
    }
    case 'aob-readings':
      return { readings: data(results, 's1').total_observations };
    case 'aob-failure-modes':
      return list(results, 's1', 'failure_modes').map((m) => m.name);
    case 'aob-sensors':
      return list(results, 's1', 'sensors').map((s) => s.sensor);
    case 'aob-tsfm-tasks':
      return list(results, 's1', 'tasks').map((t) => t.task_id);
    case 'aob-tsfm-supports': {
      const c = tsfmCapability(scenario.utterance);
      if (!c) throw new Error('the utterance names no TSFM capability');
      return supports(results, c);
    }
    case 'aob-tsfm-regression-1024':
      return { regression: supports(results, 'regression'), context_1024: supports(results, 'context_1024') };
    case 'aob-wo-count':
      return data(results, 's1').total;
    case 'aob-wo-distribution': {
      const d = data(results, 's1');
      const byCode = new Map<string, number>();
      for (const r of d.distribution as Obj[]) {
        if (typeof r.primary_code === 'string')
          byCode.set(r.primary_code, (byCode.get(r.primary_code) ?? 0) + Number(r.count));
      }
      return {
        total_work_orders: [...byCode.values()].reduce((s, n) => s + n, 0),
        ...Object.fromEntries(byCode),
      };
    }
    case 'aob-bundles': {
      const d = data(results, 's1');
      const out: Obj = { bundles: d.total_bundles };
      (d.bundles as Obj[]).forEach((b, i) => {
        out[`bundle_${i + 1}_size`] = b.size;
      });
      return out;
    }
    case 'aob-wo-next': {
      const preds = list(results, 's1', 'predictions');
      const best = Math.max(...preds.map((p) => Number(p.probability)));
      const top = preds.filter((p) => Number(p.probability) === best).map((p) => String(p.primary_code));
      return { most_likely: top.length === 1 ? top[0] : top, probability: best };
    }
    case 'aob-event-groups': {
      const c = data(results, 's1').counts as Record<Group, number>;
      return { work_orders: c.WORK_ORDER, alerts: c.ALERT, anomalies: c.ANOMALY };
    }
    case 'aob-daily-events': {
      const groups = new Set<string>(eventGroupsIn(scenario.utterance));
      const rows = eventRows(results, scenario, 's1').filter((e) => groups.has(String(e.event_group)));
      const days = new Set(rows.map((e) => String(e.event_time).slice(0, 10)));
      return { days_with_events: days.size, events: rows.length };
    }
    case 'aob-alerts-anomalies': {
      const alerts = eventRows(results, scenario, 'alerts');
      const anomalies = eventRows(results, scenario, 'anomalies');
      const out: Obj = { alerts: alerts.length, anomalies: anomalies.length };
      for (const [rule, n] of countBy(alerts, (e) => (e.event_type as string | null) ?? null))
        out[`${rule} alerts`] = n;
      const kpi = (e: Obj) =>
        /^KPI\s+(.+?)\s+(?:above|below)\b/i.exec(String(e.event_type ?? ''))?.[1] ?? null;
      for (const [k, n] of countBy(anomalies, kpi)) out[`${k} anomalies`] = n;
      return out;
    }
    default:
      throw new Error(`no answer extractor for template ${scenario.template}`);
  }
}
