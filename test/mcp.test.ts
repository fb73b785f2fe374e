// A real MCP client (the SDK's) over stdio and streamable HTTP lists the tools and
// calls each of them; the server-side call log records what happened.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { allowedHostValues, isLoopback } from '../src/mcp/http.ts';
import { type HttpMcp, serveHttp } from '../src/mcp/serve.ts';
import { expectOneLineError, REPO, runCli } from './support/cli.ts';
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

describe('MCP tool calls with arguments that are not an object', () => {
  it('get a readable tool error and land in the call log', async () => {
    const srv = await serveHttp(ds, { domains: 'all', faults: 'none', host: '127.0.0.1', port: 0 });
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(srv.url)));
    try {
      for (const args of [[1, 2], 'x']) {
        const res = await client.callTool({
          name: 'history',
          arguments: args as unknown as Record<string, unknown>,
        });
        expect(res.isError).toBe(true);
        const error = (res.structuredContent as { error: { code: string; message: string } }).error;
        expect(error.code).toBe('invalid_arguments');
        expect(error.message).toMatch(
          /^the arguments of history must be an object of named arguments, not a/,
        );
      }
      expect([...srv.sessions.values()][0].log.map((r) => [r.tool, r.ok])).toEqual([
        ['history', false],
        ['history', false],
      ]);
    } finally {
      await client.close();
      await srv.close();
    }
  });
});

describe('MCP session lifetime over streamable HTTP', () => {
  const connect = async (url: string) => {
    const transport = new StreamableHTTPClientTransport(new URL(url));
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    return { client, transport };
  };

  it('expires an idle session; the next call with its id gets a clear error', async () => {
    const srv = await serveHttp(ds, {
      domains: 'all',
      faults: 'none',
      host: '127.0.0.1',
      port: 0,
      idleMs: 400,
    });
    try {
      const { client } = await connect(srv.url);
      expect((await client.callTool({ name: 'sites', arguments: {} })).isError).toBeFalsy();
      expect(srv.stats().transports).toBe(1);
      await new Promise((r) => setTimeout(r, 1200));
      expect(srv.stats()).toEqual({ transports: 0, sessions: 0, pending: 0 });
      await expect(client.callTool({ name: 'sites', arguments: {} })).rejects.toThrow(
        /expired after 400 ms without a request; start a new session/,
      );
      await client.close();
    } finally {
      await srv.close();
    }
  });

  it('keeps a session that is in use past the idle time', async () => {
    const srv = await serveHttp(ds, {
      domains: 'all',
      faults: 'none',
      host: '127.0.0.1',
      port: 0,
      idleMs: 1000,
    });
    try {
      const { client } = await connect(srv.url);
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 400));
        expect((await client.callTool({ name: 'current_date_time', arguments: {} })).isError).toBeFalsy();
      }
      expect(srv.stats().transports).toBe(1);
      await client.close();
    } finally {
      await srv.close();
    }
  });

  it('refuses a session past the cap with a clear message, and takes one again after a close', async () => {
    const srv = await serveHttp(ds, {
      domains: 'all',
      faults: 'none',
      host: '127.0.0.1',
      port: 0,
      maxSessions: 2,
    });
    try {
      const a = await connect(srv.url);
      const b = await connect(srv.url);
      await expect(connect(srv.url)).rejects.toThrow(/too many open MCP sessions \(2\)/);
      const raw = await fetch(srv.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'x', version: '1' },
          },
        }),
      });
      expect(raw.status).toBe(503);
      expect(((await raw.json()) as { error: { message: string } }).error.message).toContain('DELETE /mcp');
      await a.transport.terminateSession();
      await a.client.close();
      const c = await connect(srv.url);
      expect((await c.client.callTool({ name: 'sites', arguments: {} })).isError).toBeFalsy();
      await b.client.close();
      await c.client.close();
    } finally {
      await srv.close();
    }
  });

  it('leaves nothing behind once its sessions are closed', async () => {
    const srv = await serveHttp(ds, { domains: 'all', faults: 'none', host: '127.0.0.1', port: 0 });
    try {
      const clients = await Promise.all(Array.from({ length: 5 }, () => connect(srv.url)));
      for (const { client } of clients) {
        await client.callTool({ name: 'history', arguments: TOOL_EXAMPLES.history });
      }
      expect(srv.stats()).toEqual({ transports: 5, sessions: 5, pending: 0 });
      // Server-side sessions keep the call log but not every full result.
      const session = [...srv.sessions.values()][0];
      expect(session.log).toHaveLength(1);
      expect(session.storedSize().fullResults).toBe(0);
      for (const { client, transport } of clients) {
        await transport.terminateSession();
        await client.close();
      }
      expect(srv.stats()).toEqual({ transports: 0, sessions: 0, pending: 0 });
    } finally {
      await srv.close();
    }
  });

  it('answers a call without a session, or with an unknown one, with a JSON-RPC error', async () => {
    const srv = await serveHttp(ds, { domains: 'all', faults: 'none', host: '127.0.0.1', port: 0 });
    try {
      const call = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const none = await fetch(srv.url, { method: 'POST', headers, body: JSON.stringify(call) });
      expect(none.status).toBe(400);
      expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/initialize/);
      const unknown = await fetch(srv.url, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': 'nope' },
        body: JSON.stringify(call),
      });
      expect(unknown.status).toBe(404);
      expect(srv.stats()).toEqual({ transports: 0, sessions: 0, pending: 0 });
    } finally {
      await srv.close();
    }
  });
});

/** A raw request with headers fetch would not let us set (Host). */
function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('MCP over HTTP against DNS rebinding', () => {
  it('answers only requests whose Host and Origin are its own names', async () => {
    const port = new URL(http.url).port;
    const auth = { authorization: 'Bearer sesame' };
    const evil = await rawPost(http.url, { ...auth, host: `rebound.example:${port}` });
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('DNS rebinding');
    expect((await rawPost(http.url, { ...auth, host: `127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
    const origin = await rawPost(http.url, { ...auth, origin: 'http://rebound.example' });
    expect(origin.status).toBe(403);
    expect(JSON.parse(origin.body).error).toContain('Origin "http://rebound.example"');
    expect((await rawPost(http.url, { ...auth, origin: 'null' })).status).toBe(403);
    // Its own names pass the check (and then fail for want of an initialize request).
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
      expect((await rawPost(http.url, { ...auth, host })).status, host).toBe(400);
    }
    expect((await rawPost(http.url, { ...auth, origin: `http://localhost:${port}` })).status).toBe(400);
  });

  it('knows its own names: bound host, loopback, extra names, and for a wildcard bind the machine', () => {
    const local = allowedHostValues('127.0.0.1', 8765, ['mcp.example.org']);
    for (const h of ['127.0.0.1:8765', 'localhost:8765', '[::1]:8765', 'mcp.example.org:8765'])
      expect(local.has(h), h).toBe(true);
    expect(local.has('127.0.0.1:8766')).toBe(false);
    expect(local.has('localhost')).toBe(false);
    // The default port may be left out of Host.
    expect(allowedHostValues('127.0.0.1', 80).has('localhost')).toBe(true);
    expect(allowedHostValues('0.0.0.0', 9000).has(`${hostname().toLowerCase()}:9000`)).toBe(true);
    expect(['localhost', '127.0.0.1', '127.3.4.5', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.2', 'example.org'].some(isLoopback)).toBe(false);
  });

  it('refuses to serve a non-loopback host without a token, unless told --insecure', async () => {
    const line = expectOneLineError(
      runCli(['mcp', '--transport', 'http', '--host', '0.0.0.0', '--port', '0', '--world', world], {
        ASSETOPS_MCP_TOKEN: '',
      }),
    );
    expect(line).toContain('without a token');
    expect(line).toContain('--token');
    expect(line).toContain('--insecure');
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'bin/assetops.js'),
        'mcp',
        '--transport',
        'http',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--insecure',
        '--world',
        world,
      ],
      { env: { ...process.env, ASSETOPS_MCP_TOKEN: '' } },
    );
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          if (stderr.includes('listening')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(stderr).toMatch(/warning: --insecure: no token on 0\.0\.0\.0.*call every tool/);
    } finally {
      child.kill();
    }
  });
});
