// FMSR tools: the failure-mode catalog, which sensors reveal which failure modes, and
// the failure-code list. Relevancy comes from the catalog (each mode's sensor list and
// signature), not from a language model, so the same question always gets the same answer.
import { z } from 'zod';
import type { Dataset } from '../dataset/open.ts';
import { parseJsonList } from '../util/json.ts';
import { type AssetRow, closest, directory, resolveAsset, resolveSensors } from './lookup.ts';
import { defineTool, type ToolContext, ToolFailure } from './types.ts';

/** Rows returned inline by get_failure_codes; the rest is behind a handle. */
export const CODE_ROWS = 50;

export interface FailureModeRow {
  id: string;
  asset_class: string;
  name: string;
  component: string | null;
  degradation_mechanism: string | null;
  influencing_factors: string[];
  /** Sensor keys of the class that reveal the mode. */
  sensors: string[];
  signature: string | null;
  /** The failure code written on its corrective work orders. */
  failure_code: string | null;
  /** Alert rules that typically catch it. */
  alert_rules: string[];
}

export interface FailureCodeRow {
  category: string;
  primary_code: string;
  primary_description: string;
  secondary_code: string;
  secondary_description: string;
}

const modeCache = new WeakMap<Dataset, Promise<FailureModeRow[]>>();
const codeCache = new WeakMap<Dataset, Promise<FailureCodeRow[]>>();

/** The failure-mode catalog, loaded once per dataset, in catalog (id) order. */
export function failureModes(ds: Dataset): Promise<FailureModeRow[]> {
  let p = modeCache.get(ds);
  if (!p) {
    p = ds
      .query<Record<string, string | null>>(
        `select failure_mode_id, asset_class, name, component, degradation_mechanism, influencing_factors,
                sensors, signature, failure_code, alert_rules from failure_modes order by failure_mode_id`,
      )
      .then((rows) =>
        rows.map((r) => ({
          id: r.failure_mode_id as string,
          asset_class: r.asset_class as string,
          name: r.name as string,
          component: r.component,
          degradation_mechanism: r.degradation_mechanism,
          influencing_factors: parseJsonList(r.influencing_factors),
          sensors: parseJsonList(r.sensors),
          signature: r.signature,
          failure_code: r.failure_code,
          alert_rules: parseJsonList(r.alert_rules),
        })),
      );
    modeCache.set(ds, p);
  }
  return p;
}

/** The failure and maintenance codes, loaded once per dataset. */
export function failureCodes(ds: Dataset): Promise<FailureCodeRow[]> {
  let p = codeCache.get(ds);
  if (!p) {
    p = ds.query<FailureCodeRow>(
      `select category, primary_code, primary_description, secondary_code, secondary_description
         from failure_codes order by primary_code, secondary_code`,
    );
    codeCache.set(ds, p);
  }
  return p;
}

function normClass(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

interface Target {
  asset_class: string;
  asset?: AssetRow;
}

/** The class a call is about: the given class, or the class of the given asset. */
async function resolveTarget(ds: Dataset, asset?: string, assetClass?: string): Promise<Target> {
  if (!asset && !assetClass) {
    throw new ToolFailure(
      'invalid_arguments',
      'give either asset or asset_class',
      'Pass asset (e.g. "Chiller 6") or asset_class (e.g. "chiller")',
    );
  }
  if (asset) {
    const a = await resolveAsset(ds, asset);
    return { asset_class: a.asset_class, asset: a };
  }
  const modes = await failureModes(ds);
  const classes = [...new Set(modes.map((m) => m.asset_class))];
  const wanted = normClass(assetClass as string);
  // "Chillers" and "AHUs" mean the class too.
  const hit = classes.find((c) => c === wanted || `${c}s` === wanted);
  if (hit) return { asset_class: hit };
  throw new ToolFailure(
    'not_found',
    `no failure modes for asset class "${assetClass}"`,
    `Use one of the catalog's classes: ${classes.join(', ')}`,
    closest(wanted, classes),
  );
}

function modesOf(all: FailureModeRow[], cls: string): FailureModeRow[] {
  return all.filter((m) => m.asset_class === cls);
}

const FailureModeOut = z.object({
  id: z.string(),
  name: z.string(),
  component: z.string().nullable(),
  degradation_mechanism: z.string().nullable(),
  influencing_factors: z.array(z.string()),
  signature: z.string().nullable(),
  failure_code: z.string().nullable(),
  alert_rules: z.array(z.string()),
});

export const getFailureModesTool = defineTool({
  name: 'get_failure_modes',
  domain: 'fmsr',
  description:
    'List the known failure modes of an asset class from the failure-mode catalog. Arguments: asset (name or id such as "Chiller 6"; its class is used) or asset_class (e.g. "chiller", "ahu", "pump"); one of them is required. Returns each mode id, name, component, degradation mechanism, influencing factors, its signature (what the data shows), the failure code written on its repairs and the alert rules that typically catch it.',
  input: z.object({
    asset: z.string().min(1).optional(),
    asset_class: z.string().min(1).optional(),
  }),
  output: z.object({
    asset_class: z.string(),
    total: z.number(),
    failure_modes: z.array(FailureModeOut),
  }),
  readOnly: true,
  async handler({ asset, asset_class }, { ds }) {
    const target = await resolveTarget(ds, asset, asset_class);
    const modes = modesOf(await failureModes(ds), target.asset_class);
    return {
      asset_class: target.asset_class,
      total: modes.length,
      failure_modes: modes.map((m) => ({
        id: m.id,
        name: m.name,
        component: m.component,
        degradation_mechanism: m.degradation_mechanism,
        influencing_factors: m.influencing_factors,
        signature: m.signature,
        failure_code: m.failure_code,
        alert_rules: m.alert_rules,
      })),
    };
  },
});

interface SensorRef {
  key: string;
  label: string;
}

/** Sensors an asset logs, or the distinct sensors logged by any asset of a class. */
async function targetSensors(ds: Dataset, target: Target, wanted?: string[]): Promise<SensorRef[]> {
  if (target.asset) {
    const list = await resolveSensors(ds, target.asset, wanted);
    return [...new Map(list.map((s) => [s.sensor_key, { key: s.sensor_key, label: s.label }])).values()];
  }
  const dir = await directory(ds);
  const byKey = new Map<string, SensorRef>();
  for (const a of dir.assets.filter((x) => x.asset_class === target.asset_class)) {
    for (const s of dir.sensorsByAsset.get(a.asset_id) ?? []) {
      if (!byKey.has(s.sensor_key)) byKey.set(s.sensor_key, { key: s.sensor_key, label: s.label });
    }
  }
  const all = [...byKey.values()];
  if (!wanted || wanted.length === 0) return all;
  return wanted.map((w) => {
    const n = w.trim().toLowerCase();
    const hit = all.find(
      (s) => s.label.toLowerCase() === n || s.key.toLowerCase() === n.replace(/\s+/g, '_'),
    );
    if (hit) return hit;
    const near = closest(
      w,
      all.map((s) => s.label),
    );
    throw new ToolFailure(
      'not_found',
      `assets of class ${target.asset_class} have no sensor "${w}"`,
      `Use sensor labels of the class, e.g. ${near.map((x) => `"${x}"`).join(', ')}`,
      near,
    );
  });
}

function selectModes(modes: FailureModeRow[], cls: string, wanted?: string[]): FailureModeRow[] {
  if (!wanted || wanted.length === 0) return modes;
  return wanted.map((w) => {
    const n = w.trim().toLowerCase();
    const hit = modes.find((m) => m.id.toLowerCase() === n || m.name.toLowerCase() === n);
    if (hit) return hit;
    const near = closest(
      w,
      modes.map((m) => m.name),
    );
    throw new ToolFailure(
      'not_found',
      `asset class ${cls} has no failure mode "${w}"`,
      `Use a failure mode id or name from get_failure_modes, e.g. ${near.map((x) => `"${x}"`).join(', ')}`,
      near,
    );
  });
}

/** Words too common in mode and sensor names to link them ("water", "temperature"...). */
const GENERIC = new Set(
  `water temperature air side rate unit the of and in to on high low improper operated system
   failure sensor flow pressure power input supply return`.split(/\s+/),
);

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9%]+/)
      .filter((w) => w.length > 2 && !GENERIC.has(w)),
  );
}

/** The clause of a signature that names a sensor (its label or its key in words), if any. */
function signatureClause(signature: string | null, s: SensorRef): string | null {
  if (!signature) return null;
  const phrases = [s.label.toLowerCase(), s.key.replace(/_/g, ' ').toLowerCase()];
  for (const clause of signature.split(/[,;.:]\s+|\.$/)) {
    const c = clause.toLowerCase();
    if (phrases.some((p) => c.includes(p))) return clause.trim();
  }
  return null;
}

interface Relevancy {
  failure_mode: string;
  sensor: string;
  relevant: boolean;
  reason: string;
}

/**
 * One (mode, sensor) judgement. The catalog's sensor list decides; the signature is quoted
 * as the evidence. Modes with neither a list nor a signature (the imported AssetOpsBench
 * catalog) fall back to shared words between mode and sensor names, and say so.
 */
function judge(m: FailureModeRow, s: SensorRef): Relevancy {
  const base = { failure_mode: m.name, sensor: s.label };
  const clause = signatureClause(m.signature, s);
  if (m.sensors.includes(s.key)) {
    const evidence = clause ? `; its signature: "${clause}"` : '';
    return {
      ...base,
      relevant: true,
      reason: `listed in the catalog among the sensors that reveal ${m.name}${evidence}`,
    };
  }
  if (m.sensors.length > 0 || m.signature) {
    const reason = clause
      ? 'not among the sensors listed for this mode (its signature mentions it only as context)'
      : 'not among the sensors listed for this mode and not mentioned in its signature';
    return { ...base, relevant: false, reason };
  }
  const modeWords = words(`${m.name} ${m.component ?? ''}`);
  const shared = [...words(s.label)].filter((w) => modeWords.has(w));
  if (shared.length > 0) {
    return {
      ...base,
      relevant: true,
      reason: `inferred: the catalog lists no sensors for this mode, and the sensor measures the same part (${shared.join(', ')})`,
    };
  }
  return {
    ...base,
    relevant: false,
    reason: 'the catalog lists no sensors for this mode, and the sensor name shares no part with it',
  };
}

export const getFailureModeSensorMappingTool = defineTool({
  name: 'get_failure_mode_sensor_mapping',
  domain: 'fmsr',
  description:
    'Which sensors reveal which failure modes, for an asset (its own sensors) or an asset class (the sensors its assets log). Arguments: asset or asset_class (one required), failure_modes (optional list of mode ids or names from get_failure_modes; default all), sensors (optional list of sensor labels; default all). Returns fm2sensor (mode -> relevant sensor labels), sensor2fm (sensor label -> modes it reveals) and a relevancy list with a yes/no and the reason for each (mode, sensor) pair.',
  input: z.object({
    asset: z.string().min(1).optional(),
    asset_class: z.string().min(1).optional(),
    failure_modes: z.array(z.string().min(1)).max(50).optional(),
    sensors: z.array(z.string().min(1)).max(60).optional(),
  }),
  output: z.object({
    asset_class: z.string(),
    fm2sensor: z.record(z.string(), z.array(z.string())),
    sensor2fm: z.record(z.string(), z.array(z.string())),
    relevancy: z.array(
      z.object({ failure_mode: z.string(), sensor: z.string(), relevant: z.boolean(), reason: z.string() }),
    ),
    note: z.string().nullable(),
  }),
  readOnly: true,
  async handler(args, { ds }) {
    const target = await resolveTarget(ds, args.asset, args.asset_class);
    const modes = selectModes(
      modesOf(await failureModes(ds), target.asset_class),
      target.asset_class,
      args.failure_modes,
    );
    const sensors = await targetSensors(ds, target, args.sensors);
    const relevancy = modes.flatMap((m) => sensors.map((s) => judge(m, s)));
    const fm2sensor: Record<string, string[]> = Object.fromEntries(modes.map((m) => [m.name, []]));
    const sensor2fm: Record<string, string[]> = Object.fromEntries(sensors.map((s) => [s.label, []]));
    for (const r of relevancy.filter((x) => x.relevant)) {
      fm2sensor[r.failure_mode].push(r.sensor);
      sensor2fm[r.sensor].push(r.failure_mode);
    }
    const notes: string[] = [];
    if (sensors.length === 0)
      notes.push(`no sensors are logged for ${target.asset?.name ?? target.asset_class}`);
    if (modes.some((m) => m.sensors.length === 0 && !m.signature)) {
      notes.push(
        'some modes have no sensor list in the catalog; their links are inferred from names (see reasons)',
      );
    }
    return {
      asset_class: target.asset_class,
      fm2sensor,
      sensor2fm,
      relevancy,
      note: notes.join('; ') || null,
    };
  },
});

const FailureCodeOut = z.object({
  category: z.string(),
  primary_code: z.string(),
  primary_description: z.string(),
  secondary_code: z.string(),
  secondary_description: z.string(),
});

function filterCodes(codes: FailureCodeRow[], args: { category?: string; search?: string; code?: string }) {
  let rows = codes;
  if (args.category) {
    const categories = [...new Set(codes.map((c) => c.category))];
    const wanted = args.category.trim().toLowerCase();
    const hits = categories.filter((c) => c.toLowerCase().includes(wanted));
    if (hits.length === 0) {
      throw new ToolFailure(
        'not_found',
        `no failure-code category "${args.category}"`,
        `Use one of: ${categories.join(', ')}`,
        closest(args.category, categories),
      );
    }
    rows = rows.filter((c) => hits.includes(c.category));
  }
  if (args.code) {
    const wanted = args.code.trim().toUpperCase();
    const hits = rows.filter(
      (c) => c.primary_code.toUpperCase() === wanted || c.secondary_code.toUpperCase() === wanted,
    );
    if (hits.length === 0) {
      const near = closest(args.code, [...new Set(codes.flatMap((c) => [c.primary_code, c.secondary_code]))]);
      throw new ToolFailure(
        'not_found',
        `no failure code "${args.code}"`,
        `Codes look like ${near.join(', ')}; list them with get_failure_codes and no arguments`,
        near,
      );
    }
    rows = hits;
  }
  if (args.search) {
    // Every word must appear somewhere in the code's descriptions or category.
    const terms = args.search.toLowerCase().split(/\s+/).filter(Boolean);
    rows = rows.filter((c) => {
      const text = `${c.category} ${c.primary_description} ${c.secondary_description}`.toLowerCase();
      return terms.every((t) => text.includes(t));
    });
  }
  return rows;
}

export const getFailureCodesTool = defineTool({
  name: 'get_failure_codes',
  domain: 'fmsr',
  description:
    'List the failure and maintenance codes used on work orders: category, primary code (e.g. M001) and secondary code (e.g. M001a) with descriptions. Arguments (all optional): category (e.g. "Structural and Mechanical"), search (words that must all appear in the descriptions, e.g. "bearing"), code (a primary or secondary code). Returns the total and the first 50 codes; read all through the handle with json_reader.',
  input: z.object({
    category: z.string().min(1).optional(),
    search: z.string().min(1).optional(),
    code: z.string().min(1).optional(),
  }),
  output: z.object({
    total: z.number(),
    failure_codes: z.array(FailureCodeOut),
    handle: z.string().nullable(),
    note: z.string().nullable(),
  }),
  readOnly: true,
  async handler(args, ctx: ToolContext) {
    const rows = filterCodes(await failureCodes(ctx.ds), args);
    const long = rows.length > CODE_ROWS;
    let note: string | null = null;
    if (rows.length === 0) note = 'no code matches; try fewer or other search words';
    if (long) note = `showing the first ${CODE_ROWS} of ${rows.length} codes; read all with json_reader`;
    return {
      total: rows.length,
      failure_codes: rows.slice(0, CODE_ROWS),
      handle: long ? ctx.storeResult(rows, 'failure codes') : null,
      note,
    };
  },
});

export const FMSR_TOOLS = [getFailureModesTool, getFailureModeSensorMappingTool, getFailureCodesTool];
