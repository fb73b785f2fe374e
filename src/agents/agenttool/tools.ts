// The meta agent's tools: one per domain agent (calling it runs that agent's tool loop and
// returns its report) and ask_operator, the same tool the ReAct agent has. Runs are kept by
// tool call id so the recorder can place each sub-agent's steps after its handoff.
import { type ToolSet, tool, zodSchema } from 'ai';
import { z } from 'zod';
import type { AgentTools } from '../agent.ts';
import { AGENT_DOMAINS, type AgentDomain, subAgentName } from '../planexec/domains.ts';
import { runSubAgent, type SubAgentRun, type SubAgentSettings } from '../planexec/subagent.ts';
import { ASK_OPERATOR_TOOL } from '../react/prompt.ts';
import { buildTools, type CallLedger, REPEAT_LIMIT } from '../react/tools.ts';
import type { Trajectory } from '../trajectory.ts';
import { agentToolDescription } from './prompt.ts';

export interface Delegations {
  /** Each sub-agent run and the request it was given, by the meta agent's tool call id. */
  runs: Map<string, SubAgentRun & { request: string }>;
  /** A provider error or the deadline inside a sub-agent: the meta loop stops on it. */
  failure: unknown;
}

// Wrapped once: the AI SDK converts a bare zod schema to JSON Schema again on every model
// call, while this wrapper converts it on first use and keeps the result.
const RequestSchema = zodSchema(
  z.object({
    request: z.string().min(1).describe('One self-contained instruction in plain words'),
  }),
);

const NO_TOOLS: AgentTools = {
  list: () => [],
  call: async (name) => ({
    ok: false,
    error: { code: 'unknown_tool', message: `no tool ${name}`, hint: 'Delegate to an agent' },
  }),
};

export function buildAgentTools(
  sub: SubAgentSettings,
  traj: Trajectory,
  ledger: CallLedger,
  delegations: Delegations,
): ToolSet {
  const set: ToolSet = {};
  const delegate = (domain: AgentDomain) => {
    const name = subAgentName(domain);
    return tool({
      description: agentToolDescription(domain),
      inputSchema: RequestSchema,
      execute: async (args, { toolCallId }) => {
        const t0 = performance.now();
        if (ledger.count(name, args)) {
          ledger.outcomes.set(toolCallId, { ok: false, error: 'repeated_call', latencyMs: 0 });
          return {
            error: {
              code: 'repeated_call',
              message: `${name} was asked the same request ${REPEAT_LIMIT} times`,
              hint: 'The run stops here: asking again does not change the report',
            },
          };
        }
        const run = await runSubAgent(sub, traj, domain, args.request, []);
        delegations.runs.set(toolCallId, { ...run, request: args.request });
        if (run.failure !== null) delegations.failure ??= run.failure;
        const latencyMs = performance.now() - t0;
        if (run.answer) {
          ledger.outcomes.set(toolCallId, { ok: true, latencyMs });
          return run.answer;
        }
        const message = run.stopped ?? `${name} did not finish`;
        ledger.outcomes.set(toolCallId, { ok: false, error: `no_answer: ${message}`, latencyMs });
        return {
          error: {
            code: 'no_answer',
            message,
            hint: 'Make the request more specific (site, asset, sensor, period), or ask another agent',
          },
        };
      },
    });
  };
  for (const d of AGENT_DOMAINS) set[subAgentName(d)] = delegate(d);
  set[ASK_OPERATOR_TOOL] = buildTools(sub.task, NO_TOOLS, ledger)[ASK_OPERATOR_TOOL];
  return set;
}
