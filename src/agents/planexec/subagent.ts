// One domain agent's short tool loop, shared by plan-execute and agent-as-tool. It sees only
// its domain's tools (and the shared utilities), records its steps under its own name into a
// batch the caller places after the handoff, and never throws: a provider error or the run's
// deadline comes back as `failure` with the steps recorded so far.
import { generateText, type LanguageModel, type StepResult, stepCountIs, type ToolSet } from 'ai';
import type { AgentTask, AgentTools } from '../agent.ts';
import { ASK_OPERATOR_TOOL } from '../react/prompt.ts';
import { recordStep } from '../react/record.ts';
import { buildTools, CallLedger } from '../react/tools.ts';
import type { Trajectory } from '../trajectory.ts';
import { type StepBatch, scratchFor } from './batch.ts';
import { type AgentDomain, domainTools, subAgentName, type ToolDomains } from './domains.ts';
import { type StepOutput, subAgentPrompt, subAgentSystem } from './prompts.ts';

export const DEFAULT_SUB_AGENT_STEPS = 8;

export interface SubAgentSettings {
  model: LanguageModel;
  task: AgentTask;
  tools: AgentTools;
  toolDomains: ToolDomains;
  /** Model calls per sub-agent run. */
  maxSteps: number;
  maxRetries: number;
  abortSignal: AbortSignal;
  /** Whether the sub-agent may ask the operator (in agent-as-tool the meta agent does). */
  canAsk: boolean;
}

export interface ToolOutcome {
  name: string;
  ok: boolean;
  error?: string;
}

export interface SubAgentRun extends StepBatch {
  agent: string;
  /** Its reply, '' when it gave none. */
  answer: string;
  /** Every tool result it got, in order (questions to the operator left out). */
  results: ToolOutcome[];
  /** Why it stopped without an answer, or null. */
  stopped: string | null;
  /** A provider error or the run's deadline; the caller ends the run. */
  failure: unknown;
}

export async function runSubAgent(
  s: SubAgentSettings,
  traj: Trajectory,
  domain: AgentDomain,
  request: string,
  context: StepOutput[],
): Promise<SubAgentRun> {
  const agent = subAgentName(domain);
  const scratch = scratchFor(traj, agent);
  const ledger = new CallLedger();
  const tools = buildTools(s.task, domainTools(s.tools, domain, s.toolDomains), ledger);
  if (!s.canAsk) delete tools[ASK_OPERATOR_TOOL];
  let last: StepResult<ToolSet> | undefined;
  let stepStart = performance.now();
  let failure: unknown = null;
  try {
    await generateText({
      model: s.model,
      system: subAgentSystem(s.task, domain, s.canAsk),
      prompt: subAgentPrompt(request, context),
      tools,
      stopWhen: [stepCountIs(s.maxSteps), () => ledger.repeated !== null],
      maxRetries: s.maxRetries,
      abortSignal: s.abortSignal,
      prepareStep: () => {
        stepStart = performance.now();
        return undefined;
      },
      onStepFinish: (step) => {
        recordStep(scratch, step, ledger, { elapsedMs: performance.now() - stepStart });
        last = step;
      },
    });
  } catch (err) {
    failure = err;
  }

  // Its reply is a message to the caller, not the run's answer: only the top agent writes 'final'.
  const end = scratch.steps.at(-1);
  if (end?.kind === 'final') end.kind = 'message';

  let answer = '';
  let stopped: string | null = null;
  if (failure === null) {
    if (ledger.repeated) stopped = `${agent} repeated ${ledger.repeated.name} with the same arguments`;
    else if (!last || last.toolCalls.length > 0)
      stopped = `${agent} gave no answer within ${s.maxSteps} steps`;
    else if (last.finishReason === 'length') stopped = `${agent}'s answer was cut at the output token limit`;
    else answer = last.text.trim();
    // The repeated call is already an error of the run (recorded by react/record.ts).
    if (stopped && !ledger.repeated) scratch.errors.push({ kind: 'sub_agent_limit', message: stopped });
  }
  const results = scratch.steps
    .filter((st) => st.kind === 'tool_result' && st.tool && st.tool.name !== ASK_OPERATOR_TOOL)
    .map((st) => ({
      name: st.tool?.name ?? '',
      ok: st.tool?.ok !== false,
      ...(st.tool?.error ? { error: st.tool.error } : {}),
    }));
  return { agent, answer, results, stopped, failure, steps: scratch.steps, errors: scratch.errors };
}
