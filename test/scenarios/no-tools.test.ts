// An agent that calls no tool and reads only the task (utterance, now, contract) must not
// score: under 5% of the non-trap scenarios, and on the traps no more than always giving the
// one best constant answer per contract would. If it does, the task leaks its answer.
// Also: yes/no templates have both answers in the suite, near balance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { grade } from '../../src/scenarios/graders.ts';
import type { Scenario } from '../../src/scenarios/schema.ts';
import { buildSuite } from '../../src/scenarios/suite.ts';
import { TEMPLATES } from '../../src/scenarios/templates/index.ts';
import { suiteBalance, yesNoOutcome } from '../../src/scenarios/validate.ts';
import { constantAnswers, noToolAnswer } from '../support/no-tool.ts';
import { tinyWorld } from '../support/worlds.ts';

let ds: Dataset;
let scenarios: Scenario[];

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  // The default suite's size, so that the figures are the suite's own.
  ({ scenarios } = await buildSuite(ds, { templates: TEMPLATES, count: 168, seed: 0, split: 'default' }));
});

afterAll(() => ds?.close());

describe('an agent that calls no tool', () => {
  it('answers under 5% of the non-trap scenarios, and no more traps than the best constant answer', () => {
    const traps = scenarios.filter((s) => s.traps.length > 0);
    const plain = scenarios.filter((s) => s.traps.length === 0);
    const right = (list: Scenario[]) => list.filter((s) => grade(s.expected, noToolAnswer(s)).pass);
    const plainRight = right(plain);
    const trapRight = right(traps);
    // The majority answer: per contract, the constant answer that is right most often.
    const byShape = new Map<string, Scenario[]>();
    for (const s of traps) {
      const k = JSON.stringify(s.answerFormat.jsonShape);
      byShape.set(k, [...(byShape.get(k) ?? []), s]);
    }
    let majority = 0;
    for (const [k, list] of byShape) {
      const best = Math.max(
        ...constantAnswers(JSON.parse(k)).map((a) => list.filter((s) => grade(s.expected, a).pass).length),
      );
      majority += best;
    }
    const share = plainRight.length / plain.length;
    console.info(
      `no-tool agent: non-traps ${plainRight.length}/${plain.length} (${(100 * share).toFixed(1)}%) right` +
        ` [${plainRight.map((s) => s.template).join(', ')}]; traps ${trapRight.length}/${traps.length}` +
        ` right, always-majority ${majority}/${traps.length}`,
    );
    expect(plain.length).toBeGreaterThan(100);
    expect(share).toBeLessThan(0.05);
    expect(trapRight.length).toBeLessThanOrEqual(majority);
  });
});

describe('yes/no answers across the suite', () => {
  it('every yes/no template has both answers, near balance', () => {
    const balance = suiteBalance(scenarios);
    expect(balance.invariant).toEqual([]);
    const byTemplate = new Map<string, boolean[]>();
    for (const s of scenarios) {
      const o = yesNoOutcome(s);
      if (o !== null) byTemplate.set(s.template, [...(byTemplate.get(s.template) ?? []), o]);
    }
    const lines: string[] = [];
    for (const [t, outcomes] of byTemplate) {
      const yes = outcomes.filter(Boolean).length;
      lines.push(`${t} ${yes} yes / ${outcomes.length - yes} no`);
      // Near balance: neither answer under a quarter, once there are enough instances to tell.
      if (outcomes.length >= 4)
        expect(Math.min(yes, outcomes.length - yes) / outcomes.length, t).toBeGreaterThanOrEqual(0.25);
    }
    const { traps } = balance;
    console.info(
      `yes/no templates: ${lines.join('; ')}; traps ${traps.total}: yes ${traps.yes}, no ${traps.no}, other ${traps.other}`,
    );
  });

  it('validation flags a template whose answer never varies', () => {
    const s = scenarios.find((x) => x.expected.type === 'boolean') as Scenario;
    const same = [0, 1, 2].map((i) => ({
      ...s,
      id: `${s.id}-${i}`,
      expected: { type: 'boolean' as const, value: false },
    }));
    expect(suiteBalance(same).invariant).toEqual([{ template: s.template, instances: 3, value: false }]);
  });
});
