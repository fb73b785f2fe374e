// Formatting issues: the answer is not in the shape that was asked for, or the agent wrote tool
// arguments the tool could not read. The expected shape is read from the answer format's text:
// a JSON Schema inside it (its required keys, else its properties), a JSON example's keys
// ({"count": ...}), or quoted key names next to the word JSON. A format that names no JSON and
// no keys asks for nothing checkable, and a refusal is left to premature_termination: a
// missing answer is not a badly shaped one.
import { isObj, parseJsonText } from '../../scoring/evidence/util.ts';
import { describe, errorOf, type Finding, quote, type View } from './view.ts';
import { isRefusal } from './words.ts';

const MALFORMED_CODES = new Set(['invalid_arguments', 'invalid_argument', 'validation_error', 'bad_request']);
const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;
const NOT_KEYS = new Set(['null', 'true', 'false', 'json', 'utc', 'iso']);

interface Expected {
  json: boolean;
  keys: string[];
}

/** The first balanced {...} in a text that parses as JSON. */
function embeddedJson(text: string): unknown {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1));
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
}

const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

function schemaKeys(schema: Record<string, unknown>): string[] | null {
  if (Array.isArray(schema.required) && schema.required.every((k) => typeof k === 'string'))
    return schema.required as string[];
  if (isObj(schema.properties)) return Object.keys(schema.properties);
  return null;
}

export function expectedShape(format: string | null): Expected | null {
  if (!format?.trim()) return null;
  const json = embeddedJson(format);
  if (isObj(json) && typeof json.type === 'string' && SCHEMA_TYPES.has(json.type)) {
    // A JSON Schema: an object's keys are checkable; a bare string or number answer is not.
    return json.type === 'object' ? { json: true, keys: schemaKeys(json) ?? [] } : null;
  }
  if (isObj(json) && Object.keys(json).length > 0) return { json: true, keys: Object.keys(json) };
  const mentionsJson = /\bJSON\b/i.test(format);
  // {"count": 3} written loosely (not parseable), then quoted or backticked names by "JSON".
  const loose = [...format.matchAll(/["'`]([A-Za-z_][\w]*)["'`]\s*:/g)].map((m) => m[1]);
  const quoted = mentionsJson ? [...format.matchAll(/["'`]([A-Za-z_][\w]*)["'`]/g)].map((m) => m[1]) : [];
  const keys = [...new Set([...loose, ...quoted])].filter(
    (k) => KEY_RE.test(k) && !NOT_KEYS.has(k.toLowerCase()),
  );
  if (!mentionsJson && keys.length === 0) return null;
  return { json: true, keys };
}

function normKey(k: string): string {
  return k.toLowerCase().replace(/[\s_-]+/g, '');
}

function answerShape(v: View): Finding | null {
  const want = expectedShape(v.answerFormat);
  const raw = v.trajectory.finalAnswer;
  if (!want || raw === null || raw === undefined || isRefusal(v.answer)) return null;
  const parsed = parseJsonText(raw);
  const at = v.finalAt;
  // A JSON string ("\"Chiller 1\"") is JSON; prose and broken JSON are not.
  const jsonString = typeof raw === 'string' && /^\s*"/.test(raw) && typeof parsed === 'string';
  if (typeof parsed === 'string' && !jsonString) {
    const looksJson = /^\s*(?:```|[[{])/.test(parsed);
    return {
      from: at,
      to: at,
      origin: at,
      evidence: looksJson
        ? `a JSON answer was asked for; the answer is malformed JSON: ${quote(parsed, 60)}`
        : `a JSON answer was asked for; the answer is prose: ${quote(parsed, 60)}`,
    };
  }
  if (want.keys.length === 0) return null;
  if (!isObj(parsed))
    return {
      from: at,
      to: at,
      origin: at,
      evidence: `the format asks for keys ${want.keys.join(', ')}; the answer is a bare ${Array.isArray(parsed) ? 'list' : typeof parsed}`,
    };
  const have = new Set(Object.keys(parsed).map(normKey));
  const missing = want.keys.filter((k) => !have.has(normKey(k)));
  if (missing.length === 0) return null;
  return {
    from: at,
    to: at,
    origin: at,
    evidence: `the answer lacks key${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that the format asks for (has ${Object.keys(parsed).join(', ') || 'none'})`,
  };
}

/**
 * Arguments written as an attempt at a JSON object that does not parse. Plain text is not
 * malformed: ReAct-style agents (AssetOpsBench's imports) pass "sensors[Chiller 6]", whose
 * argument is the text "Chiller 6" by that tool convention.
 */
function unparsable(args: unknown): boolean {
  if (typeof args !== 'string' || !/^\s*(?:[{[]|```)/.test(args)) return false;
  return !isObj(parseJsonText(args));
}

function malformedArgs(v: View): Finding[] {
  const out: Finding[] = [];
  for (const call of v.calls) {
    // A call the agent's own runtime refused before it reached a tool (an unknown name, broken
    // arguments) is an invalid action; one the server answered with unknown_tool is left to
    // the detectors of what the agent did with that answer.
    const rejected =
      !call.ok &&
      (MALFORMED_CODES.has(call.errorCode ?? '') || (call.rejected && call.errorCode === 'unknown_tool'));
    const garbled = unparsable(call.rawArgs);
    if (!rejected && !garbled) continue;
    out.push({
      from: call.at,
      to: call.end ?? call.at,
      origin: call.at,
      evidence: garbled
        ? `${call.tool} was called with arguments that are not a JSON object: ${quote(call.rawArgs, 60)}`
        : `${describe(call)} was rejected: ${errorOf(call)}`,
    });
  }
  return out;
}

export function detectFormatting(v: View): Finding[] {
  const shape = answerShape(v);
  return [...(shape ? [shape] : []), ...malformedArgs(v)];
}
