// The ReAct agent: one model, all tools, one loop (think, call tools, read the results,
// repeat) until the model answers or a limit (steps, tokens, time, a repeated call) stops
// it. The AI SDK runs the loop; we record every step and decide how the run ended.
import {
  generateText,
  type LanguageModel,
  type ModelMessage,
  type StepResult,
  type StopCondition,
  stepCountIs,
  streamText,
  type ToolSet,
} from 'ai';
import { parseFinalAnswer } from '../../util/answer-text.ts';
import { type Agent, type AgentTask, type AgentTools, startTrajectory } from '../agent.ts';
import { callSettingsOf } from '../providers/model.ts';
import { finish, type Trajectory, type TrajectoryStatus } from '../trajectory.ts';
import { systemPrompt } from './prompt.ts';
import { errorText, recordStep } from './record.ts';
import { buildTools, CallLedger } from './tools.ts';

export interface ReactAgentOptions {
  /** Recorded in the trajectory (the spec the user gave, e.g. "openai:gpt-4o-mini"). */
  modelName: string;
  /** Model calls per run. */
  maxSteps?: number;
  /** Token budget of the run (input + output, as the provider reports them). */
  maxTokens?: number;
  /** Wall-clock budget of the run. */
  timeoutMs?: number;
  /** Stream responses (SSE); some proxies only behave well this way. */
  stream?: boolean;
  /** Overrides the retries set when the model was resolved. */
  maxRetries?: number;
}

export const DEFAULT_MAX_STEPS = 15;
export const DEFAULT_RUN_TIMEOUT_MS = 600_000;

export function createReactAgent(model: LanguageModel, opts: ReactAgentOptions): Agent {
  return {
    name: 'react',
    model: opts.modelName,
    run: (task, tools) => runReact(model, opts, task, tools),
  };
}

function describeProviderError(err: unknown): string {
  const e = err as { name?: string; statusCode?: number; url?: string; lastError?: unknown };
  if (e?.name === 'TimeoutError') {
    const text = errorText(err);
    return text.includes('timed out') ? text : `model call timed out: ${text}`;
  }
  const status = e?.statusCode ?? (e?.lastError as { statusCode?: number } | undefined)?.statusCode;
  return `${status ? `HTTP ${status}: ` : ''}${errorText(err)}`;
}

async function runReact(
  model: LanguageModel,
  opts: ReactAgentOptions,
  task: AgentTask,
  tools: AgentTools,
): Promise<Trajectory> {
  const traj = startTrajectory('react', opts.modelName, task);
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const ledger = new CallLedger();
  let last: StepResult<ToolSet> | undefined;
  let stepStart = performance.now();

  const tokenBudgetSpent: StopCondition<ToolSet> = () =>
    opts.maxTokens !== undefined && traj.usage.inputTokens + traj.usage.outputTokens >= opts.maxTokens;
  const messages: ModelMessage[] = [{ role: 'user', content: task.utterance }];
  const call = {
    model,
    system: systemPrompt(task),
    messages,
    tools: buildTools(task, tools, ledger),
    stopWhen: [stepCountIs(maxSteps), () => ledger.repeated !== null, tokenBudgetSpent],
    maxRetries: opts.maxRetries ?? callSettingsOf(model).maxRetries,
    abortSignal: deadline,
    prepareStep: () => {
      stepStart = performance.now();
      return undefined;
    },
    onStepFinish: (step: StepResult<ToolSet>) => {
      recordStep(traj, step, ledger, { elapsedMs: performance.now() - stepStart });
      last = step;
    },
  };

  let failure: unknown = null;
  const fail = (error: unknown) => {
    failure = failure ?? error;
  };
  try {
    if (opts.stream) {
      // streamText reports errors through onError instead of throwing.
      const result = streamText({ ...call, onError: ({ error }) => fail(error) });
      await result.consumeStream({ onError: fail });
    } else {
      await generateText(call);
    }
  } catch (err) {
    failure = err;
  }

  let status: TrajectoryStatus = 'completed';
  let answer: unknown = null;
  if (deadline.aborted && (failure !== null || !last || last.toolCalls.length > 0)) {
    status = 'limit';
    traj.errors.push({
      kind: 'timeout',
      message: `run stopped after ${timeoutMs} ms (the run's time limit)`,
    });
  } else if (failure !== null) {
    status = 'error';
    traj.errors.push({ kind: 'provider', message: describeProviderError(failure) });
  } else if (ledger.repeated) {
    status = 'limit';
  } else if (!last || last.toolCalls.length > 0) {
    status = 'limit';
    const spent = traj.usage.inputTokens + traj.usage.outputTokens;
    traj.errors.push(
      opts.maxTokens !== undefined && spent >= opts.maxTokens
        ? {
            kind: 'token_limit',
            message: `token budget spent (${spent} of ${opts.maxTokens}) before an answer`,
          }
        : { kind: 'step_limit', message: `no answer after ${maxSteps} steps (the run's step limit)` },
    );
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
