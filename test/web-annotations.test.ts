// The trajectory viewer's marks: a failure event marks where it begins and ends, once per
// category on a step, never every step of a long span.
import { describe, expect, it } from 'vitest';
import type { FailureEvent } from '../web/src/lib/types.ts';
import { stepMarks } from '../web/src/pages/trajectory/annotations.ts';

const event = (category: string, from: number, to: number): FailureEvent =>
  ({
    trajectoryId: 't',
    scenarioId: 's',
    agent: 'a',
    model: null,
    category,
    source: 'detector',
    title: category,
    description: '',
    span: { from, to },
    evidence: '',
    blamedAgent: null,
    handoff: null,
  }) as FailureEvent;

describe('step marks', () => {
  it('marks the ends of a span once per category', () => {
    const marks = stepMarks(null, [
      event('step_repetition', 5, 5004),
      event('step_repetition', 5, 40),
      event('step_repetition', 5, 5004),
      event('wrong_entity', 5, 5),
    ]);
    expect([...marks.keys()].sort((a, b) => a - b)).toEqual([5, 40, 5004]);
    expect(marks.get(5)?.failures.map((f) => f.category)).toEqual(['step_repetition', 'wrong_entity']);
    expect(marks.get(5004)?.failures).toHaveLength(1);
    expect(marks.has(100)).toBe(false);
  });
});
