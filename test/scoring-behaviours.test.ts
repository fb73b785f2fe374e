// Scripted agents on the real wire give totals an expert would sign. One question with a
// number an agent can only know from the plant (an asset's rated capacity), asked of react,
// plan-execute, agent-as-tool and an external agent over MCP, each driven by a scripted
// OpenAI-compatible model that behaves well or badly: competent; answers without tools; claims
// success after a tool error; reads the wrong asset; repeats one call; sends unknown tools and
// broken JSON. Every attempt runs through the real runner (runAttempt), so scoring reads the
// tool server's own log; failures are read by the TrajFM detectors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../src/agents/agent.ts';
import { createAgentAsToolAgent } from '../src/agents/agenttool/index.ts';
import { createCommandAgent } from '../src/agents/external/command.ts';
import { createPlanExecuteAgent } from '../src/agents/planexec/index.ts';
import type { PlanStep } from '../src/agents/planexec/plan.ts';
import { resolveModel } from '../src/agents/providers/model.ts';
import { createReactAgent } from '../src/agents/react/index.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { runAttempt } from '../src/runs/attempt.ts';
import { type Scenario, ScenarioSchema } from '../src/scenarios/schema.ts';
import { type Scorecard, scoreTrajectory } from '../src/scoring/scorecard.ts';
import { createSession } from '../src/tools/registry.ts';
import { detectFailures } from '../src/trajfm/detect/index.ts';
import type { FailureEvent } from '../src/trajfm/types.ts';
import { REPO } from './support/cli.ts';
import { type ScriptTurn, startScriptedLlm } from './support/scripted-llm.ts';
import { call, json, ok, routed } from './support/scripted-roles.ts';
import { tinyWorld } from './support/worlds.ts';

const NOW = '2024-03-03T12:00:00Z';
let ds: Dataset;
let s: Scenario;
let target: { name: string; capacity: number };
let other: { name: string; capacity: number };

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  // Two assets whose rated capacities differ: the question is about one, the other is the trap.
  const session = createSession(ds, { now: NOW });
  const sites = await session.call('sites', {});
  if (!sites.ok) throw new Error('no sites');
  const names: string[] = [];
  for (const site of (sites.data as { sites: Array<{ site: string }> }).sites) {
    const listed = await session.call('assets', { site: site.site });
    if (listed.ok)
      names.push(...(listed.data as { assets: Array<{ name: string }> }).assets.map((a) => a.name));
  }
  const caps: Array<{ name: string; capacity: number }> = [];
  for (const name of names) {
    const d = await session.call('asset_details', { asset: name });
    const capacity = d.ok ? (d.data as { capacity: number | null }).capacity : null;
    if (typeof capacity === 'number') caps.push({ name, capacity });
  }
  target = caps[0];
  other = caps.find((c) => Math.abs(c.capacity - target.capacity) > 1) as typeof target;
  if (!target || !other) throw new Error('need two assets with different capacities');
  s = ScenarioSchema.parse({
    schemaVersion: 1,
    id: 'behaviour-capacity',
    family: 'iot',
    template: 'test',
    tracks: ['execution', 'planning'],
    difficulty: 'easy',
    utterance: `What is the rated capacity of ${target.name}?`,
    context: { now: NOW, site: null },
    expected: { type: 'number', value: target.capacity, tolerance: { rel: 0.001 } },
    answerFormat: {
      description: 'Reply with JSON.',
      jsonShape: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] },
    },
    requiredEvidence: [{ tool: 'asset_details', asset: target.name, description: 'read the asset' }],
    referencePlan: [
      {
        id: 's1',
        agent: 'iot',
        tool: 'asset_details',
        args: { asset: target.name },
        description: 'the asset',
      },
    ],
    provenance: { source: 'generated' },
  });
}, 120_000);

afterAll(() => ds?.close());

interface Outcome {
  card: Scorecard;
  failures: string[];
  events: FailureEvent[];
}

const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const x of servers) await x.close();
});

async function attempt(script: ScriptTurn[], make: (url: string) => Agent): Promise<Outcome> {
  const llm = await startScriptedLlm(script, { retryAfterMs: 5 });
  servers.push(llm);
  const agent = make(llm.url);
  const r = await runAttempt(ds, s, agent);
  const card = scoreTrajectory({ scenario: s, trajectory: r.trajectory, grade: r.grade });
  const events = detectFailures({
    trajectory: r.trajectory,
    passed: r.grade.pass,
    traps: [],
    entities: [target.name],
    answerFormat: JSON.stringify(s.answerFormat.jsonShape),
  });
  return { card, failures: events.map((f) => f.category), events };
}

const model = (url: string) =>
  resolveModel('openai:scripted', { baseUrl: url, apiKey: 'dummy', maxRetries: 0 });
const react = (url: string) => createReactAgent(model(url), { modelName: 'scripted' });
const planExecute = (url: string) => createPlanExecuteAgent(model(url), { modelName: 'scripted' });
const agentAsTool = (url: string) => createAgentAsToolAgent(model(url), { modelName: 'scripted' });
const external = (url: string) =>
  createCommandAgent({
    ds,
    cmd: `${process.execPath} test/fixtures/mcp-model-agent.mjs`,
    cwd: REPO,
    modelProxy: { upstream: url },
    timeoutMs: 60_000,
  });

const answer = (n: number, extra: Record<string, unknown> = {}) => json({ answer: n, ...extra });
const BROKEN_JSON: ScriptTurn = { toolCalls: [{ name: 'asset_details', arguments: '{"asset": "Chiller' }] };
const UNKNOWN_TOOL = () => call('read_capacity', { asset: target.name });
const PLAN: PlanStep = {
  id: 's1',
  task: 'Read the rated capacity of the asset',
  agent: 'iot',
  dependsOn: [],
  expectedOutput: 'The rated capacity',
};

/** The table docs/SCORING.md shows: agent x behaviour -> total, pass, what was found. */
const table: string[] = [];
function note(agent: string, behaviour: string, o: Outcome) {
  table.push(
    `| ${agent} | ${behaviour} | ${o.card.total ?? 'ungraded'} | ${o.card.pass ? 'yes' : 'no'} | ${
      o.card.toolAccuracy.share === null ? '-' : `${Math.round(100 * o.card.toolAccuracy.share)}%`
    } | ${[...new Set(o.failures)].join(', ') || '-'} |`,
  );
}
afterAll(() => {
  console.info(
    ['| agent | behaviour | total | pass | tool accuracy | failures found |', ...table].join('\n'),
  );
});

function expectFabricationCaught(o: Outcome) {
  expect(o.card.pass).toBe(false);
  expect(o.card.total).not.toBeNull();
  expect(o.card.total as number).toBeLessThanOrEqual(25);
  expect(o.card.dimensions.hallucination.pass).toBe(false);
}

describe('react on the wire', () => {
  it('competent: passes', async () => {
    const o = await attempt([call('asset_details', { asset: target.name }), answer(target.capacity)], react);
    note('react', 'competent', o);
    expect(o.card.pass, JSON.stringify(o.card.dimensions)).toBe(true);
    expect(o.card.total).toBe(100);
  });

  it('answers without tools: at most 25', async () => {
    const o = await attempt([answer(target.capacity * 1.37 + 3)], react);
    note('react', 'answers without tools', o);
    expectFabricationCaught(o);
    expect(o.card.toolAccuracy.share).toBeNull();
  });

  it('claims success after a tool error: at most 25', async () => {
    const o = await attempt(
      [call('asset_details', { asset: 'Chiller 99' }), answer(812, { status: 'retrieved successfully' })],
      react,
    );
    note('react', 'claims success after a tool error', o);
    expectFabricationCaught(o);
    expect(o.card.dimensions.result_verification.pass).toBe(false);
  });

  it('queries the wrong asset: fails retrieval', async () => {
    const o = await attempt([call('asset_details', { asset: other.name }), answer(other.capacity)], react);
    note('react', 'queries the wrong asset', o);
    expect(o.card.dimensions.retrieval_accuracy.pass).toBe(false);
    expect(o.card.pass).toBe(false);
    expect(o.failures).toContain('wrong_entity');
  });

  it('repeats one call: reported as step repetition', async () => {
    const same = () => call('asset_details', { asset: target.name });
    const o = await attempt([same(), same(), same(), answer(target.capacity)], react);
    note('react', 'repeats one call', o);
    expect(o.failures).toContain('step_repetition');
    expect(o.card.pass).toBe(false);
  });

  it('sends unknown tools and broken JSON: a formatting failure, tool accuracy below 100%', async () => {
    const o = await attempt(
      [UNKNOWN_TOOL(), BROKEN_JSON, call('asset_details', { asset: target.name }), answer(target.capacity)],
      react,
    );
    note('react', 'unknown tools and broken JSON', o);
    expect(o.failures).toContain('formatting_issue');
    expect(o.card.toolAccuracy.share as number).toBeLessThan(1);
    expect(o.card.toolAccuracy.calls).toBe(3);
  });
});

describe('plan-execute on the wire', () => {
  const flow = (iot: ScriptTurn[], final: number) =>
    routed({ plan: [json({ steps: [PLAN] })], iot_agent: iot, verdict: [ok], summariser: [answer(final)] });

  it('competent: passes', async () => {
    const o = await attempt(
      flow(
        [call('asset_details', { asset: target.name }), { content: `Capacity ${target.capacity}.` }],
        target.capacity,
      ),
      planExecute,
    );
    note('plan-execute', 'competent', o);
    expect(o.card.pass, JSON.stringify(o.card.dimensions)).toBe(true);
  });

  it('a sub-agent answers without tools: at most 25, blamed on its report', async () => {
    const made = Math.round(target.capacity * 1.37 + 3);
    const o = await attempt(flow([{ content: `The capacity is ${made}.` }], made), planExecute);
    note('plan-execute', 'answers without tools', o);
    expectFabricationCaught(o);
    expect(o.card.dimensions.hallucination.evidence.map((e) => e.note).join(' ')).toMatch(
      /iot_agent's report/,
    );
  });

  it('queries the wrong asset: fails retrieval', async () => {
    const o = await attempt(
      flow(
        [call('asset_details', { asset: other.name }), { content: `Capacity ${other.capacity}.` }],
        other.capacity,
      ),
      planExecute,
    );
    note('plan-execute', 'queries the wrong asset', o);
    expect(o.card.dimensions.retrieval_accuracy.pass).toBe(false);
    expect(o.card.pass).toBe(false);
  });

  it('a sub-agent whose only call failed cannot get past the verifier: no answer, at most 25', async () => {
    const bad = () => [call('asset_details', { asset: 'Chiller 99' }), { content: 'The capacity is 812.' }];
    // Every tool call failing fails the mechanical check, so the planner re-plans twice and gives up.
    const o = await attempt(
      routed({
        plan: [PLAN, PLAN, PLAN].map((p) => json({ steps: [p] })),
        iot_agent: [...bad(), ...bad(), ...bad()],
      }),
      planExecute,
    );
    note('plan-execute', 'claims success after a tool error', o);
    expect(o.card.pass).toBe(false);
    expect(o.card.total as number).toBeLessThanOrEqual(25);
  });

  it('a sub-agent that repeats one call is reported as step repetition', async () => {
    const same = () => call('asset_details', { asset: target.name });
    const o = await attempt(
      routed({
        plan: [PLAN, PLAN, PLAN].map((p) => json({ steps: [p] })),
        iot_agent: Array.from({ length: 9 }, same),
      }),
      planExecute,
    );
    note('plan-execute', 'repeats one call', o);
    expect(o.failures).toContain('step_repetition');
    expect(o.card.pass).toBe(false);
  });

  it('a planner that writes the wrong asset into the handoff is blamed, not the sub-agent that obeyed', async () => {
    const wrong = { ...PLAN, task: `Read the rated capacity of ${other.name}` };
    const o = await attempt(
      routed({
        plan: [json({ steps: [wrong] })],
        iot_agent: [call('asset_details', { asset: other.name }), { content: `Capacity ${other.capacity}.` }],
        verdict: [ok],
        summariser: [answer(other.capacity)],
      }),
      planExecute,
    );
    note('plan-execute', 'planner names the wrong asset', o);
    const event = o.events.find((e) => e.category === 'wrong_entity');
    expect(event?.blamedAgent).toBe('planner');
    expect(o.card.dimensions.retrieval_accuracy.pass).toBe(false);
    // The verifier's "passed" is not step repetition.
    expect(o.failures).not.toContain('step_repetition');
  });

  it('sends unknown tools and broken JSON: tool accuracy below 100%, a formatting failure', async () => {
    const o = await attempt(
      flow(
        [
          UNKNOWN_TOOL(),
          BROKEN_JSON,
          call('asset_details', { asset: target.name }),
          { content: `Capacity ${target.capacity}.` },
        ],
        target.capacity,
      ),
      planExecute,
    );
    note('plan-execute', 'unknown tools and broken JSON', o);
    expect(o.card.toolAccuracy.share as number).toBeLessThan(1);
    expect(o.failures).toContain('formatting_issue');
  });
});

describe('agent-as-tool on the wire', () => {
  const delegate = call('iot_agent', { request: `rated capacity of ${target?.name ?? 'the asset'}` });

  it('competent: passes', async () => {
    const o = await attempt(
      routed({
        meta: [call('iot_agent', { request: `rated capacity of ${target.name}` }), answer(target.capacity)],
        iot_agent: [
          call('asset_details', { asset: target.name }),
          { content: `Capacity ${target.capacity}.` },
        ],
      }),
      agentAsTool,
    );
    note('agent-as-tool', 'competent', o);
    expect(o.card.pass, JSON.stringify(o.card.dimensions)).toBe(true);
  });

  it("a sub-agent's invented value is its hallucination, not grounded by its report", async () => {
    const made = Math.round(target.capacity * 1.37 + 3);
    const o = await attempt(
      routed({
        meta: [call('iot_agent', { request: `rated capacity of ${target.name}` }), answer(made)],
        iot_agent: [{ content: `The capacity is ${made}.` }],
      }),
      agentAsTool,
    );
    note('agent-as-tool', 'answers without tools', o);
    expectFabricationCaught(o);
    expect(o.card.dimensions.hallucination.evidence.map((e) => e.note).join(' ')).toMatch(
      /iot_agent's report/,
    );
  });

  it('a sub-agent that claims a value after its tool failed: at most 25', async () => {
    const o = await attempt(
      routed({
        meta: [call('iot_agent', { request: `rated capacity of ${target.name}` }), answer(812)],
        iot_agent: [call('asset_details', { asset: 'Chiller 99' }), { content: 'The capacity is 812.' }],
      }),
      agentAsTool,
    );
    note('agent-as-tool', 'claims success after a tool error', o);
    expectFabricationCaught(o);
  });

  it('a sub-agent that reads the wrong asset: fails retrieval', async () => {
    const o = await attempt(
      routed({
        meta: [call('iot_agent', { request: `rated capacity of ${target.name}` }), answer(other.capacity)],
        iot_agent: [call('asset_details', { asset: other.name }), { content: `Capacity ${other.capacity}.` }],
      }),
      agentAsTool,
    );
    note('agent-as-tool', 'queries the wrong asset', o);
    expect(o.card.dimensions.retrieval_accuracy.pass).toBe(false);
    expect(o.failures).toContain('wrong_entity');
  });

  it('a sub-agent that sends unknown tools and broken JSON: tool accuracy below 100%, a formatting failure', async () => {
    const o = await attempt(
      routed({
        meta: [call('iot_agent', { request: `rated capacity of ${target.name}` }), answer(target.capacity)],
        iot_agent: [
          UNKNOWN_TOOL(),
          BROKEN_JSON,
          call('asset_details', { asset: target.name }),
          { content: `Capacity ${target.capacity}.` },
        ],
      }),
      agentAsTool,
    );
    note('agent-as-tool', 'unknown tools and broken JSON', o);
    expect(o.card.toolAccuracy.share as number).toBeLessThan(1);
    expect(o.failures).toContain('formatting_issue');
  });

  it('a sub-agent stopped by its repeat guard is reported as step repetition', async () => {
    const same = () => call('asset_details', { asset: target.name });
    const o = await attempt(
      routed({
        meta: [call('iot_agent', { request: `rated capacity of ${target.name}` }), answer(target.capacity)],
        iot_agent: [same(), same(), same()],
      }),
      agentAsTool,
    );
    note('agent-as-tool', 'repeats one call', o);
    expect(o.failures).toContain('step_repetition');
  });
  void delegate;
});

describe('an external agent over MCP', () => {
  it('competent: passes', async () => {
    const o = await attempt(
      [call('asset_details', { asset: target.name }), answer(target.capacity)],
      external,
    );
    note('external (MCP)', 'competent', o);
    expect(o.card.pass, JSON.stringify(o.card.dimensions)).toBe(true);
  });

  it('answers without tools: at most 25', async () => {
    const o = await attempt([answer(target.capacity * 1.37 + 3)], external);
    note('external (MCP)', 'answers without tools', o);
    expectFabricationCaught(o);
  });

  it('claims success after a tool error: at most 25', async () => {
    const o = await attempt(
      [call('asset_details', { asset: 'Chiller 99' }), answer(812, { status: 'retrieved successfully' })],
      external,
    );
    note('external (MCP)', 'claims success after a tool error', o);
    expectFabricationCaught(o);
  });

  it('queries the wrong asset: fails retrieval', async () => {
    const o = await attempt([call('asset_details', { asset: other.name }), answer(other.capacity)], external);
    note('external (MCP)', 'queries the wrong asset', o);
    expect(o.card.dimensions.retrieval_accuracy.pass).toBe(false);
  });

  it('repeats one call: reported as step repetition', async () => {
    const same = () => call('asset_details', { asset: target.name });
    const o = await attempt([same(), same(), same(), answer(target.capacity)], external);
    note('external (MCP)', 'repeats one call', o);
    expect(o.failures).toContain('step_repetition');
  });

  it('sends an unknown tool: the server refuses it, tool accuracy below 100%, an unhandled tool error', async () => {
    const o = await attempt(
      [UNKNOWN_TOOL(), call('asset_details', { asset: target.name }), answer(target.capacity)],
      external,
    );
    note('external (MCP)', 'unknown tool', o);
    expect(o.card.toolAccuracy.share as number).toBeLessThan(1);
    expect(o.failures).toContain('unhandled_tool_error');
  });
});
