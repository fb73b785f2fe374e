// Whether the agent did the work at all, and whether it declined to. Two facts every
// dimension about *how* an answer was reached depends on:
// - Minimum evidence: a scenario that needs data from the plant is only answered by fetching
//   some. An agent that fetched nothing has verified nothing, followed no plan and cited
//   nothing, so those dimensions cannot pass "because there was nothing to check".
// - Abstention: "I cannot answer", an empty answer or a refusal is the right move only where
//   the question really cannot be answered from the data (or needs a clarification first).
//   Elsewhere it is a failure to do the task, and it earns nothing for having said nothing.
import type { Scenario } from '../../scenarios/schema.ts';
import type { Call } from './calls.ts';
import { isDataTool } from './tool-facts.ts';
import { isEmptyAnswer, isObj, leaves, parseJsonText } from './util.ts';

/** Words with which an answer declines: it says it cannot or will not answer. */
const REFUSAL_RE =
  /\b(?:i\s+(?:can ?not|can't|could ?n[o']?t|am unable to|am not able to|don'?t know|do not know|have no (?:way|access))|unable to (?:answer|determine|find|provide|help|complete|retrieve|access)|can ?not (?:be )?(?:answer(?:ed)?|determine[d]?|provide[d]?|help|complete[d]?)|not (?:possible|able) to (?:answer|determine|tell)|no (?:answer|information) (?:is )?available|insufficient (?:data|information)|not enough (?:data|information)|need (?:more|additional) (?:information|details|context)|please (?:clarify|specify|provide)|which (?:one|asset|chiller|pump|site|sensor) do you mean|sorry)\b/i;

/** Keys that carry reasons rather than the answer itself. */
const EXPLANATION_KEYS = new Set([
  'reason',
  'reasoning',
  'explanation',
  'justification',
  'rationale',
  'note',
  'notes',
  'message',
  'details',
  'summary',
  'evidence',
  'sources',
  'source',
]);
/** Keys whose false says "there is no data / no such thing" rather than a value. */
const AVAILABILITY_KEYS = new Set(['available', 'answerable', 'hasdata', 'dataavailable', 'possible']);

const normKey = (k: string) => k.toLowerCase().replace(/[\s_-]+/g, '');

/** A value that says nothing: null, blank, an empty list. */
function blank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/**
 * Whether the answer declines instead of answering: empty; prose that refuses and names no
 * number or time; or JSON whose every answer field is blank (reasons aside), or that only says
 * the data is not available.
 */
export function abstains(finalAnswer: unknown): boolean {
  if (isEmptyAnswer(finalAnswer)) return true;
  const v = parseJsonText(finalAnswer);
  if (typeof v === 'string') {
    // A refusal that also gives a figure or a time is an answer with a caveat.
    return (
      REFUSAL_RE.test(v) &&
      !/\d/.test(v.replace(/\b(?:chiller|pump|ahu|boiler|tower|compressor|site)\s*\d+\b/gi, ''))
    );
  }
  if (!isObj(v)) return false;
  const fields = leaves(v).filter((l) => !EXPLANATION_KEYS.has(normKey(l.key)));
  if (fields.length === 0) return true;
  return fields.every((l) => blank(l.value) || (AVAILABILITY_KEYS.has(normKey(l.key)) && l.value === false));
}

/** A boolean false somewhere in the expected answer (e.g. available: false, exists: false). */
function expectsFalse(expected: Scenario['expected'] | undefined): boolean {
  if (!expected) return false;
  if (expected.type === 'boolean') return expected.value === false;
  if (expected.type === 'record')
    return Object.values(expected.fields).some((f) => f.type === 'boolean' && f.value === false);
  return false;
}

/**
 * Whether declining is a right answer here: the question cannot be answered from the data
 * (an unanswerable trap whose expected answer says so), or the request is ambiguous and asks
 * for a clarification.
 */
export function expectsAbstention(s: Scenario): { unanswerable: boolean; clarify: boolean } {
  const traps = Array.isArray(s?.traps) ? s.traps : [];
  return {
    unanswerable: traps.some((t) => t.kind === 'unanswerable') && expectsFalse(s.expected),
    clarify: traps.some((t) => t.kind === 'ambiguous_asset'),
  };
}

export interface WorkDone {
  /** The scenario names evidence a correct answer must rest on. */
  requiresEvidence: boolean;
  /** Successful calls that fetched plant data (helpers, sub-agents and refused calls aside). */
  dataCalls: Call[];
  /** Evidence was required and none was gathered. */
  none: boolean;
  /** The answer declines (see abstains). */
  abstained: boolean;
  /** It declined where declining is wrong. */
  wrongAbstention: boolean;
}

export function workDone(s: Scenario, calls: Call[], finalAnswer: unknown): WorkDone {
  const requiresEvidence = Array.isArray(s?.requiredEvidence) && s.requiredEvidence.length > 0;
  const dataCalls = calls.filter((c) => c.ok && isDataTool(c.tool));
  const abstained = abstains(finalAnswer);
  const expect = expectsAbstention(s);
  return {
    requiresEvidence,
    dataCalls,
    none: requiresEvidence && dataCalls.length === 0,
    abstained,
    wrongAbstention: abstained && !expect.unanswerable && !expect.clarify,
  };
}
