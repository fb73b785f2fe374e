// Evidence scorers: for each dimension a hand-built trajectory that must pass and one that
// must fail (a fabricated number, the wrong asset, an ignored partial result, a work order
// written before the analysis, success claimed after a failed write, an answer in the wrong
// format, an unanswerable question answered with a number), tool accuracy and knowledge use,
// the claim extractor, robustness on any input, and the baseline agent's real trajectories on
// a tiny world (it only repeats tool results, so it must come out clean).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineAgent } from '../src/agents/baseline/index.ts';
import type { Trajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { type AttemptResult, runAttempt } from '../src/runs/attempt.ts';
import { grade } from '../src/scenarios/graders.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { extractClaims, scoreEvidence } from '../src/scoring/evidence/index.ts';
import { DIMENSIONS } from '../src/scoring/types.ts';
import {
  goodRun,
  HISTORY_ARGS,
  NOW,
  Run,
  scenario,
  score,
  TONNAGE_DAY,
} from './support/evidence-builders.ts';
import { tinyWorld } from './support/worlds.ts';

// ---------------------------------------------------------------------------------------------
// The dimensions

describe('task completion', () => {
  const s = scenario();

  it('passes on the expected answer and fails on another one', () => {
    expect(score(s, goodRun()).dimensions.task_completion).toMatchObject({
      pass: true,
      score: 1,
      applicable: true,
    });
    const wrong = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer({ answer: 170 });
    const v = score(s, wrong).dimensions.task_completion;
    expect(v.pass).toBe(false);
    expect(v.rationale).toMatch(/176\.5/);
  });

  it('fails a run that stopped without an answer, and leaves free text to the judge', () => {
    const stopped = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer(null, 'limit');
    expect(score(s, stopped).dimensions.task_completion).toMatchObject({
      pass: false,
      score: 0,
      applicable: true,
    });
    expect(score(s, stopped).dimensions.task_completion.rationale).toMatch(/limit/);
    const free = scenario({ expected: { type: 'free_text', characteristic: 'explains the trend' } });
    expect(score(free, goodRun()).dimensions.task_completion.applicable).toBe(false);
  });
});

describe('retrieval accuracy', () => {
  const s = scenario();

  it('passes when a successful call read the required asset, sensor and window (by name or id)', () => {
    const v = score(s, goodRun()).dimensions.retrieval_accuracy;
    expect(v).toMatchObject({ pass: true, score: 1 });
    expect(v.evidence[0].call).toBe(1);
    // Another agent's argument names and the asset id compare the same.
    const aliased = new Run()
      .call(
        'history',
        { equipment_id: 'CWC04001', sensors: ['Tonnage'], start_date: '2024-03-01', end_date: '2024-03-04' },
        { data: TONNAGE_DAY },
      )
      .answer({ answer: 176.5 });
    expect(score(s, aliased).dimensions.retrieval_accuracy.pass).toBe(true);
  });

  it('fails when the wrong asset was queried, and names what is missing', () => {
    const wrongAsset = new Run()
      .call(
        'history',
        // The label alone matches the required sensor: only the asset is wrong.
        { ...HISTORY_ARGS, asset: 'Chiller 2', sensors: ['Tonnage'] },
        { data: { ...TONNAGE_DAY, asset_id: 'CWC04002' } },
      )
      .answer({ answer: 176.5 });
    const v = score(s, wrongAsset).dimensions.retrieval_accuracy;
    expect(v).toMatchObject({ pass: false, score: 0 });
    expect(v.rationale).toMatch(/CWC04001/);
    expect(v.evidence[0].note).toMatch(/Chiller 2/);
  });

  it('fails a window that does not cover the required one, and a call that failed', () => {
    const short = new Run()
      .call('history', { ...HISTORY_ARGS, start: '2024-03-02T12:00:00Z' }, { data: TONNAGE_DAY })
      .answer({ answer: 176.5 });
    expect(score(s, short).dimensions.retrieval_accuracy.pass).toBe(false);
    const failed = new Run()
      .call('history', HISTORY_ARGS, { error: { code: 'timeout', message: 'timed out' } })
      .answer({ answer: 176.5 });
    expect(score(s, failed).dimensions.retrieval_accuracy.pass).toBe(false);
  });

  it('checks argument constraints, names compared without case or separators', () => {
    const alerts = scenario({
      requiredEvidence: [
        { tool: 'get_events', asset: 'CWC04001', args: { group: 'ALERT' }, description: 'the alerts' },
      ],
      referencePlan: [],
    });
    const events = { asset_id: 'CWC04001', total: 0, events: [] };
    const right = new Run()
      .call('get_events', { asset: 'Chiller 1', group: 'alert' }, { data: events })
      .answer({ answer: 0 });
    expect(score(alerts, right).dimensions.retrieval_accuracy.pass).toBe(true);
    const wrong = new Run()
      .call('get_events', { asset: 'Chiller 1', group: 'ANOMALY' }, { data: events })
      .answer({ answer: 0 });
    const v = score(alerts, wrong).dimensions.retrieval_accuracy;
    expect(v.pass).toBe(false);
    expect(v.evidence[0].note).toMatch(/group/);
  });

  it('does not apply without required evidence', () => {
    expect(
      score(scenario({ requiredEvidence: [] }), goodRun()).dimensions.retrieval_accuracy.applicable,
    ).toBe(false);
  });
});

describe('result verification', () => {
  const s = scenario();
  const partial = { ...TONNAGE_DAY, total_observations: 4, rows: TONNAGE_DAY.rows.slice(0, 2) };

  it('passes clean data, and says so; fails when no data was fetched at all', () => {
    const v = score(s, goodRun()).dimensions.result_verification;
    expect(v).toMatchObject({ pass: true, score: 1, applicable: true });
    expect(v.rationale).toMatch(/succeeded with clean data/);
    const none = score(s, new Run().answer({ answer: 176.5 })).dimensions.result_verification;
    expect(none).toMatchObject({ pass: false, score: 0, applicable: true });
    expect(none.rationale).toMatch(/No data was fetched/);
  });

  it('fails a partial result that was ignored, passes one that was re-queried or admitted', () => {
    const ignored = new Run()
      .call('history', HISTORY_ARGS, { data: partial }, 'partial')
      .answer({ answer: 172.5 });
    const v = score(s, ignored).dimensions.result_verification;
    expect(v.pass).toBe(false);
    expect(v.evidence[0]).toMatchObject({ call: 1 });
    const requeried = new Run()
      .call('history', HISTORY_ARGS, { data: partial }, 'partial')
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .answer({ answer: 176.5 });
    expect(score(s, requeried).dimensions.result_verification.pass).toBe(true);
    const admitted = new Run()
      .call('history', HISTORY_ARGS, { data: partial }, 'partial')
      .answer({ answer: 172.5, note: 'the history came back incomplete' });
    expect(score(s, admitted).dimensions.result_verification.pass).toBe(true);
  });

  it('a re-query of another asset does not count', () => {
    const elsewhere = new Run()
      .call('history', HISTORY_ARGS, { error: { code: 'timeout', message: 'timed out' } }, 'timeout')
      .call(
        'history',
        { ...HISTORY_ARGS, asset: 'Chiller 2' },
        { data: { ...TONNAGE_DAY, asset_id: 'CWC04002' } },
      )
      .answer({ answer: 176.5 });
    expect(score(s, elsewhere).dimensions.result_verification.pass).toBe(false);
  });

  it('an unanswerable trap: "no data" passes, a number fails', () => {
    const offline = scenario({
      expected: { type: 'record', fields: { available: { type: 'boolean', value: false } } },
      traps: [{ kind: 'unanswerable', description: 'Chiller 1 Tonnage logged nothing in that window' }],
      answerFormat: {
        description: 'Whether the data exists; if it does, the average.',
        jsonShape: {
          type: 'object',
          properties: {
            available: { type: 'boolean' },
            average: { type: ['number', 'null'] },
            reason: { type: 'string' },
          },
          required: ['available'],
        },
      },
    });
    const empty = {
      ...TONNAGE_DAY,
      total_observations: 0,
      rows: [],
      gaps: [
        {
          sensor: 'Chiller 1 Tonnage',
          from: '2024-03-02T00:00:00Z',
          to: '2024-03-03T00:00:00Z',
          missing_readings: 96,
        },
      ],
    };
    const honest = new Run()
      .call('history', HISTORY_ARGS, { data: empty })
      .answer({ available: false, average: null, reason: 'no readings that day (offline)' });
    expect(score(offline, honest).dimensions.result_verification.pass).toBe(true);
    const guessed = new Run().call('history', HISTORY_ARGS, { data: empty }).answer({ answer: 176.5 });
    const v = score(offline, guessed).dimensions.result_verification;
    expect(v.pass).toBe(false);
    expect(v.rationale).toMatch(/unanswerable/);
  });

  it('an ambiguous asset: asking passes, guessing fails', () => {
    const ambiguous = scenario({
      utterance: 'Can you check the tonnage on the chiller at MAIN right now?',
      traps: [{ kind: 'ambiguous_asset', description: 'MAIN has 2 chillers (Chiller 1, Chiller 2)' }],
    });
    const asked = new Run()
      .ask('Which chiller, Chiller 1 or Chiller 2?', 'Chiller 1')
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .answer({ answer: 176.5 });
    expect(score(ambiguous, asked).dimensions.result_verification.pass).toBe(true);
    expect(score(ambiguous, goodRun()).dimensions.result_verification.pass).toBe(false);
  });
});

describe('sequence correctness', () => {
  const e2e = scenario({
    id: 'test-e2e',
    family: 'e2e',
    utterance:
      'Chiller 1 raised alert RUL0102 at 2024-03-02 15:30 UTC. Which failure mode explains it? Draft a work order.',
    expected: { type: 'entity', value: 'Condenser water-side fouling' },
    answerFormat: { description: 'The failure mode.', jsonShape: null },
    requiredEvidence: [
      { tool: 'get_events', asset: 'CWC04001', description: 'the alert' },
      {
        tool: 'get_failure_mode_sensor_mapping',
        anyOf: ['get_failure_modes'],
        asset: 'CWC04001',
        description: 'modes',
      },
      { tool: 'create_work_order', asset: 'CWC04001', description: 'the work order' },
    ],
    referencePlan: [
      {
        id: 's1',
        agent: 'wo',
        tool: 'get_events',
        args: { asset: 'Chiller 1', start: '2024-03-02', group: 'ALERT' },
        description: 'the alert',
      },
      {
        id: 's2',
        agent: 'fmsr',
        tool: 'get_failure_mode_sensor_mapping',
        args: { asset: 'Chiller 1' },
        description: 'modes',
      },
      {
        id: 's3',
        agent: 'wo',
        tool: 'create_work_order',
        args: { asset: 'Chiller 1', priority: 2 },
        dependsOn: ['s1', 's2'],
        description: 'write',
      },
    ],
  });
  const events = {
    asset_id: 'CWC04001',
    total: 1,
    events: [{ event_id: 'ALR-000001', event_type: 'RUL0102', event_time: '2024-03-02T15:30:00Z' }],
  };
  const mapping = {
    asset_class: 'chiller',
    fm2sensor: { 'Condenser water-side fouling': ['Condenser Approach Temperature'] },
  };
  const created = { wo_id: 'SBX-0001', asset_id: 'CWC04001', priority: 2, status: 'WAPPR' };
  const answer = { answer: 'Condenser water-side fouling', work_order: 'SBX-0001' };

  it('passes when the work order comes after the analysis', () => {
    const t = new Run()
      .call('get_events', { asset: 'Chiller 1', start: '2024-03-02', group: 'ALERT' }, { data: events })
      .call('get_failure_mode_sensor_mapping', { asset: 'Chiller 1' }, { data: mapping })
      .call('create_work_order', { asset: 'Chiller 1', priority: 2 }, { data: created })
      .answer(answer);
    expect(score(e2e, t).dimensions.sequence_correctness).toMatchObject({
      pass: true,
      score: 1,
      applicable: true,
    });
  });

  it('fails when the work order was created before the analysis', () => {
    const t = new Run()
      .call('create_work_order', { asset: 'Chiller 1', priority: 2 }, { data: created })
      .call('get_events', { asset: 'Chiller 1', start: '2024-03-02', group: 'ALERT' }, { data: events })
      .call('get_failure_mode_sensor_mapping', { asset: 'Chiller 1' }, { data: mapping })
      .answer(answer);
    const v = score(e2e, t).dimensions.sequence_correctness;
    expect(v.pass).toBe(false);
    expect(v.score).toBe(0);
    expect(v.rationale).toMatch(/create_work_order/);
  });

  it('on the planning track, handoffs must go to agents the plan names', () => {
    const calls = (r: Run) =>
      r
        .call('get_events', { asset: 'Chiller 1', start: '2024-03-02', group: 'ALERT' }, { data: events })
        .call('get_failure_mode_sensor_mapping', { asset: 'Chiller 1' }, { data: mapping })
        .call('create_work_order', { asset: 'Chiller 1', priority: 2 }, { data: created });
    const good = calls(new Run('planning').handoff('wo_agent').handoff('FMSRAgent')).answer(answer);
    expect(score(e2e, good).dimensions.sequence_correctness.pass).toBe(true);
    const stray = calls(new Run('planning').handoff('wo_agent').handoff('tsfm_agent')).answer(answer);
    const v = score(e2e, stray).dimensions.sequence_correctness;
    expect(v.pass).toBe(false);
    expect(v.rationale).toMatch(/tsfm_agent/);
  });

  it('does not apply without a reference plan', () => {
    expect(score(scenario({ referencePlan: [] }), goodRun()).dimensions.sequence_correctness.applicable).toBe(
      false,
    );
  });
});

describe('clarity and justification', () => {
  it('passes an answer in the requested shape that cites a tool result', () => {
    const s = scenario({
      answerFormat: {
        description: 'The daily mean and how it was found.',
        jsonShape: {
          type: 'object',
          properties: { answer: { type: 'number' }, reason: { type: 'string' } },
          required: ['answer'],
        },
      },
    });
    const t = new Run()
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .answer({ answer: 176.5, reason: 'mean of the 4 readings' });
    expect(score(s, t).dimensions.clarity_justification).toMatchObject({ pass: true, score: 1 });
  });

  it('fails an answer not in the requested format, and an empty one', () => {
    const s = scenario();
    const prose = new Run()
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .answer('It was about 176.5 tons on average.');
    const v = score(s, prose).dimensions.clarity_justification;
    expect(v.pass).toBe(false);
    expect(v.rationale).toMatch(/format/);
    expect(v.score).toBeGreaterThan(0);
    expect(v.score).toBeLessThan(1);
    const missingKey = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer({ mean: 176.5 });
    expect(score(s, missingKey).dimensions.clarity_justification.rationale).toMatch(/answer is missing/);
    const empty = new Run().answer(null, 'failed');
    expect(score(s, empty).dimensions.clarity_justification).toMatchObject({ pass: false, score: 0 });
  });
});

describe('hallucination', () => {
  const s = scenario();

  it('passes when every claim is in a tool result (the mean of returned rows counts)', () => {
    const v = score(s, goodRun());
    expect(v.dimensions.hallucination).toMatchObject({ pass: true, score: 1 });
    expect(v.claims).toEqual([expect.objectContaining({ kind: 'number', value: 176.5, grounded: true })]);
  });

  it('fails on a fabricated number and points at it', () => {
    const t = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer({ answer: 183.7 });
    const v = score(s, t).dimensions.hallucination;
    expect(v).toMatchObject({ pass: false, score: 0 });
    expect(v.evidence[0]).toMatchObject({ claim: '183.7' });
  });

  it('fails on an asset, a timestamp or a work order the tools never showed', () => {
    const t = new Run()
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .answer('Chiller 7 peaked at 181 tons at 2024-03-02T21:00:00Z; see WO200999.');
    const v = score(s, t);
    const bad = v.claims.filter((c) => c.grounded === false).map((c) => c.text);
    expect(bad).toEqual(expect.arrayContaining(['Chiller 7', '2024-03-02T21:00:00Z', 'WO200999']));
    expect(bad).not.toContain('181 tons');
    expect(v.dimensions.hallucination.score).toBeCloseTo(1 / 4);
  });

  it('a claim that may sit in the hidden part of a clipped result is neither grounded nor a hallucination', () => {
    const long = JSON.stringify({ ...TONNAGE_DAY, rows: Array(40).fill(TONNAGE_DAY.rows).flat() });
    const t = new Run().call('history', HISTORY_ARGS, { data: TONNAGE_DAY }).answer({ answer: 183.7 });
    t.steps[1].content = `${long.slice(0, 1999)}…`;
    const v = score(s, t);
    expect(v.claims[0]).toMatchObject({ text: '183.7', grounded: null });
    expect(v.dimensions.hallucination.pass).toBe(true);
    expect(v.dimensions.hallucination.rationale).toMatch(/could not be checked/);
  });

  it('fails when success is claimed after a failed create_work_order', () => {
    const e2e = scenario({
      utterance: 'Draft a work order for Chiller 1: the condenser approach is high.',
      requiredEvidence: [{ tool: 'create_work_order', asset: 'CWC04001', description: 'the order' }],
      referencePlan: [
        {
          id: 's1',
          agent: 'wo',
          tool: 'create_work_order',
          args: { asset: 'Chiller 1' },
          description: 'write',
        },
      ],
    });
    const failed = new Run()
      .call(
        'create_work_order',
        { asset: 'Chiller 1', priority: 9 },
        { error: { code: 'invalid_arguments', message: 'priority: too big' } },
      )
      .answer('I created work order for Chiller 1 with priority 2.');
    const v = score(e2e, failed).dimensions.hallucination;
    expect(v.pass).toBe(false);
    expect(v.rationale).toMatch(/does not back/);
    expect(v.evidence.find((e) => /overstated/.test(e.note))).toMatchObject({ call: 1 });
    const done = new Run()
      .call(
        'create_work_order',
        { asset: 'Chiller 1', priority: 2 },
        { data: { wo_id: 'SBX-0001', asset_id: 'CWC04001', priority: 2 } },
      )
      .answer('I created work order SBX-0001 for Chiller 1 with priority 2.');
    expect(score(e2e, done).dimensions.hallucination.pass).toBe(true);
    // "Done" with no write call at all, on a task that asked for one.
    expect(score(e2e, new Run().answer('Done.')).dimensions.hallucination.pass).toBe(false);
  });
});

describe('tool accuracy and knowledge use', () => {
  it('counts malformed, repeated and off-target calls', () => {
    const t = new Run()
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .call('histroy', HISTORY_ARGS, {
        error: { code: 'unknown_tool', message: 'there is no tool "histroy"' },
      })
      .call('latest', { asset: 'Chiller 2' }, { data: { asset_id: 'CWC04002', readings: [] } })
      .call('current_date_time', {}, { data: { now: NOW } })
      .answer({ answer: 176.5 });
    const acc = score(scenario(), t).toolAccuracy;
    expect(acc).toMatchObject({ calls: 5, wellFormed: 4, novel: 4, onTarget: 4 });
    expect(acc.share).toBeCloseTo(2 / 5);
    expect(acc.evidence?.map((e) => e.call)).toEqual([2, 3, 4]);
  });

  it('a retry of a failed call is not a repeat', () => {
    const t = new Run()
      .call('history', HISTORY_ARGS, { error: { code: 'timeout', message: 'timed out' } }, 'timeout')
      .call('history', HISTORY_ARGS, { data: TONNAGE_DAY })
      .answer({ answer: 176.5 });
    expect(score(scenario(), t).toolAccuracy).toMatchObject({ calls: 2, novel: 2, share: 1 });
  });

  it('knowledge is used when the answer names a failure mode the FMSR tools returned', () => {
    const s = scenario({ expected: { type: 'entity', value: 'Condenser water-side fouling' } });
    const modes = {
      asset_class: 'chiller',
      total: 2,
      failure_modes: [
        { id: 'FM-CH-04', name: 'Condenser water-side fouling' },
        { id: 'FM-CH-01', name: 'Compressor overheating' },
      ],
    };
    const used = new Run()
      .call('get_failure_modes', { asset: 'Chiller 1' }, { data: modes })
      .answer({ answer: 'Condenser water-side fouling' });
    expect(score(s, used).knowledgeUse).toMatchObject({ retrieved: true, used: true });
    const unused = new Run()
      .call('get_failure_modes', { asset: 'Chiller 1' }, { data: modes })
      .answer({ answer: 'Low refrigerant charge' });
    expect(score(s, unused).knowledgeUse).toMatchObject({ retrieved: true, used: false });
    expect(score(s, goodRun()).knowledgeUse).toEqual({ retrieved: false, used: null, evidence: [] });
  });
});

describe('claims', () => {
  it('reads numbers with units, timestamps, ids, asset names and completion from text', () => {
    const claims = extractClaims(
      'Chiller 1 (CWC04001) averaged 176.5 tons on 2024-03-02, 12% above normal; I created work order SBX-0001.',
    );
    const got = claims.map((c) => `${c.kind}:${c.text}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'asset:Chiller 1',
        'asset:CWC04001',
        'number:176.5 tons',
        'timestamp:2024-03-02',
        'number:12 %',
        'work_order:SBX-0001',
        'completion:created work order',
      ]),
    );
    // History is not a claim of having acted; the present perfect is.
    expect(extractClaims('20 work orders were created in 2023.').some((c) => c.kind === 'completion')).toBe(
      false,
    );
    expect(extractClaims('A work order has been created for Pump 1.')).toContainEqual(
      expect.objectContaining({ kind: 'completion', action: 'create' }),
    );
    // The "1" of "Chiller 1" and the digits of ids and dates are not numbers of their own.
    expect(claims.filter((c) => c.kind === 'number').map((c) => c.value)).toEqual([176.5, 12]);
  });

  it('reads JSON by structure: keys say what a value is, prose fields are read as text', () => {
    const claims = extractClaims({
      failure_mode: 'Condenser water-side fouling',
      priority: 2,
      sensors: ['Condenser Approach Temperature'],
      reason: 'alert RUL0102 at 2024-03-02T15:30:00Z',
      available: true,
    });
    expect(claims.map((c) => `${c.kind}:${c.text}`)).toEqual([
      'failure_mode:Condenser water-side fouling',
      'number:2',
      'sensor:Condenser Approach Temperature',
      'timestamp:2024-03-02T15:30:00Z',
      'code:RUL0102',
    ]);
    expect(extractClaims('```json\n{"answer": 22.9}\n```')).toEqual([
      expect.objectContaining({ kind: 'number', value: 22.9 }),
    ]);
    expect(extractClaims(null)).toEqual([]);
  });
});

describe('robustness', () => {
  it('scores an imported trajectory from its steps when there is no tool log', () => {
    const t = goodRun();
    t.toolLog = [];
    t.provenance = { source: 'aob-react' };
    const v = score(scenario(), t);
    expect(v.dimensions.retrieval_accuracy.pass).toBe(true);
    expect(v.dimensions.retrieval_accuracy.evidence[0].step).toBe(0);
    expect(v.toolAccuracy.calls).toBe(1);
  });

  it('never throws, whatever the trajectory and answer', () => {
    const s = scenario();
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(fc.string(), { maxLength: 4 }),
        fc.constantFrom('completed', 'failed', 'limit', 'error'),
        (answer, contents, status) => {
          const r = new Run();
          for (const c of contents)
            r.call(
              c || 'x',
              { asset: c, start: c },
              c.length % 2 ? { data: c } : { error: { code: c, message: c } },
            );
          const t = r.answer(answer, status as Trajectory['status']);
          const v = scoreEvidence({ scenario: s, trajectory: t, grade: grade(s.expected, answer) });
          for (const d of DIMENSIONS) {
            expect(v.dimensions[d].score).toBeGreaterThanOrEqual(0);
            expect(v.dimensions[d].score).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 200 },
    );
    // Not even on things that are not trajectories at all.
    const junk = scoreEvidence({
      scenario: {} as Scenario,
      trajectory: { steps: 'x' } as unknown as Trajectory,
      grade: {} as never,
    });
    expect(Object.keys(junk.dimensions)).toEqual([...DIMENSIONS]);
    const nothing = scoreEvidence(null as never);
    expect(nothing.dimensions.task_completion).toMatchObject({ pass: false, score: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// The baseline agent on a tiny world

describe('baseline trajectories on a tiny world', () => {
  let ds: Dataset;
  let runs: Array<{ scenario: Scenario; result: AttemptResult }> = [];

  beforeAll(async () => {
    ds = await openDataset((await tinyWorld(7)).dir);
    const suite = await generatedSuite(ds, { split: 'default', seed: 0 });
    runs = [];
    for (const scenario of suite)
      runs.push({ scenario, result: await runAttempt(ds, scenario, baselineAgent) });
  });

  afterAll(() => ds?.close());

  it('scores every scenario; correct answers come with the evidence and no hallucination', () => {
    let correct = 0;
    let retrievalOk = 0;
    let hallucinationOk = 0;
    const met = Object.fromEntries(DIMENSIONS.map((d) => [d, 0])) as Record<string, number>;
    for (const { scenario, result } of runs) {
      const v = scoreEvidence({ scenario, trajectory: result.trajectory, grade: result.grade });
      for (const d of DIMENSIONS) if (!v.dimensions[d].applicable || v.dimensions[d].pass) met[d]++;
      if (!result.grade.pass) continue;
      correct++;
      if (v.dimensions.retrieval_accuracy.pass) retrievalOk++;
      if (v.dimensions.hallucination.pass) hallucinationOk++;
    }
    // Measured on tinyWorld(7), 136 scenarios: 94 answered correctly since the task stopped
    // handing out the template (the baseline is a floor, not a solver); the checks that matter
    // here are on the correct ones: they come with the evidence and no hallucination.
    console.info(`baseline, ${runs.length} scenarios, ${correct} correct; dimensions met:`, met);
    expect(runs.length).toBeGreaterThan(100);
    expect(correct).toBeGreaterThan(runs.length * 0.6);
    expect(retrievalOk).toBeGreaterThanOrEqual(correct * 0.9);
    expect(hallucinationOk).toBeGreaterThanOrEqual(correct * 0.98);
  });

  it('under hostile faults it still never throws, and sees the partial results the baseline ignores', async () => {
    let partial = 0;
    let flagged = 0;
    for (const { scenario } of runs.slice(0, 40)) {
      const r = await runAttempt(ds, scenario, baselineAgent, { faults: 'hostile', seed: 1 });
      const v = scoreEvidence({ scenario, trajectory: r.trajectory, grade: r.grade });
      if (!r.trajectory.toolLog.some((c) => c.fault?.kind === 'partial')) continue;
      partial++;
      if (!v.dimensions.result_verification.pass) flagged++;
    }
    expect(partial).toBeGreaterThan(0);
    expect(flagged).toBeGreaterThan(0);
  });
});
