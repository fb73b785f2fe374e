// The plan-execute agent: a planner writes a typed plan of domain steps; each step runs as a
// short tool loop of one domain agent, with the outputs of the steps it depends on; a
// verifier checks each output before it is passed on, and a failed check sends the work back
// to the planner (a bounded number of times); a summariser writes the answer.
import type { LanguageModel } from 'ai';
import { parseFinalAnswer } from '../../util/answer-text.ts';
import { type Agent, type AgentTask, type AgentTools, startTrajectory } from '../agent.ts';
import { callSettingsOf } from '../providers/model.ts';
import { addStep, finish, type Trajectory, type TrajectoryStatus } from '../trajectory.ts';
import { appendBatch } from './batch.ts';
import { type CallContext, stoppedBy, structuredCall, textCall } from './calls.ts';
import { DEFAULT_TOOL_DOMAINS, subAgentName, type ToolDomains } from './domains.ts';
import { executionOrder, type Plan, PlanSchema, type PlanStep } from './plan.ts';
import {
  plannerPrompt,
  plannerSystem,
  type Replan,
  type StepOutput,
  summariserPrompt,
  summariserSystem,
} from './prompts.ts';
import { DEFAULT_SUB_AGENT_STEPS, runSubAgent, type SubAgentSettings } from './subagent.ts';
import { verifyStep } from './verify.ts';

export interface PlanExecuteOptions {
  /** Recorded in the trajectory (the spec the user gave, e.g. "openai:gpt-4o-mini"). */
  modelName: string;
  /** New plans after a failed check; one more failure then ends the run with status 'limit'. */
  maxReplans?: number;
  /** Model calls per domain agent run. */
  subAgentSteps?: number;
  /** Wall-clock budget of the run. */
  timeoutMs?: number;
  /** Overrides the retries set when the model was resolved. */
  maxRetries?: number;
  /** Tool name -> domain; defaults to DEFAULT_TOOL_DOMAINS (the bench's own tools). */
  toolDomains?: ToolDomains;
}

export const PLAN_EXECUTE = 'plan-execute';
export const PLANNER = 'planner';
export const SUMMARISER = 'summariser';
export const DEFAULT_MAX_REPLANS = 2;
export const DEFAULT_PLAN_TIMEOUT_MS = 600_000;

export function createPlanExecuteAgent(model: LanguageModel, opts: PlanExecuteOptions): Agent {
  return {
    name: PLAN_EXECUTE,
    model: opts.modelName,
    run: (task, tools) => runPlanExecute(model, opts, task, tools),
  };
}

async function runPlanExecute(
  model: LanguageModel,
  opts: PlanExecuteOptions,
  task: AgentTask,
  tools: AgentTools,
): Promise<Trajectory> {
  const traj = startTrajectory(PLAN_EXECUTE, opts.modelName, task);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PLAN_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const maxRetries = opts.maxRetries ?? callSettingsOf(model).maxRetries;
  const ctx: CallContext = { model, maxRetries, abortSignal: deadline, traj };
  const sub: SubAgentSettings = {
    model,
    task,
    tools,
    toolDomains: opts.toolDomains ?? DEFAULT_TOOL_DOMAINS,
    maxSteps: opts.subAgentSteps ?? DEFAULT_SUB_AGENT_STEPS,
    maxRetries,
    abortSignal: deadline,
    // No one else in this agent can ask, so the domain agents may.
    canAsk: true,
  };
  try {
    return await planAndExecute(ctx, sub, task, opts.maxReplans ?? DEFAULT_MAX_REPLANS);
  } catch (err) {
    const { status, error } = stoppedBy(err, deadline, timeoutMs);
    traj.errors.push(error);
    return finish(traj, status, null);
  }
}

async function planAndExecute(
  ctx: CallContext,
  sub: SubAgentSettings,
  task: AgentTask,
  maxReplans: number,
): Promise<Trajectory> {
  const { traj } = ctx;
  let plan = await makePlan(ctx, task, null);
  if (!plan) return finish(traj, 'failed', null);
  let queue = executionOrder(plan.steps);
  const done: StepOutput[] = [];
  let replans = 0;

  for (let step = queue.shift(); step; step = queue.shift()) {
    const run = await runStep(ctx, sub, step, done);
    if (run.failure !== null) throw run.failure;
    const check = await verifyStep(ctx, step, run);
    if (check.ok) {
      done.push({ step, output: run.answer });
      continue;
    }
    if (replans >= maxReplans) {
      traj.errors.push({
        kind: 'replan_limit',
        message: `step ${step.id} failed its check after ${maxReplans} re-plans: ${check.reason}`,
      });
      return finish(traj, 'limit', null);
    }
    replans += 1;
    plan = await makePlan(ctx, task, { reason: check.reason, failed: { step, output: run.answer }, done });
    if (!plan) return finish(traj, 'failed', null);
    queue = executionOrder(plan.steps);
  }
  return summarise(ctx, task, done);
}

/** Hands one step to its domain agent, with the outputs of the steps it depends on. */
async function runStep(ctx: CallContext, sub: SubAgentSettings, step: PlanStep, done: StepOutput[]) {
  // After a re-plan an id may be reused; the latest output under it is the one meant.
  const byId = new Map(done.map((d) => [d.step.id, d]));
  const context = step.dependsOn.flatMap((id) => byId.get(id) ?? []);
  const to = subAgentName(step.agent);
  addStep(ctx.traj, {
    agent: PLANNER,
    kind: 'handoff',
    content: `[${step.id}] ${step.task}`,
    handoff: { from: PLANNER, to, request: step.task },
    at: new Date().toISOString(),
  });
  const run = await runSubAgent(sub, ctx.traj, step.agent, step.task, context);
  appendBatch(ctx.traj, run);
  return run;
}

/** Asks for a plan and records it; null (and an error) when the reply is not a plan. */
async function makePlan(ctx: CallContext, task: AgentTask, replan: Replan | null): Promise<Plan | null> {
  const reply = await structuredCall(ctx, {
    name: 'plan',
    schema: PlanSchema,
    system: plannerSystem(task),
    prompt: plannerPrompt(task, replan),
  });
  const content = reply.value
    ? JSON.stringify(replan ? { reason: replan.reason, steps: reply.value.steps } : reply.value)
    : reply.text || '(no plan)';
  const s = addStep(ctx.traj, {
    agent: PLANNER,
    kind: 'plan',
    content,
    tokens: reply.tokens,
    latencyMs: reply.latencyMs,
    at: new Date().toISOString(),
  });
  if (!reply.value) {
    ctx.traj.errors.push({
      kind: 'invalid_plan',
      message: `the planner's reply is not a plan: ${reply.problem ?? 'unreadable'}`,
      step: s.index,
    });
  }
  return reply.value;
}

async function summarise(ctx: CallContext, task: AgentTask, done: StepOutput[]): Promise<Trajectory> {
  const { traj } = ctx;
  const reply = await textCall(ctx, summariserSystem(task), summariserPrompt(task, done));
  addStep(traj, {
    agent: SUMMARISER,
    kind: 'final',
    content: reply.text,
    tokens: reply.tokens,
    latencyMs: reply.latencyMs,
    at: new Date().toISOString(),
  });
  const answer = parseFinalAnswer(reply.text);
  let status: TrajectoryStatus = 'completed';
  if (reply.truncated) {
    status = 'limit';
    traj.errors.push({ kind: 'output_truncated', message: 'the answer was cut at the output token limit' });
  } else if (answer === null) {
    traj.errors.push({ kind: 'no_answer', message: 'the summariser gave no answer' });
  }
  return finish(traj, status, answer);
}
