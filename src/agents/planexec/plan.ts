// The typed plan the planner writes, the verifier's verdict, and the order plan steps run in.
// Strict objects: OpenAI's structured outputs reject a schema whose objects allow extra keys.
import { z } from 'zod';
import { AGENT_DOMAINS } from './domains.ts';

export const MAX_PLAN_STEPS = 7;

export const PlanStepSchema = z.strictObject({
  id: z.string().describe('Short step id: s1, s2, ...'),
  task: z.string().describe('A self-contained instruction for the agent'),
  agent: z.enum(AGENT_DOMAINS),
  dependsOn: z.array(z.string()).describe('Ids of earlier steps whose output this step needs'),
  expectedOutput: z.string().describe('What a correct result of this step contains'),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const PlanSchema = z.strictObject({
  steps: z.array(PlanStepSchema).min(1).max(MAX_PLAN_STEPS),
});
export type Plan = z.infer<typeof PlanSchema>;

export const VerdictSchema = z.strictObject({
  ok: z.boolean(),
  reason: z.string().describe('One sentence'),
});
export type Verdict = z.infer<typeof VerdictSchema>;

/**
 * Steps in an order where each runs after the steps it depends on (listed order for ties).
 * A dependency outside this plan is met already (a step done before a re-plan) or a wrong id;
 * either way it does not hold the step back. A cycle is broken by taking the first step left.
 */
export function executionOrder(steps: PlanStep[]): PlanStep[] {
  const ids = new Set(steps.map((s) => s.id));
  const done = new Set<string>();
  const pending = [...steps];
  const out: PlanStep[] = [];
  const ready = (s: PlanStep) => s.dependsOn.every((d) => done.has(d) || !ids.has(d));
  while (pending.length > 0) {
    const i = Math.max(0, pending.findIndex(ready));
    const [s] = pending.splice(i, 1);
    done.add(s.id);
    out.push(s);
  }
  return out;
}
