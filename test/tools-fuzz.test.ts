// Property-based fuzzing of every tool's arguments: whatever comes in, a tool answers
// with valid data or a structured error, never an exception and never an internal error.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../src/dataset/open.ts';
import { ALL_TOOLS, createSession } from '../src/tools/registry.ts';
import type { ToolSession } from '../src/tools/session.ts';
import { TOOL_EXAMPLES } from './support/tool-examples.ts';
import { tinyWorld } from './support/worlds.ts';

let ds: Dataset;
let session: ToolSession;

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  session = createSession(ds, { faults: 'none' });
  await session.call('history', TOOL_EXAMPLES.history);
});

afterAll(() => ds?.close());

// Values that reach deep into handlers (real names, real dates) mixed with garbage.
const plausible = fc.oneof(
  fc.constantFrom(
    'MAIN',
    'RIVERSIDE',
    'Chiller 1',
    'chiller 2',
    'CWC04001',
    'AHU 1',
    'Pump 1',
    'Boiler 1',
    'nowhere',
  ),
  fc.constantFrom(
    'Tonnage',
    'Chiller 1 Tonnage',
    'Supply Temperature',
    'Filter Differential Pressure',
    'nothing',
  ),
  fc.constantFrom(
    '2024-03-01',
    '2024-03-04T06:00:00Z',
    '2023-01-01',
    '2030-01-01',
    '2024-02-30',
    'yesterday',
    '',
  ),
  fc.constantFrom('chiller', 'ahu', 'pump', 'RUL0101', 'RUL9999', 'res-1', 'res-99', 'WO200001', 'SBX-0001'),
  fc.constantFrom('hourly', 'daily', 'mean', 'last', 'last_week', 'days', 'holt_winters', 'robust_zscore'),
);
const anyValue = fc.oneof(
  { weight: 5, arbitrary: plausible },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 100_000 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.array(plausible, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, {}, []) },
);

describe('tool fuzzing', () => {
  for (const tool of ALL_TOOLS) {
    it(`${tool.name}: 200 random calls, no throw, no internal error`, async () => {
      const keys = [...Object.keys(tool.input.shape), 'asset_name', 'equipment_id', 'bogus'];
      const args = fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length });
      await fc.assert(
        fc.asyncProperty(args, async (a) => {
          const r = await session.call(tool.name, a);
          if (!r.ok) {
            expect(r.error.code, JSON.stringify({ a, e: r.error })).not.toBe('internal');
            expect(r.error.message.length).toBeGreaterThan(0);
            expect(r.error.hint.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 200, seed: 42 },
      );
    });
  }
});
