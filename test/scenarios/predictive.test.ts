// Forecast scenarios are graded against the real future and never chosen by how well our own
// forecaster does: validation of a predictive scenario does not fail when the reference
// forecast misses, only when it gives nothing; every other scenario must still agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { buildSuite } from '../../src/scenarios/suite.ts';
import { FORECAST_TEMPLATES } from '../../src/scenarios/templates/forecast.ts';
import { validateScenario } from '../../src/scenarios/validate.ts';
import { tinyWorld } from '../support/worlds.ts';

let ds: Dataset;
beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
});
afterAll(() => ds?.close());

describe('predictive scenarios', () => {
  it('are the forecast templates that read the hold-out, and a missed forecast is not a fault', async () => {
    const predictive = FORECAST_TEMPLATES.filter((t) => t.predictive);
    expect(predictive.map((t) => t.id).sort()).toEqual([
      'forecast-exceed-limit',
      'forecast-next-24h',
      'forecast-peak-hour',
      'forecast-tomorrow-kw-per-ton',
    ]);
    const t = FORECAST_TEMPLATES.find((x) => x.id === 'forecast-exceed-limit');
    if (!t) throw new Error('template missing');
    const { scenarios } = await buildSuite(ds, {
      templates: [t],
      count: 2,
      seed: 5,
      split: 'test',
      attempts: 20,
    });
    expect(scenarios.length).toBeGreaterThan(0);
    const s = scenarios[0];
    if (s.expected.type !== 'boolean') throw new Error('expected a boolean');
    // The future went the other way from what the reference forecast says.
    const plan = await validateScenario(ds, s, t.answerFromPlan, { predictive: true });
    const flipped = { ...s, expected: { ...s.expected, value: plan.planAnswer !== true } };
    const asForecast = await validateScenario(ds, flipped, t.answerFromPlan, { predictive: true });
    expect(asForecast.ok).toBe(true);
    expect(asForecast.grade?.pass).toBe(false);
    // The same disagreement in a scenario the tools can compute is a bug in one of them.
    const asComputed = await validateScenario(ds, flipped, t.answerFromPlan);
    expect(asComputed.ok).toBe(false);
    // A plan that yields no forecast is a problem either way.
    const none = await validateScenario(ds, s, () => undefined, { predictive: true });
    expect(none.problems).toEqual(['the plan gave no forecast to read']);
  });
});
