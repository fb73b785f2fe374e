// A scripted Anthropic Messages API server on loopback, so agents are tested through the
// real Anthropic client and wire format (content blocks, tool_use, tool_result) without a
// model. Non-streaming only: a streaming request gets a 400, so a test notices at once.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './scripted-llm.ts';

export interface AnthropicScriptToolUse {
  name: string;
  input: Record<string, unknown>;
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
}

export type AnthropicScriptTurn =
  /** The model calls tools, maybe after some text. */
  | { toolUses: AnthropicScriptToolUse[]; text?: string; usage?: AnthropicUsage }
  /** The model answers. */
  | { text: string; stopReason?: 'end_turn' | 'max_tokens'; usage?: AnthropicUsage }
  /** A turn decided from the request, e.g. to echo what a tool returned. */
  | ((req: AnthropicRecordedRequest) => AnthropicScriptTurn);

export interface AnthropicContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | Array<{ type: string; text?: string }>;
  is_error?: boolean;
}

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

export interface AnthropicRecordedRequest {
  /** 1-based. */
  n: number;
  model: string;
  system: unknown;
  messages: AnthropicMessage[];
  tools: Array<{ name: string; description?: string; input_schema?: unknown }>;
  stream: boolean;
  status: number;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface ScriptedAnthropic {
  /** Base URL for createAnthropic({ baseURL }), ending in /v1. */
  url: string;
  requests: AnthropicRecordedRequest[];
  close(): Promise<void>;
}

// Anthropic's error shape; 400 so the client does not retry a broken test.
const apiError = (message: string, type = 'invalid_request_error') => ({
  type: 'error',
  error: { type, message },
});

// A rough count, stable across runs, so token sums can be checked exactly.
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export async function startScriptedAnthropic(script: AnthropicScriptTurn[]): Promise<ScriptedAnthropic> {
  const requests: AnthropicRecordedRequest[] = [];
  let nextTurn = 0;

  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/messages') {
      sendJson(res, 404, apiError(`no route ${req.method} ${req.url}`, 'not_found_error'));
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, apiError('request body is not JSON'));
      return;
    }
    const rec: AnthropicRecordedRequest = {
      n: requests.length + 1,
      model: String(body.model),
      system: body.system,
      messages: (body.messages as AnthropicMessage[]) ?? [],
      tools: (body.tools as AnthropicRecordedRequest['tools']) ?? [],
      stream: body.stream === true,
      status: 200,
      headers: req.headers,
      body,
    };
    requests.push(rec);
    const fail = (message: string) => {
      rec.status = 400;
      sendJson(res, 400, apiError(message));
    };
    if (rec.stream) return fail('scripted Anthropic: streaming is not implemented');
    let turn = script[nextTurn];
    if (!turn) return fail(`scripted Anthropic: no turn left for request ${rec.n}`);
    nextTurn += 1;
    while (typeof turn === 'function') turn = turn(rec);

    const content: AnthropicContentBlock[] = [];
    if (turn.text) content.push({ type: 'text', text: turn.text });
    const toolUses = 'toolUses' in turn ? turn.toolUses : [];
    toolUses.forEach((t, i) => {
      content.push({ type: 'tool_use', id: `toolu_${rec.n}_${i + 1}`, name: t.name, input: t.input });
    });
    const stopReason =
      toolUses.length > 0 ? 'tool_use' : 'stopReason' in turn ? (turn.stopReason ?? 'end_turn') : 'end_turn';
    const usage = turn.usage ?? {
      input_tokens: estimateTokens(JSON.stringify(rec.messages) + JSON.stringify(rec.system ?? '')),
      output_tokens: estimateTokens(JSON.stringify(content)),
    };
    sendJson(res, 200, {
      id: `msg_${rec.n}`,
      type: 'message',
      role: 'assistant',
      model: rec.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
