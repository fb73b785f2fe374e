// A diagnosis is graded against the failure mode the episode really had: another mode linked
// to the same sensor is a wrong answer, and episodes whose candidates the data cannot tell
// apart (the same sensors) are not asked about.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { grade } from '../../src/scenarios/graders.ts';
import { buildSuite } from '../../src/scenarios/suite.ts';
import { E2E_TEMPLATES } from '../../src/scenarios/templates/e2e.ts';
import { tinyWorld } from '../support/worlds.ts';

let ds: Dataset;
beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
});
afterAll(() => ds?.close());

describe('e2e-detect-diagnose-act', () => {
  it('accepts the true mode only, and asks only where the sensors can tell the candidates apart', async () => {
    const t = E2E_TEMPLATES.find((x) => x.id === 'e2e-detect-diagnose-act');
    if (!t) throw new Error('template missing');
    const { scenarios } = await buildSuite(ds, {
      templates: [t],
      count: 4,
      seed: 3,
      split: 'test',
      attempts: 30,
    });
    expect(scenarios.length).toBeGreaterThan(0);
    for (const s of scenarios) {
      if (s.expected.type !== 'record') throw new Error('expected a record');
      const answer = s.expected.fields.answer;
      if (answer.type !== 'entity') throw new Error('expected an entity');
      // The answer's only other spelling is the mode's own id.
      expect(answer.aliases ?? []).toHaveLength(1);
      const [truth] = await ds.query<{ asset_class: string; name: string }>(
        'select asset_class, name from failure_modes where failure_mode_id = $id',
        { id: (answer.aliases ?? [])[0] },
      );
      expect(truth?.name).toBe(answer.value);
      // Every other mode of the class, those linked to the same sensor included, is wrong.
      const others = await ds.query<{ name: string }>(
        'select name from failure_modes where asset_class = $c and name <> $n',
        { c: truth.asset_class, n: truth.name },
      );
      expect(others.length).toBeGreaterThan(0);
      for (const o of others) {
        const g = grade(s.expected, JSON.stringify({ answer: o.name, priority: 2 }));
        expect(g.pass, `${o.name} accepted for ${answer.value}`).toBe(false);
      }
      expect(grade(s.expected, JSON.stringify({ answer: answer.value, priority: 2 })).pass).toBe(true);
    }
  });
});
