// The answer contract an agent is given: a JSON Schema of the answer that states types only.
// It is built here, from the expected answer's type, for every generated scenario, so that
// no template can hand out its own field names, definitions, windows or hints through the
// format. What a question needs to be well posed belongs in its utterance.
//
// The vocabulary is small and shared. A single answer of any type is {answer: ...}. A
// multi-part answer uses part names from RECORD_PARTS, each of which several templates use,
// so no key tells an agent which template it is looking at.
import type { ExpectedAnswer } from './schema.ts';

/** The one human description every generated scenario carries: generic on purpose. */
export const CONTRACT_DESCRIPTION = 'Reply with JSON matching the schema.';

/** The key of a single answer, whatever its type. */
export const ANSWER_KEY = 'answer';

/**
 * Part names a multi-part answer may use. The comments are for people reading the code; they
 * never reach an agent (the schema carries no descriptions).
 */
export const RECORD_PARTS = {
  // the main answer of the question, of whatever type it has
  answer: true,
  // whether the thing asked about exists / has data at all
  available: true,
  // a moment (ISO 8601) that goes with the main answer
  time: true,
  // a second count that goes with the main answer ("how many in total")
  total: true,
  // the priority of a drafted or ranked work order (1 = most urgent)
  priority: true,
  // the two sides of a before/after comparison
  before: true,
  after: true,
  // counts per event-log group, when the question asks for each group by name
  work_orders: true,
  alerts: true,
  anomalies: true,
} as const;
export type RecordPart = keyof typeof RECORD_PARTS;

type Json = Record<string, unknown>;
type Simple = Exclude<ExpectedAnswer, { type: 'record' }>;
export type SimpleType = Simple['type'];

/** The JSON type of one answer of a given expected type (no descriptions, no enums). */
export function valueSchema(expected: Pick<Simple, 'type'> & { mode?: string }): Json {
  switch (expected.type) {
    case 'count':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'entity':
    case 'free_text':
      return { type: 'string' };
    case 'set':
    case 'ranking':
      return { type: 'array', items: { type: 'string' } };
    case 'time_window':
      return expected.mode === 'overlap'
        ? {
            type: 'object',
            properties: {
              start: { type: 'string', format: 'date-time' },
              end: { type: ['string', 'null'], format: 'date-time' },
            },
            required: ['start', 'end'],
          }
        : { type: 'string', format: 'date-time' };
    case 'forecast':
      return {
        type: 'array',
        items: {
          type: 'object',
          properties: { ts: { type: 'string', format: 'date-time' }, value: { type: 'number' } },
          required: ['ts', 'value'],
        },
      };
  }
}

/**
 * The parts of a record answer as the agent sees them, when they must not depend on the
 * instance's outcome (e.g. {available, answer} whether or not the data exists): a part's
 * schema, or null for "this part may be null".
 */
export type RecordContract = Partial<Record<RecordPart, { schema: Json; nullable?: boolean }>>;

function nullable(schema: Json): Json {
  const t = schema.type;
  return { ...schema, type: Array.isArray(t) ? [...new Set([...t, 'null'])] : [t, 'null'] };
}

/** The answer contract of an expected answer (parts fixed by `parts` when given). */
export function answerContract(
  expected: ExpectedAnswer,
  parts?: RecordContract,
): { description: string; jsonShape: Json } {
  if (expected.type !== 'record') {
    return {
      description: CONTRACT_DESCRIPTION,
      jsonShape: {
        type: 'object',
        properties: { [ANSWER_KEY]: valueSchema(expected) },
        required: [ANSWER_KEY],
      },
    };
  }
  const properties: Json = {};
  const required: string[] = [];
  const names = parts ? Object.keys(parts) : Object.keys(expected.fields);
  for (const name of names) {
    if (!Object.hasOwn(RECORD_PARTS, name)) throw new Error(`record part "${name}" is not in the vocabulary`);
    const given = parts?.[name as RecordPart];
    const field = expected.fields[name];
    if (!given && !field) throw new Error(`record part "${name}" has no type`);
    const schema = given ? given.schema : valueSchema(field as Simple);
    properties[name] = given?.nullable ? nullable(schema) : schema;
    required.push(name);
  }
  for (const name of Object.keys(expected.fields)) {
    if (!names.includes(name)) throw new Error(`expected field "${name}" is not in the contract`);
  }
  return { description: CONTRACT_DESCRIPTION, jsonShape: { type: 'object', properties, required } };
}

/** Every key an answer contract uses (for the checks that no key names a template). */
export function contractKeys(jsonShape: Json | null): string[] {
  const props = jsonShape?.properties;
  return props && typeof props === 'object' ? Object.keys(props) : [];
}
