// A no-tool agent: it answers from the task's text and contract alone, as a leaky benchmark
// would let it. Used by test/scenarios/no-tools.test.ts (and to measure other suites).
import { numbersInText } from '../../src/scenarios/graders.ts';
import type { Scenario } from '../../src/scenarios/schema.ts';

type Json = Record<string, unknown>;

// Words that, in a benchmark that leaked, would mark a question whose answer is "no" / "none".
const TRAP_WORDS = /\b(offline|outage|gap|missing|unknown|no such|not exist|really|resolved|still)\b/i;

/** Numbers of the utterance that are not parts of dates or times. */
function plainNumbers(text: string): number[] {
  const stripped = text.replace(/\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?|\d{2}:\d{2}/g, ' ');
  return numbersInText(stripped).filter((n) => !(n >= 1900 && n <= 2100));
}

/** A guess of one value of a JSON type, from the task's text alone. */
function guessValue(schema: Json, s: Scenario, key: string): unknown {
  const types = ([] as unknown[]).concat(schema.type);
  const text = s.utterance;
  if (types.includes('boolean')) return key === 'available' ? !TRAP_WORDS.test(text) : !TRAP_WORDS.test(text);
  if (types.includes('integer') || types.includes('number')) return plainNumbers(text)[0] ?? 0;
  if (types.includes('array')) {
    // The names the question itself mentions, in its order.
    return [...text.matchAll(/\b[A-Z][\w-]*(?: [A-Z0-9][\w-]*)*/g)].map((m) => m[0]);
  }
  if (schema.format === 'date-time') return s.context.now;
  // "which came first: A or B?": the first option.
  const choice = /:\s*([^?]+?) or ([^?]+)\?/.exec(text);
  return choice ? choice[1].replace(/^the /, '') : '';
}

/** The no-tool agent: one guess per contract field. */
export function noToolAnswer(s: Scenario): Json {
  const props = (s.answerFormat.jsonShape?.properties ?? {}) as Record<string, Json>;
  return Object.fromEntries(Object.entries(props).map(([k, schema]) => [k, guessValue(schema, s, k)]));
}

/** Every constant answer of a contract: each boolean field both ways, other fields empty. */
export function constantAnswers(shape: Json | null): Json[] {
  const props = (shape?.properties ?? {}) as Record<string, Json>;
  let out: Json[] = [{}];
  for (const [k, schema] of Object.entries(props)) {
    const types = ([] as unknown[]).concat(schema.type);
    const values = types.includes('boolean')
      ? [true, false]
      : types.includes('null')
        ? [null]
        : types.includes('array')
          ? [[]]
          : types.includes('string')
            ? ['']
            : [0];
    out = out.flatMap((a) => values.map((v) => ({ ...a, [k]: v })));
  }
  return out;
}
