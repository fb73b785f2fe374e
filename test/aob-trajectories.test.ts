// IBM's published trajectories (CODS track 1, AgentHive plan-execute with ReAct worker logs,
// copied into test/fixtures/aob/) through our importer: nothing lost, arguments structured, one
// final answer, the reviewer's verdicts kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActionInput, signaturesOf } from '../src/agents/aob-action-input.ts';
import { importAobTrajectories, importAobTrajectoryText } from '../src/agents/aob-import.ts';
import type { Trajectory } from '../src/agents/trajectory.ts';
import { analyzeTrajectories } from '../src/trajfm/analyze.ts';
import { tfidfEmbedder } from '../src/trajfm/cluster/embedders.ts';
import { baseTaxonomy } from '../src/trajfm/cluster/taxonomy.ts';
import { detectFailures } from '../src/trajfm/detect/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'aob');
const FILES = ['track1_result_Q_1_trajectory.json', 'track1_result_iter1_Q_1_trajectory.json'];

type Obj = Record<string, unknown>;

function source(file: string): Obj {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Obj;
}

function imported(file: string): Trajectory {
  const ts = importAobTrajectoryText(readFileSync(join(FIXTURES, file), 'utf8'), file);
  expect(ts).toHaveLength(1);
  return ts[0];
}

/** What the file itself holds, counted straight from its JSON. */
function counts(file: string) {
  const tasks = source(file).trajectory as Obj[];
  let actions = 0;
  let observations = 0;
  let reviews = 0;
  for (const t of tasks) {
    const logs = t.logs as Obj;
    for (const s of logs.trajectroy_log as Obj[]) {
      if (String(s.action).trim().toLowerCase() === 'finish') continue;
      actions++;
      if (s.observation !== undefined) observations++;
    }
    reviews += (logs.reviews as unknown[]).length;
  }
  return { tasks: tasks.length, actions, observations, reviews };
}

describe('published CODS track-1 trajectories', () => {
  for (const file of FILES) {
    it(`${file}: every step, call and observation, structured arguments, one final answer, the verdicts`, () => {
      const t = imported(file);
      const want = counts(file);
      const calls = t.steps.filter((s) => s.kind === 'tool_call');
      const results = t.steps.filter((s) => s.kind === 'tool_result' && s.agent !== 'AgentHive');
      const handoffs = t.steps.filter((s) => s.kind === 'handoff');
      expect(handoffs).toHaveLength(want.tasks);
      expect(calls).toHaveLength(want.actions);
      // One result per call plus one per task (the worker's answer handed back).
      expect(results).toHaveLength(want.observations + want.tasks);
      for (const c of calls) {
        expect(typeof c.tool?.args === 'object' && !Array.isArray(c.tool?.args), c.content).toBe(true);
        expect(c.content).toMatch(/\[.*\]$/s);
      }
      expect(t.steps.filter((s) => s.kind === 'final')).toHaveLength(1);
      expect(t.steps.at(-1)?.kind).toBe('final');
      expect(t.finalAnswer).toBe((source(file).trajectory as Obj[]).at(-1)?.response);
      const verdicts = t.steps.filter((s) => s.kind === 'message' && /^Task Status:/.test(s.content));
      expect(verdicts).toHaveLength(want.reviews);
      expect(verdicts[0].content).toMatch(/^Task Status: Accomplished\nReasoning: /);
      expect(verdicts[0].agent).toBe('IoT Data Download');
      expect(t.usage.inputTokens).toBeGreaterThan(0);
    });
  }

  it('reads key=value, JSON and empty inputs into arguments (iter1: the bad call and its retry)', () => {
    const t = imported(FILES[1]);
    const calls = t.steps.filter((s) => s.kind === 'tool_call');
    expect(calls.map((c) => [c.tool?.name, c.tool?.args])).toEqual([
      ['sites', {}],
      ['assets', { site_name: 'MAIN  ## Step 5: Process the observation' }],
      ['assets', { site_name: 'MAIN' }],
    ]);
    const failed = t.steps.find((s) => s.kind === 'tool_result' && s.tool?.ok === false);
    expect(failed?.content).toMatch(/unknown site/);
    // The model wrote Finish, then the parser took the assets call from the same output.
    expect(t.errors.map((e) => e.kind)).toEqual(['invalid_action', 'ran_past_finish']);
  });

  it('keeps a real time when the file has none of its own: the file time', () => {
    const [t] = importAobTrajectories(source(FILES[0]), FILES[0], { fileTime: '2025-09-14T10:00:00.000Z' });
    expect(t.startedAt).toBe('2025-09-14T10:00:00.000Z');
    const [u] = importAobTrajectories({ ...source(FILES[0]), started_at: '2025-09-01T08:30:00' });
    expect(u.startedAt).toBe('2025-09-01T08:30:00.000Z');
  });
});

describe('published run records (benchmarks/runs, claude-agent runner)', () => {
  const RUNS = ['runs_fable-5-1_0001.json', 'runs_fable-5-1_0002.json'];
  for (const file of RUNS) {
    it(`${file}: every turn, every call with its structured input and id, every output, one final answer`, () => {
      const src = source(file);
      const turns = (src.trajectory as Obj).turns as Obj[];
      const calls = turns.flatMap((t) => t.tool_calls as Obj[]);
      const t = imported(file);
      expect([t.id, t.scenarioId, t.agent, t.model]).toEqual([
        src.run_id,
        src.scenario_id,
        src.runner,
        src.model,
      ]);
      expect(t.task).toBe(src.question);
      const toolCalls = t.steps.filter((s) => s.kind === 'tool_call');
      const results = t.steps.filter((s) => s.kind === 'tool_result');
      expect(toolCalls).toHaveLength(calls.length);
      expect(results).toHaveLength(calls.length);
      expect(toolCalls.map((s) => [s.tool?.name, s.tool?.args, s.tool?.callId])).toEqual(
        calls.map((c) => [c.name, c.input, c.id]),
      );
      // Each output as recorded; a null output is a call that produced nothing, not an empty success.
      expect(results.map((s) => s.content)).toEqual(calls.map((c) => (c.output === null ? '' : c.output)));
      expect(results.map((s) => s.tool?.ok)).toEqual(calls.map((c) => c.output !== null));
      // No turn is lost: one step per turn without calls, its text (if any) and two steps per call otherwise.
      const expectedSteps = turns.reduce((n, turn) => {
        const k = (turn.tool_calls as Obj[]).length;
        return n + (k === 0 ? 1 : (String(turn.text) === '' ? 0 : 1) + 2 * k);
      }, 0);
      expect(t.steps).toHaveLength(expectedSteps);
      expect(t.usage.calls).toBe(turns.length);
      expect(t.usage.inputTokens).toBe(turns.reduce((n, turn) => n + (turn.input_tokens as number), 0));
      expect(t.usage.outputTokens).toBe(turns.reduce((n, turn) => n + (turn.output_tokens as number), 0));
      // The last turn is the answer, once: the final step, with that turn's tokens.
      const finals = t.steps.filter((s) => s.kind === 'final');
      expect(finals).toHaveLength(1);
      expect(t.steps.at(-1)).toMatchObject({ kind: 'final', content: src.answer });
      expect(t.steps.filter((s) => s.content === src.answer)).toHaveLength(1);
      expect(t.steps.at(-1)?.tokens).toEqual({
        input: turns.at(-1)?.input_tokens,
        output: turns.at(-1)?.output_tokens,
      });
      expect(t.finalAnswer).toBe(src.answer);
      expect(t.status).toBe('completed');
      expect(t.startedAt).toBe(new Date(String((src.trajectory as Obj).started_at)).toISOString());
    });
  }

  it('a tool output that is an error object in JSON text is a failed call', () => {
    const [t] = importAobTrajectories({
      run_id: 'r2',
      scenario_id: 's',
      runner: 'claude-agent',
      model: 'm',
      question: 'q',
      answer: 'a',
      trajectory: {
        turns: [
          {
            index: 0,
            text: '',
            tool_calls: [{ name: 'x', input: {}, id: 'c', output: '{"error": "no such asset"}' }],
          },
          { index: 1, text: 'a', tool_calls: [] },
        ],
      },
    });
    expect(t.steps.find((s) => s.kind === 'tool_result')?.tool?.ok).toBe(false);
  });
});

describe('AgentHive tasks: context, per-task answers, null outputs', () => {
  const worker = (task: string, action: string, input: string, observation: unknown, answer: string) => ({
    task,
    system_prompt:
      '(1) Get Failure Modes[asset_name] : modes.\n(2) sensors[site_name, assetnum] : sensors.\n',
    trajectroy_log: [
      { thought: 't', action, action_input: input, observation, state: '' },
      { thought: 'done', action: 'Finish', action_input: answer, observation: '' },
    ],
    reviews: [{ status: 'Accomplished', reasoning: 'it listed them', suggestions: 'none' }],
  });
  const rec = {
    id: 106,
    text: 'List the failure modes of Chiller 6 that Supply Temperature detects.',
    trajectory: [
      {
        task_number: 1,
        task_description: 'List all failure modes of Chiller 6.',
        agent_name: 'FMSR',
        response: 'Evaporator fouling; condenser fouling.',
        logs: worker(
          'List all failure modes of Chiller 6.\n',
          'Get Failure Modes',
          'Chiller 6',
          '["a"]',
          'x',
        ),
      },
      {
        task_number: 2,
        task_description: 'Which of them does Supply Temperature detect?',
        agent_name: 'FMSR',
        response: 'Evaporator fouling.',
        logs: worker(
          'Which of them does Supply Temperature detect?\nContext: task 1 found evaporator and condenser fouling',
          'sensors',
          'MAIN, Chiller 6',
          null,
          'y',
        ),
      },
    ],
  };

  it('hands each task its context, returns each answer as the handoff result, ends with one final', () => {
    const [t] = importAobTrajectories(rec);
    const handoffs = t.steps.filter((s) => s.kind === 'handoff');
    expect(handoffs[1].handoff?.request).toMatch(/Context: task 1 found/);
    expect(handoffs[1].tool?.args).toEqual({
      task: 'Which of them does Supply Temperature detect?',
      context: 'Context: task 1 found evaporator and condenser fouling',
    });
    expect(handoffs[0].tool?.args).toEqual({ task: 'List all failure modes of Chiller 6.' });
    expect(t.steps.filter((s) => s.kind === 'final')).toHaveLength(1);
    expect(t.finalAnswer).toBe('Evaporator fouling.');
    const answers = t.steps.filter((s) => s.kind === 'tool_result' && s.tool?.name === 'FMSR');
    expect(answers.map((s) => s.content)).toEqual([
      'Evaporator fouling; condenser fouling.',
      'Evaporator fouling.',
    ]);
    // Bare string for a one-argument tool; positional list for a two-argument one.
    const calls = t.steps.filter((s) => s.kind === 'tool_call');
    expect(calls.map((c) => c.tool?.args)).toEqual([
      { asset_name: 'Chiller 6' },
      { site_name: 'MAIN', assetnum: 'Chiller 6' },
    ]);
    // A null observation: the call produced nothing, it did not succeed with nothing.
    const nullResult = t.steps.find((s) => s.kind === 'tool_result' && s.tool?.name === 'sensors');
    expect(nullResult?.tool).toMatchObject({ ok: false, error: 'no output recorded (null)' });
    expect(t.steps.filter((s) => /^Task Status: Accomplished/.test(s.content))).toHaveLength(2);
  });

  it('run records: a null tool output is a failed call, structured input kept', () => {
    const [t] = importAobTrajectories({
      run_id: 'r1',
      scenario_id: '1',
      runner: 'claude-agent',
      model: 'm',
      question: 'What IoT sites are available?',
      answer: 'MAIN',
      trajectory: {
        started_at: '2026-02-03T04:05:06+00:00',
        turns: [
          { index: 0, text: '', tool_calls: [{ name: 'sites', input: {}, id: 'a', output: null }] },
          { index: 1, text: 'MAIN', tool_calls: [] },
        ],
      },
    });
    expect(t.startedAt).toBe('2026-02-03T04:05:06.000Z');
    expect(t.steps.find((s) => s.kind === 'tool_result')?.tool).toMatchObject({ ok: false });
  });
});

describe('parseActionInput', () => {
  const sig = signaturesOf(
    '(1) sites[v__args] : Retrieves.\n(2) history[site_name, assetnum, start, final] : Returns.\n' +
      '(3) Get Failure Modes[asset_name] : Useful.\n(4) Finish[answer] : returns.',
  );

  it('reads the tool list of a ReActXen system prompt', () => {
    expect(sig.get('sites')).toEqual([]);
    expect(sig.get('history')).toEqual(['site_name', 'assetnum', 'start', 'final']);
    expect(sig.get('Get Failure Modes')).toEqual(['asset_name']);
  });

  it('parses every form the published files use', () => {
    expect(parseActionInput('{}')).toEqual({});
    expect(parseActionInput('Action Input 1: {}')).toEqual({});
    expect(parseActionInput('site_name=MAIN, assetnum=Chiller 6')).toEqual({
      site_name: 'MAIN',
      assetnum: 'Chiller 6',
    });
    expect(
      parseActionInput(
        'site_name=MAIN, assetnum=Chiller 4, start=2025-03-26T00:00:00.000000+00:00, final=2025-04-02T00:00:00.000000+00:00',
      ),
    ).toEqual({
      site_name: 'MAIN',
      assetnum: 'Chiller 4',
      start: '2025-03-26T00:00:00.000000+00:00',
      final: '2025-04-02T00:00:00.000000+00:00',
    });
    expect(parseActionInput('{"site_name": "MAIN", "assetnum": "Chiller 6"}')).toEqual({
      site_name: 'MAIN',
      assetnum: 'Chiller 6',
    });
    expect(
      parseActionInput("sensors=['Chiller 6 Tonnage', 'Chiller 6 Supply Temperature'], asset='Chiller 6'"),
    ).toEqual({
      sensors: ['Chiller 6 Tonnage', 'Chiller 6 Supply Temperature'],
      asset: 'Chiller 6',
    });
    expect(parseActionInput('Chiller 6', sig.get('Get Failure Modes'))).toEqual({ asset_name: 'Chiller 6' });
    expect(parseActionInput('MAIN, Chiller 6', sig.get('history'))).toEqual({
      site_name: 'MAIN',
      assetnum: 'Chiller 6',
    });
    expect(parseActionInput("['(1) Compressor Overheating', '(2) Fans']")).toEqual({
      input: ['(1) Compressor Overheating', '(2) Fans'],
    });
    expect(parseActionInput('Chiller 6')).toEqual({ input: 'Chiller 6' });
    expect(parseActionInput(null)).toEqual({});
    expect(parseActionInput('{"broken": ')).toEqual({ input: '{"broken":' });
  });
});

// What a careful reader lists for each published file, written from reading the files (steps as
// the importer numbers them: see the step listing in the first test's file).
const READER: Record<string, Array<{ kind: string; span: [number, number]; why: RegExp }>> = {
  // Q_1, track1_result: one sites call, then a Finish whose input runs on into a new prompt.
  'track1_result_Q_1_trajectory.json': [
    // "The available IoT sites are: MAIN  You are a helpful assistant. ..." handed back (6), final (7).
    { kind: 'leaked_prompt', span: [6, 7], why: /You are a helpful assistant/ },
    // The reviewer (5) calls that answer clear and the task accomplished.
    { kind: 'overstated_completion', span: [5, 7], why: /Accomplished.*prompt text/ },
  ],
  // Q_1, track1_result_iter1: the worker wrote Finish, ran on into an assets call whose argument
  // is its own planning text (5, rejected at 6), retried correctly, and answered with its plan.
  'track1_result_iter1_Q_1_trajectory.json': [
    { kind: 'non_argument_text', span: [5, 6], why: /site_name="MAIN ## Step 5: Process the observation"/ },
    // The rejected call, as the tool saw it: a malformed argument.
    { kind: 'formatting_issue', span: [5, 6], why: /rejected/ },
    // MAST 1.5 twice: acting after writing Finish, and replaying the finished plan in the answer.
    { kind: 'ran_past_termination', span: [5, 6], why: /wrote Finish, then acted again/ },
    { kind: 'ran_past_termination', span: [13, 13], why: /replays its plan in 5 steps/ },
    { kind: 'leaked_prompt', span: [12, 13], why: /Here is the task: List all available IoT sites Thought/ },
    { kind: 'overstated_completion', span: [11, 13], why: /Accomplished.*prompt text/ },
  ],
};

describe('the failures a reader sees in the published trajectories', () => {
  for (const file of FILES) {
    it(`${file}: the detectors find exactly the reader's list, with its spans`, () => {
      const events = detectFailures({
        trajectory: imported(file),
        passed: null,
        traps: [],
        entities: [],
        answerFormat: null,
      });
      const found = events.map((e) => `${e.category} ${e.span.from}-${e.span.to}`).sort();
      const want = READER[file].map((r) => `${r.kind} ${r.span[0]}-${r.span[1]}`).sort();
      expect(found).toEqual(want);
      for (const r of READER[file]) {
        const e = events.find(
          (x) => x.category === r.kind && x.span.from === r.span[0] && x.span.to === r.span[1],
        );
        expect(e?.evidence, r.kind).toMatch(r.why);
      }
    });
  }

  it('finds a duplicated answer (the published Q_106 answer repeats its list three times)', () => {
    const list =
      'The failure modes of Chiller 6 are:  1. Compressor Overheating: Failed due to Normal wear, overheating 2. Evaporator Water side fouling 3. Condenser Water side fouling';
    const answer = `${list}  The final answer is:  ## Step 1: List all failure modes of Chiller 6 ${list}  Final Answer: ${list}`;
    const [t] = importAobTrajectories({
      task: 'List all failure modes of Chiller 6.',
      trajectroy_log: [
        {
          thought: 'get them',
          action: 'Get Failure Modes',
          action_input: 'Chiller 6',
          observation: "['a']",
          state: 'Valid Action',
        },
        {
          thought: 'I now have the list of failure modes for Chiller 6.',
          action: 'Finish',
          action_input: answer,
          observation: '',
        },
      ],
      final_answer: answer,
    });
    const events = detectFailures({
      trajectory: t,
      passed: null,
      traps: [],
      entities: [],
      answerFormat: null,
    });
    const dup = events.find((e) => e.category === 'duplicated_answer');
    expect(dup?.span).toEqual({ from: 4, to: 4 });
    expect(dup?.evidence).toMatch(/repeats itself \(3 times\)/);
    // A clean answer of the same run repeats nothing.
    const clean = { ...t, finalAnswer: list };
    expect(
      detectFailures({ trajectory: clean, passed: null, traps: [], entities: [], answerFormat: null }).map(
        (e) => e.category,
      ),
    ).not.toContain('duplicated_answer');
  });
});

describe('clustering keeps how often each description occurs', () => {
  it('embeds each distinct description once and clusters every occurrence', async () => {
    // The iter1 run three times and the other once: its descriptions occur three times each.
    const runs = [FILES[1], FILES[1], FILES[1], FILES[0]].map((f) => ({
      trajectory: imported(f),
      passed: null,
      traps: [],
      entities: [],
      answerFormat: null,
    }));
    const base = tfidfEmbedder();
    const embedded: string[] = [];
    const embedder = {
      ...base,
      embed: async (texts: string[]) => {
        embedded.push(...texts);
        return base.embed(texts);
      },
    };
    const { report } = await analyzeTrajectories(runs, {
      embedder,
      taxonomy: baseTaxonomy(new Date(0)),
      seed: 0,
    });
    const points = report.clusters.points;
    expect(new Set(embedded).size).toBe(embedded.length);
    expect(points).toHaveLength(new Set(points.map((p) => p.text)).size);
    expect(points.reduce((n, p) => n + (p.count ?? 1), 0)).toBe(report.events.length);
    expect(points.filter((p) => p.count === 3).length).toBeGreaterThan(0);
  });
});
