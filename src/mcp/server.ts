// MCP server over a tool session. It uses the SDK's low-level Server so that every
// call, valid or not, goes through ToolSession.call and lands in the session's call log:
// that log, not the agent's own account, is the record of what an agent did.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolSession } from '../tools/session.ts';
import type { AnyTool } from '../tools/types.ts';

export const RESULT_URI_PREFIX = 'assetops://results/';

/** Where connectMcp parks tools/call arguments that are not an object (see there). */
const RAW_ARGUMENTS = '__assetops_raw_arguments__';

type ObjectSchema = { type: 'object'; [k: string]: unknown };

// Converting a zod schema is not cheap (it was about an eighth of a baseline run, done again
// for every tool of every attempt), and a tool definition never changes: each is converted
// once. The schemas are frozen because every session and agent shares them.
const inputSchemas = new WeakMap<AnyTool, ObjectSchema>();
const outputSchemas = new WeakMap<AnyTool, ObjectSchema | null>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** JSON Schema of a tool's input, as MCP clients expect it (an object schema). Shared: do not change it. */
export function inputJsonSchema(tool: AnyTool): ObjectSchema {
  let cached = inputSchemas.get(tool);
  if (!cached) {
    const schema = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
    delete schema.$schema;
    cached = deepFreeze({ ...schema, type: 'object' as const });
    inputSchemas.set(tool, cached);
  }
  return cached;
}

/** JSON Schema of a tool's output when it is an object schema. Shared: do not change it. */
export function outputJsonSchema(tool: AnyTool): ObjectSchema | undefined {
  let cached = outputSchemas.get(tool);
  if (cached === undefined) {
    cached = null;
    try {
      const schema = z.toJSONSchema(tool.output, { io: 'output', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      delete schema.$schema;
      if (schema.type === 'object') cached = deepFreeze({ ...schema, type: 'object' as const });
    } catch {
      // Not representable: no output schema.
    }
    outputSchemas.set(tool, cached);
  }
  return cached ?? undefined;
}

export function toCallToolResult(result: Awaited<ReturnType<ToolSession['call']>>): CallToolResult {
  if (result.ok) {
    const data = result.data as Record<string, unknown>;
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
  }
  return {
    content: [{ type: 'text', text: JSON.stringify({ error: result.error }) }],
    structuredContent: { error: result.error },
    isError: true,
  };
}

export function buildMcpServer(session: ToolSession): Server {
  const server = new Server(
    { name: 'assetops-bench', version: '0.1.0' },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Tools over an industrial plant: IoT readings, failure modes, forecasting and anomaly detection, work orders. ' +
        `All data is as of the session clock (${session.nowIso}); call current_date_time when you need it.`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: session.listTools().map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: inputJsonSchema(t),
      annotations: { readOnlyHint: t.readOnly, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const args = req.params.arguments ?? {};
    const raw = Object.keys(args).length === 1 && RAW_ARGUMENTS in args ? args[RAW_ARGUMENTS] : args;
    return toCallToolResult(await session.call(req.params.name, raw));
  });
  // Large results (behind handles) are offered as resources too.
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: session.storedResults().map((r) => ({
      uri: `${RESULT_URI_PREFIX}${r.handle}`,
      name: r.handle,
      description: `${r.label} (${r.rows} rows)`,
      mimeType: 'application/json',
    })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const handle = req.params.uri.startsWith(RESULT_URI_PREFIX)
      ? req.params.uri.slice(RESULT_URI_PREFIX.length)
      : '';
    const stored = session.readStored(handle);
    if (!stored) throw new Error(`no resource ${req.params.uri}: use a URI from resources/list`);
    return {
      contents: [{ uri: req.params.uri, mimeType: 'application/json', text: JSON.stringify(stored.rows) }],
    };
  });
  return server;
}

/**
 * Connects the server to a transport. The SDK refuses a tools/call whose arguments are not
 * an object (an array, a string, null) with its schema validator's dump as an internal
 * error, before any handler sees it, so the call is missing from the session's log. Such
 * arguments are parked in an object here and handed to ToolSession.call as they came: the
 * agent gets a readable invalid_arguments error and the log has the call.
 */
export async function connectMcp(server: Server, transport: Transport): Promise<void> {
  await server.connect(transport);
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    const m = message as { method?: unknown; params?: { arguments?: unknown } };
    const args = m.params?.arguments;
    if (
      m.method === 'tools/call' &&
      m.params &&
      'arguments' in m.params &&
      (args === null || typeof args !== 'object' || Array.isArray(args))
    ) {
      m.params = { ...m.params, arguments: { [RAW_ARGUMENTS]: args } };
    }
    deliver(message, extra);
  };
}
