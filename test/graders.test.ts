// Graders for typed expected answers: one pass and one fail per type, the lenient coercions agents
// need (numbers in text, aliases, wrappers), and a property that no answer makes a grader throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  grade,
  gradeBoolean,
  gradeCount,
  gradeEntity,
  gradeForecast,
  gradeFreeText,
  gradeNumber,
  gradeRanking,
  gradeRecord,
  gradeSet,
  gradeTimeWindow,
  kendallTauB,
  numbersInText,
  parseTimestamp,
} from '../src/scenarios/graders.ts';
import {
  type ExpectedAnswer,
  type ExpectedAnswerInput,
  ExpectedAnswerSchema,
} from '../src/scenarios/schema.ts';

/** Expected answers go through the schema, so defaults (aliases, minF1...) are as in scenarios. */
function exp<T extends ExpectedAnswer['type']>(
  input: ExpectedAnswerInput & { type: T },
): Extract<ExpectedAnswer, { type: T }> {
  return ExpectedAnswerSchema.parse(input) as Extract<ExpectedAnswer, { type: T }>;
}

describe('count', () => {
  const e = exp({ type: 'count', value: 33 });

  it('passes on the number, in text, or wrapped', () => {
    for (const a of [
      33,
      '33',
      '33 work orders',
      'There are 33.',
      { answer: 33 },
      { value: '33' },
      [33],
      '"33"',
    ]) {
      expect(gradeCount(e, a), JSON.stringify(a)).toMatchObject({ pass: true, score: 1 });
    }
    expect(grade(e, '```json\n{"answer": 33}\n```').pass).toBe(true);
  });

  it('fails on another count, with the numbers in the detail', () => {
    const r = gradeCount(e, 34);
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.detail).toMatch(/33.*34/);
  });

  it('fails as ambiguous when the text holds several numbers', () => {
    const r = gradeCount(e, '33 or 34');
    expect(r.pass).toBe(false);
    expect(r.detail).toMatch(/ambiguous/);
    // The same number twice is not ambiguous.
    expect(gradeCount(e, '33 (33 in total)').pass).toBe(true);
  });

  it('fails on a fraction and on text without a number', () => {
    expect(gradeCount(e, 33.5).detail).toMatch(/whole number/);
    expect(gradeCount(e, 'thirty-three').detail).toMatch(/no number/);
  });
});

describe('numbers in text', () => {
  it('reads thousands separators, signs and units', () => {
    expect(numbersInText('1,234.5 kWh')).toEqual([1234.5]);
    expect(numbersInText('0.62 kW/ton')).toEqual([0.62]);
    expect(numbersInText('-5 degC')).toEqual([-5]);
    expect(numbersInText('CO2 at 400 ppm')).toEqual([400]);
    expect(numbersInText('3-4 orders')).toEqual([3, 4]);
    expect(numbersInText('33,34')).toEqual([33, 34]);
  });
});

describe('number', () => {
  const e = exp({ type: 'number', value: 0.62, tolerance: { abs: 0.01 }, unit: 'kW/ton' });

  it('passes within the absolute tolerance, from text with a unit', () => {
    expect(gradeNumber(e, '0.62 kW/ton')).toMatchObject({ pass: true, score: 1 });
    expect(gradeNumber(e, 0.629).pass).toBe(true);
    expect(gradeNumber(e, { value: 0.615, unit: 'kW/ton' }).pass).toBe(true);
  });

  it('fails outside it with linear partial credit', () => {
    const r = gradeNumber(e, 0.65);
    expect(r.pass).toBe(false);
    // err 0.03, allowed 0.01: 1 - 0.03 / 0.1
    expect(r.score).toBeCloseTo(0.7, 6);
    expect(gradeNumber(e, 5).score).toBe(0);
  });

  it('uses the relative tolerance and reads thousands separators', () => {
    const big = exp({ type: 'number', value: 1234.5, tolerance: { rel: 0.01 } });
    expect(gradeNumber(big, '1,234.5').pass).toBe(true);
    expect(gradeNumber(big, '1,240 kWh').pass).toBe(true);
    expect(gradeNumber(big, 1300).pass).toBe(false);
  });

  it('needs an exact answer without tolerance, up to float noise', () => {
    const exact = exp({ type: 'number', value: 0.3, tolerance: {} });
    expect(gradeNumber(exact, 0.1 + 0.2).pass).toBe(true);
    expect(gradeNumber(exact, 0.31)).toMatchObject({ pass: false, score: 0 });
  });
});

describe('entity', () => {
  const e = exp({ type: 'entity', value: 'Chiller 6', aliases: ['CWC04006'] });

  it('passes ignoring case, spaces, underscores and hyphens, and on aliases', () => {
    for (const a of ['Chiller 6', 'chiller_6', 'CHILLER-6', ' chiller6. ', 'cwc04006', ['Chiller 6']]) {
      expect(gradeEntity(e, a).pass, JSON.stringify(a)).toBe(true);
    }
  });

  it('fails on another entity or a non-name', () => {
    expect(gradeEntity(e, 'Chiller 9')).toMatchObject({ pass: false, score: 0 });
    expect(gradeEntity(e, 'Chiller 6 and Chiller 9').pass).toBe(false);
    expect(gradeEntity(e, { name: 'Chiller 6' }).detail).toMatch(/is not a name/);
  });
});

describe('set', () => {
  const e = exp({
    type: 'set',
    values: ['Chiller 6', 'Chiller 9', 'AHU 1'],
    aliases: { 'AHU 1': ['AHU-01'] },
  });

  it('passes on the same set in any order, spelling, alias or list form', () => {
    expect(gradeSet(e, ['chiller 9', 'AHU-01', 'Chiller_6'])).toMatchObject({ pass: true, score: 1 });
    expect(gradeSet(e, 'Chiller 6, Chiller 9, AHU 1').pass).toBe(true);
    expect(gradeSet(e, '- Chiller 6\n- Chiller 9\n- AHU 1\n').pass).toBe(true);
    expect(gradeSet(e, '["Chiller 6", "Chiller 9", "AHU 1", "chiller-6"]').pass).toBe(true);
  });

  it('gives F1 as partial credit and lists missing and extra items', () => {
    const r = gradeSet(e, ['Chiller 6', 'Chiller 9', 'Boiler 1']);
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(2 / 3, 6);
    expect(r.detail).toMatch(/missing AHU 1/);
    expect(r.detail).toMatch(/extra Boiler 1/);
    const lenient = exp({ type: 'set', values: ['Chiller 6', 'Chiller 9', 'AHU 1'], minF1: 0.6 });
    expect(gradeSet(lenient, ['Chiller 6', 'Chiller 9', 'Boiler 1']).pass).toBe(true);
  });

  it('handles the empty set', () => {
    const empty = exp({ type: 'set', values: [] });
    expect(gradeSet(empty, []).pass).toBe(true);
    expect(gradeSet(empty, 'none').pass).toBe(true);
    expect(gradeSet(empty, ['Chiller 6'])).toMatchObject({ pass: false, score: 0 });
  });

  it('fails on a list of objects', () => {
    expect(gradeSet(e, [{ asset: 'Chiller 6' }]).detail).toMatch(/item 1/);
  });
});

describe('ranking', () => {
  const values = ['A', 'B', 'C', 'D'];

  it('computes Kendall tau-b', () => {
    expect(kendallTauB([0, 1, 2, 3], [0, 1, 2, 3])).toBe(1);
    expect(kendallTauB([0, 1, 2, 3], [3, 2, 1, 0])).toBe(-1);
    expect(kendallTauB([0, 1, 2, 3], [1, 0, 2, 3])).toBeCloseTo(4 / 6, 9);
  });

  it('passes on the same order', () => {
    const e = exp({ type: 'ranking', values, metric: 'kendall', threshold: 0.8 });
    expect(gradeRanking(e, 'a\nb\nc\nd')).toMatchObject({ pass: true, score: 1 });
    expect(gradeRanking(e, '1. A\n2. B\n3. C\n4. D').pass).toBe(true);
  });

  it('gives tau < 1 for a swapped pair', () => {
    const strict = exp({ type: 'ranking', values, metric: 'kendall', threshold: 0.8 });
    const r = gradeRanking(strict, ['B', 'A', 'C', 'D']);
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo((4 / 6 + 1) / 2, 6);
    expect(r.detail).toMatch(/tau 0\.6667/);
    const loose = exp({ type: 'ranking', values, metric: 'kendall', threshold: 0.5 });
    expect(gradeRanking(loose, ['B', 'A', 'C', 'D']).pass).toBe(true);
  });

  it('scales by coverage and fails when items are missing', () => {
    const e = exp({ type: 'ranking', values, metric: 'kendall', threshold: 0 });
    const r = gradeRanking(e, ['A', 'B', 'C', 'X']);
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(0.75, 6);
    expect(r.detail).toMatch(/missing D/);
    expect(gradeRanking(e, ['A'])).toMatchObject({ pass: false, score: 0 });
  });

  it('top-k counts the overlap of the first k in any order', () => {
    const e = exp({ type: 'ranking', values, metric: 'topk', k: 2, threshold: 1 });
    expect(gradeRanking(e, ['B', 'A', 'D'])).toMatchObject({ pass: true, score: 1 });
    const r = gradeRanking(e, ['A', 'X', 'B']);
    expect(r).toMatchObject({ pass: false, score: 0.5 });
  });
});

describe('time_window', () => {
  it('parses ISO and "YYYY-MM-DD HH:MM" as UTC, and refuses impossible dates', () => {
    const t = Date.UTC(2024, 4, 1, 10, 0) / 1000;
    expect(parseTimestamp('2024-05-01 10:00')).toBe(t);
    expect(parseTimestamp('2024-05-01T10:00:00Z')).toBe(t);
    expect(parseTimestamp('2024-05-01T12:00:00+02:00')).toBe(t);
    expect(parseTimestamp('2024-02-30 10:00')).toBeNull();
    expect(parseTimestamp(1714557600)).toBeNull();
  });

  const stamp = exp({
    type: 'time_window',
    start: '2024-05-01T10:00:00Z',
    end: null,
    mode: 'timestamp',
    toleranceMinutes: 30,
  });

  it('timestamp mode passes within the tolerance', () => {
    expect(gradeTimeWindow(stamp, '2024-05-01 10:20')).toMatchObject({ pass: true, score: 1 });
    expect(gradeTimeWindow(stamp, { start: '2024-05-01T09:45:00Z', end: '2024-05-01T11:00:00Z' }).pass).toBe(
      true,
    );
  });

  it('timestamp mode fails beyond it, decaying to 0 at 10x', () => {
    const r = gradeTimeWindow(stamp, '2024-05-01T12:00:00Z');
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(1 - 120 / 300, 6);
    expect(gradeTimeWindow(stamp, '2024-05-02T10:00:00Z').score).toBe(0);
    expect(gradeTimeWindow(stamp, 'yesterday').detail).toMatch(/not a timestamp|neither/);
  });

  const window = exp({
    type: 'time_window',
    start: '2024-05-01T10:00:00Z',
    end: '2024-05-01T14:00:00Z',
    mode: 'overlap',
    toleranceMinutes: 15,
  });

  it('overlap mode passes when edges are within the tolerance', () => {
    const r = gradeTimeWindow(window, { start: '2024-05-01 10:10', end: '2024-05-01 13:50' });
    expect(r).toMatchObject({ pass: true, score: 1 });
    expect(gradeTimeWindow(window, '2024-05-01T11:00:00Z/2024-05-01T14:00:00Z').score).toBeCloseTo(0.75, 6);
  });

  it('overlap mode fails on a small overlap with IoU as the score', () => {
    const r = gradeTimeWindow(window, ['2024-05-01T12:00:00Z', '2024-05-01T16:00:00Z']);
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(2 / 6, 6);
    expect(r.detail).toMatch(/IoU/);
    expect(
      gradeTimeWindow(window, { start: '2024-05-01T14:00:00Z', end: '2024-05-01T10:00:00Z' }).detail,
    ).toMatch(/before it starts/);
  });
});

describe('forecast', () => {
  const actual = Array.from({ length: 10 }, (_, i) => ({
    ts: new Date(Date.UTC(2024, 4, 1, i)).toISOString().replace('.000Z', 'Z'),
    value: 100 + i,
  }));
  const e = exp({
    type: 'forecast',
    asset: 'Chiller 6',
    sensor: 'Tonnage',
    actual,
    naiveMae: 2,
    maxRelativeMae: 1.5,
  });

  it('passes a perfect answer in any of the accepted shapes', () => {
    expect(gradeForecast(e, actual)).toMatchObject({ pass: true, score: 1 });
    const spelled = actual.map((p) => ({
      timestamp: p.ts.replace('Z', '.000+00:00'),
      mean: String(p.value),
    }));
    expect(gradeForecast(e, { forecast: spelled }).pass).toBe(true);
    expect(grade(e, JSON.stringify({ answer: { forecast: actual } })).pass).toBe(true);
  });

  it('fails a shifted answer', () => {
    const shifted = actual.map((p) => ({ ts: p.ts, value: p.value + 10 }));
    const r = gradeForecast(e, shifted);
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.detail).toMatch(/MAE 10/);
    // MAE 4 against a bound of 3: partial credit 1 - (4/3 - 1).
    const near = gradeForecast(
      e,
      actual.map((p) => ({ ts: p.ts, value: p.value - 4 })),
    );
    expect(near.pass).toBe(false);
    expect(near.score).toBeCloseTo(2 / 3, 6);
  });

  it('fails when under 80% of the points are covered', () => {
    const r = gradeForecast(e, actual.slice(0, 7));
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(0.7, 6);
    expect(gradeForecast(e, 'rising').pass).toBe(false);
  });

  it('with a zero naive MAE needs a near-exact forecast', () => {
    const flat = exp({ ...e, naiveMae: 0 });
    expect(gradeForecast(flat, actual).pass).toBe(true);
    expect(
      gradeForecast(
        flat,
        actual.map((p) => ({ ts: p.ts, value: p.value + 5 })),
      ).pass,
    ).toBe(false);
  });
});

describe('boolean', () => {
  const e = exp({ type: 'boolean', value: true });

  it('passes on true and yes', () => {
    for (const a of [true, 'yes', 'Yes.', 'TRUE', { answer: 'yes' }])
      expect(gradeBoolean(e, a).pass).toBe(true);
  });

  it('fails on no and on anything else', () => {
    expect(gradeBoolean(e, 'no')).toMatchObject({ pass: false, score: 0 });
    expect(gradeBoolean(e, false).pass).toBe(false);
    expect(gradeBoolean(e, 'maybe').detail).toMatch(/not yes\/no/);
    expect(gradeBoolean(e, 1).pass).toBe(false);
  });
});

describe('free_text', () => {
  it('never passes on its own and asks for the judge', () => {
    const e = exp({ type: 'free_text', characteristic: 'names the fouled condenser' });
    expect(gradeFreeText(e, 'anything')).toEqual({
      pass: false,
      score: 0,
      needsJudge: true,
      detail: 'free text: graded by the judge',
    });
  });
});

describe('record', () => {
  const e = exp({
    type: 'record',
    fields: {
      work_orders: { type: 'count', value: 33 },
      asset: { type: 'entity', value: 'Chiller 6' },
      overdue: { type: 'boolean', value: false },
    },
  });

  it('passes when every field passes, with loose field names', () => {
    const r = gradeRecord(e, { 'Work Orders': '33 orders', ASSET: 'chiller_6', overdue: 'no', note: 'x' });
    expect(r).toMatchObject({ pass: true, score: 1 });
  });

  it('fails with one wrong field and names it', () => {
    const r = gradeRecord(e, { workOrders: 34, asset: 'Chiller 6', overdue: false });
    expect(r.pass).toBe(false);
    expect(r.score).toBeCloseTo(2 / 3, 6);
    expect(r.detail).toMatch(/failing: work_orders/);
    expect(r.detail).not.toMatch(/asset \(/);
  });

  it('fails on missing fields and non-objects', () => {
    expect(gradeRecord(e, { asset: 'Chiller 6' }).detail).toMatch(/work_orders \(missing\)/);
    expect(gradeRecord(e, 33).detail).toMatch(/got 33/);
    expect(gradeRecord(e, { answer: { work_orders: 33, asset: 'Chiller 6', overdue: false } }).pass).toBe(
      true,
    );
  });

  it('marks a record with a free-text field as needing the judge', () => {
    const mixed = exp({
      type: 'record',
      fields: { count: { type: 'count', value: 1 }, why: { type: 'free_text', characteristic: 'x' } },
    });
    expect(gradeRecord(mixed, { count: 1, why: 'because' }).needsJudge).toBe(true);
  });
});

// A handful of expected answers, one per type, for the garbage and property tests.
const EXPECTED: ExpectedAnswer[] = [
  exp({ type: 'count', value: 3 }),
  exp({ type: 'number', value: 10, tolerance: { rel: 0.1 } }),
  exp({ type: 'entity', value: 'Pump 1' }),
  exp({ type: 'set', values: ['a', 'b'] }),
  exp({ type: 'ranking', values: ['a', 'b', 'c'], metric: 'kendall', threshold: 0.5 }),
  exp({ type: 'ranking', values: ['a', 'b', 'c'], metric: 'topk', k: 2, threshold: 0.5 }),
  exp({
    type: 'time_window',
    start: '2024-05-01T00:00:00Z',
    end: null,
    mode: 'overlap',
    toleranceMinutes: 0,
  }),
  exp({
    type: 'forecast',
    asset: 'Pump 1',
    sensor: 'Flow',
    actual: [{ ts: '2024-05-01T00:00:00Z', value: 1 }],
    naiveMae: 0,
    maxRelativeMae: 1,
  }),
  exp({ type: 'boolean', value: false }),
  exp({ type: 'free_text', characteristic: 'x' }),
  exp({ type: 'record', fields: { a: { type: 'count', value: 1 }, b: { type: 'entity', value: 'x' } } }),
];

function deeplyNested(depth: number): unknown {
  let x: unknown = { answer: 1 };
  for (let i = 0; i < depth; i++) x = { value: x, list: [x] };
  return x;
}

function hugeObject(): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, { v: [i, String(i)] }]));
}

describe('garbage answers', () => {
  const circular: Record<string, unknown> = { answer: null };
  circular.answer = circular;
  const hostile = Object.defineProperty({}, 'answer', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  const garbage: unknown[] = [
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    '   ',
    {},
    [],
    [[[[]]]],
    () => 1,
    Symbol('s'),
    10n,
    circular,
    hostile,
    deeplyNested(2000),
    hugeObject(),
    'x'.repeat(2_000_000),
    `[${'1,'.repeat(10_000)}1]`,
  ];

  it('fails with a readable detail and never throws', () => {
    for (const expected of EXPECTED) {
      for (const answer of garbage) {
        const r = grade(expected, answer);
        expect(r.pass).toBe(false);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
        expect(r.detail.length).toBeGreaterThan(5);
        expect(r.detail.length).toBeLessThan(1000);
      }
    }
  });

  it('says what was wrong', () => {
    expect(grade(EXPECTED[0], undefined).detail).toMatch(/undefined/);
    expect(grade(EXPECTED[0], Number.NaN).detail).toMatch(/NaN is not a finite number/);
    expect(grade(EXPECTED[3], { a: 1 }).detail).toMatch(/not a list of names/);
    expect(grade(EXPECTED[0], hostile).detail).toMatch(/could not be graded: boom/);
  });
});

describe('property', () => {
  it('grade never throws and always scores in [0, 1] for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXPECTED), fc.jsonValue(), (expected, answer) => {
        const r = grade(expected, answer);
        expect(typeof r.pass).toBe('boolean');
        expect(typeof r.detail).toBe('string');
        expect(Number.isFinite(r.score)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
        if (r.pass) expect(r.score).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('also for JSON given as text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXPECTED), fc.json(), (expected, answer) => {
        const r = grade(expected, answer);
        expect(r.score >= 0 && r.score <= 1).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('record answers with a field named value', () => {
  it('are not mistaken for a {value: X} wrapper', async () => {
    const { grade } = await import('../src/scenarios/graders.ts');
    const expected = {
      type: 'record' as const,
      fields: {
        value: { type: 'number' as const, value: 5, tolerance: { abs: 0.1 } },
        unit: { type: 'entity' as const, value: 'kW', aliases: [] },
      },
    };
    expect(grade(expected, { answer: { value: 5, unit: 'kW' } }).pass).toBe(true);
    expect(grade(expected, { value: 5, unit: 'kW' }).pass).toBe(true);
  });
});
