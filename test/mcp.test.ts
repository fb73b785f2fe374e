// A real MCP client (the SDK's) over stdio and streamable HTTP lists the tools and
// calls each of them; the server-side call log records what happened.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { type HttpMcp, serveHttp } from '../src/mcp/serve.ts';
import { REPO } from './support/cli.ts';
import { TOOL_EXAMPLES } from './support/tool-examples.ts';
import { tinyWorld } from './support/worlds.ts';

let world: string;
let ds: Dataset;
let http: HttpMcp;

beforeAll(async () => {
  world = (await tinyWorld(7)).dir;
  ds = await openDataset(world);
  http = await serveHttp(ds, { domains: 'all', faults: 'none', host: '127.0.0.1', port: 0, token: 'sesame' });
});

afterAll(async () => {
  await http?.close();
  ds?.close();
});

async function callEveryTool(client: Client): Promise<string[]> {
  const { tools } = await client.listTools();
  expect(tools.length).toBeGreaterThanOrEqual(9);
  const called: string[] = [];
  // history first, so json_reader has a handle to read
  const ordered = [...tools].sort((a, b) => (a.name === 'history' ? -1 : b.name === 'history' ? 1 : 0));
  for (const tool of ordered) {
    expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(40);
    expect(tool.inputSchema.type).toBe('object');
    const example = TOOL_EXAMPLES[tool.name];
    expect(example, `no example call for ${tool.name}`).toBeDefined();
    const res = await client.callTool({ name: tool.name, arguments: example });
    expect(res.isError, `${tool.name}: ${JSON.stringify(res.content)}`).toBeFalsy();
    expect(res.structuredContent).toBeTypeOf('object');
    called.push(tool.name);
  }
  const bad = await client.callTool({
    name: 'history',
    arguments: { asset: 'Chiler 1', start: '2024-03-02' },
  });
  expect(bad.isError).toBe(true);
  expect(
    (bad.structuredContent as { error: { code: string; candidates: string[] } }).error.candidates,
  ).toContain('Chiller 1');
  return called;
}

describe('MCP over stdio', () => {
  it('lists the tools and calls each of them', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(REPO, 'bin/assetops.js'), 'mcp', '--world', world],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    try {
      const called = await callEveryTool(client);
      expect(called).toContain('history');
    } finally {
      await client.close();
    }
  });
});

describe('MCP over streamable HTTP', () => {
  it('refuses requests without the bearer token', async () => {
    const res = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    const wrong = await fetch(http.url, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
  });

  it('gives each client its own tool session and records every call server-side', async () => {
    const connect = async () => {
      const client = new Client({ name: 'test-client', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(http.url), {
          requestInit: { headers: { authorization: 'Bearer sesame' } },
        }),
      );
      return client;
    };
    const a = await connect();
    const b = await connect();
    try {
      const called = await callEveryTool(a);
      await b.callTool({ name: 'sites', arguments: {} });
      expect(http.sessions.size).toBe(2);
      const logs = [...http.sessions.values()].map((s) => s.log);
      const big = logs.find((l) => l.length > 1) ?? [];
      const small = logs.find((l) => l.length === 1) ?? [];
      expect(big.map((r) => r.tool)).toEqual([...called, 'history']);
      expect(big.at(-1)?.ok).toBe(false);
      expect(small[0].tool).toBe('sites');
      // Stored results are offered as resources.
      const { resources } = await a.listResources();
      expect(resources.length).toBeGreaterThan(0);
      const read = await a.readResource({ uri: resources[0].uri });
      expect(JSON.parse((read.contents[0] as { text: string }).text).length).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
