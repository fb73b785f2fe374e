// The ReAct agent end to end: the real AI SDK OpenAI client against a scripted
// chat-completions server on loopback, the real tool session on a tiny world.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AgentTask } from '../src/agents/agent.ts';
import { resolveModel } from '../src/agents/providers/model.ts';
import { createReactAgent, type ReactAgentOptions } from '../src/agents/react/index.ts';
import { parseTrajectory, type Trajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { agentTools } from '../src/runs/attempt.ts';
import { createSession } from '../src/tools/registry.ts';
import type { ToolSession } from '../src/tools/session.ts';
import { parseFinalAnswer } from '../src/util/answer-text.ts';
import { isUserError, type UserError } from '../src/util/errors.ts';
import {
  type ScriptedLlm,
  type ScriptedLlmOptions,
  type ScriptTurn,
  startScriptedLlm,
} from './support/scripted-llm.ts';
import { tinyWorld } from './support/worlds.ts';

const NOW = '2024-03-03T12:00:00Z';
const CHILLERS = { site: 'MAIN', asset_class: 'chiller' };

let ds: Dataset;
const servers: ScriptedLlm[] = [];

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(() => ds?.close());

function task(overrides: Partial<AgentTask> = {}): AgentTask {
  return {
    taskId: 'test-chillers',
    utterance: 'How many chillers are there at site MAIN?',
    answerFormat: { description: 'The number of chillers', jsonShape: { answer: 'number' } },
    now: NOW,
    track: 'execution',
    askOperator: async () => null,
    ...overrides,
  };
}

interface Run {
  traj: Trajectory;
  llm: ScriptedLlm;
  session: ToolSession;
}

async function run(
  script: ScriptTurn[],
  o: {
    server?: ScriptedLlmOptions;
    agent?: Partial<ReactAgentOptions>;
    model?: { timeoutMs?: number; maxRetries?: number };
    task?: Partial<AgentTask>;
  } = {},
): Promise<Run> {
  const llm = await startScriptedLlm(script, o.server);
  servers.push(llm);
  const model = resolveModel('openai:scripted', { baseUrl: llm.url, apiKey: 'dummy', ...o.model });
  const agent = createReactAgent(model, { modelName: 'scripted', ...o.agent });
  const session = createSession(ds, { now: NOW });
  const traj = await agent.run(task(o.task), agentTools(session));
  // Every trajectory the agent writes must pass the schema the rest of the bench reads.
  parseTrajectory(traj);
  return { traj, llm, session };
}

const kinds = (t: Trajectory) => t.steps.map((s) => s.kind);
const toolMessages = (r: Run, n: number) => r.llm.requests[n].messages.filter((m) => m.role === 'tool');
const errorKinds = (t: Trajectory) => t.errors.map((e) => e.kind);

const ANSWER: ScriptTurn = { content: '{"answer": 2}', usage: { prompt_tokens: 120, completion_tokens: 7 } };
const LIST_CHILLERS: ScriptTurn = {
  content: 'I will list the chillers at MAIN.',
  toolCalls: [{ name: 'assets', arguments: CHILLERS }],
  usage: { prompt_tokens: 100, completion_tokens: 20 },
};

describe('react agent', () => {
  it('(a) calls a tool, reads the result and answers in JSON', async () => {
    const r = await run([LIST_CHILLERS, ANSWER]);
    const { traj } = r;
    expect(traj.status).toBe('completed');
    expect(traj.agent).toBe('react');
    expect(traj.model).toBe('scripted');
    expect(kinds(traj)).toEqual(['thought', 'tool_call', 'tool_result', 'final']);
    const [thought, call, result] = traj.steps;
    expect(thought.content).toContain('list the chillers');
    expect(call.tool).toMatchObject({ name: 'assets', args: CHILLERS });
    expect(result.tool).toMatchObject({ name: 'assets', callId: call.tool?.callId, ok: true });
    expect(result.content).toContain('Chiller 2');
    expect(traj.finalAnswer).toEqual({ answer: 2 });
    expect(traj.errors).toEqual([]);

    // Tokens: the provider's usage, summed, and each model call counted once on its steps.
    expect(traj.usage).toMatchObject({ inputTokens: 220, outputTokens: 27, calls: 2 });
    const stepInput = traj.steps.reduce((sum, s) => sum + (s.tokens?.input ?? 0), 0);
    expect(stepInput).toBe(220);
    expect(thought.tokens).toEqual({ input: 100, output: 20 });
    expect(traj.steps[3].tokens).toEqual({ input: 120, output: 7 });

    // What the tool server really saw.
    expect(r.session.log.map((c) => [c.tool, c.args, c.ok])).toEqual([['assets', CHILLERS, true]]);

    // What the model server really saw: the tool definitions, the prompt, the tool result.
    const [first, second] = r.llm.requests;
    expect(r.llm.requests).toHaveLength(2);
    expect(first.stream).toBe(false);
    const names = first.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['assets', 'history', 'get_work_orders', 'ask_operator']));
    expect(first.tools.find((t) => t.name === 'assets')?.parameters).toMatchObject({
      type: 'object',
      properties: { site: { type: 'string' } },
    });
    const system = first.messages.find((m) => m.role === 'system')?.content as string;
    expect(system).toContain(NOW);
    expect(system).toContain('The number of chillers');
    expect(system).toContain('{"answer":"number"}');
    expect(first.messages.at(-1)).toMatchObject({ role: 'user', content: task().utterance });
    const tool = toolMessages(r, 1);
    expect(tool).toHaveLength(1);
    expect(tool[0].tool_call_id).toBe('call_1_1');
    expect(tool[0].content).toContain('CWC04002');
    expect(
      second.messages.some((m) => m.role === 'assistant' && m.tool_calls?.[0]?.function.name === 'assets'),
    ).toBe(true);
  });

  it('(b) works the same with streaming on, assembling tool-call deltas', async () => {
    const fenced: ScriptTurn = {
      content: 'Done.\n```json\n{"answer": 2}\n```',
      usage: { prompt_tokens: 120, completion_tokens: 9 },
    };
    const r = await run([LIST_CHILLERS, fenced], { agent: { stream: true } });
    expect(r.llm.requests.map((q) => q.stream)).toEqual([true, true]);
    expect(r.traj.status).toBe('completed');
    expect(kinds(r.traj)).toEqual(['thought', 'tool_call', 'tool_result', 'final']);
    expect(r.traj.steps[1].tool?.args).toEqual(CHILLERS);
    expect(r.traj.finalAnswer).toEqual({ answer: 2 });
    expect(r.traj.usage).toMatchObject({ inputTokens: 220, outputTokens: 29, calls: 2 });
    expect(r.session.log).toHaveLength(1);
    expect(toolMessages(r, 1)[0].content).toContain('CWC04001');
  });

  it('(c) retries a 429 and completes; gives up with status error on repeated 500s', async () => {
    const ok = await run([LIST_CHILLERS, ANSWER], { server: { failures: { 1: 429 } } });
    expect(ok.llm.requests.map((q) => q.status)).toEqual([429, 200, 200]);
    expect(ok.traj.status).toBe('completed');
    expect(ok.traj.finalAnswer).toEqual({ answer: 2 });
    expect(ok.traj.usage.calls).toBe(2);

    const bad = await run([ANSWER], { server: { failures: { 1: 500, 2: 500 } }, model: { maxRetries: 1 } });
    expect(bad.llm.requests).toHaveLength(2);
    expect(bad.traj.status).toBe('error');
    expect(errorKinds(bad.traj)).toEqual(['provider']);
    expect(bad.traj.errors[0].message).toContain('500');
    expect(bad.traj.finalAnswer).toBeNull();
  });

  it('(d) records malformed tool calls as errors, feeds them back and recovers', async () => {
    const r = await run([
      { toolCalls: [{ name: 'assets', arguments: '{"site": "MAIN", asset_class' }] },
      { toolCalls: [{ name: 'list_chillers', arguments: {} }] },
      { toolCalls: [{ name: 'assets', arguments: CHILLERS }] },
      ANSWER,
    ]);
    expect(r.traj.status).toBe('completed');
    expect(r.traj.finalAnswer).toEqual({ answer: 2 });
    expect(errorKinds(r.traj)).toEqual(['invalid_tool_call', 'invalid_tool_call']);
    const badCalls = r.traj.steps.filter((s) => s.kind === 'tool_call' && s.tool?.ok === false);
    expect(badCalls.map((s) => s.tool?.name)).toEqual(['assets', 'list_chillers']);
    expect(r.traj.errors.map((e) => e.step)).toEqual(badCalls.map((s) => s.index));
    // The model was told what went wrong, in the tool message of the next request.
    expect(toolMessages(r, 1)[0].content).toMatch(/invalid input|json/i);
    expect(toolMessages(r, 2).at(-1)?.content).toMatch(/list_chillers/);
    expect(toolMessages(r, 2).at(-1)?.content).toMatch(/assets/);
    // Only the valid call reached the tool server.
    expect(r.session.log.map((c) => c.tool)).toEqual(['assets']);
  });

  it('(e) feeds a tool error back as data and the model retries with the right name', async () => {
    const r = await run([
      { toolCalls: [{ name: 'asset_details', arguments: { asset: 'Chiller 9' } }] },
      { toolCalls: [{ name: 'asset_details', arguments: { asset: 'Chiller 1' } }] },
      { content: '{"answer": "CWC04001"}' },
    ]);
    expect(r.traj.status).toBe('completed');
    expect(r.traj.finalAnswer).toEqual({ answer: 'CWC04001' });
    const results = r.traj.steps.filter((s) => s.kind === 'tool_result');
    expect(results.map((s) => s.tool?.ok)).toEqual([false, true]);
    expect(results[0].tool?.error).toContain('not_found');
    const fedBack = JSON.parse(toolMessages(r, 1)[0].content as string);
    expect(fedBack.error).toMatchObject({ code: 'not_found', hint: expect.stringContaining('Chiller 1') });
    expect(r.session.log.map((c) => c.ok)).toEqual([false, true]);
    // A tool error is the tool's, recorded in the tool log, not an error of the run.
    expect(r.traj.errors).toEqual([]);
  });

  it('(f) stops a loop of identical calls, and a run out of steps, with status limit', async () => {
    const same: ScriptTurn = { toolCalls: [{ name: 'sensors', arguments: { asset: 'Chiller 1' } }] };
    const loop = await run([same, same, same, ANSWER]);
    expect(loop.traj.status).toBe('limit');
    expect(errorKinds(loop.traj)).toEqual(['repeated_call']);
    expect(loop.traj.errors[0].message).toContain('sensors');
    expect(loop.llm.requests).toHaveLength(3);
    // The third identical call never reached the tool server.
    expect(loop.session.log).toHaveLength(2);
    expect(loop.traj.finalAnswer).toBeNull();

    const steps = await run([LIST_CHILLERS, { toolCalls: [{ name: 'sites', arguments: {} }] }, ANSWER], {
      agent: { maxSteps: 2 },
    });
    expect(steps.traj.status).toBe('limit');
    expect(errorKinds(steps.traj)).toEqual(['step_limit']);
    expect(steps.llm.requests).toHaveLength(2);

    const tokens = await run([LIST_CHILLERS, { toolCalls: [{ name: 'sites', arguments: {} }] }, ANSWER], {
      agent: { maxTokens: 50 },
    });
    expect(tokens.traj.status).toBe('limit');
    expect(errorKinds(tokens.traj)).toEqual(['token_limit']);
    expect(tokens.llm.requests).toHaveLength(1);
  });

  it('(g) stops on a timeout with a clear error: the run limit, or one model call', async () => {
    const slow = { delayMs: { 1: 10_000 } };
    const t0 = Date.now();
    const runLimit = await run([ANSWER], { server: slow, agent: { timeoutMs: 300 } });
    expect(runLimit.traj.status).toBe('limit');
    expect(errorKinds(runLimit.traj)).toEqual(['timeout']);
    expect(runLimit.traj.errors[0].message).toContain('300 ms');

    const callLimit = await run([ANSWER], { server: slow, model: { timeoutMs: 200 } });
    expect(callLimit.traj.status).toBe('error');
    expect(callLimit.traj.errors[0].message).toMatch(/timed out after 200 ms/);
    // Not retried: a model that did not answer in time rarely answers faster the second time.
    expect(callLimit.llm.requests).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('(h) resolveModel rejects a missing key and a malformed spec before any call', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    vi.stubEnv('ASSETOPS_BASE_URL', '');
    const thrown = (f: () => unknown): UserError => {
      try {
        f();
      } catch (err) {
        expect(isUserError(err)).toBe(true);
        return err as UserError;
      }
      throw new Error('expected a UserError');
    };
    expect(thrown(() => resolveModel('openai:gpt-4o-mini')).toLine()).toContain('OPENAI_API_KEY');
    expect(thrown(() => resolveModel('anthropic:claude-sonnet-4-5')).toLine()).toContain('ANTHROPIC_API_KEY');
    for (const spec of ['gpt-4o-mini', 'mistral:large', 'openai:', '']) {
      const line = thrown(() => resolveModel(spec)).toLine();
      expect(line).toContain('openai:NAME');
      expect(line).toContain('anthropic:NAME');
      expect(line).toContain('ollama:NAME');
      expect(line).toContain('ASSETOPS_BASE_URL');
    }
    // Keys present, or a local server: no error until a call is made.
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    expect(resolveModel('openai:gpt-4o-mini')).toMatchObject({ modelId: 'gpt-4o-mini' });
    expect(resolveModel('ollama:qwen2.5:7b')).toMatchObject({ modelId: 'qwen2.5:7b' });
    vi.stubEnv('ASSETOPS_BASE_URL', 'http://127.0.0.1:8000/v1');
    expect(resolveModel('qwen2.5:7b')).toMatchObject({ modelId: 'qwen2.5:7b' });
  });

  it('(i) records ask_operator as an ask step with the reply', async () => {
    const questions: string[] = [];
    const r = await run(
      [
        { toolCalls: [{ name: 'ask_operator', arguments: { question: 'Which chiller do you mean?' } }] },
        { content: '{"answer": "Chiller 2"}' },
      ],
      {
        task: {
          utterance: 'Is the chiller all right?',
          askOperator: async (q) => {
            questions.push(q);
            return 'Chiller 2 at MAIN';
          },
        },
      },
    );
    expect(questions).toEqual(['Which chiller do you mean?']);
    expect(kinds(r.traj)).toEqual(['ask', 'tool_result', 'final']);
    const [ask, reply] = r.traj.steps;
    expect(ask.content).toBe('Which chiller do you mean?');
    expect(reply.tool).toMatchObject({ name: 'ask_operator', callId: ask.tool?.callId, ok: true });
    expect(reply.content).toBe('Chiller 2 at MAIN');
    expect(toolMessages(r, 1)[0].content).toContain('Chiller 2 at MAIN');
    expect(r.traj.finalAnswer).toEqual({ answer: 'Chiller 2' });
    // Asking the operator is not a tool call on the plant.
    expect(r.session.log).toHaveLength(0);
  });

  it('parses the final answer from bare JSON, a fence or a sentence, else keeps the text', () => {
    expect(parseFinalAnswer('{"answer": 2}')).toEqual({ answer: 2 });
    expect(parseFinalAnswer('```json\n{"answer": [1, 2]}\n```')).toEqual({ answer: [1, 2] });
    expect(parseFinalAnswer('The answer is {"answer": "Chiller 1"}.')).toEqual({ answer: 'Chiller 1' });
    expect(parseFinalAnswer('42')).toBe(42);
    expect(parseFinalAnswer('There are 2 chillers.')).toBe('There are 2 chillers.');
    expect(parseFinalAnswer('  ')).toBeNull();
  });
});
