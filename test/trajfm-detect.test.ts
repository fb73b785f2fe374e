// TrajFM stage 1, the offline detectors: precision and recall of every detector on a labelled
// synthetic set (planted failures in varied forms, clean runs, near misses), where each planted
// failure begins and whom it blames, the never-throw contract on any input, and a run over real
// baseline trajectories of the tiny world under hostile faults.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineAgent } from '../src/agents/baseline/index.ts';
import type { Trajectory } from '../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { type AttemptResult, runAttempt } from '../src/runs/attempt.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { scenarioEntities } from '../src/scoring/evidence/entities.ts';
import { DETECTORS, detectFailures } from '../src/trajfm/detect/index.ts';
import {
  type AnalysisInput,
  BASE_CODES,
  DETECTOR_KINDS,
  type DetectorKind,
  type FailureEvent,
} from '../src/trajfm/types.ts';
import {
  fail,
  LABELLED_KINDS,
  type LabelledCase,
  labelledSet,
  ok,
  render,
  Script,
} from './support/trajfm-labelled.ts';
import { tinyWorld } from './support/worlds.ts';

const FLOOR = 0.9;

interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

function score(cases: LabelledCase[], detected: Map<string, Set<string>>): Record<DetectorKind, Score> {
  const out = {} as Record<DetectorKind, Score>;
  for (const kind of DETECTOR_KINDS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of cases) {
      const truth = c.labels.includes(kind);
      const found = detected.get(c.id)?.has(kind) ?? false;
      if (truth && found) tp++;
      else if (found) fp++;
      else if (truth) fn++;
    }
    out[kind] = {
      tp,
      fp,
      fn,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
      recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    };
  }
  return out;
}

describe('TrajFM offline detectors on the labelled synthetic set', () => {
  const cases = labelledSet(0);
  const events = new Map<string, FailureEvent[]>(cases.map((c) => [c.id, detectFailures(c.input)]));
  const detected = new Map([...events].map(([id, ev]) => [id, new Set(ev.map((e) => e.category))]));

  it('has at least 20 varied positives per kind, 60 clean cases, both tracks and imports', () => {
    for (const kind of LABELLED_KINDS) {
      const pos = cases.filter((c) => c.labels.includes(kind));
      expect(pos.length, kind).toBeGreaterThanOrEqual(20);
      expect(new Set(pos.map((c) => c.variant)).size, kind).toBeGreaterThanOrEqual(3);
      expect(new Set(pos.map((c) => c.input.trajectory.track)).size, kind).toBe(2);
    }
    expect(cases.filter((c) => c.labels.length === 0).length).toBeGreaterThanOrEqual(60);
    expect(cases.some((c) => c.input.trajectory.toolLog.length === 0 && c.labels.length > 0)).toBe(true);
    expect(cases.some((c) => c.input.trajectory.steps.some((s) => s.kind === 'handoff'))).toBe(true);
    // Deterministic: the same seed gives the same set.
    expect(JSON.stringify(labelledSet(0).map((c) => c.input.trajectory.steps))).toBe(
      JSON.stringify(cases.map((c) => c.input.trajectory.steps)),
    );
  });

  it(`reaches precision and recall >= ${FLOOR} for every detector kind`, () => {
    const table = score(cases, detected);
    const rows = DETECTOR_KINDS.map((k) => {
      const s = table[k];
      return `${k.padEnd(28)} ${String(s.tp).padStart(3)} ${String(s.fp).padStart(3)} ${String(s.fn).padStart(3)}   ${s.precision.toFixed(3)}   ${s.recall.toFixed(3)}`;
    });
    console.log(
      [`kind                          tp  fp  fn   precision recall   (${cases.length} cases)`, ...rows].join(
        '\n',
      ),
    );
    const misses = cases.flatMap((c) =>
      DETECTOR_KINDS.flatMap((k) => {
        const truth = c.labels.includes(k);
        const found = detected.get(c.id)?.has(k) ?? false;
        return truth === found ? [] : [`${truth ? 'FN' : 'FP'} ${k} in ${c.id} (${c.variant})`];
      }),
    );
    if (misses.length > 0) console.log(misses.join('\n'));
    for (const k of DETECTOR_KINDS) {
      expect(table[k].precision, `${k} precision`).toBeGreaterThanOrEqual(FLOOR);
      expect(table[k].recall, `${k} recall`).toBeGreaterThanOrEqual(FLOOR);
    }
  });

  it('points each found failure at the step where it was planted and blames the agent there', () => {
    const lines: string[] = [];
    for (const kind of DETECTOR_KINDS) {
      const marked = cases.filter((c) => c.labels.includes(kind) && c.origins[kind]);
      if (marked.length === 0) continue;
      let hit = 0;
      for (const c of marked) {
        const origin = c.origins[kind] as { step: number; agent: string };
        const ev = (events.get(c.id) ?? []).filter((e) => e.category === kind);
        if (
          ev.some(
            (e) => e.span.from <= origin.step && origin.step <= e.span.to && e.blamedAgent === origin.agent,
          )
        )
          hit++;
      }
      lines.push(`${kind.padEnd(28)} ${hit}/${marked.length}`);
      // Span-level check for the kinds whose failure begins at one call.
      if (
        [
          'unhandled_tool_error',
          'ignored_feedback',
          'ineffective_error_recovery',
          'no_verification',
          'wrong_entity',
          'step_repetition',
          'missing_clarification',
        ].includes(kind)
      ) {
        expect(marked.length, kind).toBeGreaterThanOrEqual(15);
        expect(hit / marked.length, `${kind} span and blame`).toBeGreaterThanOrEqual(FLOOR);
      }
    }
    console.log(`span and blame (planted step inside the span, agent blamed):\n${lines.join('\n')}`);
  });

  it('blames the sub-agent and names the handoff on the planning track', () => {
    const planning = cases.filter(
      (c) => c.input.trajectory.track === 'planning' && c.labels.includes('unhandled_tool_error'),
    );
    expect(planning.length).toBeGreaterThan(3);
    for (const c of planning) {
      const e = (events.get(c.id) ?? []).find((x) => x.category === 'unhandled_tool_error');
      expect(e, c.id).toBeDefined();
      expect(e?.blamedAgent).toMatch(/_agent$/);
      expect(e?.handoff?.to).toBe(e?.blamedAgent);
      const h = c.input.trajectory.steps[e?.handoff?.step ?? -1];
      expect(h?.kind).toBe('handoff');
      expect(h.index).toBeLessThanOrEqual(e?.span.from ?? -1);
    }
  });

  it('fills every event field: trajectory, category, detector source, title, definition, evidence', () => {
    for (const c of cases.slice(0, 80))
      for (const e of events.get(c.id) ?? []) {
        expect(e.trajectoryId).toBe(c.input.trajectory.id);
        expect(e.scenarioId).toBe(c.input.trajectory.scenarioId);
        expect(e.source).toBe('detector');
        expect(e.title).toBe(DETECTORS[e.category as DetectorKind].title);
        expect(e.evidence.length).toBeGreaterThan(10);
        expect(e.evidence).not.toMatch(/\n/);
        expect(e.span.from).toBeLessThanOrEqual(e.span.to);
      }
  });
});

describe('DETECTORS', () => {
  it('describes every kind and maps onto base codes that exist', () => {
    expect(Object.keys(DETECTORS).sort()).toEqual([...DETECTOR_KINDS].sort());
    for (const d of Object.values(DETECTORS)) {
      expect(d.title.length).toBeGreaterThan(3);
      expect(d.definition.length).toBeGreaterThan(30);
      if (d.baseCode !== null) expect(Object.keys(BASE_CODES)).toContain(d.baseCode);
    }
    expect(DETECTORS.premature_termination.baseCode).toBe('3.1');
    expect(DETECTORS.missing_clarification.baseCode).toBe('2.2');
  });
});

describe('near misses, one at a time', () => {
  const input = (t: Trajectory, extra: Partial<AnalysisInput> = {}): AnalysisInput => ({
    trajectory: t,
    passed: null,
    traps: [],
    entities: [],
    answerFormat: null,
    ...extra,
  });
  const kinds = (i: AnalysisInput) => detectFailures(i).map((e) => e.category);

  it('an error retried successfully is not unhandled; the same error ignored is', () => {
    const retried = new Script()
      .call('latest', { asset: 'Pump 1' }, fail('timeout', 'latest timed out'), { fault: 'timeout' })
      .call(
        'latest',
        { asset: 'Pump 1' },
        ok({ asset_id: 'PMP04001', readings: [{ sensor: 'Vibration', value: 2.1 }] }),
      );
    const ignoredScript = new Script()
      .call('latest', { asset: 'Pump 1' }, fail('timeout', 'latest timed out'), { fault: 'timeout' })
      .call('get_events', { asset: 'Pump 1' }, ok({ total: 2, events: [{ id: 1 }, { id: 2 }] }));
    expect(kinds(input(render(retried, { id: 'r', final: 'Vibration is 2.1 mm/s.' }).trajectory))).toEqual(
      [],
    );
    expect(
      kinds(input(render(ignoredScript, { id: 'i', final: 'Pump 1 had 2 events.' }).trajectory)),
    ).toEqual(['unhandled_tool_error']);
  });

  it('a timeout repeated is a retry, a not_found repeated unchanged is ignored feedback', () => {
    const timeoutTwice = new Script()
      .call('history', { asset: 'Boiler 1', start: '2024-03-01' }, fail('timeout', 'history timed out'))
      .call('history', { asset: 'Boiler 1', start: '2024-03-01' }, fail('timeout', 'history timed out'))
      .call(
        'history',
        { asset: 'Boiler 1', start: '2024-03-01' },
        ok({ asset_id: 'B', rows: [{ value: 3 }] }),
      );
    const notFoundTwice = new Script()
      .call(
        'history',
        { asset: 'Boiler 9', start: '2024-03-01' },
        fail('not_found', 'unknown asset "Boiler 9"'),
      )
      .call(
        'history',
        { asset: 'Boiler 9', start: '2024-03-01' },
        fail('not_found', 'unknown asset "Boiler 9"'),
      )
      .call(
        'history',
        { asset: 'Boiler 1', start: '2024-03-01' },
        ok({ asset_id: 'B', rows: [{ value: 3 }] }),
      );
    expect(kinds(input(render(timeoutTwice, { id: 'a', final: { answer: 3 } }).trajectory))).toEqual([]);
    expect(kinds(input(render(notFoundTwice, { id: 'b', final: { answer: 3 } }).trajectory))).toEqual([
      'ignored_feedback',
    ]);
  });

  it('three identical successful calls are repetition; two are not, nor three with different arguments', () => {
    const call = (s: Script, offset: number) =>
      s.call('json_reader', { handle: 'h', offset }, ok({ rows: [{ v: offset }] }));
    const twice = new Script();
    call(call(twice, 0), 0);
    const paging = new Script();
    call(call(call(paging, 0), 1000), 2000);
    const thrice = new Script();
    call(call(call(thrice, 0), 0), 0);
    expect(kinds(input(render(twice, { id: 't2', final: { answer: 1 } }).trajectory))).toEqual([]);
    expect(kinds(input(render(paging, { id: 'pg', final: { answer: 1 } }).trajectory))).toEqual([]);
    expect(kinds(input(render(thrice, { id: 't3', final: { answer: 1 } }).trajectory))).toEqual([
      'step_repetition',
    ]);
  });

  it('a partial result re-queried cleanly or caveated is verified; used as is, it is not', () => {
    const partial = () =>
      new Script().call(
        'get_work_orders',
        { asset: 'Chiller 1' },
        ok({ total: 4, work_orders: [{ id: 1 }] }),
        {
          fault: 'partial',
        },
      );
    const requeried = partial().call(
      'get_work_orders',
      { asset: 'Chiller 1' },
      ok({ total: 4, work_orders: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }] }),
    );
    expect(kinds(input(render(requeried, { id: 'q', final: { answer: 4 } }).trajectory))).toEqual([]);
    expect(
      kinds(
        input(
          render(partial(), { id: 'c', final: 'At least 1 work order; the list was partial.' }).trajectory,
        ),
      ),
    ).toEqual([]);
    expect(kinds(input(render(partial(), { id: 'u', final: { answer: 1 } }).trajectory))).toEqual([
      'no_verification',
    ]);
  });

  it('an ambiguous request is fine when the agent asks, and missing_clarification when it does not', () => {
    const base = () =>
      new Script().call(
        'latest',
        { asset: 'Chiller 1' },
        ok({ asset_id: 'CWC04001', readings: [{ value: 44 }] }),
      );
    const traps = ['ambiguous_asset'];
    const asked = new Script().ask('Chiller 1 or Chiller 2?', 'Chiller 1');
    asked.ops.push(...base().ops);
    expect(kinds(input(render(asked, { id: 'a', final: '44 degF' }).trajectory, { traps }))).toEqual([]);
    expect(kinds(input(render(base(), { id: 'n', final: '44 degF' }).trajectory, { traps }))).toEqual([
      'missing_clarification',
    ]);
  });

  it('a work order claimed after a failed create is overstated; after a successful one it is not', () => {
    const create = (o: ReturnType<typeof ok>) =>
      new Script()
        .call('create_work_order', { asset: 'Pump 1', description: 'x' }, fail('timeout', 'timed out'))
        .call('create_work_order', { asset: 'Pump 1', description: 'x' }, o);
    const claim = 'I created work order SBX-0009 for Pump 1.';
    expect(
      kinds(input(render(create(ok({ wo_id: 'SBX-0009' })), { id: 'y', final: claim }).trajectory)),
    ).toEqual([]);
    expect(
      kinds(input(render(create(fail('timeout', 'timed out')), { id: 'n', final: claim }).trajectory)),
    ).toEqual(['overstated_completion']);
  });
});

describe('never throws', () => {
  const junk = fc.anything({ maxDepth: 3, withNullPrototype: false });
  const step = fc.record(
    {
      index: fc.oneof(fc.nat(40), junk),
      agent: fc.oneof(fc.constantFrom('react', 'planner', 'iot_agent'), junk),
      kind: fc.oneof(
        fc.constantFrom('plan', 'thought', 'tool_call', 'tool_result', 'message', 'handoff', 'ask', 'final'),
        junk,
      ),
      content: fc.oneof(fc.string(), junk),
      tool: fc.oneof(
        fc.record(
          {
            name: fc.oneof(fc.constantFrom('history', 'latest', 'create_work_order'), junk),
            args: junk,
            callId: fc.oneof(fc.constantFrom('c1', 'c2'), junk),
            ok: fc.oneof(fc.boolean(), junk),
            error: fc.oneof(fc.string(), junk),
          },
          { requiredKeys: [] },
        ),
        junk,
      ),
      handoff: fc.oneof(fc.record({ from: fc.string(), to: fc.string(), request: junk }), junk),
    },
    { requiredKeys: [] },
  );
  const logEntry = fc.record(
    {
      seq: fc.oneof(fc.nat(10), junk),
      tool: fc.oneof(fc.constantFrom('history', 'latest'), junk),
      args: junk,
      ok: fc.oneof(fc.boolean(), junk),
      error: fc.oneof(fc.record({ code: fc.string(), message: fc.string() }), junk),
      fault: fc.oneof(
        fc.constant(null),
        fc.record({ kind: fc.constantFrom('partial', 'stale', 'timeout') }),
        junk,
      ),
    },
    { requiredKeys: [] },
  );
  const trajectory = fc.record(
    {
      id: fc.oneof(fc.string(), junk),
      agent: junk,
      steps: fc.oneof(fc.array(step, { maxLength: 12 }), junk),
      toolLog: fc.oneof(fc.array(logEntry, { maxLength: 6 }), fc.constant([]), junk),
      finalAnswer: junk,
      status: fc.oneof(fc.constantFrom('completed', 'failed', 'limit', 'error'), junk),
      errors: fc.oneof(fc.array(junk, { maxLength: 3 }), junk),
    },
    { requiredKeys: [] },
  );

  it('returns a list for any input shape, with spans inside the trajectory', () => {
    fc.assert(
      fc.property(
        fc.oneof(trajectory, junk),
        fc.oneof(fc.array(fc.string(), { maxLength: 4 }), junk),
        fc.oneof(fc.array(fc.constantFrom('ambiguous_asset', 'unanswerable'), { maxLength: 2 }), junk),
        fc.oneof(fc.string(), fc.constant(null), fc.constant('JSON: {"answer": number}'), junk),
        (t, entities, traps, answerFormat) => {
          const input = {
            trajectory: t,
            passed: null,
            traps,
            entities,
            answerFormat,
          } as unknown as AnalysisInput;
          const out = detectFailures(input);
          expect(Array.isArray(out)).toBe(true);
          for (const e of out) {
            expect(DETECTOR_KINDS).toContain(e.category);
            expect(e.span.from).toBeLessThanOrEqual(e.span.to);
          }
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });

  it('handles the odd but valid: no steps, null answers, imports with an empty log', () => {
    const empty = render(new Script(), { id: 'e', final: null }).trajectory;
    expect(() =>
      detectFailures({ trajectory: empty, passed: null, traps: [], entities: [], answerFormat: null }),
    ).not.toThrow();
    expect(
      detectFailures({ trajectory: empty, passed: null, traps: [], entities: [], answerFormat: null }).map(
        (e) => e.category,
      ),
    ).toEqual(['premature_termination']);
    // An import: failures only in the result text, no server log; the steps stand in for it.
    const imported = render(
      new Script()
        .call('history', { asset: 'AHU 1' }, fail('timeout', 'request timed out'))
        .call('history', { asset: 'AHU 1' }, fail('timeout', 'request timed out'))
        .call('history', { asset: 'AHU 1' }, fail('timeout', 'request timed out')),
      { id: 'imp', final: 'I could not read the history of AHU 1.', imported: true },
    ).trajectory;
    expect(imported.toolLog).toEqual([]);
    expect(
      detectFailures({ trajectory: imported, passed: null, traps: [], entities: [], answerFormat: null }).map(
        (e) => e.category,
      ),
    ).toEqual(['ineffective_error_recovery']);
    // A log with no steps at all: spans fall back to step 0.
    const logOnly = { ...imported, steps: [], toolLog: [] as Trajectory['toolLog'] };
    logOnly.toolLog = [
      {
        seq: 1,
        tool: 'latest',
        args: { asset: 'AHU 1' },
        ok: false,
        error: { code: 'timeout', message: 'latest timed out' },
        digest: 'x',
        resultRef: 'call-1',
        latencyMs: 1,
        fault: { kind: 'timeout', detail: 'timed out' },
        startedAt: '2024-03-05T12:00:00Z',
      },
    ];
    const ev = detectFailures({
      trajectory: logOnly,
      passed: null,
      traps: [],
      entities: [],
      answerFormat: null,
    });
    for (const e of ev) expect(e.span).toEqual({ from: 0, to: 0 });
  });
});

describe('on real baseline trajectories (tiny world, hostile faults)', () => {
  let ds: Dataset;
  let results: Array<{ s: Scenario; r: AttemptResult }>;

  beforeAll(async () => {
    ds = await openDataset((await tinyWorld()).dir);
    const suite = await generatedSuite(ds, { split: 'default', seed: 0 });
    results = [];
    for (const s of suite)
      results.push({ s, r: await runAttempt(ds, s, baselineAgent, { faults: 'hostile', seed: 1 }) });
  }, 120_000);

  afterAll(() => ds?.close());

  const inputOf = ({ s, r }: { s: Scenario; r: AttemptResult }): AnalysisInput => {
    const e = scenarioEntities(s);
    return {
      trajectory: r.trajectory,
      passed: r.grade.needsJudge ? null : r.grade.pass,
      traps: s.traps.map((t) => t.kind),
      entities: [...e.assets, ...e.sites, ...e.sensors],
      // The description with the JSON shape, so the format check has keys to check.
      answerFormat: s.answerFormat.jsonShape
        ? `${s.answerFormat.description} JSON: ${JSON.stringify(s.answerFormat.jsonShape)}`
        : s.answerFormat.description,
    };
  };

  it('runs over every trajectory, and clean passing ones produce few events', () => {
    expect(results.length).toBeGreaterThan(100);
    const byKind: Record<string, number> = {};
    const cleanByKind: Record<string, number> = {};
    let clean = 0;
    let cleanWithEvents = 0;
    let faulted = 0;
    let faultedWithEvents = 0;
    for (const x of results) {
      const ev = detectFailures(inputOf(x));
      for (const e of ev) byKind[e.category] = (byKind[e.category] ?? 0) + 1;
      const hasFault = x.r.trajectory.toolLog.some((l) => l.fault !== null);
      if (x.r.grade.pass && !hasFault) {
        clean++;
        if (ev.length > 0) cleanWithEvents++;
        for (const e of ev) cleanByKind[e.category] = (cleanByKind[e.category] ?? 0) + 1;
      }
      if (hasFault) {
        faulted++;
        if (ev.length > 0) faultedWithEvents++;
      }
    }
    console.log(
      `baseline, hostile: ${results.length} trajectories, events by kind ${JSON.stringify(byKind)}\n` +
        `  clean passing (no fault): ${clean}, with any event: ${cleanWithEvents} ${JSON.stringify(cleanByKind)}\n` +
        `  with an injected fault: ${faulted}, with any event: ${faultedWithEvents}`,
    );
    expect(clean).toBeGreaterThan(50);
    // Few: at most one clean passing trajectory in twenty shows anything.
    expect(cleanWithEvents / clean).toBeLessThanOrEqual(0.05);
    // And the detectors do see the hostile profile's faults somewhere.
    expect(faultedWithEvents).toBeGreaterThan(0);
  });
});
