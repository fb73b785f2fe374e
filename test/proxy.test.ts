// The recording proxy between the real ReAct agent (AI SDK OpenAI client) and a scripted
// chat-completions server: the agent must work through it unchanged, JSON and SSE alike,
// and the proxy must record what each model call asked, answered and cost.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTask } from '../src/agents/agent.ts';
import { resolveModel } from '../src/agents/providers/model.ts';
import { modelCallSteps, type RecordingProxy, startRecordingProxy } from '../src/agents/proxy/proxy.ts';
import { createReactAgent } from '../src/agents/react/index.ts';
import { parseTrajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { agentTools } from '../src/runs/attempt.ts';
import { createSession } from '../src/tools/registry.ts';
import { type ScriptedLlm, type ScriptTurn, startScriptedLlm } from './support/scripted-llm.ts';
import { tinyWorld } from './support/worlds.ts';

const NOW = '2024-03-03T12:00:00Z';
const CHILLERS = { site: 'MAIN', asset_class: 'chiller' };

let ds: Dataset;
const closers: Array<ScriptedLlm | RecordingProxy> = [];

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((s) => s.close()));
});

afterAll(() => ds?.close());

const TASK: AgentTask = {
  taskId: 'test-chillers',
  utterance: 'How many chillers are there at site MAIN?',
  answerFormat: { description: 'The number of chillers', jsonShape: { answer: 'number' } },
  now: NOW,
  track: 'execution',
  askOperator: async () => null,
};

const SCRIPT: ScriptTurn[] = [
  {
    content: 'I will list the chillers at MAIN.',
    toolCalls: [{ name: 'assets', arguments: CHILLERS }],
    usage: { prompt_tokens: 100, completion_tokens: 20 },
  },
  { content: '{"answer": 2}', usage: { prompt_tokens: 120, completion_tokens: 7 } },
];

async function runThroughProxy(stream: boolean) {
  const llm = await startScriptedLlm(SCRIPT);
  closers.push(llm);
  const proxy = await startRecordingProxy({ upstream: llm.url, apiKey: 'upstream-key' });
  closers.push(proxy);
  const model = resolveModel('openai:x', { baseUrl: proxy.url, apiKey: 'dummy', maxRetries: 0 });
  const agent = createReactAgent(model, { modelName: 'x', stream });
  const traj = await agent.run(TASK, agentTools(createSession(ds, { now: NOW })));
  parseTrajectory(traj);
  return { traj, llm, proxy };
}

describe('recording proxy', () => {
  for (const stream of [false, true]) {
    it(`forwards and records a tool call and an answer (stream ${stream})`, async () => {
      const { traj, llm, proxy } = await runThroughProxy(stream);
      // The agent did not notice the proxy.
      expect(traj.status).toBe('completed');
      expect(traj.finalAnswer).toEqual({ answer: 2 });
      expect(traj.usage).toMatchObject({ inputTokens: 220, outputTokens: 27, calls: 2 });
      expect(llm.requests.map((r) => r.stream)).toEqual([stream, stream]);

      const [first, second] = proxy.calls;
      expect(proxy.calls).toHaveLength(2);
      expect(proxy.calls.map((c) => [c.model, c.status, c.stream])).toEqual([
        ['x', 200, stream],
        ['x', 200, stream],
      ]);
      expect(first.usage).toEqual({ prompt_tokens: 100, completion_tokens: 20 });
      expect(second.usage).toEqual({ prompt_tokens: 120, completion_tokens: 7 });
      expect(first.responseText).toBe('I will list the chillers at MAIN.');
      expect(first.toolCalls).toHaveLength(1);
      expect(first.toolCalls[0].name).toBe('assets');
      expect(JSON.parse(first.toolCalls[0].arguments)).toEqual(CHILLERS);
      expect(second.responseText).toBe('{"answer": 2}');
      expect(second.toolCalls).toEqual([]);
      expect(first.tools).toBeGreaterThan(3);
      expect(first.messages.at(-1)).toMatchObject({ role: 'user', content: TASK.utterance });
      // The second request carries the tool result back to the model.
      expect(second.messages.some((m) => (m as { role?: string }).role === 'tool')).toBe(true);

      const steps = modelCallSteps(proxy.calls);
      expect(steps).toHaveLength(2);
      expect(steps.map((s) => [s.agent, s.kind])).toEqual([
        ['external-model', 'message'],
        ['external-model', 'message'],
      ]);
      expect(steps.map((s) => s.tokens)).toEqual([
        { input: 100, output: 20 },
        { input: 120, output: 7 },
      ]);
      expect(steps[0].content).toContain('list the chillers');
      expect(steps[0].content).toContain('assets');
      expect(steps.every((s) => typeof s.latencyMs === 'number' && s.at)).toBe(true);
    });
  }

  it('passes upstream errors through with their status', async () => {
    const llm = await startScriptedLlm([], { failures: { 1: 429 } });
    closers.push(llm);
    const proxy = await startRecordingProxy({ upstream: llm.url });
    closers.push(proxy);
    const res = await fetch(`${proxy.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after-ms')).toBe('10');
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'scripted failure',
    );
    expect(proxy.calls).toHaveLength(1);
    expect(proxy.calls[0]).toMatchObject({ status: 429, usage: null, error: expect.stringContaining('429') });
    expect(modelCallSteps(proxy.calls)[0].tokens).toBeUndefined();
  });

  it('answers 502 with a JSON error when the upstream is unreachable', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const gone = await startScriptedLlm([]);
    const deadUrl = gone.url;
    await gone.close();
    const proxy = await startRecordingProxy({ upstream: deadUrl });
    closers.push(proxy);
    const res = await fetch(`${proxy.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x', messages: [] }),
    });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('proxy_error');
    expect(body.error.message).toContain('unreachable');
    expect(proxy.calls).toMatchObject([{ status: 502, model: 'x' }]);

    // The agent sees an ordinary provider error, not a hang.
    const model = resolveModel('openai:x', { baseUrl: proxy.url, apiKey: 'dummy', maxRetries: 0 });
    const traj = await createReactAgent(model, { modelName: 'x' }).run(
      TASK,
      agentTools(createSession(ds, { now: NOW })),
    );
    expect(traj.status).toBe('error');
    expect(traj.errors[0].message).toContain('502');
  });
});
