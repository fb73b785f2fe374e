// Runs a scenario's reference plan through the tools (a session frozen at the scenario's
// "now"), in an order that respects the plan's partial order. Arguments may point at an
// earlier step's result: "$s1.handle" is replaced by that field of step s1's data.
import type { Dataset } from '../dataset/open.ts';
import { createSession } from '../tools/registry.ts';
import type { ToolSession } from '../tools/session.ts';
import type { PlanStep, Scenario } from './schema.ts';

export interface PlanRun {
  session: ToolSession;
  /** Data of each successful step, by step id. */
  results: Map<string, unknown>;
  /** Steps that failed, with the tool's error message. */
  failures: Array<{ step: string; message: string }>;
}

/** Steps in an order where every dependency comes first (stable for ties). */
export function topoOrder(steps: PlanStep[]): PlanStep[] {
  const done = new Set<string>();
  const out: PlanStep[] = [];
  const pending = [...steps];
  while (pending.length > 0) {
    const i = pending.findIndex((s) => s.dependsOn.every((d) => done.has(d)));
    if (i < 0)
      throw new Error(
        `the plan has a cycle or an unknown dependency among ${pending.map((s) => s.id).join(', ')}`,
      );
    const [s] = pending.splice(i, 1);
    done.add(s.id);
    out.push(s);
  }
  return out;
}

function resolveRefs(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string' && /^\$[A-Za-z0-9_-]+\./.test(value)) {
    const [stepId, ...path] = value.slice(1).split('.');
    let cur: unknown = results.get(stepId);
    for (const p of path)
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
    return cur;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, results)]));
  }
  return value;
}

export async function runPlan(ds: Dataset, scenario: Scenario): Promise<PlanRun> {
  const session = createSession(ds, { now: scenario.context.now, id: `plan:${scenario.id}` });
  const results = new Map<string, unknown>();
  const failures: PlanRun['failures'] = [];
  for (const step of topoOrder(scenario.referencePlan)) {
    const r = await session.call(step.tool, resolveRefs(step.args, results));
    if (r.ok) results.set(step.id, r.data);
    else failures.push({ step: step.id, message: `${r.error.code}: ${r.error.message}` });
  }
  return { session, results, failures };
}
