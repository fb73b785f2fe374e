// The planning agents end to end: plan-execute and agent-as-tool on the real AI SDK OpenAI
// client against a scripted chat-completions server, with the real tool session on a tiny
// world. One script serves several roles, so each request is routed by what it is: a
// structured-output request by its response_format name (plan, verdict), a domain agent by
// the name its system prompt gives it, the summariser as the one request without tools.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AgentTask } from '../src/agents/agent.ts';
import { createAgentAsToolAgent } from '../src/agents/agenttool/index.ts';
import { DEFAULT_TOOL_DOMAINS } from '../src/agents/planexec/domains.ts';
import { createPlanExecuteAgent, type PlanExecuteOptions } from '../src/agents/planexec/index.ts';
import { executionOrder, type PlanStep } from '../src/agents/planexec/plan.ts';
import { resolveModel } from '../src/agents/providers/model.ts';
import { parseTrajectory, type Trajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { agentTools } from '../src/runs/attempt.ts';
import { createSession, toolRegistry } from '../src/tools/registry.ts';
import type { ToolSession } from '../src/tools/session.ts';
import {
  type ScriptedLlm,
  type ScriptedLlmOptions,
  type ScriptTurn,
  startScriptedLlm,
} from './support/scripted-llm.ts';
import { call, json, ok, roleOf, routed, systemOf } from './support/scripted-roles.ts';
import { tinyWorld } from './support/worlds.ts';

const NOW = '2024-03-03T12:00:00Z';
const CHILLERS = { site: 'MAIN', asset_class: 'chiller' };

let ds: Dataset;
const servers: ScriptedLlm[] = [];

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(() => ds?.close());

const TASK: AgentTask = {
  taskId: 'test-chiller-work-orders',
  utterance: 'How many work orders does Chiller 1 at site MAIN have?',
  answerFormat: { description: 'The number of work orders', jsonShape: { answer: 'number' } },
  now: NOW,
  track: 'planning',
  askOperator: async () => null,
};

const LIST_STEP: PlanStep = {
  id: 's1',
  task: 'List the chillers at site MAIN with their ids',
  agent: 'iot',
  dependsOn: [],
  expectedOutput: 'Chiller names and asset ids',
};
const WO_STEP: PlanStep = {
  id: 's2',
  task: 'Count the work orders of Chiller 1',
  agent: 'wo',
  dependsOn: ['s1'],
  expectedOutput: 'The number of work orders of Chiller 1',
};

interface Run {
  traj: Trajectory;
  llm: ScriptedLlm;
  session: ToolSession;
  roles: string[];
}

async function run(
  script: ScriptTurn[],
  make: (url: string) => Agent,
  server: ScriptedLlmOptions = {},
): Promise<Run> {
  const llm = await startScriptedLlm(script, server);
  servers.push(llm);
  const session = createSession(ds, { now: NOW });
  const traj = await make(llm.url).run(TASK, agentTools(session));
  parseTrajectory(traj);
  return { traj, llm, session, roles: llm.requests.map(roleOf) };
}

const model = (url: string) =>
  resolveModel('openai:scripted', { baseUrl: url, apiKey: 'dummy', maxRetries: 1 });
const planExecute =
  (o: Partial<PlanExecuteOptions> = {}) =>
  (url: string) =>
    createPlanExecuteAgent(model(url), { modelName: 'scripted', ...o });
const agentAsTool = (url: string) => createAgentAsToolAgent(model(url), { modelName: 'scripted' });

const byKind = (t: Trajectory, kind: string) => t.steps.filter((s) => s.kind === kind);
const steps = (t: Trajectory) => t.steps.map((s) => `${s.agent}:${s.kind}`);

describe('plan-execute agent', () => {
  it('plans two steps, runs each on its domain agent, verifies them and summarises', async () => {
    const r = await run(
      routed({
        plan: [json({ steps: [LIST_STEP, WO_STEP] })],
        iot_agent: [call('assets', CHILLERS), { content: 'Chiller 1 is CWC04001; Chiller 2 is CWC04002.' }],
        wo_agent: [
          call('get_work_orders', { asset: 'CWC04001' }),
          { content: 'Chiller 1 has 26 work orders.' },
        ],
        verdict: [ok, ok],
        summariser: [{ content: '```json\n{"answer": 26}\n```' }],
      }),
      planExecute(),
    );
    const { traj } = r;
    expect(traj.status).toBe('completed');
    expect(traj.agent).toBe('plan-execute');
    expect(traj.track).toBe('planning');
    expect(traj.finalAnswer).toEqual({ answer: 26 });
    expect(traj.errors).toEqual([]);
    expect(steps(traj)).toEqual([
      'planner:plan',
      'planner:handoff',
      'iot_agent:tool_call',
      'iot_agent:tool_result',
      'iot_agent:message',
      'verifier:thought',
      'planner:handoff',
      'wo_agent:tool_call',
      'wo_agent:tool_result',
      'wo_agent:message',
      'verifier:thought',
      'summariser:final',
    ]);
    expect(JSON.parse(traj.steps[0].content)).toEqual({ steps: [LIST_STEP, WO_STEP] });
    expect(byKind(traj, 'handoff').map((s) => s.handoff)).toEqual([
      { from: 'planner', to: 'iot_agent', request: LIST_STEP.task },
      { from: 'planner', to: 'wo_agent', request: WO_STEP.task },
    ]);
    expect(byKind(traj, 'tool_result').map((s) => [s.agent, s.tool?.name, s.tool?.ok])).toEqual([
      ['iot_agent', 'assets', true],
      ['wo_agent', 'get_work_orders', true],
    ]);
    expect(traj.steps.map((s) => s.index)).toEqual(traj.steps.map((_, i) => i));

    // The tool server saw the calls in plan order; the model server saw each role in turn.
    expect(r.session.log.map((c) => [c.tool, c.ok])).toEqual([
      ['assets', true],
      ['get_work_orders', true],
    ]);
    expect(r.roles).toEqual([
      'plan',
      'iot_agent',
      'iot_agent',
      'verdict',
      'wo_agent',
      'wo_agent',
      'verdict',
      'summariser',
    ]);
    expect(traj.usage.calls).toBe(8);
    const stepTokens = traj.steps.reduce((n, s) => n + (s.tokens?.input ?? 0), 0);
    expect(stepTokens).toBe(traj.usage.inputTokens);

    // Sub-agents see only their domain's tools (and the utilities).
    const [iotReq, woReq] = [1, 4].map((n) => r.llm.requests[n].tools.map((t) => t.name));
    expect(iotReq).toEqual(expect.arrayContaining(['assets', 'history', 'json_reader', 'ask_operator']));
    expect(iotReq).not.toContain('get_work_orders');
    expect(woReq).toContain('get_work_orders');
    expect(woReq).not.toContain('history');
    // The wo step depends on s1, so it got s1's output as context; the planner got the question.
    expect(JSON.stringify(r.llm.requests[4].messages)).toContain('CWC04002');
    expect(JSON.stringify(r.llm.requests[0].messages)).toContain(TASK.utterance);
    expect(r.llm.requests[0].body.response_format).toMatchObject({ type: 'json_schema' });
    expect(systemOf(r.llm.requests[7])).toContain('{"answer":"number"}');
  });

  it('re-plans when every tool call of a step failed, and still finishes', async () => {
    const retry: PlanStep = { ...LIST_STEP, task: 'Give the details of Chiller 1' };
    const r = await run(
      routed({
        plan: [
          json({ steps: [{ ...LIST_STEP, task: 'Give the details of Chiller 9' }] }),
          json({ steps: [retry] }),
        ],
        iot_agent: [
          call('asset_details', { asset: 'Chiller 9' }),
          { content: 'Chiller 9 does not exist.' },
          call('asset_details', { asset: 'Chiller 1' }),
          { content: 'Chiller 1 is CWC04001.' },
        ],
        verdict: [ok],
        summariser: [{ content: '{"answer": "CWC04001"}' }],
      }),
      planExecute(),
    );
    expect(r.traj.status).toBe('completed');
    expect(r.traj.finalAnswer).toEqual({ answer: 'CWC04001' });
    // The failed step was caught without a model call: no verdict request before the re-plan.
    expect(r.roles).toEqual([
      'plan',
      'iot_agent',
      'iot_agent',
      'plan',
      'iot_agent',
      'iot_agent',
      'verdict',
      'summariser',
    ]);
    const checks = byKind(r.traj, 'thought').filter((s) => s.agent === 'verifier');
    expect(checks.map((s) => s.content.split(':')[0])).toEqual(['failed', 'passed']);
    expect(checks[0].content).toContain('not_found');
    const plans = byKind(r.traj, 'plan');
    expect(plans).toHaveLength(2);
    const replan = JSON.parse(plans[1].content);
    expect(replan.reason).toContain('every tool call of iot_agent failed');
    expect(replan.steps).toEqual([retry]);
    expect(JSON.stringify(r.llm.requests[3].messages)).toContain('failed its check');
    expect(r.session.log.map((c) => c.ok)).toEqual([false, true]);
  });

  it('stops with status limit when checks keep failing past maxReplans', async () => {
    const bad = json({ ok: false, reason: 'The answer does not list asset ids.' });
    const r = await run(
      routed({
        plan: [1, 2, 3].map(() => json({ steps: [LIST_STEP] })),
        iot_agent: [1, 2, 3].flatMap(() => [call('sites', {}), { content: 'There is one site, MAIN.' }]),
        verdict: [bad, bad, bad],
        summariser: [{ content: '{"answer": 0}' }],
      }),
      planExecute(),
    );
    expect(r.traj.status).toBe('limit');
    expect(r.traj.finalAnswer).toBeNull();
    expect(r.traj.errors.map((e) => e.kind)).toEqual(['replan_limit']);
    expect(r.traj.errors[0].message).toContain('after 2 re-plans');
    // The first plan and two re-plans; the summariser is never asked.
    expect(byKind(r.traj, 'plan')).toHaveLength(3);
    expect(r.roles.filter((x) => x === 'verdict')).toHaveLength(3);
    expect(r.roles).not.toContain('summariser');

    const once = await run(
      routed({
        plan: [json({ steps: [LIST_STEP] }), json({ steps: [LIST_STEP] })],
        iot_agent: [{ content: 'No idea.' }, { content: 'Still no idea.' }],
        verdict: [bad, bad],
      }),
      planExecute({ maxReplans: 1 }),
    );
    expect(once.traj.status).toBe('limit');
    expect(byKind(once.traj, 'plan')).toHaveLength(2);
  });

  it('fails with a clear error when the planner does not write a plan', async () => {
    const r = await run(routed({ plan: [{ content: 'I would ask the iot agent first.' }] }), planExecute());
    expect(r.traj.status).toBe('failed');
    expect(r.traj.errors.map((e) => e.kind)).toEqual(['invalid_plan']);
    expect(r.traj.errors[0].step).toBe(0);
  });

  it('ends with status error when the provider fails inside a sub-agent', async () => {
    const r = await run(
      routed({ plan: [json({ steps: [LIST_STEP] })], iot_agent: [call('sites', {})] }),
      planExecute(),
      { failures: { 3: 500, 4: 500 } },
    );
    expect(r.traj.status).toBe('error');
    expect(r.traj.errors.map((e) => e.kind)).toEqual(['provider']);
    expect(r.traj.errors[0].message).toContain('500');
    // What the sub-agent did before the failure is still recorded, under its name.
    expect(steps(r.traj)).toEqual([
      'planner:plan',
      'planner:handoff',
      'iot_agent:tool_call',
      'iot_agent:tool_result',
    ]);
  });

  it('runs plan steps after the steps they depend on', () => {
    const step = (id: string, dependsOn: string[]): PlanStep => ({ ...LIST_STEP, id, dependsOn });
    const ids = (s: PlanStep[]) => executionOrder(s).map((x) => x.id);
    expect(ids([step('s1', ['s2']), step('s2', []), step('s3', ['s1', 'gone'])])).toEqual(['s2', 's1', 's3']);
    // A cycle does not hang the run: the first step left goes first.
    expect(ids([step('a', ['b']), step('b', ['a'])])).toEqual(['a', 'b']);
  });

  it('groups tools by the same domains as the tool registry', () => {
    const registry = Object.fromEntries([...toolRegistry.values()].map((t) => [t.name, t.domain]));
    expect(DEFAULT_TOOL_DOMAINS).toEqual(registry);
  });
});

describe('agent-as-tool agent', () => {
  it('hands a request to wo_agent, which runs its own tool loop, then answers', async () => {
    const request = 'Count the work orders of Chiller 1 (CWC04001)';
    const r = await run(
      routed({
        meta: [call('wo_agent', { request }), { content: '{"answer": 26}' }],
        wo_agent: [
          call('get_work_orders', { asset: 'CWC04001' }),
          { content: 'Chiller 1 has 26 work orders.' },
        ],
      }),
      agentAsTool,
    );
    const { traj } = r;
    expect(traj.status).toBe('completed');
    expect(traj.agent).toBe('agent-as-tool');
    expect(traj.finalAnswer).toEqual({ answer: 26 });
    expect(traj.errors).toEqual([]);
    expect(steps(traj)).toEqual([
      'agent-as-tool:handoff',
      'wo_agent:tool_call',
      'wo_agent:tool_result',
      'wo_agent:message',
      'agent-as-tool:tool_result',
      'agent-as-tool:final',
    ]);
    const [handoff, , , , result] = traj.steps;
    expect(handoff.handoff).toEqual({ from: 'agent-as-tool', to: 'wo_agent', request });
    expect(result.tool).toMatchObject({ name: 'wo_agent', callId: handoff.tool?.callId, ok: true });
    expect(result.content).toBe('Chiller 1 has 26 work orders.');
    expect(r.roles).toEqual(['meta', 'wo_agent', 'wo_agent', 'meta']);
    expect(r.session.log.map((c) => c.tool)).toEqual(['get_work_orders']);
    expect(traj.usage.calls).toBe(4);

    // The meta agent's tools are the agents; the wo agent gets wo tools and no operator.
    const meta = r.llm.requests[0].tools.map((t) => t.name);
    expect(meta.sort()).toEqual(['ask_operator', 'fmsr_agent', 'iot_agent', 'tsfm_agent', 'wo_agent']);
    const wo = r.llm.requests[1].tools.map((t) => t.name);
    expect(wo).toContain('get_work_orders');
    expect(wo).not.toContain('history');
    expect(wo).not.toContain('ask_operator');
    expect(JSON.stringify(r.llm.requests[1].messages)).toContain(request);
    // The meta model got the report as the tool result.
    const fed = r.llm.requests[3].messages.filter((m) => m.role === 'tool');
    expect(fed[0].content).toContain('26 work orders');
  });
});
