// The MCP server an external agent works through: one per task, on a free local port,
// behind a random bearer token, frozen at the task's clock. Unlike serveHttp (one tool
// session per MCP session, for many clients), every MCP session here shares ONE tool
// session: there is one agent, and if it reconnects or opens a second connection its
// calls, work-order sandbox and log must stay one record of the attempt.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import type { Dataset } from '../../dataset/open.ts';
import { readBody, sendJson, tokenMatches } from '../../mcp/http.ts';
import { buildMcpServer } from '../../mcp/server.ts';
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
  const transports = new Map<string, StreamableHTTPServerTransport>();

  const server = createServer(async (req, res) => {
    try {
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
        sendJson(res, 404, { error: 'not found: the MCP endpoint is /mcp' });
        return;
      }
      if (!tokenMatches(req.headers.authorization, token)) {
        res.setHeader('www-authenticate', 'Bearer');
        sendJson(res, 401, { error: 'unauthorized: send Authorization: Bearer $ASSETOPS_MCP_TOKEN' });
        return;
      }
      const sid = req.headers['mcp-session-id'];
      const existing = typeof sid === 'string' ? transports.get(sid) : undefined;
      if (existing) {
        await existing.handleRequest(req, res, req.method === 'POST' ? await readBody(req) : undefined);
        return;
      }
      if (req.method !== 'POST') {
        sendJson(res, 400, { error: 'no MCP session: start one with an initialize request' });
        return;
      }
      const body = await readBody(req);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => {
          transports.set(id, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
      };
      await buildMcpServer(session).connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 400, { error: `bad request: ${(err as Error).message}` });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    token,
    session,
    submitted: () => (session.state.has(ANSWER_KEY) ? { value: session.state.get(ANSWER_KEY) } : undefined),
    async close() {
      for (const t of transports.values()) await t.close();
      // A killed agent may leave a request half-open; do not wait for its socket to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
