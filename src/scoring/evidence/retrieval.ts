// Retrieval accuracy: did the agent fetch the data the answer depends on? Each required
// evidence item of the scenario must be met by a successful call in the tool server's log:
// the right tool (or an accepted alternative), on the right asset/site/sensors (whatever name
// the agent used for them), over a window that covers the one needed, with the required
// arguments. A failed call fetched nothing, so it never counts.
import type { Evidence } from '../../scenarios/schema.ts';
import type { DimensionVerdict, EvidencePointer } from '../types.ts';
import { type Call, describeCall, pointTo } from './calls.ts';
import type { Context } from './context.ts';
import { type Aliases, entityArgs, isOneOf, sensorIsOneOf } from './entities.ts';
import { clip, isObj, listed, norm, notApplicable, plural, verdict } from './util.ts';
import { callSpan, covers } from './windows.ts';

export type Match = { ok: true } | { ok: false; why: string };

const OK: Match = { ok: true };

/** Whether a call's argument value meets a required one (names normalised, lists as subsets). */
function argMatches(have: unknown, want: unknown, key: string, aliases: Aliases): boolean {
  if (typeof want === 'string') {
    if (typeof have !== 'string') return false;
    return key === 'asset' || key === 'site' ? aliases.same(have, want) : norm(have) === norm(want);
  }
  if (Array.isArray(want)) {
    const list = Array.isArray(have) ? have : [have];
    return want.every((w) => list.some((h) => argMatches(h, w, key, aliases)));
  }
  if (isObj(want)) {
    return isObj(have) && Object.entries(want).every(([k, v]) => argMatches(have[k], v, k, aliases));
  }
  return have === want;
}

export function toolsOf(e: Pick<Evidence, 'tool' | 'anyOf'>): string[] {
  return [e.tool, ...(Array.isArray(e.anyOf) ? e.anyOf : [])];
}

/** Whether one call meets one evidence item; when not, the first reason why. */
export function meets(call: Call, e: Evidence, ctx: Pick<Context, 'aliases' | 'now'>): Match {
  if (!toolsOf(e).includes(call.tool)) return { ok: false, why: `${call.tool} is not ${listed(toolsOf(e))}` };
  if (!call.ok) return { ok: false, why: `the call failed (${call.errorCode ?? 'error'})` };
  const have = entityArgs(call.args);
  if (typeof e.asset === 'string') {
    if (have.assets.length === 0) return { ok: false, why: 'it names no asset' };
    if (!have.assets.some((a) => isOneOf(a, [e.asset as string], ctx.aliases)))
      return { ok: false, why: `it reads ${listed(have.assets)}, not ${e.asset}` };
  }
  if (typeof e.site === 'string') {
    if (have.sites.length === 0) return { ok: false, why: 'it names no site' };
    if (!have.sites.some((s) => isOneOf(s, [e.site as string], ctx.aliases)))
      return { ok: false, why: `it reads site ${listed(have.sites)}, not ${e.site}` };
  }
  // No sensor argument reads every sensor of the asset.
  if (Array.isArray(e.sensors) && e.sensors.length > 0 && have.sensors.length > 0) {
    const missing = e.sensors.filter((s) => !sensorIsOneOf(s, have.sensors));
    if (missing.length > 0) return { ok: false, why: `it does not read ${listed(missing)}` };
  }
  if (e.window) {
    const span = callSpan(call.tool, call.args, ctx.now);
    if (span === null) return { ok: false, why: 'its start or end is not a time' };
    if (!covers(span, e.window, ctx.now))
      return { ok: false, why: `its window does not cover ${e.window.start} .. ${e.window.end}` };
  }
  if (isObj(e.args)) {
    for (const [k, v] of Object.entries(e.args))
      if (!argMatches(call.args[k], v, k, ctx.aliases))
        return { ok: false, why: `its ${k} is not ${clip(JSON.stringify(v), 40)}` };
  }
  return OK;
}

function label(e: Evidence): string {
  const what = [e.asset, e.site, e.sensors?.join(', ')].filter(Boolean).join(' / ');
  return `${e.tool}${what ? ` on ${what}` : ''}${e.window ? ` (${e.window.start} .. ${e.window.end})` : ''}`;
}

export function scoreRetrieval(ctx: Context): DimensionVerdict {
  const items = Array.isArray(ctx.scenario.requiredEvidence) ? ctx.scenario.requiredEvidence : [];
  if (items.length === 0) return notApplicable('The scenario names no required evidence.');
  const evidence: EvidencePointer[] = [];
  const missing: string[] = [];
  for (const e of items) {
    const hit = ctx.calls.find((c) => meets(c, e, ctx).ok);
    if (hit) {
      evidence.push(pointTo(hit, `meets "${clip(e.description ?? label(e), 80)}"`));
      continue;
    }
    // Name the nearest miss: a call of the right tool, and why it did not count.
    const near = ctx.calls.find((c) => toolsOf(e).includes(c.tool));
    const why = near
      ? `; nearest: ${describeCall(near)}, but ${(meets(near, e, ctx) as { why: string }).why}`
      : '';
    missing.push(label(e));
    evidence.push({
      ...(near ? pointTo(near, '') : {}),
      note: `missing: ${clip(e.description ?? label(e), 80)} (${label(e)})${why}`,
    });
  }
  const met = items.length - missing.length;
  const rationale =
    missing.length === 0
      ? `All ${plural(items.length, 'required evidence item')} were fetched by successful calls.`
      : `${met} of ${plural(items.length, 'required evidence item')} fetched; missing: ${listed(missing, 3)}.`;
  return verdict(missing.length === 0, met / items.length, rationale, evidence);
}
