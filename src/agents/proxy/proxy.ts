// A recording proxy for OpenAI-compatible chat completions. External agents get its URL as
// their model endpoint; it forwards every call unchanged and keeps what the model was asked
// and answered, so their trajectories can carry model calls and token usage that the agent
// itself never reports.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NewStep } from '../trajectory.ts';

export interface RecordingProxyOptions {
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1. */
  upstream: string;
  /** Replaces the caller's Authorization, so the agent never needs the real key. */
  apiKey?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface ModelCallUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ModelCall {
  /** When the request arrived (ISO). */
  at: string;
  /** Until the last byte of the upstream response. */
  latencyMs: number;
  model: string | null;
  /** The request's messages, as sent. */
  messages: unknown[];
  /** Number of tool definitions offered. */
  tools: number;
  stream: boolean;
  /** The status the caller got (502 when the upstream could not be reached). */
  status: number;
  /** null when the upstream reported none (e.g. streaming without stream_options.include_usage). */
  usage: ModelCallUsage | null;
  /** The assistant's content, deltas assembled when streamed. */
  responseText: string;
  toolCalls: Array<{ name: string; arguments: string }>;
  /** Why the call failed: the upstream's error message, or the connection error. */
  error?: string;
}

export interface RecordingProxy {
  /** Base URL for an OpenAI client, ending in /v1. */
  url: string;
  calls: ModelCall[];
  close(): Promise<void>;
}

// Hop-by-hop headers, and headers that stop being true once fetch has decoded the body.
const DROP_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
]);
const FORWARD_REQUEST_HEADERS = ['content-type', 'accept', 'authorization', 'openai-organization'];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, message: string) {
  if (res.destroyed || res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'proxy_error', param: null, code: null } }));
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function usageOf(value: unknown): ModelCallUsage | null {
  const u = asRecord(value);
  if (!u || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return null;
  return { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  // Some servers answer with content parts, like requests may carry.
  if (Array.isArray(content)) return content.map((p) => asRecord(p)?.text ?? '').join('');
  return '';
}

type Parsed = Pick<ModelCall, 'usage' | 'responseText' | 'toolCalls'> & { error?: string };

function parseJsonResponse(text: string): Parsed {
  const out: Parsed = { usage: null, responseText: '', toolCalls: [] };
  let body: Record<string, unknown> | null;
  try {
    body = asRecord(JSON.parse(text));
  } catch {
    return out;
  }
  if (!body) return out;
  out.usage = usageOf(body.usage);
  const err = asRecord(body.error);
  if (err && typeof err.message === 'string') out.error = err.message;
  const message = asRecord(asRecord((body.choices as unknown[] | undefined)?.[0])?.message);
  if (message) {
    out.responseText = textOf(message.content);
    for (const c of (message.tool_calls as unknown[] | undefined) ?? []) {
      const fn = asRecord(asRecord(c)?.function);
      if (fn) out.toolCalls.push({ name: String(fn.name ?? ''), arguments: String(fn.arguments ?? '') });
    }
  }
  return out;
}

function parseSse(text: string): Parsed {
  const out: Parsed = { usage: null, responseText: '', toolCalls: [] };
  // Tool calls arrive in pieces keyed by index: the first names the call, later ones add arguments.
  const calls = new Map<number, { name: string; arguments: string }>();
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (!data || data === '[DONE]') continue;
    let chunk: Record<string, unknown> | null;
    try {
      chunk = asRecord(JSON.parse(data));
    } catch {
      continue;
    }
    if (!chunk) continue;
    out.usage = usageOf(chunk.usage) ?? out.usage;
    const err = asRecord(chunk.error);
    if (err && typeof err.message === 'string') out.error = err.message;
    const delta = asRecord(asRecord((chunk.choices as unknown[] | undefined)?.[0])?.delta);
    if (!delta) continue;
    out.responseText += textOf(delta.content);
    for (const c of (delta.tool_calls as unknown[] | undefined) ?? []) {
      const call = asRecord(c);
      if (!call) continue;
      const index = typeof call.index === 'number' ? call.index : calls.size;
      const entry = calls.get(index) ?? { name: '', arguments: '' };
      const fn = asRecord(call.function);
      if (typeof fn?.name === 'string') entry.name += fn.name;
      if (typeof fn?.arguments === 'string') entry.arguments += fn.arguments;
      calls.set(index, entry);
    }
  }
  out.toolCalls = [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
  return out;
}

export async function startRecordingProxy(opts: RecordingProxyOptions): Promise<RecordingProxy> {
  const upstream = opts.upstream.replace(/\/+$/, '');
  const calls: ModelCall[] = [];
  // Upstream requests still running, aborted on close so close() does not wait on a slow model.
  const inflight = new Set<AbortController>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const isChat = route === 'POST /v1/chat/completions';
    if (!isChat && route !== 'GET /v1/models') {
      sendError(res, 404, `the recording proxy has no route ${req.method} ${url.pathname}`);
      return;
    }
    const started = performance.now();
    const at = new Date().toISOString();
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return;
    }
    let body: Record<string, unknown> | null = null;
    if (isChat) {
      try {
        body = asRecord(JSON.parse(raw.toString('utf8')));
      } catch {
        // Forwarded as is: the upstream's own 400 tells the agent more than we could.
      }
    }
    const call: ModelCall | null = isChat
      ? {
          at,
          latencyMs: 0,
          model: typeof body?.model === 'string' ? body.model : null,
          messages: Array.isArray(body?.messages) ? body.messages : [],
          tools: Array.isArray(body?.tools) ? body.tools.length : 0,
          stream: body?.stream === true,
          status: 0,
          usage: null,
          responseText: '',
          toolCalls: [],
        }
      : null;
    // Recorded before the response ends, so a caller that has its answer also has the record.
    const record = (status: number, parsed: Parsed | null, error?: string) => {
      if (!call) return;
      call.status = status;
      call.latencyMs = Math.round(performance.now() - started);
      if (parsed) Object.assign(call, parsed);
      if (error) call.error = error;
      calls.push(call);
    };

    const headers: Record<string, string> = {};
    for (const name of FORWARD_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;

    const abort = new AbortController();
    inflight.add(abort);
    // The caller gave up (its own timeout): stop the upstream call too, rather than pay for it.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      let upstreamRes: Response;
      try {
        upstreamRes = await fetch(`${upstream}${url.pathname.slice('/v1'.length)}${url.search}`, {
          method: req.method,
          headers,
          body: req.method === 'POST' ? raw : undefined,
          signal: abort.signal,
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        const cause = (err as { cause?: { message?: string } }).cause?.message;
        const message = `upstream ${upstream} unreachable: ${cause ?? (err as Error).message}`;
        record(502, null, message);
        sendError(res, 502, message);
        return;
      }
      const outHeaders: Record<string, string> = {};
      upstreamRes.headers.forEach((value, name) => {
        if (!DROP_RESPONSE_HEADERS.has(name)) outHeaders[name] = value;
      });
      res.writeHead(upstreamRes.status, outHeaders);
      // Each chunk goes to the caller as it arrives (SSE stays live); a copy is kept to parse.
      const kept: Buffer[] = [];
      if (upstreamRes.body) {
        for await (const chunk of upstreamRes.body) {
          const buf = Buffer.from(chunk as Uint8Array);
          if (call) kept.push(buf);
          res.write(buf);
        }
      }
      if (call) {
        const text = Buffer.concat(kept).toString('utf8');
        const sse = (upstreamRes.headers.get('content-type') ?? '').includes('text/event-stream');
        const parsed = sse ? parseSse(text) : parseJsonResponse(text);
        const error = upstreamRes.ok ? undefined : (parsed.error ?? `HTTP ${upstreamRes.status}`);
        record(upstreamRes.status, parsed, error);
      }
      res.end();
    } catch (err) {
      // The upstream broke off mid-response: the caller sees a cut connection, as it would direct.
      if (!abort.signal.aborted) record(502, null, `upstream response broke off: ${(err as Error).message}`);
      res.destroy();
    } finally {
      inflight.delete(abort);
    }
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const a of inflight) a.abort();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One message step per recorded model call, for the trajectory of an agent we cannot see inside. */
export function modelCallSteps(calls: ModelCall[], agent = 'external-model'): NewStep[] {
  return calls.map((c) => {
    const lines: string[] = [];
    if (c.responseText) lines.push(c.responseText);
    for (const t of c.toolCalls) lines.push(`[tool call] ${t.name}(${t.arguments})`);
    // Failed calls stay visible (retries, rate limits), but without tokens they were not billed for.
    if (c.status < 200 || c.status >= 300)
      lines.push(`[model call failed] HTTP ${c.status}: ${c.error ?? ''}`);
    return {
      agent,
      kind: 'message',
      content: lines.join('\n'),
      ...(c.usage ? { tokens: { input: c.usage.prompt_tokens, output: c.usage.completion_tokens } } : {}),
      latencyMs: c.latencyMs,
      at: c.at,
    };
  });
}
