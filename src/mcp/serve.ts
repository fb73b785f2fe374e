// Serving the tools over MCP transports: stdio (one session) and streamable HTTP (one
// tool session per MCP session, optional bearer token, idle expiry and a cap on open
// sessions, so a server that runs for weeks does not grow with every client it has seen).
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Dataset } from '../dataset/open.ts';
import type { FaultProfile } from '../tools/faults.ts';
import { createSession } from '../tools/registry.ts';
import type { ToolSession } from '../tools/session.ts';
import type { Domain } from '../tools/types.ts';
import { withBrackets } from '../util/net.ts';
import { allowedHostValues, foreignHost, readBody, sendJson, tokenMatches } from './http.ts';
import { buildMcpServer, connectMcp } from './server.ts';

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
    // One session for the life of the process: keep the log, not every full result.
    keepResults: false,
  });
  const server = buildMcpServer(session);
  await connectMcp(server, new StdioServerTransport());
  return session;
}

export interface HttpMcp {
  server: HttpServer;
  url: string;
  /** Tool sessions by MCP session id (each client gets its own clock, faults and log). */
  sessions: Map<string, ToolSession>;
  /** What the server holds: open sessions and sessions still initialising. */
  stats(): McpStats;
  close(): Promise<void>;
}

export interface McpStats {
  transports: number;
  sessions: number;
  pending: number;
}

export interface HttpOptions extends McpOptions {
  host: string;
  port: number;
  token?: string;
  /** A session with no request for this long is closed (ms; default 15 min). */
  idleMs?: number;
  /** Open sessions at most; past it an initialize gets 503 (default 256). */
  maxSessions?: number;
  /** More names clients may use in Host (a proxy's or a DNS name), beside the server's own. */
  allowedHosts?: readonly string[];
  /**
   * The tool session for a new MCP session. By default each MCP session gets its own; a
   * caller may hand out one shared session (an external agent that reconnects keeps one log).
   */
  sessionFor?: (n: number) => ToolSession;
}

export const DEFAULT_IDLE_MS = 15 * 60_000;
export const DEFAULT_MAX_SESSIONS = 256;

/** A JSON-RPC error reply (MCP clients show its message). */
function sendRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null });
}

interface OpenSession {
  transport: StreamableHTTPServerTransport;
  mcp: Server;
  session: ToolSession;
  lastSeen: number;
  /** Requests being answered: a session is never expired in the middle of a call. */
  busy: number;
}

export async function serveHttp(ds: Dataset, opts: HttpOptions): Promise<HttpMcp> {
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  const maxSessions = opts.maxSessions ?? DEFAULT_MAX_SESSIONS;
  // Everything a session holds lives in this one entry, so closing it (DELETE, idle
  // expiry, shutdown) drops the transport, the MCP server and the tool session together.
  const open = new Map<string, OpenSession>();
  const sessions = new Map<string, ToolSession>();
  let pending = 0;
  let created = 0;
  const forget = (id: string) => {
    open.delete(id);
    sessions.delete(id);
  };
  const expire = async (id: string, entry: OpenSession) => {
    forget(id);
    await entry.mcp.close().catch(() => {});
  };
  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, entry] of open) {
        if (entry.busy === 0 && now - entry.lastSeen >= idleMs) void expire(id, entry);
      }
    },
    Math.max(10, Math.min(idleMs / 4, 30_000)),
  );
  // The sweeper alone must not keep a process alive.
  sweeper.unref();
  // Filled in once the port is known (port 0 picks one).
  let allowed = new Set<string>();
  const idleText = idleMs >= 1000 ? `${Math.round(idleMs / 1000)} s` : `${idleMs} ms`;

  const server = createServer(async (req, res) => {
    try {
      // DNS rebinding: a web page must not reach this server through a name of its own.
      const foreign = foreignHost(req, allowed);
      if (foreign) {
        sendJson(res, 403, {
          error: `forbidden: ${foreign} (DNS rebinding protection); connect to ${[...allowed][0]}`,
        });
        return;
      }
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
      if (typeof sid === 'string') {
        const entry = open.get(sid);
        if (!entry) {
          // 404 is what the MCP spec asks for: the client is to start a new session.
          sendRpcError(
            res,
            404,
            -32001,
            `no MCP session ${sid}: it was closed, or it expired after ${idleText} without a request; start a new session with an initialize request`,
          );
          return;
        }
        entry.lastSeen = Date.now();
        if (req.method === 'GET') {
          // The standalone event stream stays open for the whole session: it is not a call
          // in progress, and it must not keep an abandoned session alive.
          await entry.transport.handleRequest(req, res);
          return;
        }
        entry.busy++;
        try {
          const body = req.method === 'POST' ? await readBody(req) : undefined;
          await entry.transport.handleRequest(req, res, body);
        } finally {
          entry.busy--;
          entry.lastSeen = Date.now();
        }
        return;
      }
      if (req.method !== 'POST') {
        sendRpcError(res, 400, -32000, 'no MCP session: start one with an initialize request');
        return;
      }
      const body = await readBody(req);
      if (!isInitializeRequest(body)) {
        sendRpcError(
          res,
          400,
          -32000,
          'no MCP session: send the mcp-session-id header, or start a session with an initialize request',
        );
        return;
      }
      if (open.size + pending >= maxSessions) {
        res.setHeader('retry-after', String(Math.ceil(idleMs / 1000)));
        sendRpcError(
          res,
          503,
          -32000,
          `too many open MCP sessions (${maxSessions}): close one (DELETE /mcp with its mcp-session-id) or wait for an idle one to expire (after ${idleText})`,
        );
        return;
      }
      pending++;
      try {
        const n = ++created;
        const session =
          opts.sessionFor?.(n) ??
          createSession(ds, {
            domains: opts.domains,
            faults: opts.faults,
            now: opts.now,
            seed: opts.seed,
            id: `http-${n}`,
            keepResults: false,
          });
        const mcp = buildMcpServer(session);
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          // Plain JSON responses: every tool call is one request and one answer, no stream needed.
          enableJsonResponse: true,
          onsessioninitialized: (id) => {
            open.set(id, { transport, mcp, session, lastSeen: Date.now(), busy: 0 });
            sessions.set(id, session);
          },
        });
        // DELETE, expiry and shutdown all end here.
        transport.onclose = () => {
          if (transport.sessionId) forget(transport.sessionId);
        };
        await connectMcp(mcp, transport);
        await transport.handleRequest(req, res, body);
      } finally {
        pending--;
      }
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
  allowed = allowedHostValues(opts.host, port, opts.allowedHosts);
  return {
    server,
    url: `http://${withBrackets(opts.host)}:${port}/mcp`,
    sessions,
    stats: () => ({ transports: open.size, sessions: sessions.size, pending }),
    async close() {
      clearInterval(sweeper);
      for (const [id, entry] of [...open]) await expire(id, entry);
      // A killed client may leave a request half-open; do not wait for its socket to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
