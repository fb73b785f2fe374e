import { MONTH_NAMES } from '../template.ts';
// FMSR templates: the failure-mode catalog (modes of a class, sensors that reveal a mode,
// modes a sensor reveals, the sensor that covers the most modes), the failure codes written
// for past repairs, and the failure mode behind a run of alerts. Expected answers come from
// the catalog tables and the ground-truth episodes, read with the solver's own SQL; every
// instance is one the tools can settle (see each template's conditions).

import type { AssetRow, SensorRow } from '../../tools/lookup.ts';
import { isoFromEpoch } from '../../util/time.ts';
import { CLASS_SPECS } from '../../world/classes/specs.ts';
import type { AssetClassId } from '../../world/types.ts';
import { day, readable, type ScenarioTemplate, sqlTs, stepData, type TemplateContext } from '../template.ts';

/** "chillers", "AHUs", "cooling towers". */
function classPlural(cls: string): string {
  const name = CLASS_SPECS[cls as AssetClassId]?.displayName ?? cls.replace(/_/g, ' ');
  return /^[A-Z]{2,}$/.test(name) ? `${name}s` : `${name.toLowerCase()}s`;
}

/** A catalog name inside a sentence: lower-case first letter, acronyms kept ("VFD pressure loop hunting"). */
function inSentence(name: string): string {
  return /^[A-Z]{2,}\b/.test(name) ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/** A sensor label inside a sentence: "Flue Gas O2" -> "flue gas O2". */
function lowerLabel(label: string): string {
  return label
    .split(' ')
    .map((w) => (/^[A-Z][a-z]+$/.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

interface ModeRow {
  id: string;
  asset_class: string;
  name: string;
  component: string | null;
  sensors: string[];
  failure_code: string | null;
  alert_rules: string[];
}

function jsonList(text: unknown): string[] {
  if (typeof text !== 'string' || text === '') return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** The failure-mode catalog of one class (or all), in id order. */
async function modesOf(ctx: TemplateContext, cls?: string): Promise<ModeRow[]> {
  const rows = await ctx.sql<Record<string, string | null>>(
    `select failure_mode_id, asset_class, name, component, sensors, failure_code, alert_rules
       from failure_modes ${cls ? 'where asset_class = $c' : ''} order by failure_mode_id`,
    cls ? { c: cls } : undefined,
  );
  return rows.map((r) => ({
    id: r.failure_mode_id as string,
    asset_class: r.asset_class as string,
    name: r.name as string,
    component: r.component,
    sensors: jsonList(r.sensors),
    failure_code: r.failure_code,
    alert_rules: jsonList(r.alert_rules),
  }));
}

function sensorsOf(ctx: TemplateContext, a: AssetRow): SensorRow[] {
  return ctx.facts.sensorsByAsset.get(a.asset_id) ?? [];
}

/** Accepted spellings of a sensor: its label, full name, id and key. */
function sensorAliases(a: AssetRow, s: SensorRow): string[] {
  return [
    ...new Set([s.sensor_id, `${a.name} ${s.label}`, s.sensor_key, s.sensor_key.replace(/_/g, ' ')]),
  ].filter((x) => x.toLowerCase() !== s.label.toLowerCase());
}

/** Distinct sensors of an asset by key (the mapping tool lists each key once). */
function distinctSensors(ctx: TemplateContext, a: AssetRow): SensorRow[] {
  return [...new Map(sensorsOf(ctx, a).map((s) => [s.sensor_key, s])).values()];
}

// ---------------------------------------------------------------------------------------------

export const classFailureModes: ScenarioTemplate = {
  id: 'fmsr-class-failure-modes',
  family: 'fmsr',
  tracks: ['execution', 'planning'],
  difficulty: 'easy',
  description: 'List the failure modes of an asset (its class) from the catalog.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const modes = await modesOf(ctx, asset.asset_class);
    if (modes.length === 0) return null;
    const byClass = ctx.rng.chance(0.3);
    const utterance = byClass
      ? `What failure modes does the catalog list for ${classPlural(asset.asset_class)}? I need the full list.`
      : ctx.rng.pick([
          `What are the known failure modes of ${asset.name}?`,
          `List the failure modes I should be aware of for ${asset.name}.`,
          `Which failure modes can affect ${asset.name}? Give me all of them.`,
        ]);
    const args = byClass ? { asset_class: asset.asset_class } : { asset: asset.name };
    return {
      key: byClass ? `class:${asset.asset_class}` : asset.asset_id,
      utterance,
      now: ctx.facts.exposedUntil,
      site: byClass ? null : asset.site_id,
      expected: {
        type: 'set',
        values: modes.map((m) => m.name),
        aliases: Object.fromEntries(modes.map((m) => [m.name, [m.id]])),
        minF1: 0.8,
      },
      requiredEvidence: [
        {
          tool: 'get_failure_modes',
          ...(byClass ? {} : { asset: asset.asset_id }),
          description: `list the failure modes of the ${asset.asset_class} class`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'fmsr',
          tool: 'get_failure_modes',
          args,
          description: 'read the failure-mode catalog of the class',
        },
      ],
    };
  },
  answerFromPlan: (results) =>
    stepData<{ failure_modes: Array<{ name: string }> }>(results, 's1')?.failure_modes.map((m) => m.name),
};

// ---------------------------------------------------------------------------------------------

export const sensorsForMode: ScenarioTemplate = {
  id: 'fmsr-sensors-for-mode',
  family: 'fmsr',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description: 'Which sensors of an asset reveal a given failure mode.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const modes = await modesOf(ctx, asset.asset_class);
    if (modes.length === 0) return null;
    const mode = ctx.rng.pick(modes);
    const own = distinctSensors(ctx, asset).filter((s) => mode.sensors.includes(s.sensor_key));
    if (own.length === 0) return null;
    const name = inSentence(mode.name);
    return {
      key: `${asset.asset_id}:${mode.id}`,
      utterance: ctx.rng.pick([
        `Which sensors on ${asset.name} would show ${name}?`,
        `I suspect ${name} on ${asset.name}. Which of its sensors should I look at to confirm it?`,
        `If ${asset.name} develops ${name}, which of its sensors would reveal it?`,
      ]),
      now: ctx.facts.exposedUntil,
      site: asset.site_id,
      expected: {
        type: 'set',
        values: own.map((s) => s.label),
        aliases: Object.fromEntries(own.map((s) => [s.label, sensorAliases(asset, s)])),
        minF1: 0.8,
      },
      requiredEvidence: [
        {
          tool: 'get_failure_mode_sensor_mapping',
          asset: asset.asset_id,
          description: `map ${mode.name} to the sensors of ${asset.name}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'fmsr',
          tool: 'get_failure_modes',
          args: { asset: asset.name },
          description: 'find the catalog name of the failure mode',
        },
        {
          id: 's2',
          agent: 'fmsr',
          tool: 'get_failure_mode_sensor_mapping',
          args: { asset: asset.name, failure_modes: [mode.name] },
          dependsOn: ['s1'],
          description: 'which sensors of the asset reveal it',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ fm2sensor: Record<string, string[]> }>(results, 's2');
    return d ? Object.values(d.fm2sensor)[0] : undefined;
  },
};

// ---------------------------------------------------------------------------------------------

export const modesForSensor: ScenarioTemplate = {
  id: 'fmsr-modes-for-sensor',
  family: 'fmsr',
  tracks: ['execution'],
  difficulty: 'medium',
  description: 'Which failure modes one sensor of an asset can reveal.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const modes = await modesOf(ctx, asset.asset_class);
    const useful = distinctSensors(ctx, asset).filter((s) =>
      modes.some((m) => m.sensors.includes(s.sensor_key)),
    );
    if (useful.length === 0) return null;
    const sensor = ctx.rng.pick(useful);
    const hits = modes.filter((m) => m.sensors.includes(sensor.sensor_key));
    const label = lowerLabel(sensor.label);
    return {
      key: `${asset.asset_id}:${sensor.sensor_key}`,
      utterance: ctx.rng.pick([
        `${asset.name}'s ${label} has started trending away from normal. Which failure modes could be behind it?`,
        `Which failure modes can the ${label} of ${asset.name} reveal?`,
        `If the ${label} reading of ${asset.name} looks off, which failure modes should I consider?`,
      ]),
      now: ctx.facts.exposedUntil,
      site: asset.site_id,
      expected: {
        type: 'set',
        values: hits.map((m) => m.name),
        aliases: Object.fromEntries(hits.map((m) => [m.name, [m.id]])),
        minF1: 0.8,
      },
      requiredEvidence: [
        {
          tool: 'get_failure_mode_sensor_mapping',
          asset: asset.asset_id,
          sensors: [sensor.sensor_id],
          description: `map ${sensor.label} of ${asset.name} to the failure modes it reveals`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'fmsr',
          tool: 'get_failure_mode_sensor_mapping',
          args: { asset: asset.name, sensors: [sensor.label] },
          description: 'failure modes the sensor reveals',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ sensor2fm: Record<string, string[]> }>(results, 's1');
    return d ? Object.values(d.sensor2fm)[0] : undefined;
  },
};

// ---------------------------------------------------------------------------------------------

export const mostRevealingSensor: ScenarioTemplate = {
  id: 'fmsr-most-revealing-sensor',
  family: 'fmsr',
  tracks: ['execution'],
  difficulty: 'medium',
  description: 'The one sensor of an asset to watch first: the one that reveals the most failure modes.',
  async instantiate(ctx) {
    const asset = ctx.rng.pick(ctx.facts.assets);
    const modes = await modesOf(ctx, asset.asset_class);
    const counted = distinctSensors(ctx, asset)
      .map((s) => ({ s, n: modes.filter((m) => m.sensors.includes(s.sensor_key)).length }))
      .sort((x, y) => y.n - x.n);
    // A unique winner only: with a tie there is no single right answer.
    if (counted.length < 2 || counted[0].n === 0 || counted[0].n === counted[1].n) return null;
    const best = counted[0].s;
    return {
      key: asset.asset_id,
      utterance: ctx.rng.pick([
        `If I could watch only one sensor on ${asset.name}, which one would reveal the most failure modes?`,
        `Which sensor of ${asset.name} should go on the watch list first, the one that can reveal the largest number of its failure modes?`,
      ]),
      now: ctx.facts.exposedUntil,
      site: asset.site_id,
      expected: { type: 'entity', value: best.label, aliases: sensorAliases(asset, best) },
      requiredEvidence: [
        {
          tool: 'get_failure_mode_sensor_mapping',
          asset: asset.asset_id,
          description: `map every sensor of ${asset.name} to the failure modes it reveals`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'fmsr',
          tool: 'get_failure_mode_sensor_mapping',
          args: { asset: asset.name },
          description: 'the failure modes each sensor reveals; count them per sensor',
        },
      ],
    };
  },
  answerFromPlan: (results) => {
    const d = stepData<{ sensor2fm: Record<string, string[]> }>(results, 's1');
    if (!d) return undefined;
    const ranked = Object.entries(d.sensor2fm).sort((a, b) => b[1].length - a[1].length);
    if (ranked.length === 0 || (ranked.length > 1 && ranked[0][1].length === ranked[1][1].length))
      return undefined;
    return ranked[0][0];
  },
};

// ---------------------------------------------------------------------------------------------

/** [start, end) of the UTC month holding t. */
function monthOf(t: number): { start: number; end: number; label: string } {
  const d = new Date(t * 1000);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  return { start, end, label: `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCFullYear()}` };
}

/** The failure mode named in a text (the longest catalog name it contains). */
function modeNamedIn<T extends { name: string }>(text: string, modes: T[]): T | undefined {
  const t = text.toLowerCase();
  return modes
    .filter((m) => t.includes(m.name.toLowerCase()))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

export const repairFailureCode: ScenarioTemplate = {
  id: 'fmsr-repair-failure-code',
  family: 'fmsr',
  tracks: ['execution', 'planning'],
  difficulty: 'medium',
  description:
    'The failure code written on the work order of a past repair of a failure mode (the catalog code of the mode).',
  async instantiate(ctx) {
    const now = ctx.facts.exposedUntil;
    // Past repairs of an episode whose work order carries the catalog code and component of the mode.
    const repairs = await ctx.sql<{
      asset_id: string;
      failure_mode_id: string;
      wo_id: string;
      code: string;
      component: string;
      fin: number;
    }>(
      `select e.asset_id, e.failure_mode_id, w.wo_id, w.secondary_code code, w.component,
              epoch(w.actual_finish)::BIGINT fin
         from episodes e join work_orders w on w.wo_id = e.work_order_id
         join failure_modes f on f.failure_mode_id = e.failure_mode_id
        where not w.preventive and w.actual_finish <= $now::TIMESTAMP and w.reported_time <= $now::TIMESTAMP
          and w.secondary_code = f.failure_code and w.component = f.component
        order by e.episode_id`,
      { now: sqlTs(now) },
    );
    if (repairs.length === 0) return null;
    const r = ctx.rng.pick(repairs);
    const asset = ctx.facts.assets.find((a) => a.asset_id === r.asset_id);
    const modes = await modesOf(ctx, asset?.asset_class);
    const mode = modes.find((m) => m.id === r.failure_mode_id);
    if (!asset || !mode) return null;
    const month = monthOf(Number(r.fin));
    // Corrective orders on the same component in that month (as the work-order tools match
    // them: by finish, open ones by report) must all carry the same code.
    const same = await ctx.sql<{ code: string }>(
      `select distinct secondary_code code from work_orders
        where asset_id = $a and not preventive and component = $c and reported_time <= $now::TIMESTAMP
          and coalesce(case when actual_finish <= $now::TIMESTAMP then actual_finish end, reported_time)
              between $s::TIMESTAMP and $e::TIMESTAMP - interval 1 second`,
      { a: asset.asset_id, c: r.component, now: sqlTs(now), s: sqlTs(month.start), e: sqlTs(month.end) },
    );
    if (same.length !== 1 || same[0].code !== r.code) return null;
    // Another mode whose name is contained in this one's would make the utterance ambiguous.
    if (modeNamedIn(mode.name, modes)?.id !== mode.id) return null;
    return {
      key: r.wo_id,
      utterance: ctx.rng.pick([
        `${asset.name} was repaired for ${inSentence(mode.name)} in ${month.label}. Which detailed (secondary) failure code was that work order filed under?`,
        `Which detailed failure code (the secondary one) did the technicians write on the ${month.label} work order that fixed ${inSentence(mode.name)} on ${asset.name}?`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'entity', value: r.code, aliases: [] },
      requiredEvidence: [
        {
          tool: 'get_work_orders',
          anyOf: ['get_corrective_work_orders', 'get_events', 'get_work_order_distribution'],
          asset: asset.asset_id,
          window: { start: isoFromEpoch(month.start), end: isoFromEpoch(month.end) },
          description: `read the corrective work orders of ${asset.name} in ${month.label}`,
        },
      ],
      referencePlan: [
        {
          id: 's1',
          agent: 'fmsr',
          tool: 'get_failure_modes',
          args: { asset: asset.name },
          description: 'the component the failure mode is about',
        },
        {
          id: 's2',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: { asset: asset.name, start: day(month.start), end: day(month.end - 86400) },
          description: 'the repairs of that month; the one on that component carries the code',
        },
      ],
    };
  },
  answerFromPlan: (results, scenario) => {
    const modes = stepData<{ failure_modes: Array<{ name: string; component: string | null }> }>(
      results,
      's1',
    );
    const wos = stepData<{ work_orders: Array<{ component: string | null; secondary_code: string | null }> }>(
      results,
      's2',
    );
    const mode = modes && modeNamedIn(scenario.utterance, modes.failure_modes);
    if (!mode || !wos) return undefined;
    const codes = new Set(
      wos.work_orders.filter((w) => w.component === mode.component).map((w) => w.secondary_code),
    );
    return codes.size === 1 ? [...codes][0] : undefined;
  },
};

// ---------------------------------------------------------------------------------------------

/** Words that carry no meaning when matching a work order to a failure mode. */
const FILLER = new Set(
  `the and for with from per was were has had not new back off after into on of to in at by it its is
   unit pump chiller ahu boiler tower cooling compressor air replaced repaired check found`.split(/\s+/),
);

function meaningful(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 2 && !FILLER.has(w))
      .map((w) => (w.length > 4 && w.endsWith('s') ? w.slice(0, -1) : w)),
  );
}

/**
 * The candidate failure mode a repair work order is about: the most words shared between the
 * mode (name, component) and the order (description, component, code descriptions); null on a tie.
 */
function matchRepair<T extends { name: string; component: string | null }>(
  woText: string,
  candidates: T[],
): T | null {
  const wo = meaningful(woText);
  const scored = candidates
    .map((m) => ({ m, n: [...meaningful(`${m.name} ${m.component ?? ''}`)].filter((w) => wo.has(w)).length }))
    .sort((a, b) => b.n - a.n);
  if (scored.length === 0 || scored[0].n === 0 || (scored.length > 1 && scored[1].n === scored[0].n))
    return null;
  return scored[0].m;
}

/** Days before the first alert and after it in which the repair order is looked for. */
const LOOK_BACK_DAYS = 3;
const LOOK_AHEAD_DAYS = 14;

export const alertFailureMode: ScenarioTemplate = {
  id: 'fmsr-alert-failure-mode',
  family: 'fmsr',
  tracks: ['execution', 'planning'],
  difficulty: 'hard',
  description:
    "The failure mode behind a run of alerts of one rule on an asset: the rule's sensor narrows the catalog, the repair work order (or a single candidate) settles it.",
  async instantiate(ctx) {
    const now = ctx.facts.exposedUntil;
    // Alert runs that fall inside a degradation episode of a mode that lists the rule.
    const runs = await ctx.sql<{
      asset_id: string;
      rule_id: string;
      rule_name: string;
      sensor_key: string;
      failure_mode_id: string;
      work_order_id: string | null;
      first_ts: number;
      n: number;
    }>(
      `select a.asset_id, a.rule_id, r.name rule_name, r.sensor_key, e.failure_mode_id, e.work_order_id,
              epoch(min(a.start_time))::BIGINT first_ts, count(*)::INT n
         from alerts a join alert_rules r on r.rule_id = a.rule_id
         join episodes e on e.asset_id = a.asset_id and a.start_time >= e.onset
              and (e.repair is null or a.start_time <= e.repair)
         join failure_modes f on f.failure_mode_id = e.failure_mode_id
        where a.start_time <= $now::TIMESTAMP and f.alert_rules like concat('%"', a.rule_id, '"%')
        group by all order by a.asset_id, first_ts`,
      { now: sqlTs(now) },
    );
    if (runs.length === 0) return null;
    const run = ctx.rng.pick(runs);
    const asset = ctx.facts.assets.find((a) => a.asset_id === run.asset_id);
    if (!asset) return null;
    const sensor = distinctSensors(ctx, asset).find((s) => s.sensor_key === run.sensor_key);
    const modes = await modesOf(ctx, asset.asset_class);
    const truth = modes.find((m) => m.id === run.failure_mode_id);
    if (!sensor || !truth) return null;
    const candidates = modes.filter((m) => m.sensors.includes(run.sensor_key));
    const first = Number(run.first_ts);
    const winStart = Math.floor(first / 86400) * 86400 - LOOK_BACK_DAYS * 86400;
    const winEnd = Math.min(
      Math.floor(first / 86400) * 86400 + LOOK_AHEAD_DAYS * 86400,
      Math.floor(now / 86400) * 86400,
    );

    let viaRepair = false;
    if (candidates.length !== 1 || candidates[0].id !== truth.id) {
      // Several modes watch the sensor: the one corrective order in the following days must name it.
      const wos = await ctx.sql<{ wo_id: string; code: string | null; wo_text: string }>(
        `select w.wo_id, w.secondary_code code,
                concat_ws(' ', w.description, w.component, c.primary_description, c.secondary_description) wo_text
           from work_orders w left join failure_codes c on c.secondary_code = w.secondary_code
          where w.asset_id = $a and not w.preventive and w.reported_time <= $now::TIMESTAMP
            and coalesce(case when w.actual_finish <= $now::TIMESTAMP then w.actual_finish end, w.reported_time)
                between $s::TIMESTAMP and $e::TIMESTAMP - interval 1 second`,
        { a: asset.asset_id, now: sqlTs(now), s: sqlTs(winStart), e: sqlTs(winEnd + 86400) },
      );
      if (wos.length !== 1 || wos[0].wo_id !== run.work_order_id || wos[0].code !== truth.failure_code)
        return null;
      if (matchRepair(wos[0].wo_text, candidates)?.id !== truth.id) return null;
      viaRepair = true;
    }
    const plan: Array<{
      id: string;
      agent: 'fmsr' | 'wo';
      tool: string;
      args: Record<string, unknown>;
      dependsOn?: string[];
      description: string;
    }> = [
      {
        id: 's1',
        agent: 'wo',
        tool: 'get_events',
        args: { asset: asset.name, group: 'ALERT', start: day(winStart), end: day(winEnd) },
        description: `the ${run.rule_id} alerts and the rule's name (it names the sensor it watches)`,
      },
      {
        id: 's2',
        agent: 'fmsr',
        tool: 'get_failure_mode_sensor_mapping',
        args: { asset: asset.name, sensors: [sensor.label] },
        dependsOn: ['s1'],
        description: 'failure modes that sensor reveals',
      },
    ];
    if (viaRepair) {
      plan.push(
        {
          id: 's3',
          agent: 'wo',
          tool: 'get_corrective_work_orders',
          args: { asset: asset.name, start: day(winStart), end: day(winEnd) },
          dependsOn: ['s1'],
          description: 'the repair that followed the alerts',
        },
        {
          id: 's4',
          agent: 'fmsr',
          tool: 'get_failure_modes',
          args: { asset: asset.name },
          description: 'components of the candidate failure modes',
        },
        {
          id: 's5',
          agent: 'fmsr',
          tool: 'get_failure_codes',
          args: { code: '$s3.work_orders.0.secondary_code' },
          dependsOn: ['s3'],
          description: 'what the failure code of the repair means',
        },
      );
    }
    return {
      key: `${asset.asset_id}:${run.rule_id}:${first}`,
      utterance: ctx.rng.pick([
        `${asset.name} raised ${run.rule_id} alerts (${run.rule_name}) starting ${readable(first)} UTC. Which failure mode was most likely behind them?`,
        `What failure mode most likely caused the ${run.rule_id} alerts on ${asset.name} that began on ${day(first)}?`,
      ]),
      now,
      site: asset.site_id,
      expected: { type: 'entity', value: truth.name, aliases: [truth.id] },
      requiredEvidence: [
        {
          tool: 'get_failure_mode_sensor_mapping',
          anyOf: ['get_failure_modes'],
          asset: asset.asset_id,
          description: `find the failure modes the ${sensor.label} sensor reveals`,
        },
        ...(viaRepair
          ? [
              {
                tool: 'get_work_orders',
                anyOf: ['get_corrective_work_orders', 'get_events'],
                asset: asset.asset_id,
                description: 'find the repair that followed the alerts',
              },
            ]
          : []),
      ],
      referencePlan: plan,
    };
  },
  answerFromPlan: (results) => {
    const map = stepData<{ sensor2fm: Record<string, string[]> }>(results, 's2');
    const names = map ? (Object.values(map.sensor2fm)[0] ?? []) : [];
    if (names.length === 1) return names[0];
    const wos = stepData<{
      work_orders: Array<{ description: string | null; component: string | null }>;
    }>(results, 's3');
    const modes = stepData<{ failure_modes: Array<{ name: string; component: string | null }> }>(
      results,
      's4',
    );
    const codes = stepData<{
      failure_codes: Array<{ primary_description: string; secondary_description: string }>;
    }>(results, 's5');
    if (wos?.work_orders.length !== 1 || !modes || !codes) return undefined;
    const wo = wos.work_orders[0];
    const code = codes.failure_codes[0];
    const text = [wo.description, wo.component, code?.primary_description, code?.secondary_description].join(
      ' ',
    );
    const candidates = modes.failure_modes.filter((m) => names.includes(m.name));
    return matchRepair(text, candidates)?.name;
  },
};

export const FMSR_TEMPLATES: ScenarioTemplate[] = [
  classFailureModes,
  sensorsForMode,
  modesForSensor,
  mostRevealingSensor,
  repairFailureCode,
  alertFailureMode,
];
