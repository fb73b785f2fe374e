// The built-in agents by name. Model-backed agents need --model; the baseline needs none.
import type { Dataset } from '../dataset/open.ts';
import type { FaultProfile } from '../tools/faults.ts';
import { UserError } from '../util/errors.ts';
import { type Agent, PLANNING_AGENTS } from './agent.ts';
import { createAgentAsToolAgent } from './agenttool/index.ts';
import { baselineAgent } from './baseline/index.ts';
import { createCommandAgent } from './external/command.ts';
import { createHttpAgent } from './external/http.ts';
import { createPlanExecuteAgent } from './planexec/index.ts';
import { resolveModel } from './providers/model.ts';
import { createReactAgent } from './react/index.ts';

export const AGENT_NAMES = ['baseline', 'react', 'plan-execute', 'agent-as-tool', 'command', 'http'] as const;

export interface AgentOptions {
  model?: string;
  baseUrl?: string;
  maxSteps?: number;
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
    const model = resolveModel(opts.model, { baseUrl: opts.baseUrl });
    if (name === 'plan-execute') return createPlanExecuteAgent(model, { modelName: opts.model });
    if (name === 'agent-as-tool') {
      return createAgentAsToolAgent(model, { modelName: opts.model, maxSteps: opts.maxSteps });
    }
    return createReactAgent(model, { modelName: opts.model, maxSteps: opts.maxSteps });
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
