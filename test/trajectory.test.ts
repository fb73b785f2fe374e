// The Trajectory contract and the AssetOpsBench importers. The fixtures are small hand-written
// records in each published shape (field names from IBM's exporters, content our own), since
// no real trajectory files ship with the sample data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importAobTrajectories, importAobTrajectoryText } from '../src/agents/aob-import.ts';
import {
  addStep,
  finish,
  newTrajectory,
  parseTrajectory,
  STEP_KINDS,
  type Trajectory,
  TrajectorySchema,
  trajectoryJsonSchema,
} from '../src/agents/trajectory.ts';

// ---------------------------------------------------------------- fixtures

/** v0 short export: thought/action/observation, with Finish as the last action. */
const REACT_SHORT = {
  type: 'mpe-agent',
  task: 'Which sensors does Chiller 6 at site MAIN have?',
  trajectory: [
    {
      thought: 'I need the sensor list for Chiller 6.',
      action: 'sensors',
      action_input: '{"site_name": "MAIN", "assetnum": "Chiller 6"}',
      observation: '{"sensors": ["Chiller 6 Supply Temperature", "Chiller 6 Power Input"]}',
    },
    {
      thought: 'I have the list and can answer.',
      action: 'Finish[Chiller 6 has two sensors: supply temperature and power input.]',
      observation: '',
    },
  ],
  final_answer: 'Chiller 6 has two sensors: supply temperature and power input.',
  info: { model_stats: { tokens_sent: 1200, tokens_received: 85, api_calls: 4, total_cost: 0 } },
};

/** v0 full log: trajectroy_log (sic) with states, an invalid action, a handoff and a loop flag. */
const REACT_FULL = {
  type: 'mpe-agent',
  task: 'Forecast next week of Chiller 9 condenser flow.',
  environment: 'mpe_main',
  system_prompt: 'You are a maintenance assistant.',
  scratchpad: '...',
  trajectory: [{ thought: 'short form, ignored when the log is present', action: 'x', observation: 'y' }],
  trajectroy_log: [
    {
      step: 1,
      thought: 'Fetch the history first.',
      action: 'IoTAgent',
      action_input: 'Download Chiller 9 condenser water flow for the last month',
      observation: '{"answer": "saved to chiller9_flow.json"}',
      state: 'Valid Action',
      is_loop_detected: null,
      step_trajectory_json: {
        task: 'Download Chiller 9 condenser water flow for the last month',
        trajectory: [
          {
            thought: 'Query history.',
            action: 'history',
            action_input: '{"asset": "Chiller 9"}',
            observation: 'saved to chiller9_flow.json',
          },
        ],
        info: { model_stats: { tokens_sent: 300, tokens_received: 20, api_calls: 2 } },
      },
    },
    {
      step: 2,
      thought: 'Now forecast.',
      action: 'Forecast the file',
      action_input: null,
      observation: 'Invalid Action. Valid actions are: TSFMAgent, Finish',
      state: 'Invalid Action',
      is_loop_detected: null,
    },
    {
      step: 3,
      thought: 'Use the forecasting agent.',
      action: 'Finish',
      action_input: 'I could not produce a forecast.',
      observation: '',
      state: 'Valid Action',
      is_loop_detected: 'action_loop',
    },
  ],
  info: { model_stats: { tokens_sent: 5000, tokens_received: 400, api_calls: 6, total_cost: 0.02 } },
  final_answer: 'I could not produce a forecast.',
};

/** Latest SDK runner record with a root turn delegating to a sub-agent at depth 1. */
const RUN_RECORD = {
  run_id: 'run-42',
  scenario_id: 217,
  runner: 'openai-agent',
  model: 'gpt-4.1',
  question: 'Is Chiller 6 drifting from its supply temperature setpoint?',
  answer: 'Yes: supply temperature ran 1.8 C above setpoint for three days.',
  trajectory: {
    started_at: '2025-06-01T10:00:00.000000+00:00',
    metrics: { tool_calls: 3 },
    turns: [
      {
        index: 0,
        text: 'I will ask the IoT agent for recent readings.',
        tool_calls: [
          {
            name: 'iot_agent',
            input: { request: 'Supply temperature of Chiller 6, last 7 days' },
            id: 'call_a',
            output: 'Mean 8.6 C against a 6.8 C setpoint.',
            duration_ms: 900,
          },
        ],
        input_tokens: 1000,
        output_tokens: 50,
        duration_ms: 1500,
        agent: 'root',
        depth: 0,
      },
      {
        index: 1,
        text: '',
        tool_calls: [
          {
            name: 'history',
            input: { asset: 'Chiller 6', sensor: 'Supply Temperature' },
            id: 'call_b',
            output: { rows: 168 },
            duration_ms: 120,
          },
        ],
        input_tokens: 400,
        output_tokens: 30,
        duration_ms: 600,
        agent: 'iot_agent',
        depth: 1,
      },
      {
        index: 2,
        text: 'Mean 8.6 C against a 6.8 C setpoint.',
        tool_calls: [],
        input_tokens: 500,
        output_tokens: 25,
        duration_ms: 300,
        agent: 'iot_agent',
        depth: 1,
      },
      {
        index: 3,
        text: 'Yes: supply temperature ran 1.8 C above setpoint for three days.',
        tool_calls: [],
        input_tokens: 1200,
        output_tokens: 40,
        duration_ms: 400,
        agent: 'root',
        depth: 0,
      },
    ],
  },
};

/** MCP plan-execute result: plan, one failed step, one reasoning step (tool none). */
const STEPS_RESULT = {
  question: 'List open work orders for Chiller 6 and say which is oldest.',
  answer: 'WO-1001 is the oldest open work order.',
  plan: { steps: [], raw: '#Task1: list work orders\n#Task2: get details\n#Task3: pick the oldest' },
  trajectory: [
    {
      step_number: 1,
      task: 'List open work orders',
      server: 'wo',
      tool: 'workorders',
      tool_args: { asset: 'Chiller 6', status: 'open' },
      response: '[{"wonum": "WO-1001"}, {"wonum": "WO-1007"}]',
      error: null,
      duration_ms: 210,
      failure_kind: null,
    },
    {
      step_number: 2,
      task: 'Get details of WO-1007',
      server: 'wo',
      tool: 'get_workorder',
      tool_args: { wonum: 'WO-1007' },
      response: '',
      error: 'work order WO-1007 not found',
      duration_ms: 35,
      failure_kind: 'tool_error',
    },
    {
      step_number: 3,
      task: 'Pick the oldest',
      server: 'none',
      tool: 'none',
      tool_args: {},
      response: 'WO-1001 was reported first.',
      error: null,
      duration_ms: 5,
      failure_kind: null,
    },
  ],
};

/** AgentHive/CODS: the plan's tasks, each sent to an agent, with its response. */
const CODS_RECORD = {
  id: 104,
  text: 'What failure modes of Chiller 6 can the power input sensor detect?',
  trajectory: [
    {
      task_number: 1,
      task_description: 'List the failure modes of a chiller',
      agent_name: 'FMSR Agent',
      response: 'Compressor overheating, condenser fouling, refrigerant leak.',
      logs: {},
    },
    {
      task_number: 2,
      task_description: 'Which of these does a power input sensor observe?',
      agent_name: 'FMSR Agent',
      response: 'Compressor overheating and condenser fouling.',
      logs: {},
    },
  ],
};

const kinds = (t: Trajectory) => t.steps.map((s) => s.kind);

// ---------------------------------------------------------------- schema

describe('Trajectory schema', () => {
  function sample(): Trajectory {
    const t = newTrajectory({
      id: 't1',
      scenarioId: '101',
      agent: 'react',
      model: 'llama-3.3-70b',
      task: 'Sensors of Chiller 6?',
      startedAt: '2025-01-01T00:00:00Z',
    });
    addStep(t, { agent: 'react', kind: 'thought', content: 'Look up the sensors.' });
    addStep(t, {
      agent: 'react',
      kind: 'tool_call',
      content: 'sensors',
      tool: { name: 'sensors', args: { asset: 'Chiller 6' }, callId: 'c1' },
      tokens: { input: 100, output: 10 },
    });
    addStep(t, {
      agent: 'react',
      kind: 'tool_result',
      content: '["Supply Temperature"]',
      tool: { name: 'sensors', args: { asset: 'Chiller 6' }, callId: 'c1', ok: true },
      latencyMs: 12,
      at: '2025-01-01T00:00:01Z',
    });
    t.toolLog.push({
      seq: 1,
      tool: 'sensors',
      args: { asset: 'Chiller 6' },
      ok: true,
      digest: 'abcd',
      resultRef: 'r1',
      latencyMs: 12,
      fault: null,
      startedAt: '2025-01-01T00:00:01Z',
    });
    return finish(t, 'completed', { sensors: ['Supply Temperature'] }, '2025-01-01T00:00:05Z');
  }

  it('survives a JSON round trip unchanged', () => {
    const t = sample();
    const back = TrajectorySchema.parse(JSON.parse(JSON.stringify(t)));
    expect(back).toEqual(t);
    expect(t.steps.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(t.steps.at(-1)?.kind).toBe('final');
    expect(t.usage.latencyMs).toBe(5000);
  });

  it('rejects a wrong version or kind with a message naming the field', () => {
    const bad = { ...sample(), schemaVersion: 2 };
    expect(() => parseTrajectory(bad, 'run.json')).toThrow(/run.json .*schemaVersion/);
    const badKind = sample();
    (badKind.steps[0] as { kind: string }).kind = 'musing';
    expect(() => parseTrajectory(badKind)).toThrow(/steps\.0\.kind/);
  });

  it('does not add a second final step when the agent recorded one', () => {
    const t = newTrajectory({ id: 't2', scenarioId: 's', agent: 'a' });
    addStep(t, { agent: 'a', kind: 'final', content: '42' });
    finish(t, 'completed', '42');
    expect(kinds(t)).toEqual(['final']);
    expect(t.finishedAt).not.toBeNull();
  });

  it('exports a JSON Schema listing the step kinds', () => {
    const schema = trajectoryJsonSchema();
    const text = JSON.stringify(schema);
    for (const kind of STEP_KINDS) expect(text).toContain(`"${kind}"`);
    expect(schema.properties).toHaveProperty('schemaVersion');
    expect(JSON.stringify((schema.properties as Record<string, unknown>).schemaVersion)).toContain('1');
  });
});

// ---------------------------------------------------------------- importers

describe('AssetOpsBench v0 ReAct import', () => {
  it('converts the short export, Finish[...] included', () => {
    const [t] = importAobTrajectories(REACT_SHORT, 'react.json');
    expect(kinds(t)).toEqual(['thought', 'tool_call', 'tool_result', 'thought', 'final']);
    expect(t.steps[1].tool).toMatchObject({ name: 'sensors', callId: 'call-1' });
    expect(t.steps[2].tool?.callId).toBe('call-1');
    expect(t.steps[4].content).toBe('Chiller 6 has two sensors: supply temperature and power input.');
    expect(t.finalAnswer).toBe(REACT_SHORT.final_answer);
    expect(t.status).toBe('completed');
    expect(t.task).toBe(REACT_SHORT.task);
    expect(t.usage).toMatchObject({ inputTokens: 1200, outputTokens: 85, calls: 4 });
    expect(t.provenance).toEqual({ source: 'aob-react', importedFrom: 'react.json' });
    expect(t.track).toBe('execution');
  });

  it('prefers the full log, splices the sub-agent run and records invalid actions and loops', () => {
    const [t] = importAobTrajectories(REACT_FULL);
    expect(kinds(t)).toEqual([
      'thought',
      'handoff',
      'thought', // the IoTAgent's own steps
      'tool_call',
      'tool_result',
      'tool_result', // the handoff's observation
      'thought',
      'tool_call',
      'tool_result',
      'thought',
      'final',
    ]);
    expect(t.steps[1].handoff).toEqual({
      from: 'ReActXen',
      to: 'IoTAgent',
      request: 'Download Chiller 9 condenser water flow for the last month',
    });
    expect(t.steps[2].agent).toBe('IoTAgent');
    expect(t.steps[8].tool).toMatchObject({ ok: false, error: 'Invalid Action' });
    expect(t.errors).toEqual([
      { kind: 'invalid_action', message: 'Invalid Action', step: 7 },
      { kind: 'loop', message: 'loop detected: action_loop', step: 10 },
    ]);
    expect(t.usage).toMatchObject({ inputTokens: 5300, outputTokens: 420, calls: 8, costUsd: 0.02 });
    expect(t.finalAnswer).toBe('I could not produce a forecast.');
  });

  it('flags loop detection on a tool step', () => {
    const rec = {
      task: 'q',
      trajectroy_log: [
        {
          thought: 't',
          action: 'sites',
          action_input: '{}',
          observation: '[]',
          is_loop_detected: 'action_loop',
        },
      ],
      final_answer: '',
    };
    const [t] = importAobTrajectories(rec);
    expect(t.errors).toEqual([{ kind: 'loop', message: 'loop detected: action_loop', step: 2 }]);
    expect(t.status).toBe('failed');
    expect(t.finalAnswer).toBeNull();
  });
});

describe('AssetOpsBench run record import', () => {
  it('converts turns, defers a delegated result until after the sub-agent, sums tokens', () => {
    const [t] = importAobTrajectories(RUN_RECORD);
    expect(t.id).toBe('run-42');
    expect(t.scenarioId).toBe('217');
    expect(t.agent).toBe('openai-agent');
    expect(t.model).toBe('gpt-4.1');
    expect(t.steps.map((s) => `${s.agent}:${s.kind}`)).toEqual([
      'openai-agent:thought',
      'openai-agent:handoff',
      'iot_agent:tool_call',
      'iot_agent:tool_result',
      'iot_agent:message',
      'openai-agent:tool_result',
      // The last turn says the answer: it is the final step (the answer once, with its tokens).
      'openai-agent:final',
    ]);
    expect(t.steps[6].tokens).toEqual({ input: 1200, output: 40 });
    expect(t.steps[1].handoff?.request).toBe('Supply temperature of Chiller 6, last 7 days');
    expect(t.steps[1].tool?.callId).toBe('call_a');
    expect(t.steps[5].tool).toMatchObject({ callId: 'call_a', ok: true });
    expect(t.steps[0].tokens).toEqual({ input: 1000, output: 50 });
    expect(t.steps[2].tokens).toEqual({ input: 400, output: 30 });
    expect(t.usage).toMatchObject({ inputTokens: 3100, outputTokens: 145, calls: 4, latencyMs: 2800 });
    expect(t.startedAt).toBe('2025-06-01T10:00:00.000Z');
    expect(t.finishedAt).toBe('2025-06-01T10:00:02.800Z');
    expect(t.finalAnswer).toBe(RUN_RECORD.answer);
    expect(t.status).toBe('completed');
  });
});

describe('AssetOpsBench plan-execute StepResult import', () => {
  it('converts steps with the server as agent and failures as errors', () => {
    const [t] = importAobTrajectories(STEPS_RESULT);
    expect(t.steps.map((s) => `${s.agent}:${s.kind}`)).toEqual([
      'plan-execute:plan',
      'wo:tool_call',
      'wo:tool_result',
      'wo:tool_call',
      'wo:tool_result',
      'plan-execute:thought',
      'plan-execute:final',
    ]);
    expect(t.steps[1].tool).toMatchObject({
      name: 'workorders',
      args: { asset: 'Chiller 6', status: 'open' },
    });
    expect(t.steps[4].tool).toMatchObject({ ok: false, error: 'work order WO-1007 not found' });
    expect(t.errors).toEqual([{ kind: 'tool_error', message: 'work order WO-1007 not found', step: 4 }]);
    expect(t.usage.latencyMs).toBe(250);
    expect(t.finalAnswer).toBe(STEPS_RESULT.answer);
    expect(t.track).toBe('planning');
    expect(t.provenance.source).toBe('aob-steps');
  });

  it('accepts a bare StepResult list as one run', () => {
    const ts = importAobTrajectories(STEPS_RESULT.trajectory);
    expect(ts).toHaveLength(1);
    expect(ts[0].status).toBe('failed');
    expect(ts[0].finalAnswer).toBeNull();
  });

  it('accepts a run record whose trajectory is a StepResult list', () => {
    const [t] = importAobTrajectories({ ...STEPS_RESULT, run_id: 'r7', scenario_id: 'wo-3', runner: 'mcp' });
    expect(t).toMatchObject({ id: 'r7', scenarioId: 'wo-3', agent: 'mcp' });
  });
});

describe('AgentHive/CODS import', () => {
  it('turns each task into a handoff and the agent response into its result', () => {
    const [t] = importAobTrajectories(CODS_RECORD, 'cods.json');
    expect(t.steps.map((s) => `${s.agent}:${s.kind}`)).toEqual([
      'AgentHive:handoff',
      'FMSR Agent:tool_result',
      'AgentHive:handoff',
      'FMSR Agent:tool_result',
      'AgentHive:final',
    ]);
    expect(t.steps[1].tool).toMatchObject({ name: 'FMSR Agent', callId: t.steps[0].tool?.callId, ok: true });
    expect(t.steps[0].handoff).toEqual({
      from: 'AgentHive',
      to: 'FMSR Agent',
      request: 'List the failure modes of a chiller',
    });
    expect(t.scenarioId).toBe('104');
    expect(t.task).toBe(CODS_RECORD.text);
    expect(t.finalAnswer).toBe('Compressor overheating and condenser fouling.');
    expect(t.provenance.source).toBe('aob-cods');
  });
});

describe('batches, text and errors', () => {
  it('imports an array of mixed records with stable content ids', () => {
    const ts = importAobTrajectories([REACT_SHORT, CODS_RECORD, RUN_RECORD]);
    expect(ts.map((t) => t.provenance.source)).toEqual(['aob-react', 'aob-cods', 'aob-runs']);
    expect(importAobTrajectories(REACT_SHORT)[0].id).toBe(ts[0].id);
    expect(ts[0].id).toMatch(/^aob-react-[0-9a-f]{16}$/);
  });

  it('imports JSONL and names the file and line of a malformed line', () => {
    const good = [JSON.stringify(REACT_SHORT), '', JSON.stringify(RUN_RECORD)].join('\n');
    const ts = importAobTrajectoryText(good, 'runs.jsonl');
    expect(ts).toHaveLength(2);
    expect(ts[1].provenance.importedFrom).toBe('runs.jsonl:3');
    const bad = [
      JSON.stringify(REACT_SHORT),
      '{"task": "q", "trajectory": [',
      JSON.stringify(RUN_RECORD),
    ].join('\n');
    expect(() => importAobTrajectoryText(bad, 'runs.jsonl')).toThrow(/^runs\.jsonl:2: not valid JSON/);
    const unknown = [JSON.stringify(REACT_SHORT), '{"hello": 1}'].join('\n');
    expect(() => importAobTrajectoryText(unknown, 'runs.jsonl')).toThrow(/runs\.jsonl:2: .*keys \[hello\]/);
  });

  it('imports a whole-file JSON array', () => {
    const ts = importAobTrajectoryText(JSON.stringify([REACT_SHORT, CODS_RECORD]), 'all.json');
    expect(ts).toHaveLength(2);
    expect(ts[0].provenance.importedFrom).toBe('all.json');
  });

  it('names the expected shapes for an unknown one', () => {
    expect(() => importAobTrajectories({ foo: 1 }, 'x.json')).toThrow(/x\.json: .*expected an AssetOpsBench/);
    expect(() => importAobTrajectories(7)).toThrow(/got number/);
    expect(() => importAobTrajectories([REACT_SHORT, 'nope'])).toThrow(/record 2: /);
  });

  it('throws only plain Errors on arbitrary JSON, and returns valid trajectories otherwise', () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string(), fc.integer());
    const reactish = fc.record(
      {
        task: field,
        trajectory: fc.array(
          fc.dictionary(fc.constantFrom('thought', 'action', 'action_input', 'observation', 'state'), field),
        ),
        trajectroy_log: fc.array(fc.jsonValue({ maxDepth: 2 })),
        final_answer: field,
        info: fc.record({ model_stats: fc.dictionary(fc.constantFrom('tokens_sent', 'api_calls'), field) }),
      },
      { requiredKeys: [] },
    );
    const turnish = fc.record(
      {
        run_id: field,
        answer: field,
        trajectory: fc.record({
          turns: fc.array(
            fc.record(
              {
                text: field,
                agent: field,
                depth: field,
                input_tokens: field,
                tool_calls: fc.array(fc.record({ name: field, input: field, id: field, output: field })),
              },
              { requiredKeys: [] },
            ),
          ),
          started_at: field,
        }),
      },
      { requiredKeys: ['trajectory'] },
    );
    const stepish = fc.array(
      fc.record({ step_number: field, server: field, tool: field, tool_args: field, error: field }),
    );
    const codsish = fc.record({
      id: field,
      trajectory: fc.array(
        fc.record({ task_number: field, agent_name: field, response: field, logs: field }),
      ),
    });
    const input = fc.oneof(fc.jsonValue(), reactish, turnish, stepish, codsish);
    fc.assert(
      fc.property(input, (value) => {
        try {
          for (const t of importAobTrajectories(value)) TrajectorySchema.parse(t);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect(Object.getPrototypeOf(err)).toBe(Error.prototype);
          expect((err as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500, seed: 20250601 },
    );
  });
});

describe('watching a trajectory being written', () => {
  it('tells an agent task’s onStep of every step as it is added, and a failing watcher stops nothing', async () => {
    const { startTrajectory } = await import('../src/agents/agent.ts');
    const { addStep: add } = await import('../src/agents/trajectory.ts');
    const seen: number[] = [];
    const task = {
      taskId: 's',
      utterance: 'q',
      answerFormat: { description: '', jsonShape: null },
      now: '2024-01-01T00:00:00Z',
      track: 'execution' as const,
      askOperator: async () => null,
      onStep: (s: { index: number }) => {
        seen.push(s.index);
        if (s.index === 1) throw new Error('watcher broke');
      },
    };
    const t = startTrajectory('baseline', null, task);
    add(t, { agent: 'baseline', kind: 'thought', content: 'a' });
    expect(seen).toEqual([0]);
    add(t, { agent: 'baseline', kind: 'thought', content: 'b' });
    add(t, { agent: 'baseline', kind: 'final', content: 'c' });
    expect(seen).toEqual([0, 1, 2]);
    expect(t.steps).toHaveLength(3);
  });
});
