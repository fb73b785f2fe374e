// The built-in agents by name. Model-backed agents need --model; the baseline needs none.
import { UserError } from '../util/errors.ts';
import type { Agent } from './agent.ts';
import { baselineAgent } from './baseline/index.ts';
import { resolveModel } from './providers/model.ts';
import { createReactAgent } from './react/index.ts';

export const AGENT_NAMES = ['baseline', 'react'] as const;

export interface AgentOptions {
  model?: string;
  baseUrl?: string;
  maxSteps?: number;
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
  if (name === 'react') {
    if (!opts.model) {
      throw new UserError(
        'the react agent needs a model',
        'Pass --model, e.g. --model openai:gpt-4.1 or --model ollama:qwen2.5',
      );
    }
    return createReactAgent(resolveModel(opts.model, { baseUrl: opts.baseUrl }), {
      modelName: opts.model,
      maxSteps: opts.maxSteps,
    });
  }
  throw new UserError(`unknown agent "${name}"`, `Use one of: ${AGENT_NAMES.join(', ')}`);
}
