// Competition phase files: the evaluation phase (copied from the public repository) pairs with
// the development phase by paired_with, and a paired run reports how consistently one agent did.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aobPairs, pairAgreement, pairAgreementLine } from '../src/scenarios/aob/pairs.ts';
import { readItems } from '../src/scenarios/aob/published.ts';
import type { Scenario } from '../src/scenarios/schema.ts';
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
