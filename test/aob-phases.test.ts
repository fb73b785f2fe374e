// Competition phase files: the evaluation phase (copied from the public repository) pairs with
// the development phase by paired_with, and a paired run reports how consistently one agent did.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAob } from '../src/dataset/aob/import.ts';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { loadAobScenarios } from '../src/scenarios/aob/load.ts';
import {
  aobPairs,
  pairAgreement,
  pairAgreementByGroup,
  pairAgreementLine,
} from '../src/scenarios/aob/pairs.ts';
import { formsOf, readAobFile, readItems } from '../src/scenarios/aob/published.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
import { UserError } from '../src/util/errors.ts';
import { aobData } from './support/aob-data.ts';

const PHASE2 = join(import.meta.dirname, 'fixtures', 'aob', 'phase2_evaluation_scenarios.jsonl');

describe('AssetOpsBench competition phases', () => {
  it('reads phase 2 beside phase 1 and pairs every item by paired_with, both ways', () => {
    const { items, sources } = readItems(aobData(), [PHASE2]);
    expect(sources.phases).toHaveLength(2);
    const dev = items.filter((i) => i.phase === 'development');
    const evaluation = items.filter((i) => i.phase === 'evaluation');
    expect([items.length, dev.length, evaluation.length]).toEqual([141 + 11 + 11, 11, 11]);
    const byId = new Map(items.map((i) => [i.id, i]));
    for (const e of evaluation) {
      const twin = byId.get(e.pairedWith ?? '');
      expect(twin?.phase, e.id).toBe('development');
      expect(twin?.pairedWith, e.id).toBe(e.id);
    }
    // Paired by paired_with, not by number: Q7 rewords Q5, Q108 rewords Q106.
    expect(byId.get('Q7')?.pairedWith).toBe('Q5');
    expect(byId.get('Q5')?.pairedWith).toBe('Q7');
    expect(byId.get('Q108')?.pairedWith).toBe('Q106');
    // The judge's guide is the original item of the same number.
    expect(byId.get('Q107')?.form).toBe(byId.get('107')?.form);
    // Read once, whether found beside the data or passed by path.
    expect(readItems(aobData(), [PHASE2, PHASE2]).items).toHaveLength(163);
    expect(() => readItems(aobData(), ['/no/such/phase.jsonl'])).toThrow(/no AssetOpsBench phase file/);
  });

  it('reports pair agreement and score difference for one agent', () => {
    const { items } = readItems(aobData(), [PHASE2]);
    const scenarios = items
      .filter((i) => i.phase !== null)
      .map(
        (i) =>
          ({
            id: `aob-${i.id}`,
            provenance: { aob: { phase: i.phase, pairedWith: i.pairedWith ? `aob-${i.pairedWith}` : null } },
          }) as unknown as Scenario,
      );
    const pairs = aobPairs(scenarios);
    expect(pairs).toHaveLength(11);
    expect(pairs).toContainEqual({ development: 'aob-Q5', evaluation: 'aob-Q7' });
    const outcomes = new Map<string, { pass: boolean; score: number }>();
    pairs.forEach((p, i) => {
      outcomes.set(p.development, { pass: true, score: 1 });
      // Two of eleven rewordings fail.
      outcomes.set(p.evaluation, i < 2 ? { pass: false, score: 0.4 } : { pass: true, score: 1 });
    });
    const a = pairAgreement(pairs, outcomes);
    expect(a.pairs).toBe(11);
    expect(a.agreement).toBeCloseTo(9 / 11, 12);
    expect(a.meanScoreDifference).toBeCloseTo((2 * 0.6) / 11, 12);
    expect(a.meanScoreShift).toBeCloseTo((-2 * 0.6) / 11, 12);
    expect(pairAgreementLine(a)).toBe(
      'pair agreement 9/11 (82%), mean score difference 0.11 (evaluation minus development -0.11)',
    );
    expect(pairAgreement(pairs, new Map()).pairs).toBe(0);
  });
});

describe('pair agreement per agent, model and suite', () => {
  const scenario = (id: string, phase: string, twin: string) =>
    ({ id, provenance: { aob: { phase, pairedWith: twin } } }) as unknown as Scenario;
  const plain = (id: string) => ({ id, provenance: {} }) as unknown as Scenario;
  const scenarios = [
    { suite: 'aob', scenario: scenario('aob-Q5', 'development', 'aob-Q7') },
    { suite: 'aob', scenario: scenario('aob-Q7', 'evaluation', 'aob-Q5') },
    { suite: 'default', scenario: plain('iot-1') },
  ];
  const row = (agent: string, scenarioId: string, pass: boolean, score: number, suite = 'aob') => ({
    agent,
    model: null,
    suite,
    scenarioId,
    pass,
    score,
  });

  it('one group per agent on a suite with pairs; trials: mean score, pass by majority', () => {
    const groups = pairAgreementByGroup(scenarios, [
      row('a', 'aob-Q5', true, 1),
      row('a', 'aob-Q7', true, 0.9),
      row('a', 'aob-Q7', false, 0.5),
      row('a', 'aob-Q7', true, 0.7),
      row('b', 'aob-Q5', true, 1),
      row('b', 'aob-Q7', false, 0.2),
      row('b', 'iot-1', true, 1, 'default'),
    ]);
    expect(groups.map((g) => [g.agent, g.suite])).toEqual([
      ['a', 'aob'],
      ['b', 'aob'],
    ]);
    expect(groups[0].agreement).toMatchObject({ pairs: 1, agreement: 1 });
    expect(groups[0].agreement.meanScoreShift).toBeCloseTo(-0.3, 12);
    expect(groups[1].agreement).toMatchObject({ pairs: 1, agreement: 0 });
    expect(pairAgreementByGroup(scenarios, [row('b', 'iot-1', true, 1, 'default')])).toEqual([]);
  });
});

describe('reading one AssetOpsBench scenario file', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'aob-file-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('tells the three published shapes apart', () => {
    const scenarios = join(aobData(), 'scenarios');
    const all = readAobFile(join(scenarios, 'all_utterance.jsonl'));
    expect([all.kind, all.items.length]).toEqual(['utterances', 141]);
    const wo = readAobFile(join(scenarios, 'single_agent', 'wo_utterance.json'));
    expect([wo.kind, wo.items.length, wo.items[0].id]).toEqual(['per-agent', 36, '400']);
    expect(wo.items[0].form).toMatch(/33 records/);
    const p2 = readAobFile(PHASE2, formsOf(all.items));
    expect([p2.kind, p2.items.length]).toEqual(['competition', 11]);
    expect(p2.items.find((i) => i.id === 'Q107')?.form).toBe(all.items.find((i) => i.id === '107')?.form);
  });

  it('names the line and the fix of a malformed file', async () => {
    const bad = join(tmp, 'bad.jsonl');
    await writeFile(bad, '{"id": 1, "text": "What IoT sites are available?"}\n{"id": 2, "text": "x"\n');
    const err = (() => {
      try {
        readAobFile(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/bad\.jsonl, line 2 is not valid JSON/);
    expect((err as UserError).hint).toMatch(/Fix that line/);
    const noText = join(tmp, 'notext.jsonl');
    await writeFile(noText, '\n\n{"id": "Q1", "phase": "evaluation"}\n');
    expect(() => readAobFile(noText)).toThrow(/notext\.jsonl, line 3 has no utterance or text/);
    const arr = join(tmp, 'arr.json');
    await writeFile(arr, '[{"id": 1, "text": "a"}, 7]');
    expect(() => readAobFile(arr)).toThrow(/arr\.json, item 2 is not a JSON object/);
    expect(() => readAobFile(join(tmp, 'missing.jsonl'))).toThrow(/no AssetOpsBench scenario file/);
    const empty = join(tmp, 'empty.jsonl');
    await writeFile(empty, '\n');
    expect(() => readAobFile(empty)).toThrow(/holds no scenarios/);
    const twice = join(tmp, 'twice.jsonl');
    await writeFile(twice, '{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n');
    expect(() => readAobFile(twice)).toThrow(/id 1 occurs twice/);
  });

  it('refuses a non-phase file as a phase file, naming what to do instead', () => {
    const wo = join(aobData(), 'scenarios', 'single_agent', 'wo_utterance.json');
    expect(() => readItems(aobData(), [wo])).toThrow(/not a competition phase file/);
  });
});

describe('aob:FILE: the aob suite cut to one file', () => {
  let tmp: string;
  let ds: Dataset;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'aob-only-'));
    await importAob(aobData(), join(tmp, 'aob'), {});
    ds = await openDataset(join(tmp, 'aob'));
  });
  afterAll(async () => {
    ds?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('a phase file: its items and the twin of each from the other phase, all paired', async () => {
    const { scenarios } = await loadAobScenarios(aobData(), ds, { only: PHASE2 });
    expect(scenarios).toHaveLength(22);
    expect(scenarios.filter((s) => s.provenance.aob?.phase === 'evaluation')).toHaveLength(11);
    expect(aobPairs(scenarios)).toHaveLength(11);
    // The same scenarios as in the whole suite with the phase added.
    const whole = await loadAobScenarios(aobData(), ds, { phaseFiles: [PHASE2] });
    const byId = new Map(whole.scenarios.map((s) => [s.id, s]));
    for (const s of scenarios) expect(s, s.id).toEqual(byId.get(s.id));
  });

  it('a per-agent file: its own items, as it has them', async () => {
    const wo = join(aobData(), 'scenarios', 'single_agent', 'wo_utterance.json');
    const { scenarios } = await loadAobScenarios(aobData(), ds, { only: wo });
    expect(scenarios).toHaveLength(36);
    expect(scenarios.every((s) => s.family === 'workorder' && /^aob-4\d\d$/.test(s.id))).toBe(true);
  });
});
