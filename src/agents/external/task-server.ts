// The MCP server an external agent works through: one per task, on a free local port,
// behind a random bearer token, frozen at the task's clock. It is serveHttp with one
// difference: every MCP session shares ONE tool session, because there is one agent, and
// if it reconnects or opens a second connection its calls, work-order sandbox and log must
// stay one record of the attempt.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Dataset } from '../../dataset/open.ts';
import { serveHttp } from '../../mcp/serve.ts';
import type { FaultProfile } from '../../tools/faults.ts';
import { toolsFor } from '../../tools/registry.ts';
import { ToolSession } from '../../tools/session.ts';
import { type AnyTool, defineTool } from '../../tools/types.ts';

const ANSWER_KEY = 'external:answer';

/** The extra tool only these servers offer: an agent with no stdout or HTTP reply to use can answer here. */
export const submitAnswerTool: AnyTool = defineTool({
  name: 'submit_answer',
  domain: 'util',
  description:
    'Submit your final answer to the task. Call it once, at the end; a later call replaces an earlier one. Argument: answer (any JSON: a number, a string, or an object of the shape the task asks for). Returns {received: true}.',
  input: z.object({ answer: z.unknown().describe('The final answer, in the format the task asks for') }),
  output: z.object({ received: z.literal(true) }),
  readOnly: false,
  async handler({ answer }, { state }) {
    // The session drops null arguments, so an absent answer is an explicit null.
    state.set(ANSWER_KEY, answer ?? null);
    return { received: true as const };
  },
});

/**
 * ask_operator for agents in another process: the question reaches the scenario's scripted
 * operator through the server, and the call lands in the session's log like any other.
 */
function askOperatorTool(ask: (question: string) => Promise<string | null>): AnyTool {
  return defineTool({
    name: 'ask_operator',
    domain: 'util',
    description:
      'Ask the operator (the person who gave you the task) a clarifying question when the request is ambiguous, e.g. which of two assets they mean. Argument: question. Returns the reply, or null when the operator has nothing to add.',
    input: z.object({ question: z.string().min(1).max(500) }),
    output: z.object({ reply: z.string().nullable() }),
    readOnly: true,
    async handler({ question }) {
      return { reply: await ask(question) };
    },
  });
}

export interface TaskServerOptions {
  /** The scenario's scripted operator, offered to the agent as the ask_operator tool. */
  askOperator?: (question: string) => Promise<string | null>;
  /** The task's frozen clock (ISO). */
  now: string;
  /** Bearer token; a random one when not given. */
  token?: string;
  faults?: FaultProfile;
  seed?: number;
  /** Tool session id; it seeds fault injection, so it matches the in-process attempt's. */
  id: string;
}

export interface TaskServer {
  url: string;
  token: string;
  /** The one tool session behind every MCP session: its log is what the agent really did. */
  session: ToolSession;
  /** The answer given through submit_answer, if the agent called it. */
  submitted(): { value: unknown } | undefined;
  close(): Promise<void>;
}

export async function startTaskServer(ds: Dataset, opts: TaskServerOptions): Promise<TaskServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tools = toolsFor('all');
  tools.set(submitAnswerTool.name, submitAnswerTool);
  if (opts.askOperator) tools.set('ask_operator', askOperatorTool(opts.askOperator));
  const session = new ToolSession(ds, tools, {
    now: opts.now,
    faults: opts.faults,
    seed: opts.seed,
    id: opts.id,
  });
  // One tool session behind every MCP session of this task: its log is the whole record.
  const http = await serveHttp(ds, {
    domains: 'all',
    faults: opts.faults ?? 'none',
    host: '127.0.0.1',
    port: 0,
    token,
    sessionFor: () => session,
  });
  return {
    url: http.url,
    token,
    session,
    submitted: () => (session.state.has(ANSWER_KEY) ? { value: session.state.get(ANSWER_KEY) } : undefined),
    close: () => http.close(),
  };
}
