// Every point must be earned: an answer nobody graded has no total, declining to answer is right
// only where the question cannot be answered, a dimension about how the work was done fails
// when no work was done, a call the agent's runtime refused still counts against it, and a
// sub-agent's report grounds nothing by itself.
import { describe, expect, it } from 'vitest';
import { addStep, finish, type Trajectory } from '../src/agents/trajectory.ts';
import { grade } from '../src/scenarios/graders.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { scoreTrajectory } from '../src/scoring/scorecard.ts';
import { DIMENSIONS } from '../src/scoring/types.ts';
import { goodRun, HISTORY_ARGS, NOW, Run, scenario, TONNAGE_DAY } from './support/evidence-builders.ts';

function card(s: Scenario, t: Trajectory) {
  const g =
    s.expected.type === 'free_text'
      ? { pass: false, score: 0, detail: 'free text', needsJudge: true }
      : grade(s.expected, t.finalAnswer);
  return scoreTrajectory({ scenario: s, trajectory: t, grade: g });
}

const OFFLINE = scenario({
  id: 'test-offline',
  utterance: 'What was the average tonnage of Chiller 1 between 02:00 and 04:00 on 2024-03-02?',
  expected: { type: 'record', fields: { available: { type: 'boolean', value: false } } },
  answerFormat: {
    description: 'Reply with JSON.',
    jsonShape: {
      type: 'object',
      properties: { available: { type: 'boolean' }, average: { type: ['number', 'null'] } },
      required: ['available'],
    },
  },
  traps: [{ kind: 'unanswerable', description: 'the sensor logged nothing then' }],
});

const EMPTY_WINDOW = { ...TONNAGE_DAY, total_observations: 0, rows: [] };

describe('ungraded is not passed', () => {
  it('a free-text answer with no judge has no total, is not graded and does not pass', () => {
    const s = scenario({ expected: { type: 'free_text', characteristic: 'names the mean tonnage' } });
    const c = card(s, goodRun());
    expect(c.graded).toBe(false);
    expect(c.total).toBeNull();
    expect(c.pass).toBe(false);
    // The other dimensions are still assessed, so a judge later has the evidence beside it.
    expect(c.dimensions.retrieval_accuracy).toMatchObject({ applicable: true, pass: true });
  });

  it('a typed answer is graded and has a total', () => {
    const c = card(scenario(), goodRun());
    expect(c.graded).toBe(true);
    expect(c.total).toBe(100);
    expect(c.pass).toBe(true);
  });
});

describe('abstention is right only where it is expected', () => {
  for (const reply of [
    'I cannot answer this.',
    '',
    { answer: null },
    'Sorry, I am unable to determine that.',
  ]) {
    it(`declining an answerable question (${JSON.stringify(reply)}) fails and earns nothing for it`, () => {
      const t = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer(reply);
      const c = card(scenario(), t);
      expect(c.dimensions.task_completion.pass).toBe(false);
      for (const d of ['result_verification', 'clarity_justification', 'hallucination'] as const)
        expect(c.dimensions[d], d).toMatchObject({ pass: false, score: 0 });
      // Fetching the data was still done, and says so.
      expect(c.dimensions.retrieval_accuracy.pass).toBe(true);
      expect(c.total).toBeLessThanOrEqual(25);
    });
  }

  it('saying the data is not there passes where it is not there', () => {
    const t = new Run()
      .call('history', HISTORY_ARGS, { data: EMPTY_WINDOW })
      .answer('I cannot answer: Chiller 1 logged no tonnage readings in that window.');
    const c = card(OFFLINE, t);
    expect(c.dimensions.task_completion).toMatchObject({ pass: true });
    expect(c.dimensions.result_verification.pass).toBe(true);
    const typed = card(
      OFFLINE,
      new Run().call('history', HISTORY_ARGS, { data: EMPTY_WINDOW }).answer({ available: false }),
    );
    expect(typed.dimensions.task_completion.pass).toBe(true);
  });

  it('declining without looking fails even where declining is the answer', () => {
    const c = card(OFFLINE, new Run().answer({ available: false }));
    expect(c.dimensions.retrieval_accuracy.pass).toBe(false);
    expect(c.dimensions.result_verification.pass).toBe(false);
    expect(c.dimensions.sequence_correctness.pass).toBe(false);
    expect(c.pass).toBe(false);
  });
});

describe('minimum evidence', () => {
  it('an invented number with no tool call totals at most 25, and tool accuracy is undefined', () => {
    const c = card(scenario(), new Run().answer({ answer: 181.2 }));
    for (const d of DIMENSIONS) expect(c.dimensions[d].pass, d).toBe(false);
    expect(c.total).toBeLessThanOrEqual(25);
    expect(c.toolAccuracy.calls).toBe(0);
    expect(c.toolAccuracy.share).toBeNull();
  });

  it('the right number with no tool call still fails every dimension about the work', () => {
    const c = card(
      scenario(),
      new Run().answer({ answer: 176.5, reason: 'Chiller 1 averaged 176.5 tons that day' }),
    );
    expect(c.dimensions.task_completion.pass).toBe(true);
    for (const d of [
      'retrieval_accuracy',
      'result_verification',
      'sequence_correctness',
      'clarity_justification',
    ] as const)
      expect(c.dimensions[d].pass, d).toBe(false);
    expect(c.pass).toBe(false);
    expect(c.total).toBeLessThan(50);
  });

  it('only helpers (the clock) are not evidence', () => {
    const t = new Run()
      .call('current_date_time', {}, { data: { now: '2024-03-05T00:00:00Z' } })
      .answer({ answer: 176.5 });
    const c = card(scenario(), t);
    expect(c.dimensions.result_verification.pass).toBe(false);
    expect(c.dimensions.sequence_correctness.pass).toBe(false);
  });
});

describe('every attempted call counts', () => {
  it('calls refused before reaching a tool lower tool accuracy and are listed', () => {
    const t = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).t;
    // An unknown tool and broken JSON, as the react agent records them: a tool_call step
    // marked failed, never in the server's log.
    addStep(t, {
      agent: 'test',
      kind: 'tool_call',
      content: 'read_sensor {}',
      tool: {
        name: 'read_sensor',
        args: {},
        callId: 'x1',
        ok: false,
        error: "Model tried to call unavailable tool 'read_sensor'",
      },
    });
    addStep(t, {
      agent: 'test',
      kind: 'tool_call',
      content: 'history {"asset": "Chiller 1",',
      tool: {
        name: 'history',
        args: '{"asset": "Chiller 1",',
        callId: 'x2',
        ok: false,
        error: 'Invalid input for tool history: JSON parsing failed',
      },
    });
    const c = card(scenario(), finish(t, 'completed', { answer: 176.5 }, NOW));
    expect(c.toolAccuracy.calls).toBe(3);
    expect(c.toolAccuracy.wellFormed).toBe(1);
    expect(c.toolAccuracy.share).toBeCloseTo(1 / 3);
    expect(c.toolAccuracy.evidence?.map((e) => e.note).join(' ')).toMatch(/read_sensor.*unknown_tool/);
  });

  it('a call refused by the repeat guard is a repeat', () => {
    const run = new Run()
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY });
    addStep(run.t, {
      agent: 'test',
      kind: 'tool_call',
      content: 'history',
      tool: { name: 'history', args: HISTORY_ARGS, callId: 'r3' },
    });
    addStep(run.t, {
      agent: 'test',
      kind: 'tool_result',
      content: '{"error":{"code":"repeated_call"}}',
      tool: { name: 'history', args: HISTORY_ARGS, callId: 'r3', ok: false, error: 'repeated_call' },
    });
    const c = card(scenario(), run.answer({ answer: 176.5 }));
    expect(c.toolAccuracy.calls).toBe(3);
    expect(c.toolAccuracy.novel).toBe(1);
    expect(c.toolAccuracy.wellFormed).toBe(3);
  });
});

describe('grounding follows the data', () => {
  const PLANNING = scenario({ tracks: ['planning'] });

  /** agent-as-tool as it records a delegation: handoff, the sub-agent's own steps, its report. */
  function delegated(report: string, subAgentData: unknown | null): Run {
    const run = new Run('planning');
    addStep(run.t, {
      agent: 'agent-as-tool',
      kind: 'handoff',
      content: 'tonnage of Chiller 1 on 2024-03-02',
      tool: { name: 'iot_agent', args: { request: 'mean tonnage' }, callId: 'h1' },
      handoff: { from: 'agent-as-tool', to: 'iot_agent', request: 'mean tonnage' },
    });
    if (subAgentData) run.call('history', HISTORY_ARGS, { data: subAgentData });
    addStep(run.t, {
      agent: 'agent-as-tool',
      kind: 'tool_result',
      content: report,
      tool: { name: 'iot_agent', args: { request: 'mean tonnage' }, callId: 'h1', ok: true },
    });
    return run;
  }

  it('a value the sub-agent invented is a hallucination, blamed on its report', () => {
    const c = card(PLANNING, delegated('The mean tonnage was 190.4 tons.', null).answer({ answer: 190.4 }));
    const h = c.dimensions.hallucination;
    expect(h.pass).toBe(false);
    expect(h.evidence.map((e) => e.note).join(' ')).toMatch(/first appears in iot_agent's report/);
  });

  it("a value the sub-agent read from its own tool is grounded through the sub-agent's result", () => {
    const c = card(
      PLANNING,
      delegated('The mean tonnage was 176.5 tons.', TONNAGE_DAY).answer({ answer: 176.5 }),
    );
    expect(c.dimensions.hallucination.pass).toBe(true);
    expect(c.dimensions.clarity_justification.pass).toBe(true);
  });
});
