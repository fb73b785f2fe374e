// The agent-as-tool agent: a ReAct loop whose tools are the domain agents (and the operator).
// Calling iot_agent runs the iot agent's own short tool loop on its domain's tools and hands
// its report back as the tool result. Each call is recorded as a handoff, followed by the
// sub-agent's steps under its name, then the result.
import { generateText, type LanguageModel, type StepResult, stepCountIs, type ToolSet } from 'ai';
import { parseFinalAnswer } from '../../util/answer-text.ts';
import { type Agent, type AgentTask, type AgentTools, startTrajectory } from '../agent.ts';
import { appendBatch, scratchFor } from '../planexec/batch.ts';
import { stoppedBy } from '../planexec/calls.ts';
import { DEFAULT_TOOL_DOMAINS, type ToolDomains } from '../planexec/domains.ts';
import { DEFAULT_SUB_AGENT_STEPS, type SubAgentSettings } from '../planexec/subagent.ts';
import { callSettingsOf } from '../providers/model.ts';
import { recordStep } from '../react/record.ts';
import { CallLedger } from '../react/tools.ts';
import { addStep, finish, type Trajectory, type TrajectoryStatus } from '../trajectory.ts';
import { metaSystemPrompt } from './prompt.ts';
import { buildAgentTools, type Delegations } from './tools.ts';

export interface AgentAsToolOptions {
  /** Recorded in the trajectory (the spec the user gave, e.g. "openai:gpt-4o-mini"). */
  modelName: string;
  /** Model calls of the meta agent. */
  maxSteps?: number;
  /** Model calls per domain agent run. */
  subAgentSteps?: number;
  /** Wall-clock budget of the run, sub-agents included. */
  timeoutMs?: number;
  /** Overrides the retries set when the model was resolved. */
  maxRetries?: number;
  /** Tool name -> domain; defaults to DEFAULT_TOOL_DOMAINS (the bench's own tools). */
  toolDomains?: ToolDomains;
}

export const AGENT_AS_TOOL = 'agent-as-tool';
export const DEFAULT_META_STEPS = 10;
export const DEFAULT_META_TIMEOUT_MS = 600_000;

export function createAgentAsToolAgent(model: LanguageModel, opts: AgentAsToolOptions): Agent {
  return {
    name: AGENT_AS_TOOL,
    model: opts.modelName,
    run: (task, tools) => runAgentAsTool(model, opts, task, tools),
  };
}

async function runAgentAsTool(
  model: LanguageModel,
  opts: AgentAsToolOptions,
  task: AgentTask,
  tools: AgentTools,
): Promise<Trajectory> {
  const traj = startTrajectory(AGENT_AS_TOOL, opts.modelName, task);
  const maxSteps = opts.maxSteps ?? DEFAULT_META_STEPS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_META_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const maxRetries = opts.maxRetries ?? callSettingsOf(model).maxRetries;
  const sub: SubAgentSettings = {
    model,
    task,
    tools,
    toolDomains: opts.toolDomains ?? DEFAULT_TOOL_DOMAINS,
    maxSteps: opts.subAgentSteps ?? DEFAULT_SUB_AGENT_STEPS,
    maxRetries,
    abortSignal: deadline,
    // The meta agent asks the operator; a sub-agent asking too would split the conversation.
    canAsk: false,
  };
  const ledger = new CallLedger();
  const delegations: Delegations = { runs: new Map(), failure: null };
  let last: StepResult<ToolSet> | undefined;
  let stepStart = performance.now();

  const record = (step: StepResult<ToolSet>) => {
    const meta = scratchFor(traj, AGENT_AS_TOOL);
    recordStep(meta, step, ledger, { elapsedMs: performance.now() - stepStart });
    for (const s of meta.steps) {
      if (s.kind !== 'tool_call' || !s.tool || !delegations.runs.has(s.tool.callId)) continue;
      const request = String((s.tool.args as { request?: unknown }).request);
      s.kind = 'handoff';
      s.content = request;
      s.handoff = { from: AGENT_AS_TOOL, to: s.tool.name, request };
    }
    appendBatch(traj, meta, (s) =>
      s.kind === 'handoff' && s.tool ? delegations.runs.get(s.tool.callId) : undefined,
    );
    delegations.runs.clear();
  };

  let failure: unknown = null;
  try {
    await generateText({
      model,
      system: metaSystemPrompt(task),
      prompt: task.utterance,
      tools: buildAgentTools(sub, traj, ledger, delegations),
      stopWhen: [stepCountIs(maxSteps), () => ledger.repeated !== null, () => delegations.failure !== null],
      maxRetries,
      abortSignal: deadline,
      prepareStep: () => {
        stepStart = performance.now();
        return undefined;
      },
      onStepFinish: (step) => {
        record(step);
        last = step;
      },
    });
  } catch (err) {
    failure = err;
  }
  failure ??= delegations.failure;
  // Sub-agent runs whose meta step was never reported (the loop threw mid-step) still belong
  // in the record, after a handoff of their own.
  for (const run of delegations.runs.values()) {
    addStep(traj, {
      agent: AGENT_AS_TOOL,
      kind: 'handoff',
      content: run.request,
      handoff: { from: AGENT_AS_TOOL, to: run.agent, request: run.request },
    });
    appendBatch(traj, run);
  }

  let status: TrajectoryStatus = 'completed';
  let answer: unknown = null;
  if (failure !== null) {
    const stopped = stoppedBy(failure, deadline, timeoutMs);
    status = stopped.status;
    traj.errors.push(stopped.error);
  } else if (ledger.repeated) {
    status = 'limit';
  } else if (!last || last.toolCalls.length > 0) {
    status = 'limit';
    traj.errors.push({
      kind: 'step_limit',
      message: `no answer after ${maxSteps} steps (the run's step limit)`,
    });
  } else {
    answer = parseFinalAnswer(last.text);
    if (last.finishReason === 'length') {
      status = 'limit';
      traj.errors.push({ kind: 'output_truncated', message: 'the answer was cut at the output token limit' });
    } else if (answer === null) {
      traj.errors.push({ kind: 'no_answer', message: 'the model ended without an answer' });
    }
  }
  return finish(traj, status, answer);
}
