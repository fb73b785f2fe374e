// The scenario format: round trip through JSONL, JSON Schema export, clear errors for
// malformed files, and validation that catches a corrupted expected answer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { parseScenarioLines, readScenarioFile, toJsonl, writeScenarioFile } from '../../src/scenarios/io.ts';
import { type Scenario, ScenarioSchema, scenarioJsonSchema } from '../../src/scenarios/schema.ts';
import { buildSuite } from '../../src/scenarios/suite.ts';
import { IOT_TEMPLATES } from '../../src/scenarios/templates/iot.ts';
import { validateScenario } from '../../src/scenarios/validate.ts';
import { UserError } from '../../src/util/errors.ts';
import { tempDir, tinyWorld } from '../support/worlds.ts';

let ds: Dataset;
let scenarios: Scenario[];

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  scenarios = (await buildSuite(ds, { templates: IOT_TEMPLATES, count: 6, seed: 3, split: 'test' }))
    .scenarios;
});

afterAll(() => ds?.close());

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('scenario format', () => {
  it('round-trips through JSONL unchanged', async () => {
    const file = join(tempDir(), 's.jsonl');
    await writeScenarioFile(file, scenarios);
    const back = readScenarioFile(file);
    expect(back).toEqual(scenarios);
    expect(toJsonl(back)).toBe(readFileSync(file, 'utf8'));
  });

  it('exports a JSON Schema that names every field', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    for (const k of [
      'id',
      'family',
      'tracks',
      'difficulty',
      'utterance',
      'context',
      'expected',
      'answerFormat',
    ]) {
      expect(schema.properties, k).toHaveProperty(k);
    }
    for (const k of ['requiredEvidence', 'referencePlan', 'traps', 'clarification', 'provenance']) {
      expect(schema.properties, k).toHaveProperty(k);
    }
  });

  it('names the file, line and field of a malformed scenario', () => {
    const good = JSON.stringify(scenarios[0]);
    const bad = JSON.stringify({ ...scenarios[1], difficulty: 'impossible' });
    const err = userError(() => parseScenarioLines(`${good}\n${bad}\n`, 'suite.jsonl'));
    expect(err.message).toContain('suite.jsonl:2');
    expect(err.message).toContain('difficulty');
    const notJson = userError(() => parseScenarioLines(`${good}\n{oops\n`, 'x.jsonl'));
    expect(notJson.message).toContain('x.jsonl:2');
    const twice = userError(() => parseScenarioLines(`${good}\n${good}\n`, 'y.jsonl'));
    expect(twice.message).toContain('twice');
    const file = join(tempDir(), 'bad.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ ...scenarios[0], expected: { type: 'count', value: 'many' } })}\n`,
    );
    expect(userError(() => readScenarioFile(file)).message).toMatch(/bad\.jsonl:1: field expected/);
  });

  it('validation catches a deliberately corrupted expected answer', async () => {
    const s = scenarios.find((x) => x.expected.type === 'count') as Scenario;
    const t = IOT_TEMPLATES.find((x) => x.id === s.template);
    expect((await validateScenario(ds, s, t?.answerFromPlan ?? null)).ok).toBe(true);
    const corrupted = ScenarioSchema.parse({
      ...s,
      expected: { type: 'count', value: (s.expected as { value: number }).value + 1 },
    });
    const v = await validateScenario(ds, corrupted, t?.answerFromPlan ?? null);
    expect(v.ok).toBe(false);
    expect(v.problems.join(' ')).toContain('does not match');
  });
});
