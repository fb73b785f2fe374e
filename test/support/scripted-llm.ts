// A scripted OpenAI-compatible chat-completions server on loopback, so agents are tested
// through the real HTTP client, wire format, retries and streaming, without a model.
// Each request that is not failed on purpose takes the next turn of the script.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptToolCall {
  name: string;
  /** An object is sent as JSON; a string is sent verbatim (so it can be malformed JSON). */
  arguments: string | Record<string, unknown>;
}

export interface ScriptUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type ScriptTurn =
  /** The model calls tools (a name not offered makes an unknown-tool call), maybe with a thought. */
  | { toolCalls: ScriptToolCall[]; content?: string; usage?: ScriptUsage }
  /** The model answers. */
  | { content: string; finishReason?: 'stop' | 'length'; usage?: ScriptUsage }
  /** A turn decided from the request, e.g. to echo what a tool returned. */
  | ((req: RecordedRequest) => ScriptTurn);

export interface ScriptedLlmOptions {
  /** Answer the Nth request (1-based) with this HTTP status instead of a turn (429, 500...). */
  failures?: Record<number, number>;
  /** retry-after-ms sent with failures; keeps the AI SDK's backoff short in tests. */
  retryAfterMs?: number;
  /** Wait before answering: every request, or the Nth request (1-based). */
  delayMs?: number | Record<number, number>;
  /** Listen on this port (a provider that comes back where it was); a free one by default. */
  port?: number;
  /** Answer every request with this HTTP status (an outage), instead of the script. */
  failAll?: number;
}

export interface ChatMessage {
  role: string;
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface RecordedRequest {
  /** 1-based, counting failed requests too. */
  n: number;
  model: string;
  messages: ChatMessage[];
  tools: Array<{ name: string; description?: string; parameters?: unknown }>;
  stream: boolean;
  /** The HTTP status the server answered with. */
  status: number;
  body: Record<string, unknown>;
}

export interface ScriptedLlm {
  /** Base URL for an OpenAI client, ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** The raw body of a request (shared with the other scripted servers). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function apiError(message: string, type: string) {
  return { error: { message, type, param: null, code: null } };
}

// A rough count, stable across runs, so token sums can be checked exactly.
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** Split in up to three pieces, so clients must really assemble deltas. */
function pieces(text: string): string[] {
  if (text.length < 3) return [text];
  const a = Math.floor(text.length / 3);
  const b = Math.floor((2 * text.length) / 3);
  return [text.slice(0, a), text.slice(a, b), text.slice(b)];
}

interface Reply {
  content: string | null;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string;
  usage: ScriptUsage & { total_tokens: number };
}

function toReply(
  turn: Exclude<ScriptTurn, (req: RecordedRequest) => ScriptTurn>,
  rec: RecordedRequest,
): Reply {
  const toolCalls =
    'toolCalls' in turn
      ? turn.toolCalls.map((c, i) => ({
          id: `call_${rec.n}_${i + 1}`,
          name: c.name,
          arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
        }))
      : [];
  const content = turn.content ?? null;
  const finishReason =
    toolCalls.length > 0 ? 'tool_calls' : 'finishReason' in turn ? (turn.finishReason ?? 'stop') : 'stop';
  const usage = turn.usage ?? {
    prompt_tokens: estimateTokens(JSON.stringify(rec.messages)),
    completion_tokens:
      estimateTokens((content ?? '') + toolCalls.map((c) => c.name + c.arguments).join('')) + 1,
  };
  return {
    content,
    toolCalls,
    finishReason,
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function sendCompletion(res: ServerResponse, reply: Reply, model: string, id: string) {
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content,
          ...(reply.toolCalls.length > 0
            ? {
                tool_calls: reply.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
        finish_reason: reply.finishReason,
      },
    ],
    usage: reply.usage,
  });
}

function sendStream(res: ServerResponse, reply: Reply, model: string, id: string) {
  if (res.destroyed) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  chunk({ role: 'assistant', content: '' });
  if (reply.content) for (const p of pieces(reply.content)) chunk({ content: p });
  reply.toolCalls.forEach((c, index) => {
    // The OpenAI shape: the first delta names the call, the next ones carry argument text.
    chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] });
    for (const p of pieces(c.arguments)) chunk({ tool_calls: [{ index, function: { arguments: p } }] });
  });
  chunk({}, reply.finishReason);
  // Sent when the client asks for stream_options.include_usage, as the AI SDK does.
  res.write(
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: reply.usage })}\n\n`,
  );
  res.write('data: [DONE]\n\n');
  res.end();
}

export async function startScriptedLlm(
  script: ScriptTurn[],
  opts: ScriptedLlmOptions = {},
): Promise<ScriptedLlm> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let nextTurn = 0;

  const delayFor = (n: number) =>
    typeof opts.delayMs === 'number' ? opts.delayMs : (opts.delayMs?.[n] ?? 0);
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      sendJson(res, 404, apiError(`no route ${req.method} ${req.url}`, 'invalid_request_error'));
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, apiError('request body is not JSON', 'invalid_request_error'));
      return;
    }
    const rec: RecordedRequest = {
      n: requests.length + 1,
      model: String(body.model),
      messages: (body.messages as ChatMessage[]) ?? [],
      tools: ((body.tools as Array<{ function: RecordedRequest['tools'][number] }>) ?? []).map(
        (t) => t.function,
      ),
      stream: body.stream === true,
      status: 200,
      body,
    };
    requests.push(rec);
    const delay = delayFor(rec.n);
    if (delay > 0) await wait(delay);
    if (res.destroyed) return;

    const failure = opts.failAll ?? opts.failures?.[rec.n];
    if (failure) {
      rec.status = failure;
      const type = failure === 429 ? 'rate_limit_error' : 'server_error';
      sendJson(res, failure, apiError(`scripted failure ${failure} on request ${rec.n}`, type), {
        'retry-after-ms': String(opts.retryAfterMs ?? 10),
      });
      return;
    }
    let turn = script[nextTurn];
    if (!turn) {
      // 400, not 5xx: the client must not retry a test that ran past its script.
      rec.status = 400;
      sendJson(
        res,
        400,
        apiError(`scripted LLM: no turn left for request ${rec.n}`, 'invalid_request_error'),
      );
      return;
    }
    nextTurn += 1;
    while (typeof turn === 'function') turn = turn(rec);
    const reply = toReply(turn, rec);
    const id = `chatcmpl-${rec.n}`;
    if (rec.stream) sendStream(res, reply, rec.model, id);
    else sendCompletion(res, reply, rec.model, id);
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
