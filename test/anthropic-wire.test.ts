// The ReAct agent over the Anthropic Messages wire format: the real AI SDK Anthropic client
// against a scripted /v1/messages server, the real tool session on a tiny world. Catches
// what the OpenAI-shaped tests cannot: tool_use / tool_result blocks, the system field,
// input_tokens / output_tokens.
import { createAnthropic } from '@ai-sdk/anthropic';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTask } from '../src/agents/agent.ts';
import { createReactAgent } from '../src/agents/react/index.ts';
import { parseTrajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { agentTools } from '../src/runs/attempt.ts';
import { createSession } from '../src/tools/registry.ts';
import {
  type AnthropicContentBlock,
  type ScriptedAnthropic,
  startScriptedAnthropic,
} from './support/scripted-anthropic.ts';
import { tinyWorld } from './support/worlds.ts';

const NOW = '2024-03-03T12:00:00Z';
const CHILLERS = { site: 'MAIN', asset_class: 'chiller' };

let ds: Dataset;
const servers: ScriptedAnthropic[] = [];

beforeAll(async () => {
  // The SDK warns that "claude-test" is an unknown model: true, and noise in the test output.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  ds = await openDataset((await tinyWorld(7)).dir);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(() => {
  delete (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS;
  ds?.close();
});

const TASK: AgentTask = {
  taskId: 'test-chillers',
  utterance: 'How many chillers are there at site MAIN?',
  answerFormat: { description: 'The number of chillers', jsonShape: { answer: 'number' } },
  now: NOW,
  track: 'execution',
  askOperator: async () => null,
};

const blocks = (content: string | AnthropicContentBlock[]) => (typeof content === 'string' ? [] : content);

describe('react agent over the Anthropic Messages API', () => {
  it('calls a tool through tool_use, reads the tool_result and answers', async () => {
    const server = await startScriptedAnthropic([
      {
        text: 'I will list the chillers at MAIN.',
        toolUses: [{ name: 'assets', input: CHILLERS }],
        usage: { input_tokens: 100, output_tokens: 20 },
      },
      { text: '{"answer": 2}', usage: { input_tokens: 120, output_tokens: 7 } },
    ]);
    servers.push(server);
    // resolveModel('anthropic:...') takes no base URL (only the SDK's ANTHROPIC_BASE_URL would
    // redirect it), so the model is built here the way resolveModel builds it.
    const model = createAnthropic({ baseURL: server.url, apiKey: 'test' })('claude-test');
    const agent = createReactAgent(model, { modelName: 'anthropic:claude-test', maxRetries: 0 });
    const session = createSession(ds, { now: NOW });
    const traj = await agent.run(TASK, agentTools(session));
    parseTrajectory(traj);

    expect(traj.status).toBe('completed');
    expect(traj.errors).toEqual([]);
    expect(traj.steps.map((s) => s.kind)).toEqual(['thought', 'tool_call', 'tool_result', 'final']);
    expect(traj.steps[1].tool).toMatchObject({ name: 'assets', args: CHILLERS });
    expect(traj.finalAnswer).toEqual({ answer: 2 });
    expect(traj.usage).toMatchObject({ inputTokens: 220, outputTokens: 27, calls: 2 });
    expect(session.log.map((c) => [c.tool, c.ok])).toEqual([['assets', true]]);

    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(first.headers['x-api-key']).toBe('test');
    expect(first.model).toBe('claude-test');
    expect(first.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['assets', 'ask_operator']));
    expect(first.tools.find((t) => t.name === 'assets')?.input_schema).toMatchObject({ type: 'object' });
    // The system prompt travels in the top-level system field, not as a message.
    expect(JSON.stringify(first.system)).toContain(NOW);
    expect(first.messages.every((m) => m.role === 'user' || m.role === 'assistant')).toBe(true);

    // The tool_use goes back as the assistant's block, its result as a tool_result block.
    const toolUse = second.messages.flatMap((m) => blocks(m.content)).find((b) => b.type === 'tool_use');
    expect(toolUse).toMatchObject({ id: 'toolu_1_1', name: 'assets', input: CHILLERS });
    const result = second.messages.flatMap((m) => blocks(m.content)).find((b) => b.type === 'tool_result');
    expect(result?.tool_use_id).toBe('toolu_1_1');
    expect(JSON.stringify(result?.content)).toContain('CWC04002');
  });

  it('reports an API error as a provider error', async () => {
    const server = await startScriptedAnthropic([]);
    servers.push(server);
    const model = createAnthropic({ baseURL: server.url, apiKey: 'test' })('claude-test');
    const agent = createReactAgent(model, { modelName: 'anthropic:claude-test', maxRetries: 0 });
    const traj = await agent.run(TASK, agentTools(createSession(ds, { now: NOW })));
    expect(traj.status).toBe('error');
    expect(traj.errors[0].message).toContain('no turn left');
  });
});
