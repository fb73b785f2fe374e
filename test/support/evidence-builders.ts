// Hand-built scenarios and trajectories for the evidence scorers' tests: a daily-mean scenario
// and a builder that records each call both as steps (what the agent saw) and in the server's
// tool log (what really happened), as our runner does.
import { addStep, finish, newTrajectory, type Trajectory } from '../../src/agents/trajectory.ts';
import { grade } from '../../src/scenarios/graders.ts';
import { type Scenario, type ScenarioInput, ScenarioSchema } from '../../src/scenarios/schema.ts';
import { scoreEvidence } from '../../src/scoring/evidence/index.ts';

export const NOW = '2024-03-05T00:00:00Z';

export const BASE: ScenarioInput = {
  schemaVersion: 1,
  id: 'test-daily-mean',
  family: 'iot',
  template: 'test',
  tracks: ['execution'],
  difficulty: 'easy',
  utterance: 'What was the average tonnage of Chiller 1 on 2024-03-02?',
  context: { now: NOW, site: 'MAIN' },
  expected: { type: 'number', value: 176.5, tolerance: { abs: 0.1 }, unit: 'tons' },
  answerFormat: {
    description: 'The daily mean in tons.',
    jsonShape: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] },
  },
  requiredEvidence: [
    {
      tool: 'history',
      asset: 'CWC04001',
      sensors: ['Chiller 1 Tonnage'],
      window: { start: '2024-03-02T00:00:00Z', end: '2024-03-03T00:00:00Z' },
      description: 'read the tonnage of that day',
    },
  ],
  referencePlan: [
    {
      id: 's1',
      agent: 'iot',
      tool: 'history',
      args: { asset: 'Chiller 1', sensors: ['Chiller 1 Tonnage'], start: '2024-03-02', end: '2024-03-03' },
      description: 'the readings of that day',
    },
  ],
  provenance: { source: 'generated' },
};

export function scenario(over: Partial<ScenarioInput> = {}): Scenario {
  return ScenarioSchema.parse({ ...BASE, ...over });
}

export type Fault = 'error' | 'timeout' | 'partial' | 'stale';
export type Outcome = { data: unknown } | { error: { code: string; message: string } };

/** A trajectory as our runner records it: steps the agent saw and the server's own log. */
export class Run {
  readonly t: Trajectory;
  private seq = 0;

  constructor(track: 'execution' | 'planning' = 'execution') {
    this.t = newTrajectory({ id: 'run', scenarioId: 'test', agent: 'test', track, startedAt: NOW });
  }

  call(tool: string, args: Record<string, unknown>, outcome: Outcome, fault: Fault | null = null): this {
    const seq = ++this.seq;
    const callId = `c${seq}`;
    addStep(this.t, {
      agent: 'test',
      kind: 'tool_call',
      content: `${tool} ${JSON.stringify(args)}`,
      tool: { name: tool, args, callId },
    });
    const ok = 'data' in outcome;
    addStep(this.t, {
      agent: 'test',
      kind: 'tool_result',
      content: ok ? JSON.stringify(outcome.data) : `${outcome.error.code}: ${outcome.error.message}`,
      tool: {
        name: tool,
        args,
        callId,
        ok,
        ...(ok ? {} : { error: `${outcome.error.code}: ${outcome.error.message}` }),
      },
    });
    this.t.toolLog.push({
      seq,
      tool,
      args,
      ok,
      ...(ok ? {} : { error: outcome.error }),
      digest: '0'.repeat(16),
      resultRef: `call-${seq}`,
      latencyMs: 1,
      fault: fault ? { kind: fault, detail: fault } : null,
      startedAt: NOW,
    });
    return this;
  }

  ask(question: string, reply: string): this {
    addStep(this.t, { agent: 'test', kind: 'ask', content: question });
    addStep(this.t, { agent: 'test', kind: 'message', content: reply });
    return this;
  }

  handoff(to: string): this {
    addStep(this.t, {
      agent: 'planner',
      kind: 'handoff',
      content: to,
      handoff: { from: 'planner', to, request: 'do it' },
    });
    return this;
  }

  answer(value: unknown, status: Trajectory['status'] = 'completed'): Trajectory {
    return finish(this.t, status, value, NOW);
  }
}

export function score(s: Scenario, t: Trajectory) {
  return scoreEvidence({ scenario: s, trajectory: t, grade: grade(s.expected, t.finalAnswer) });
}

export const TONNAGE_DAY = {
  asset_id: 'CWC04001',
  start: '2024-03-02T00:00:00Z',
  end: '2024-03-03T00:00:00Z',
  total_observations: 4,
  gaps: [],
  rows: [
    { sensor: 'Chiller 1 Tonnage', ts: '2024-03-02T00:00:00Z', value: 170 },
    { sensor: 'Chiller 1 Tonnage', ts: '2024-03-02T06:00:00Z', value: 175 },
    { sensor: 'Chiller 1 Tonnage', ts: '2024-03-02T12:00:00Z', value: 180 },
    { sensor: 'Chiller 1 Tonnage', ts: '2024-03-02T18:00:00Z', value: 181 },
  ],
  handle: null,
  note: null,
};
export const HISTORY_ARGS = {
  asset: 'Chiller 1',
  sensors: ['Chiller 1 Tonnage'],
  start: '2024-03-02',
  end: '2024-03-03',
};

/** The good run on the base scenario: one history call, the mean of its rows as the answer. */
export function goodRun(): Trajectory {
  return new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer({ answer: 176.5 });
}
