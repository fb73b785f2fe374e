// Serving the tools over MCP transports: stdio (one session) and streamable HTTP (one
// tool session per MCP session, optional bearer token).
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Dataset } from '../dataset/open.ts';
import type { FaultProfile } from '../tools/faults.ts';
import { createSession } from '../tools/registry.ts';
import type { ToolSession } from '../tools/session.ts';
import type { Domain } from '../tools/types.ts';
import { readBody, sendJson, tokenMatches } from './http.ts';
import { buildMcpServer } from './server.ts';

export interface McpOptions {
  domains: readonly Domain[] | 'all';
  faults: FaultProfile;
  now?: string;
  seed?: number;
}

export async function serveStdio(ds: Dataset, opts: McpOptions): Promise<ToolSession> {
  const session = createSession(ds, {
    domains: opts.domains,
    faults: opts.faults,
    now: opts.now,
    seed: opts.seed,
    id: 'stdio',
  });
  const server = buildMcpServer(session);
  await server.connect(new StdioServerTransport());
  return session;
}

export interface HttpMcp {
  server: HttpServer;
  url: string;
  /** Tool sessions by MCP session id (each client gets its own clock, faults and log). */
  sessions: Map<string, ToolSession>;
  close(): Promise<void>;
}

export interface HttpOptions extends McpOptions {
  host: string;
  port: number;
  token?: string;
  /**
   * The tool session for a new MCP session. By default each MCP session gets its own; a
   * caller may hand out one shared session (an external agent that reconnects keeps one log).
   */
  sessionFor?: (n: number) => ToolSession;
}

export async function serveHttp(ds: Dataset, opts: HttpOptions): Promise<HttpMcp> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const sessions = new Map<string, ToolSession>();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') {
        sendJson(res, 404, { error: 'not found: the MCP endpoint is /mcp' });
        return;
      }
      if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
        res.setHeader('www-authenticate', 'Bearer');
        sendJson(res, 401, { error: 'unauthorized: send Authorization: Bearer <token>' });
        return;
      }
      const sid = req.headers['mcp-session-id'];
      const existing = typeof sid === 'string' ? transports.get(sid) : undefined;
      if (existing) {
        const body = req.method === 'POST' ? await readBody(req) : undefined;
        await existing.handleRequest(req, res, body);
        return;
      }
      if (req.method !== 'POST') {
        sendJson(res, 400, { error: 'no MCP session: start one with an initialize request' });
        return;
      }
      const body = await readBody(req);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        // Plain JSON responses: every tool call is one request and one answer, no stream needed.
        enableJsonResponse: true,
        onsessioninitialized: (id) => {
          transports.set(id, transport);
        },
      });
      const n = transports.size + 1;
      const session =
        opts.sessionFor?.(n) ??
        createSession(ds, {
          domains: opts.domains,
          faults: opts.faults,
          now: opts.now,
          seed: opts.seed,
          id: `http-${n}`,
        });
      transport.onclose = () => {
        if (transport.sessionId) {
          transports.delete(transport.sessionId);
        }
      };
      await buildMcpServer(session).connect(transport);
      await transport.handleRequest(req, res, body);
      if (transport.sessionId) sessions.set(transport.sessionId, session);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 400, { error: `bad request: ${(err as Error).message}` });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    server,
    url: `http://${opts.host}:${port}/mcp`,
    sessions,
    async close() {
      for (const t of transports.values()) await t.close();
      // A killed client may leave a request half-open; do not wait for its socket to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
