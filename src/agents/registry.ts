// The built-in agents by name. Model-backed agents need --model; the baseline needs none.
import type { LanguageModel } from 'ai';
import type { Dataset } from '../dataset/open.ts';
import type { FaultProfile } from '../tools/faults.ts';
import { UserError } from '../util/errors.ts';
import { AGENT_NAMES, type Agent, PLANNING_AGENTS } from './agent.ts';
import { createAgentAsToolAgent } from './agenttool/index.ts';
import { baselineAgent } from './baseline/index.ts';
import { createCommandAgent } from './external/command.ts';
import { createHttpAgent } from './external/http.ts';
import { createPlanExecuteAgent } from './planexec/index.ts';
import { resolveModel } from './providers/model.ts';
import { createReactAgent } from './react/index.ts';

export { AGENT_NAMES } from './agent.ts';

export interface AgentOptions {
  model?: string;
  baseUrl?: string;
  maxSteps?: number;
  /** Input plus output tokens per attempt (the react agent stops before it overspends). */
  maxTokens?: number;
  /** For --agent command: the user's command; for --agent http: the endpoint. */
  cmd?: string;
  url?: string;
  /** External agents serve the dataset over MCP themselves. */
  ds?: Dataset;
  timeoutMs?: number;
  faults?: FaultProfile;
  seed?: number;
  /** For external agents: an OpenAI-compatible endpoint to put a recording proxy in front of. */
  modelProxy?: string;
  /**
   * Wraps the resolved model before the agent gets it (the run engine's caching, rate
   * limits and accounting); receives the spec the model was resolved from.
   */
  wrapModel?: (model: LanguageModel, spec: string) => LanguageModel;
}

export function agentByName(name: string, opts: AgentOptions = {}): Agent {
  if (name === 'baseline') {
    if (opts.model) {
      throw new UserError(
        `the baseline agent uses no model (got --model ${opts.model})`,
        'Drop --model, or use --agent react',
      );
    }
    return baselineAgent;
  }
  if (name === 'react' || PLANNING_AGENTS.has(name)) {
    if (!opts.model) {
      throw new UserError(
        `the ${name} agent needs a model`,
        'Pass --model, e.g. --model openai:gpt-4.1 or --model ollama:qwen2.5',
      );
    }
    const resolved = resolveModel(opts.model, { baseUrl: opts.baseUrl });
    const model = opts.wrapModel ? opts.wrapModel(resolved, opts.model) : resolved;
    const limits = { modelName: opts.model, timeoutMs: opts.timeoutMs };
    if (name === 'plan-execute') return createPlanExecuteAgent(model, limits);
    if (name === 'agent-as-tool')
      return createAgentAsToolAgent(model, { ...limits, maxSteps: opts.maxSteps });
    return createReactAgent(model, { ...limits, maxSteps: opts.maxSteps, maxTokens: opts.maxTokens });
  }
  if (name === 'command' || name === 'http') {
    if (!opts.ds) throw new Error(`the ${name} agent needs the dataset: pass ds to agentByName`);
    const common = {
      ds: opts.ds,
      timeoutMs: opts.timeoutMs,
      faults: opts.faults,
      seed: opts.seed,
      model: opts.model,
      modelProxy: opts.modelProxy
        ? { upstream: opts.modelProxy, apiKey: process.env.ASSETOPS_API_KEY }
        : undefined,
    };
    if (name === 'command') {
      if (!opts.cmd)
        throw new UserError('the command agent needs a command', 'Pass --cmd "python my_agent.py"');
      return createCommandAgent({ ...common, cmd: opts.cmd });
    }
    if (!opts.url)
      throw new UserError('the http agent needs an endpoint', 'Pass --url http://host:port/path');
    return createHttpAgent({ ...common, url: opts.url });
  }
  throw new UserError(`unknown agent "${name}"`, `Use one of: ${AGENT_NAMES.join(', ')}`);
}
