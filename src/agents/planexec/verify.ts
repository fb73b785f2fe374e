// The check at every handoff back, before a step's output is passed on. The mechanical checks
// come first and cost no model call: an empty answer, or a sub-agent whose every tool call
// failed (its answer can only be a guess). Then the model compares the answer with the step's
// expected output.
import { addStep, type Trajectory } from '../trajectory.ts';
import { type CallContext, structuredCall } from './calls.ts';
import type { PlanStep } from './plan.ts';
import { VerdictSchema } from './plan.ts';
import { VERIFIER_SYSTEM, verifierPrompt } from './prompts.ts';
import type { SubAgentRun } from './subagent.ts';

export const VERIFIER = 'verifier';

export interface Check {
  ok: boolean;
  reason: string;
}

function mechanicalCheck(run: SubAgentRun): Check | null {
  if (!run.answer) return { ok: false, reason: run.stopped ?? `${run.agent} gave an empty answer` };
  if (run.results.length > 0 && run.results.every((r) => !r.ok)) {
    const errors = [...new Set(run.results.map((r) => `${r.name}: ${r.error ?? 'failed'}`))].slice(0, 3);
    return { ok: false, reason: `every tool call of ${run.agent} failed (${errors.join('; ')})` };
  }
  return null;
}

/** Checks one step's output and records the verdict as the verifier's thought. */
export async function verifyStep(ctx: CallContext, step: PlanStep, run: SubAgentRun): Promise<Check> {
  const traj: Trajectory = ctx.traj;
  const early = mechanicalCheck(run);
  if (early) {
    addStep(traj, { agent: VERIFIER, kind: 'thought', content: `failed: ${early.reason}` });
    return early;
  }
  const calls = run.results.map((r) => (r.ok ? r.name : `${r.name} failed (${r.error ?? 'error'})`));
  const reply = await structuredCall(ctx, {
    name: 'verdict',
    schema: VerdictSchema,
    system: VERIFIER_SYSTEM,
    prompt: verifierPrompt(step, run.answer, calls),
  });
  // A verifier that gives no verdict cannot block the run: the step passed the mechanical
  // checks, so it goes on, and the missing verdict is kept as an error.
  const check: Check = reply.value ?? {
    ok: true,
    reason: `no verdict from the verifier (${reply.problem ?? 'unreadable reply'}); accepted`,
  };
  const s = addStep(traj, {
    agent: VERIFIER,
    kind: 'thought',
    content: `${check.ok ? 'passed' : 'failed'}: ${check.reason}`,
    tokens: reply.tokens,
    latencyMs: reply.latencyMs,
    at: new Date().toISOString(),
  });
  if (!reply.value) traj.errors.push({ kind: 'verifier_output', message: check.reason, step: s.index });
  return check;
}
