// Failure-mode requests: the modes of a class or asset, the sensors that reveal a mode, the
// modes a sensor reveals, the sensor that reveals the most, the code written on a past
// repair, and the mode behind a run of alerts.
import { addDays, dayMentions, dayOf, longestNamed, monthMention, ruleIds, words } from '../parse.ts';
import { type Run, Unable } from '../run.ts';
import { answer, has, type Intent, wants } from './common.ts';

export interface FailureMode {
  id: string;
  name: string;
  component: string | null;
  failure_code: string | null;
  alert_rules: string[];
}

export interface WorkOrder {
  wo_id: string;
  description: string | null;
  component: string | null;
  preventive: boolean;
  primary_code: string | null;
  secondary_code: string | null;
  priority: number | null;
  status: string;
  reported_time: string | null;
  actual_finish: string | null;
}

export async function failureModes(r: Run, asset: string): Promise<FailureMode[]> {
  const d = await r.call('get_failure_modes', { asset });
  return (d.failure_modes ?? []) as FailureMode[];
}

/** The catalog mode the text names (the longest name it contains). */
export function modeNamed(text: string, modes: FailureMode[]): FailureMode | undefined {
  const name = longestNamed(
    text,
    modes.map((m) => m.name),
  );
  return modes.find((m) => m.name === name);
}

export async function sensorMap(
  r: Run,
  args: Record<string, unknown>,
): Promise<{ fm2sensor: Record<string, string[]>; sensor2fm: Record<string, string[]> }> {
  const d = await r.call('get_failure_mode_sensor_mapping', args);
  return {
    fm2sensor: (d.fm2sensor ?? {}) as Record<string, string[]>,
    sensor2fm: (d.sensor2fm ?? {}) as Record<string, string[]>,
  };
}

export const classModes: Intent = {
  id: 'failure-modes',
  plan: 'list the failure modes of the asset (its class) from the catalog',
  matches: (r) => wants(r, 'array') && has(r.text, /\bfailure modes\b/i),
  async run(r) {
    const assets = r.assets();
    const cls = r.assetClass();
    let args: Record<string, unknown>;
    if (assets.length > 0) args = { asset: r.asset() };
    else if (cls) args = { asset_class: cls };
    else throw new Unable('the request names no asset or asset class');
    const d = await r.call('get_failure_modes', args);
    return answer(((d.failure_modes ?? []) as FailureMode[]).map((m) => m.name));
  },
};

export const sensorsForMode: Intent = {
  id: 'sensors-for-failure-mode',
  plan: 'find the failure mode named in the catalog, then the sensors of the asset that reveal it',
  matches: (r) => wants(r, 'array') && has(r.text, /\bwhich (of its )?sensors\b/i),
  async run(r) {
    const asset = r.asset();
    const mode = modeNamed(r.text, await failureModes(r, asset));
    if (!mode) throw new Unable(`the request names no failure mode of ${asset}'s catalog`);
    const map = await sensorMap(r, { asset, failure_modes: [mode.name] });
    return answer(map.fm2sensor[mode.name] ?? Object.values(map.fm2sensor)[0] ?? []);
  },
};

export const modesForSensor: Intent = {
  id: 'failure-modes-for-sensor',
  plan: 'find the sensor named, then the failure modes it reveals (sensor mapping)',
  matches: (r) =>
    wants(r, 'array') &&
    has(r.text, /\bwhich failure modes\b/i) &&
    has(r.text, /\b(reveal|behind|consider|cause|explain)/i),
  async run(r) {
    const asset = r.asset();
    const sensor = await r.sensorIn(asset);
    const map = await sensorMap(r, { asset, sensors: [sensor.label] });
    return answer(map.sensor2fm[sensor.label] ?? Object.values(map.sensor2fm)[0] ?? []);
  },
};

export const mostRevealingSensor: Intent = {
  id: 'most-revealing-sensor',
  plan: 'map every sensor of the asset to the failure modes it reveals and take the one with the most',
  matches: (r) =>
    wants(r, 'string') &&
    has(r.text, /\bsensor\b/i) &&
    has(r.text, /\b(most|largest|greatest)\b/i) &&
    has(r.text, /failure modes/i),
  async run(r) {
    const map = await sensorMap(r, { asset: r.asset() });
    const ranked = Object.entries(map.sensor2fm).sort((a, b) => b[1].length - a[1].length);
    if (ranked.length === 0 || ranked[0][1].length === 0)
      throw new Unable('no sensor reveals any failure mode');
    return answer(ranked[0][0]);
  },
};

export const repairCode: Intent = {
  id: 'repair-failure-code',
  plan: "find the mode's component in the catalog, then the corrective orders of that month on it",
  matches: (r) =>
    wants(r, 'string') &&
    has(r.text, /\bfailure code\b/i) &&
    has(r.text, /\b(repaired|fixed|repair)\b/i) &&
    monthMention(r.text) !== null,
  async run(r) {
    const asset = r.asset();
    const month = monthMention(r.text);
    if (!month) throw new Unable('the request names no month');
    const mode = modeNamed(r.text, await failureModes(r, asset));
    const d = await r.call('get_corrective_work_orders', { asset, start: month.from, end: month.to });
    const orders = await r.allRows<WorkOrder>(d, 'work_orders');
    if (orders.length === 0)
      throw new Unable(`${asset} has no corrective work order in ${month.from.slice(0, 7)}`);
    const onComponent = mode ? orders.filter((w) => w.component === mode.component) : [];
    const codes = [...new Set(onComponent.map((w) => w.secondary_code).filter((c): c is string => !!c))];
    if (codes.length === 1) return answer(codes[0]);
    // Several or none on that component: the catalog's code for the mode, if an order carries it.
    const catalog = orders.find((w) => mode && w.secondary_code === mode.failure_code);
    return answer(catalog?.secondary_code ?? orders[0].secondary_code);
  },
};

/** Words two texts share, for matching a repair order to a failure mode. */
function overlap(a: string, b: string): number {
  const wa = new Set(words(a));
  return new Set(words(b).filter((w) => wa.has(w))).size;
}

/**
 * Of the modes that list an alert rule, the one a following repair names: its failure code
 * first, else the most words shared with the order's description and component.
 */
export function modeFromRepairs(candidates: FailureMode[], orders: WorkOrder[]): FailureMode | null {
  const byCode = candidates.filter((m) =>
    orders.some((w) => w.secondary_code && w.secondary_code === m.failure_code),
  );
  if (byCode.length === 1) return byCode[0];
  const pool = byCode.length > 1 ? byCode : candidates;
  const text = orders.map((w) => `${w.description ?? ''} ${w.component ?? ''}`).join(' ');
  const scored = pool
    .map((m) => ({ m, n: overlap(`${m.name} ${m.component ?? ''}`, text) }))
    .sort((a, b) => b.n - a.n);
  if (scored.length === 0 || scored[0].n === 0 || (scored[1] && scored[1].n === scored[0].n)) return null;
  return scored[0].m;
}

export const alertMode: Intent = {
  id: 'failure-mode-behind-alerts',
  plan: 'take the catalog modes that list the rule; if several, let the repair that followed decide',
  matches: (r) =>
    wants(r, 'string') &&
    ruleIds(r.text).length === 1 &&
    has(r.text, /\bfailure mode\b/i) &&
    has(r.text, /\b(caused|behind|explains?|cause)\b/i),
  async run(r) {
    const asset = r.asset();
    const rule = ruleIds(r.text)[0];
    const modes = await failureModes(r, asset);
    const candidates = modes.filter((m) => m.alert_rules.includes(rule));
    if (candidates.length === 0) throw new Unable(`no failure mode of ${asset}'s catalog lists ${rule}`);
    if (candidates.length === 1) return answer(candidates[0].name);
    // Several modes share the rule: the corrective order in the days after the first alert says which.
    const first = dayMentions(r.text)[0]?.day;
    if (!first) return answer(candidates[0].name);
    const end = [addDays(first, 14), dayOf(r.now)].sort()[0];
    const d = await r.call('get_corrective_work_orders', { asset, start: addDays(first, -3), end });
    const orders = await r.allRows<WorkOrder>(d, 'work_orders');
    const pick = modeFromRepairs(candidates, orders) ?? candidates[0];
    return answer(pick.name);
  },
};

export const FMSR_INTENTS: Intent[] = [
  sensorsForMode,
  modesForSensor,
  classModes,
  mostRevealingSensor,
  repairCode,
  alertMode,
];
