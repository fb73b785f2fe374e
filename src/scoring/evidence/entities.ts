// Which names mean the same asset, site or sensor. Scenarios name assets by id ("CWC04001") in
// their required evidence and by name ("Chiller 1") in their plans; agents use either, or an
// alias. Scoring gets no dataset (it must run on any stored trajectory), so the equivalences
// are learnt from what the run itself shows: the tool results (every asset listing pairs an id
// with a name, and a call on "Chiller 1" answers with asset_id CWC04001), the scenario's own
// pairing of evidence and plan steps, and the expected answer's aliases.
import type { Scenario } from '../../scenarios/schema.ts';
import type { Call } from './calls.ts';
import { normaliseArgs } from './calls.ts';
import { containsWords, isObj, norm, type Obj } from './util.ts';

/** Union-find over normalised names. */
export class Aliases {
  private readonly parent = new Map<string, string>();

  private root(x: string): string {
    let r = x;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    // Path compression keeps later look-ups short.
    let c = x;
    while (c !== r) {
      const next = this.parent.get(c) ?? r;
      this.parent.set(c, r);
      c = next;
    }
    return r;
  }

  union(a: string, b: string): void {
    const na = norm(a);
    const nb = norm(b);
    if (!na || !nb) return;
    const ra = this.root(na);
    const rb = this.root(nb);
    if (ra !== rb) this.parent.set(ra, rb);
  }

  /** The representative of a name's group (the name itself when nothing is known about it). */
  key(a: string): string {
    return this.root(norm(a));
  }

  same(a: string, b: string): boolean {
    return this.key(a) === this.key(b);
  }
}

export interface EntityArgs {
  assets: string[];
  sites: string[];
  sensors: string[];
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v] : [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return [];
}

/** The asset, site and sensor names among a call's (normalised) arguments. */
export function entityArgs(args: Obj): EntityArgs {
  return {
    assets: strings(args.asset),
    sites: strings(args.site),
    sensors: [...strings(args.sensors), ...strings(args.sensor)],
  };
}

/**
 * Sensor names match when equal, or when one is the other with the asset's name in front
 * ("Chiller 1 Tonnage" and its label "Tonnage"): the tools accept both (lookup.ts).
 */
export function sensorMatches(a: string, b: string): boolean {
  const na = norm(a);
  const nb = norm(b);
  if (!na || !nb) return false;
  if (na === nb) return true;
  const [long, short] = na.length > nb.length ? [na, nb] : [nb, na];
  return long.endsWith(` ${short}`);
}

const ASSET_PAIR_RE = /"asset_id"\s*:\s*"([^"]+)"\s*,\s*"name"\s*:\s*"([^"]+)"/g;
const SITE_PAIR_RE = /"site"\s*:\s*"([^"]+)"\s*,\s*"name"\s*:\s*"([^"]+)"\s*,\s*"timezone"/g;
const LEADING_ASSET_RE = /^\s*\{\s*"asset_id"\s*:\s*"([^"]+)"/;

/** Pairs every object in a result that carries an asset id with its name and aliases. */
function learnFromObjects(x: unknown, aliases: Aliases, depth = 0): void {
  if (depth > 6) return;
  if (Array.isArray(x)) {
    for (const item of x.slice(0, 2000)) learnFromObjects(item, aliases, depth + 1);
    return;
  }
  if (!isObj(x)) return;
  if (typeof x.asset_id === 'string') {
    for (const other of [x.name, x.equipment_id, ...strings(x.aliases)])
      if (typeof other === 'string') aliases.union(x.asset_id, other);
  }
  // The sites tool: {site, name, timezone}.
  if (typeof x.site === 'string' && typeof x.name === 'string' && 'timezone' in x)
    aliases.union(x.site, x.name);
  for (const v of Object.values(x)) if (typeof v === 'object') learnFromObjects(v, aliases, depth + 1);
}

function learnFromCall(call: Call, aliases: Aliases): void {
  if (call.resultText === null) return;
  if (call.result !== undefined) learnFromObjects(call.result, aliases);
  else {
    // Clipped results are not JSON any more; the pairs are still readable in the text.
    for (const m of call.resultText.matchAll(ASSET_PAIR_RE)) aliases.union(m[1], m[2]);
    for (const m of call.resultText.matchAll(SITE_PAIR_RE)) aliases.union(m[1], m[2]);
  }
  // The asset a call was about is the one its result names at the top.
  if (!call.ok) return;
  const asset = typeof call.args.asset === 'string' ? call.args.asset : null;
  if (!asset) return;
  const top = isObj(call.result) ? call.result.asset_id : LEADING_ASSET_RE.exec(call.resultText)?.[1];
  if (typeof top === 'string') aliases.union(asset, top);
}

interface PlanEntities extends EntityArgs {
  tool: string;
}

/** Evidence items and the plan steps of the same tool, for each tool both use an entity in. */
function pairings(s: Scenario) {
  const plan: PlanEntities[] = (Array.isArray(s.referencePlan) ? s.referencePlan : []).map((p) => ({
    tool: p.tool,
    ...entityArgs(normaliseArgs(p.args)),
  }));
  const evidence = Array.isArray(s.requiredEvidence) ? s.requiredEvidence : [];
  const out: Array<{ items: Array<{ name: string; sensors: string[] }>; steps: string[][] }> = [];
  for (const tool of new Set(evidence.map((e) => e.tool))) {
    const items = evidence.filter((e) => e.tool === tool);
    const steps = plan.filter((p) => p.tool === tool);
    for (const [field, planField] of [
      ['asset', 'assets'],
      ['site', 'sites'],
    ] as const) {
      const withEntity = items.flatMap((e) =>
        typeof e[field] === 'string' ? [{ name: e[field] as string, sensors: e.sensors ?? [] }] : [],
      );
      const planWith = steps.filter((p) => p[planField].length === 1);
      if (withEntity.length > 0 && planWith.length > 0)
        out.push({ items: withEntity, steps: planWith.map((p) => [p[planField][0], ...p.sensors]) });
    }
  }
  return out;
}

/**
 * The scenario pairs evidence (ids) with plan steps (names): an evidence item and the plan
 * step of the same tool that reads the same sensors, or the only plan step of that tool, are
 * about the same asset.
 */
function learnFromScenario(s: Scenario, aliases: Aliases): void {
  for (const { items, steps } of pairings(s)) {
    const distinct = new Set(steps.map((p) => norm(p[0])));
    for (const e of items) {
      const bySensor = steps.filter(([, ...sensors]) =>
        e.sensors.some((a) => sensors.some((b) => sensorMatches(a, b))),
      );
      const names = new Set(bySensor.map((p) => norm(p[0])));
      if (names.size === 1) aliases.union(e.name, bySensor[0][0]);
      else if (distinct.size === 1) aliases.union(e.name, steps[0][0]);
    }
  }
  // Set and ranking aliases are other spellings of the same entity (entity aliases are not:
  // they may be other acceptable answers).
  const expectedParts = s.expected?.type === 'record' ? Object.values(s.expected.fields) : [s.expected];
  for (const part of expectedParts) {
    if (part?.type !== 'set' && part?.type !== 'ranking') continue;
    for (const [value, others] of Object.entries(part.aliases ?? {}))
      for (const other of others) aliases.union(value, other);
  }
}

/**
 * Last resort, after the results have spoken: when a tool's evidence items and plan steps are
 * as many, they pair in order (the generator writes both from the same list), but only where
 * neither side is already tied to another candidate, so a wrong guess cannot merge two assets.
 */
function learnByOrder(s: Scenario, aliases: Aliases): void {
  for (const { items, steps } of pairings(s)) {
    if (items.length !== steps.length) continue;
    items.forEach((e, i) => {
      const name = steps[i][0];
      if (aliases.same(e.name, name)) return;
      const tiedElsewhere =
        items.some((o, j) => j !== i && aliases.same(o.name, name)) ||
        steps.some((p, j) => j !== i && aliases.same(p[0], e.name));
      if (!tiedElsewhere) aliases.union(e.name, name);
    });
  }
}

export function buildAliases(scenario: Scenario, calls: Call[]): Aliases {
  const aliases = new Aliases();
  try {
    learnFromScenario(scenario, aliases);
  } catch {
    // A malformed scenario teaches nothing; the calls still do.
  }
  for (const call of calls) {
    try {
      learnFromCall(call, aliases);
    } catch {
      // Same for a strange result.
    }
  }
  try {
    learnByOrder(scenario, aliases);
  } catch {
    // Nothing more to learn.
  }
  return aliases;
}

/** Every asset, site and sensor the scenario needs: evidence, plan, expected answer, context. */
export function scenarioEntities(s: Scenario): EntityArgs {
  const out: EntityArgs = { assets: [], sites: [], sensors: [] };
  const add = (e: EntityArgs) => {
    out.assets.push(...e.assets);
    out.sites.push(...e.sites);
    out.sensors.push(...e.sensors);
  };
  for (const e of Array.isArray(s.requiredEvidence) ? s.requiredEvidence : [])
    add({ assets: strings(e.asset), sites: strings(e.site), sensors: strings(e.sensors) });
  for (const p of Array.isArray(s.referencePlan) ? s.referencePlan : [])
    add(entityArgs(normaliseArgs(p.args)));
  if (s.expected?.type === 'forecast')
    add({ assets: [s.expected.asset], sites: [], sensors: [s.expected.sensor] });
  if (typeof s.context?.site === 'string') out.sites.push(s.context.site);
  return out;
}

/** Whether a name (asset or site) is one of the wanted ones, by alias group or as whole words. */
export function isOneOf(name: string, wanted: string[], aliases: Aliases): boolean {
  const key = aliases.key(name);
  return wanted.some((w) => aliases.key(w) === key || norm(w) === norm(name));
}

export function sensorIsOneOf(name: string, wanted: string[]): boolean {
  return wanted.some((w) => sensorMatches(name, w));
}

/** Whether a text mentions a name as whole words (both normalised inside). */
export function mentions(text: string, name: string): boolean {
  return containsWords(norm(text), norm(name));
}
