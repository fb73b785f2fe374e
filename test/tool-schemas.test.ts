// Tool JSON Schemas are converted once per tool definition and shared: the same object on
// every call, equal to a fresh conversion, and frozen so that no session can change it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputJsonSchema, outputJsonSchema } from '../src/mcp/server.ts';
import { ALL_TOOLS } from '../src/tools/registry.ts';

describe('tool schemas', () => {
  it('are converted once per tool and match a fresh conversion', () => {
    for (const tool of ALL_TOOLS) {
      const input = inputJsonSchema(tool);
      expect(inputJsonSchema(tool)).toBe(input);
      const { $schema: _, ...fresh } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
      expect(input).toEqual({ ...fresh, type: 'object' });
      expect(Object.isFrozen(input)).toBe(true);
      expect(() => {
        (input as Record<string, unknown>).type = 'string';
      }).toThrow();
      expect(outputJsonSchema(tool)).toBe(outputJsonSchema(tool));
    }
  });
});
