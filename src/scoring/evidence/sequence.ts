// Sequence correctness: the calls the agent made respect the reference plan's partial order.
// For every plan edge A -> B where both steps were carried out, the first successful call that
// does A comes before the first that does B (calls in the server's log order). A work order is
// written only after the analysis it depends on: the first attempt to write must come after at
// least one of the write step's dependencies and before none of them. On the planning track,
// each handoff must go to an agent the plan names.
import type { PlanStep } from '../../scenarios/schema.ts';
import type { DimensionVerdict, EvidencePointer } from '../types.ts';
import { type Call, describeCall, normaliseArgs, pointTo } from './calls.ts';
import type { Context } from './context.ts';
import { entityArgs, isOneOf } from './entities.ts';
import { WRITE_TOOLS } from './tool-facts.ts';
import { listed, norm, notApplicable, plural, verdict } from './util.ts';

interface Item {
  ok: boolean;
  note: string;
  pointer: EvidencePointer | null;
}

/**
 * Tools that do a plan step's job: its own, and the alternatives the evidence items accept for
 * it, as long as the plan does not use that alternative for a step of its own (then a call of
 * it is that other step, not this one).
 */
function alternatives(ctx: Context, tool: string, planTools: Set<string>): Set<string> {
  const out = new Set([tool]);
  for (const e of Array.isArray(ctx.scenario.requiredEvidence) ? ctx.scenario.requiredEvidence : []) {
    const group = [e.tool, ...(e.anyOf ?? [])];
    if (group.includes(tool)) for (const t of group) if (!planTools.has(t)) out.add(t);
  }
  return out;
}

/** A call does a plan step: same tool (or an accepted alternative), and no entity that contradicts. */
function does(ctx: Context, call: Call, step: PlanStep, tools: Set<string>): boolean {
  if (!tools.has(call.tool)) return false;
  const want = entityArgs(normaliseArgs(step.args));
  const have = entityArgs(call.args);
  if (
    want.assets.length > 0 &&
    have.assets.length > 0 &&
    !have.assets.some((a) => isOneOf(a, want.assets, ctx.aliases))
  )
    return false;
  if (
    want.sites.length > 0 &&
    have.sites.length > 0 &&
    !have.sites.some((s) => isOneOf(s, want.sites, ctx.aliases))
  )
    return false;
  return true;
}

/** A handoff target as one of the plan's agents: "iot_agent", "IoTAgent", "WorkOrderAgent" -> iot, wo. */
export function agentDomain(name: string): string | null {
  const n = norm(name)
    .replace(/[\s.]+/g, '')
    .replace(/agents?$/, '');
  if (n === 'iot') return 'iot';
  if (n === 'fmsr' || n === 'failuremode' || n === 'failuremodes') return 'fmsr';
  if (n === 'tsfm' || n === 'timeseries') return 'tsfm';
  if (n === 'wo' || n === 'workorder' || n === 'workorders') return 'wo';
  if (n === 'util' || n === 'utility' || n === 'utilities') return 'util';
  return null;
}

export function scoreSequence(ctx: Context): DimensionVerdict {
  const plan = Array.isArray(ctx.scenario.referencePlan) ? ctx.scenario.referencePlan : [];
  if (plan.length === 0) return notApplicable('The scenario has no reference plan.');
  const byId = new Map(plan.map((p) => [p.id, p]));
  const okCalls = ctx.calls.filter((c) => c.ok);
  const firstOk = new Map<string, number>();
  const planTools = new Set(plan.map((p) => p.tool));
  for (const step of plan) {
    const tools = alternatives(ctx, step.tool, planTools);
    const i = okCalls.findIndex((c) => does(ctx, c, step, tools));
    if (i >= 0) firstOk.set(step.id, ctx.calls.indexOf(okCalls[i]));
  }
  const items: Item[] = [];

  for (const b of plan) {
    for (const aId of b.dependsOn ?? []) {
      const ia = firstOk.get(aId);
      const ib = firstOk.get(b.id);
      if (ia === undefined || ib === undefined) continue;
      const ca = ctx.calls[ia];
      const cb = ctx.calls[ib];
      items.push({
        ok: ia < ib,
        note: `${aId} (${describeCall(ca)}) ${ia < ib ? 'before' : 'after'} ${b.id} (${describeCall(cb)})`,
        pointer: pointTo(ia < ib ? cb : ca, ''),
      });
    }
  }

  // Writing a work order before looking at the data is the costly mistake: check it even when
  // the dependencies were done later or not at all.
  for (const step of plan.filter((p) => WRITE_TOOLS.has(p.tool) && (p.dependsOn ?? []).length > 0)) {
    const w = ctx.calls.findIndex((c) => c.tool === step.tool && does(ctx, c, step, new Set([step.tool])));
    if (w < 0) continue;
    const deps = (step.dependsOn ?? []).filter((id) => byId.has(id));
    const before = deps.filter((id) => (firstOk.get(id) ?? Number.POSITIVE_INFINITY) < w);
    const after = deps.filter((id) => (firstOk.get(id) ?? -1) > w);
    const ok = before.length > 0 && after.length === 0;
    items.push({
      ok,
      note: ok
        ? `${step.tool} (#${ctx.calls[w].seq}) after ${listed(before)}`
        : after.length > 0
          ? `${step.tool} (#${ctx.calls[w].seq}) before the analysis it depends on (${listed(after)})`
          : `${step.tool} (#${ctx.calls[w].seq}) without any of the analysis it depends on (${listed(deps)})`,
      pointer: pointTo(ctx.calls[w], ''),
    });
  }

  if (ctx.trajectory.track === 'planning') {
    const agents = new Set(plan.map((p) => p.agent as string));
    ctx.steps.forEach((s, i) => {
      if (s.kind !== 'handoff' || !s.handoff) return;
      const domain = agentDomain(String(s.handoff.to));
      // A target we cannot place is not evidence either way.
      if (domain === null) return;
      const ok = agents.has(domain) || domain === 'util';
      items.push({
        ok,
        note: `handoff to ${s.handoff.to}${ok ? '' : `, an agent the plan does not use (${listed([...agents])})`}`,
        pointer: { step: i, note: '' },
      });
    });
  }

  if (items.length === 0) {
    // An order is only followed by doing something: a plan none of whose steps was carried
    // out was not followed.
    if (firstOk.size === 0)
      return verdict(
        false,
        0,
        ctx.work.dataCalls.length === 0
          ? 'No data was fetched, so none of the reference plan was carried out.'
          : `None of the reference plan's ${plural(plan.length, 'step')} was carried out (${listed(plan.map((p) => p.tool))}).`,
      );
    return verdict(
      true,
      1,
      `${plural(firstOk.size, 'plan step')} carried out; no two dependent steps to order.`,
    );
  }
  const bad = items.filter((i) => !i.ok);
  const evidence = items.map((i) => ({ ...(i.pointer ?? {}), note: i.note }));
  const rationale =
    bad.length === 0
      ? `All ${plural(items.length, 'order check')} hold.`
      : `${bad.length} of ${plural(items.length, 'order check')} fail: ${listed(
          bad.map((i) => i.note),
          2,
        )}.`;
  return verdict(bad.length === 0, (items.length - bad.length) / items.length, rationale, evidence);
}
