// External agents: a shell command and an HTTP endpoint, each given a per-task MCP server.
// The trajectory's tool log comes from that server, so it records what the agent really did.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentTask, type AgentTools, newTaskId } from '../src/agents/agent.ts';
import { answerFromStdout, createCommandAgent } from '../src/agents/external/command.ts';
import { createHttpAgent } from '../src/agents/external/http.ts';
import { startTaskServer } from '../src/agents/external/task-server.ts';
import { parseTrajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { grade } from '../src/scenarios/graders.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { buildSuite } from '../src/scenarios/suite.ts';
import { assetsOfClassAtSite } from '../src/scenarios/templates/iot.ts';
import { REPO } from './support/cli.ts';
import { tinyWorld } from './support/worlds.ts';

const FIXTURE = 'node --import tsx test/fixtures/external-agent.ts';

let ds: Dataset;
let s: Scenario;

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  ({
    scenarios: [s],
  } = await buildSuite(ds, { templates: [assetsOfClassAtSite], count: 1, seed: 0, split: 'test' }));
});

afterAll(() => ds?.close());

function taskOf(scenario: Scenario): AgentTask {
  return {
    taskId: newTaskId(),
    utterance: scenario.utterance,
    answerFormat: scenario.answerFormat,
    now: scenario.context.now,
    track: 'execution',
    askOperator: async () => null,
  };
}

// External agents must use their own MCP server, never the in-process tools.
const noTools: AgentTools = {
  list: () => {
    throw new Error('in-process tools listed');
  },
  call: () => {
    throw new Error('in-process tool called');
  },
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie nobody has reaped yet is dead too.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('command agent', () => {
  it('answers over MCP; the tool log comes from the server session', async () => {
    const agent = createCommandAgent({ cmd: FIXTURE, ds, cwd: REPO, timeoutMs: 30_000 });
    const traj = parseTrajectory(await agent.run(taskOf(s), noTools));
    expect(traj.status, JSON.stringify(traj.errors)).toBe('completed');
    expect(grade(s.expected, traj.finalAnswer).pass, JSON.stringify(traj.finalAnswer)).toBe(true);
    expect(traj.toolLog.map((r) => r.tool)).toEqual(['assets']);
    expect(traj.toolLog[0].args).toMatchObject({ site: s.context.site });
    expect(traj.steps.map((st) => st.kind)).toEqual([
      'message',
      'tool_call',
      'tool_result',
      'message',
      'message',
      'final',
    ]);
    expect(traj.steps[0].content).toBe(`$ ${FIXTURE}`);
    expect(traj.steps[4].content).toMatch(/^stderr:\nfixture: /);
  });

  it('takes the answer from submit_answer when the agent calls it', async () => {
    const agent = createCommandAgent({
      cmd: `FIXTURE_SUBMIT=1 ${FIXTURE}`,
      ds,
      cwd: REPO,
      timeoutMs: 30_000,
    });
    const traj = await agent.run(taskOf(s), noTools);
    expect(traj.status, JSON.stringify(traj.errors)).toBe('completed');
    expect(grade(s.expected, traj.finalAnswer).pass, JSON.stringify(traj.finalAnswer)).toBe(true);
    expect(traj.toolLog.map((r) => r.tool)).toEqual(['assets', 'submit_answer']);
  });

  it('records a failing command as an error with its exit code', async () => {
    const agent = createCommandAgent({ cmd: 'echo "no luck" >&2; exit 3', ds });
    const traj = parseTrajectory(await agent.run(taskOf(s), noTools));
    expect(traj.status).toBe('error');
    expect(traj.errors).toEqual([{ kind: 'exit', message: 'command exited with code 3: no luck' }]);
    expect(traj.toolLog).toEqual([]);
  });

  it('kills a hanging command and its children at the timeout', async () => {
    const agent = createCommandAgent({ cmd: 'sleep 30 & echo $!; wait', ds, timeoutMs: 500 });
    const t0 = Date.now();
    const traj = await agent.run(taskOf(s), noTools);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(traj.status).toBe('limit');
    expect(traj.errors[0]).toMatchObject({ kind: 'timeout' });
    const child = Number(traj.finalAnswer);
    expect(child).toBeGreaterThan(0);
    for (let i = 0; i < 20 && alive(child); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(child)).toBe(false);
  });

  it('reads the last stdout line as JSON, else as text', () => {
    expect(answerFromStdout('thinking...\n{"answer": 4}\n\n')).toEqual({ answer: 4 });
    expect(answerFromStdout('The answer is 4.\n')).toBe('The answer is 4.');
    expect(answerFromStdout('  \n')).toBeUndefined();
  });
});

describe('task server', () => {
  it('refuses requests without the bearer token', async () => {
    const server = await startTaskServer(ds, { now: s.context.now, id: 'test' });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: 'Bearer nope' })).status).toBe(401);
      expect((await post({ authorization: `Bearer ${server.token}` })).status).not.toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe('http agent', () => {
  let endpoint: Server;
  let base: string;
  const unauthorized: number[] = [];

  beforeAll(async () => {
    endpoint = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { task, mcp } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.url === '/fail') return void res.writeHead(500).end('boom');
      if (req.url === '/garbage') return void res.writeHead(200).end('not json');
      if (req.url === '/slow') return;
      unauthorized.push((await fetch(mcp.url, { method: 'POST', body: '{}' })).status);
      const client = new Client({ name: 'endpoint-agent', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(mcp.url), {
          requestInit: { headers: { authorization: `Bearer ${mcp.token}` } },
        }),
      );
      const [, cls, site] = /How many (.+?)s are there at site (\S+?)\?/.exec(task.utterance) ?? [];
      const r = await client.callTool({ name: 'assets', arguments: { site, asset_class: cls } });
      await client.close();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ answer: { answer: (r.structuredContent as { total: number }).total } }));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const addr = endpoint.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });

  afterAll(async () => {
    endpoint?.closeAllConnections();
    await new Promise((resolve) => endpoint?.close(resolve));
  });

  it('posts the task and the MCP server, and takes {answer} from the reply', async () => {
    const traj = parseTrajectory(await createHttpAgent({ url: `${base}/agent`, ds }).run(taskOf(s), noTools));
    expect(traj.status, JSON.stringify(traj.errors)).toBe('completed');
    expect(grade(s.expected, traj.finalAnswer).pass, JSON.stringify(traj.finalAnswer)).toBe(true);
    expect(traj.toolLog.map((r) => r.tool)).toEqual(['assets']);
    expect(unauthorized).toEqual([401]);
  });

  it('records bad replies and timeouts without throwing', async () => {
    const run = (path: string) =>
      createHttpAgent({ url: `${base}${path}`, ds, timeoutMs: 500 }).run(taskOf(s), noTools);
    const fail = await run('/fail');
    expect([fail.status, fail.errors[0].kind]).toEqual(['error', 'http_status']);
    expect(fail.errors[0].message).toMatch(/answered 500/);
    const garbage = await run('/garbage');
    expect([garbage.status, garbage.errors[0].kind]).toEqual(['error', 'bad_reply']);
    const slow = await run('/slow');
    expect([slow.status, slow.errors[0].kind]).toEqual(['limit', 'timeout']);
    const nobody = await createHttpAgent({ url: 'http://127.0.0.1:1/agent', ds }).run(taskOf(s), noTools);
    expect([nobody.status, nobody.errors[0].kind]).toEqual(['error', 'http']);
  });
});

describe('ask_operator for external agents', () => {
  it('is offered by the task server, answered by the scripted operator, and recorded as an ask step', async () => {
    const { startTaskServer } = await import('../src/agents/external/task-server.ts');
    const { addLogSteps } = await import('../src/agents/external/run.ts');
    const { newTrajectory } = await import('../src/agents/trajectory.ts');
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import(
      '@modelcontextprotocol/sdk/client/streamableHttp.js'
    );
    const { openDataset } = await import('../src/dataset/open.ts');
    const { tinyWorld } = await import('./support/worlds.ts');
    const ds = await openDataset((await tinyWorld(7)).dir);
    const server = await startTaskServer(ds, {
      now: '2024-03-03T00:00:00Z',
      id: 'ask-test',
      askOperator: async (q) => (q.includes('chiller') ? 'Chiller 2' : null),
    });
    try {
      const client = new Client({ name: 'asker', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), {
          requestInit: { headers: { authorization: `Bearer ${server.token}` } },
        }),
      );
      const r = await client.callTool({
        name: 'ask_operator',
        arguments: { question: 'Which chiller do you mean?' },
      });
      expect(r.structuredContent).toEqual({ reply: 'Chiller 2' });
      await client.close();
      const traj = newTrajectory({ id: 't', scenarioId: 's', agent: 'command', model: null });
      addLogSteps(traj, server.session);
      expect(traj.steps[0]).toMatchObject({ kind: 'ask', content: 'Which chiller do you mean?' });
    } finally {
      await server.close();
      ds.close();
    }
  });
});

describe('recording proxy for external agents', () => {
  it("puts the agent's own model calls into its trajectory", async () => {
    const { createCommandAgent } = await import('../src/agents/external/command.ts');
    const { startScriptedLlm } = await import('./support/scripted-llm.ts');
    const { openDataset } = await import('../src/dataset/open.ts');
    const { tinyWorld } = await import('./support/worlds.ts');
    const ds = await openDataset((await tinyWorld(7)).dir);
    const llm = await startScriptedLlm([
      { content: '{"answer": 2}', usage: { prompt_tokens: 11, completion_tokens: 5 } },
    ]);
    try {
      const agent = createCommandAgent({
        ds,
        cmd: `${process.execPath} test/fixtures/model-agent.mjs`,
        modelProxy: { upstream: llm.url },
        timeoutMs: 30_000,
      });
      const traj = await agent.run(
        {
          taskId: 's1',
          utterance: 'How many chillers are there at site MAIN?',
          answerFormat: { description: 'a count', jsonShape: null },
          now: '2024-03-03T00:00:00Z',
          track: 'execution',
          askOperator: async () => null,
        },
        {
          list: () => [],
          call: async () => ({ ok: false, error: { code: 'x', message: 'unused', hint: '' } }),
        },
      );
      expect(traj.status).toBe('completed');
      expect(traj.finalAnswer).toEqual({ answer: 2 });
      expect(traj.steps.some((s) => s.agent === 'external-model' && s.content.includes('"answer": 2'))).toBe(
        true,
      );
      expect(traj.usage).toMatchObject({ inputTokens: 11, outputTokens: 5, calls: 1 });
      expect(llm.requests[0].messages[0].content).toContain('chillers');
    } finally {
      await llm.close();
      ds.close();
    }
  });
});
