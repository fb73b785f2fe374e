// Clarity and justification: an engineer can use the answer as given. Three parts, each worth
// a third: it says something (not empty), it has the requested shape (the answer format's
// JSON Schema: required keys and basic types, checked leniently on key spelling as the graders
// read them), and it rests on evidence (it repeats a name or number the tools returned, or
// carries an explanation field).
import { isAobScenario, leakedPrompt, listedItems } from '../../scenarios/aob/answer.ts';
import type { DimensionVerdict, EvidencePointer } from '../types.ts';
import type { Claim } from './claims.ts';
import type { Context } from './context.ts';
import { clip, isEmptyAnswer, isObj, listed, type Obj, parseJsonText, verdict } from './util.ts';

const EXPLANATION_KEYS = new Set([
  'reason',
  'reasoning',
  'evidence',
  'explanation',
  'justification',
  'rationale',
  'because',
  'basis',
  'source',
  'sources',
  'details',
  'summary',
]);
const MAX_ITEMS_CHECKED = 50;

function normKey(k: string): string {
  return k.toLowerCase().replace(/[\s_-]+/g, '');
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function fitsType(v: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'null':
      return v === null;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObj(v);
    case 'string':
    case 'boolean':
      return typeof v === type;
    default:
      // A type we do not know is not a reason to fail the answer.
      return true;
  }
}

/** What in the value breaks the schema (required keys, types, enums), at most a few. */
function shapeProblems(value: unknown, schema: unknown, path: string, out: string[], depth = 0): void {
  if (!isObj(schema) || depth > 8 || out.length > 10) return;
  const types = Array.isArray(schema.type)
    ? schema.type.map(String)
    : schema.type
      ? [String(schema.type)]
      : [];
  if (types.length > 0 && !types.some((t) => fitsType(value, t))) {
    out.push(`${path || 'the answer'} is ${typeOf(value)}, not ${types.join(' or ')}`);
    return;
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some(
      (e) =>
        e === value || (typeof e === 'string' && typeof value === 'string' && normKey(e) === normKey(value)),
    )
  )
    out.push(`${path || 'the answer'} is not one of ${listed(schema.enum.map(String), 3)}`);
  if (isObj(value)) {
    const keys = new Map(Object.keys(value).map((k) => [normKey(k), k]));
    const props = isObj(schema.properties) ? schema.properties : {};
    for (const req of Array.isArray(schema.required) ? schema.required : [])
      if (!keys.has(normKey(String(req)))) out.push(`${path ? `${path}.` : ''}${req} is missing`);
    for (const [name, sub] of Object.entries(props)) {
      const k = keys.get(normKey(name));
      if (k !== undefined) shapeProblems(value[k], sub, path ? `${path}.${name}` : name, out, depth + 1);
    }
  }
  if (Array.isArray(value) && isObj(schema.items))
    value.slice(0, MAX_ITEMS_CHECKED).forEach((item, i) => {
      shapeProblems(item, schema.items, `${path || 'answer'}[${i}]`, out, depth + 1);
    });
}

/**
 * Whether the requested format leaves room to justify the answer: no format (free text), or a
 * field that takes text or a list. A format that asks for a bare boolean, number or choice
 * cannot hold reasons, and an answer that keeps to it is not faulted for giving none.
 */
function roomForReasons(shape: unknown): boolean {
  if (!isObj(shape)) return true;
  const props = isObj(shape.properties) ? Object.values(shape.properties) : [];
  if (props.length === 0) return true;
  return props.some((p) => {
    if (!isObj(p)) return true;
    const types = Array.isArray(p.type) ? p.type.map(String) : [String(p.type ?? '')];
    return (
      types.includes('array') ||
      types.includes('object') ||
      (types.includes('string') && !Array.isArray(p.enum))
    );
  });
}

/** The answer as JSON: itself, JSON text, or the first {...} block inside prose. */
function asJson(answer: unknown): unknown {
  const v = parseJsonText(answer);
  if (typeof v !== 'string') return v;
  const start = v.indexOf('{');
  const end = v.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      return JSON.parse(v.slice(start, end + 1));
    } catch {
      return v;
    }
  }
  return v;
}

function explanation(answer: unknown): string | null {
  if (!isObj(answer)) return null;
  for (const [k, v] of Object.entries(answer as Obj))
    if (EXPLANATION_KEYS.has(normKey(k)) && typeof v === 'string' && v.trim().length >= 10) return k;
  return null;
}

export function scoreClarity(ctx: Context, claims: Claim[]): DimensionVerdict {
  const parts: Array<{ name: string; score: number; note: string }> = [];
  const finalStep = ctx.steps.findLastIndex((s) => s.kind === 'final');
  if (ctx.work.wrongAbstention)
    return verdict(
      false,
      0,
      'The answer declines an answerable question: nothing in it can be used.',
      finalStep >= 0 ? [{ step: finalStep, note: 'the final answer' }] : [],
    );
  const empty = isEmptyAnswer(ctx.trajectory.finalAnswer ?? null);
  parts.push({
    name: 'content',
    score: empty ? 0 : 1,
    note: empty ? 'the answer is empty' : 'the answer says something',
  });

  // AssetOpsBench asked for no JSON: its prose answers are read for their value (scenarios/aob/answer.ts),
  // so there the shape binds only an answer that is JSON, and prose is checked for echoed prompt.
  const aob = isAobScenario(ctx.scenario);
  const answerIsJson = typeof parseJsonText(ctx.trajectory.finalAnswer ?? null) !== 'string';
  const shape = aob && !answerIsJson ? null : ctx.scenario.answerFormat?.jsonShape;
  const leak = aob ? leakedPrompt(ctx.trajectory.finalAnswer ?? null) : null;
  if (leak) {
    parts.push({
      name: 'format',
      score: 0,
      note: `not in the requested format: the answer carries prompt text ("${clip(leak.text, 50)}")`,
    });
  }
  if (isObj(shape)) {
    const problems: string[] = [];
    const value = asJson(ctx.trajectory.finalAnswer ?? null);
    shapeProblems(value, shape, '', problems);
    const required = Array.isArray(shape.required) ? shape.required.length : 0;
    const checks = Math.max(
      1,
      required + (isObj(shape.properties) ? Object.keys(shape.properties).length : 0),
    );
    parts.push({
      name: 'format',
      // The wrong kind of value altogether (text where an object was asked for) earns nothing;
      // an object with a missing or mistyped field earns the share of the fields that are right.
      score:
        problems.length === 0
          ? 1
          : problems[0].startsWith('the answer is')
            ? 0
            : Math.max(0, 1 - problems.length / checks),
      note:
        problems.length === 0
          ? 'it has the requested shape'
          : `not in the requested format: ${listed(problems, 3)}`,
    });
  }

  if (!roomForReasons(shape)) {
    // A bare value cannot cite, but it must still rest on data when the task needs data.
    if (ctx.work.none)
      parts.push({ name: 'justification', score: 0, note: 'no data was fetched for the value to rest on' });
    const score = parts.reduce((s, p) => s + p.score, 0) / parts.length;
    const failing = parts.filter((p) => p.score < 1);
    const evidence = finalStep >= 0 ? [{ step: finalStep, note: 'the final answer' }] : [];
    const rationale =
      failing.length === 0
        ? `Clear: ${parts.map((p) => p.note).join('; ')} (the format asks for a bare value, so no reasons are expected).`
        : `Falls short: ${failing.map((p) => p.note).join('; ')}.`;
    return verdict(failing.length === 0, score, rationale, evidence);
  }

  // A claim found in a tool result cites it; one that may sit in a clipped result gets the benefit
  // of the doubt (the same as in hallucination.ts).
  const cited = claims.find(
    (c) => c.grounded !== false && c.kind !== 'completion' && c.source?.step !== undefined,
  );
  // An AssetOpsBench prose answer names its values as a list after a colon: one that a
  // successful tool result holds is cited as well.
  const echoed = aob
    ? listedItems(ctx.trajectory.finalAnswer ?? null).find((item) =>
        ctx.calls.some((c) => c.ok && (c.resultText ?? '').includes(item)),
      )
    : undefined;
  // Where the task needs data, a reason is only a justification when it cites what the tools
  // returned; where it does not (knowledge questions), an explanation may stand on its own.
  const why = ctx.work.requiresEvidence ? null : explanation(asJson(ctx.trajectory.finalAnswer ?? null));
  parts.push({
    name: 'justification',
    score: cited || echoed || why ? 1 : 0,
    note: cited
      ? `it cites ${clip(cited.text, 40)} from a tool result`
      : echoed
        ? `it names ${clip(echoed, 40)} from a tool result`
        : why
          ? `it explains itself (${why})`
          : ctx.work.requiresEvidence
            ? 'it cites no value a tool returned'
            : 'nothing in it comes from a tool result, and it gives no reason',
  });

  const score = parts.reduce((s, p) => s + p.score, 0) / parts.length;
  const failing = parts.filter((p) => p.score < 1);
  const evidence: EvidencePointer[] = [
    ...(finalStep >= 0 ? [{ step: finalStep, note: 'the final answer' }] : []),
    ...(cited?.source?.step !== undefined
      ? [{ step: cited.source.step, claim: clip(cited.text, 80), note: 'cited' }]
      : []),
  ];
  const rationale =
    failing.length === 0
      ? `Clear and justified: ${parts.map((p) => p.note).join('; ')}.`
      : `Falls short: ${failing.map((p) => p.note).join('; ')}.`;
  return verdict(failing.length === 0, score, rationale, evidence);
}
