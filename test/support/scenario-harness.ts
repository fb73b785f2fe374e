// Shared checks for scenario templates: on the tiny world, each template must yield valid
// scenarios whose expected answer (the SQL reference solver) equals what the reference
// plan reaches through the tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { ScenarioSchema } from '../../src/scenarios/schema.ts';
import { buildSuite } from '../../src/scenarios/suite.ts';
import type { ScenarioTemplate } from '../../src/scenarios/template.ts';
import { validateScenario } from '../../src/scenarios/validate.ts';
import { tinyWorld } from './worlds.ts';

export function checkTemplates(name: string, templates: ScenarioTemplate[]): void {
  let ds: Dataset;
  beforeAll(async () => {
    ds = await openDataset((await tinyWorld(7)).dir);
  });
  afterAll(() => ds?.close());

  describe(name, () => {
    for (const t of templates) {
      it(`${t.id} yields valid, solvable scenarios on the tiny world`, async () => {
        const { scenarios } = await buildSuite(ds, {
          templates: [t],
          count: 3,
          seed: 1,
          split: 'test',
          attempts: 12,
        });
        expect(scenarios.length, `${t.id} produced no scenario`).toBeGreaterThan(0);
        for (const s of scenarios) {
          // Through JSON and back unchanged: what a suite file stores is the scenario itself.
          expect(ScenarioSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
          expect(s.utterance.length).toBeGreaterThan(10);
          expect(s.referencePlan.length).toBeGreaterThan(0);
          const v = await validateScenario(ds, s, t.answerFromPlan, { predictive: t.predictive === true });
          expect(v.problems, `${s.id}: ${s.utterance}`).toEqual([]);
        }
      });
    }
  });
}
