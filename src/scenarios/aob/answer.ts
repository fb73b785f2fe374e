// Grading AssetOpsBench scenarios as the original asks. AssetOpsBench never asked agents for
// JSON: its characteristic forms describe a sentence ("the return value of all sites, either as
// text or as a reference to a file"). So for a scenario of the `aob` suite a prose answer is
// graded by reading the typed value out of the text (a count, an entity, the listed names, a
// yes or no), and a JSON answer is graded as JSON. Reading never guesses: prose that names two
// different counts, or says both yes and no, fails with a detail saying so.
//
// It lives with the scenarios (below scoring and runs) so the run engine, the scorers and the
// failure detectors share it; layout numbers ("1.", "## Step 2:") are decided here for claims too.
//
// The same module knows what does not belong in an answer at all: prompt or instruction text the
// model echoed back ("You are a helpful assistant...", "## Task ...", a dangling "Thought"), the
// commonest defect of the published AgentHive answers. Clarity's format part and the TrajFM
// leaked-prompt detector both read it from here, so they agree on what a leak is.
import { type GradeResult, grade } from '../graders.ts';
import type { ExpectedAnswer, Scenario } from '../schema.ts';
import { NUMBER_WORDS } from './text.ts';

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The answer as JSON when it is JSON (an object, a list, or JSON text), else null. */
function jsonOf(answer: unknown): unknown {
  if (isObj(answer) || Array.isArray(answer)) return answer;
  if (typeof answer !== 'string') return null;
  const t = answer
    .trim()
    .replace(/^```[\w-]*\s*([\s\S]*?)\s*```$/, '$1')
    .trim();
  if (!/^[[{]/.test(t)) return null;
  try {
    return JSON.parse(t);
  } catch {
    return null;
  }
}

export function isAobScenario(s: Pick<Scenario, 'provenance'> | undefined): boolean {
  return s?.provenance?.source === 'aob';
}

// ---------------------------------------------------------------- what is not the answer

// Phrases that open a prompt or an instruction, not an answer. Each is specific enough that an
// answer about chillers does not contain it by chance.
const PROMPT_OPENERS: RegExp[] = [
  /\bYou are (?:a|an) (?:helpful|expert|intelligent|AI)\b[^.]{0,60}(?:assistant|agent)\b/i,
  /\bYou will be (?:given|provided with) (?:a|an) (?:task|question|set of tools)\b/i,
  /\bYou are given a task\b/i,
  /\bYou have access to the (?:following )?tools\b/i,
  /\bYour (?:input question|output should|task is to)\b/i,
  /\bHere is the task\s*:/i,
  /\bUse the following format\s*:/i,
  /\bAnswer the following questions as best you can\b/i,
  /(?:^|\s)#{1,4}\s*(?:Task|Step-by-Step Response|Instructions?|Examples?)\b/,
  /\bQuestion:\s*\S[\s\S]*\bThought\s*\d*\s*:/,
  /\(END OF EXAMPLES\)/,
];
// A ReAct keyword left dangling at the very end: the model was about to start another turn.
const DANGLING_KEYWORD = /(?:^|\s)(?:Thought|Action(?: Input)?|Observation)\s*\d*\s*:?\s*$/;

export interface Leak {
  /** Character offset where the leaked text begins. */
  at: number;
  /** The leaked text (clipped). */
  text: string;
}

/** Prompt or instruction text inside an answer, or null. The earliest opener wins. */
export function leakedPrompt(answer: unknown): Leak | null {
  const text = typeof answer === 'string' ? answer : '';
  if (text.trim() === '') return null;
  let at = -1;
  for (const re of PROMPT_OPENERS) {
    const m = re.exec(text);
    if (m && (at < 0 || m.index < at)) at = m.index + (m[0].length - m[0].trimStart().length);
  }
  if (at < 0) {
    const m = DANGLING_KEYWORD.exec(text);
    if (!m || m.index === 0) return null;
    at = m.index + (m[0].length - m[0].trimStart().length);
  }
  return {
    at,
    text: text
      .slice(at, at + 160)
      .replace(/\s+/g, ' ')
      .trim(),
  };
}

// ---------------------------------------------------------------- reading values from prose

// List numbers open a line, or follow a colon or a run of spaces where a list was flattened into
// one line ("are:  1. Compressor ... 2. Heat ..."); "(1)" is one too.
const LIST_MARKER_RE = /(^|[:;]|\s{2}|\n)(\s*)\(?\d{1,2}[.)](?=\s)/gm;
// Headings and step labels number the layout: "## Step 1:", "Task 2:", "#Task3", "Step 4 -".
const STEP_LABEL_RE =
  /(?:#{1,6}\s*)?\b(?:step|task|phase|part|stage)\s*#?\d{1,2}\b(?=\s*[:.)-]|\s*$|\s+[A-Z])/gi;

const ITEM_NUMBER_RE = /(?<![\p{L}\p{N}_.,])\(?(\d{1,2})[.)](?=\s+\S)/gu;

/**
 * A numbered list flattened into running text ("... are: 1. A 2. B 3. C"): the numbers 1, 2, 3,
 * ... in order, each followed by a space, are its markers wherever they stand. A lone "3." (the
 * end of a sentence about three things) starts no such run and stays a claim.
 */
function blankNumbering(text: string): string {
  const marks = [...text.matchAll(ITEM_NUMBER_RE)].map((m) => ({
    at: m.index ?? 0,
    len: m[0].length,
    n: Number(m[1]),
  }));
  const blank = new Set<number>();
  for (let i = 0; i < marks.length; i++) {
    if (marks[i].n !== 1 || blank.has(i)) continue;
    const run = [i];
    for (let j = i + 1; j < marks.length; j++)
      if (marks[j].n === marks[run[run.length - 1]].n + 1) run.push(j);
    if (run.length >= 2) for (const k of run) blank.add(k);
  }
  let out = text;
  for (const k of blank) {
    const m = marks[k];
    out = out.slice(0, m.at) + ' '.repeat(m.len) + out.slice(m.at + m.len);
  }
  return out;
}

/** The text with list markers, headings' and step labels' numbers blanked (same length). */
export function blankLayoutNumbers(text: string): string {
  return blankNumbering(text)
    .replace(LIST_MARKER_RE, (m, lead: string) => lead + ' '.repeat(m.length - lead.length))
    .replace(STEP_LABEL_RE, (m) => ' '.repeat(m.length));
}

const DATES = /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g;
const IDS = /\b[A-Z]{1,}[-_]?\d+[a-z]?\b|\/[\w./-]+|\b[0-9a-f]{8}-[0-9a-f-]{27,}\b/g;
// Numbers that are part of a name ("Chiller 6", "AHU 2B", "CQPA AHU 1") are not counts.
const NAMED_NUMBER =
  /\b(?:chiller|ahu|pump|boiler|tower|unit|asset|site|sensor|model|ttm|q|id|#)[\s_-]*\d+[a-z]?\b/gi;
const YEAR = /^(?:19|20)\d\d$/;

/** Numbering, headings and step labels are layout, not values (claims.ts decides which). */
function layoutFree(text: string): string {
  return blankLayoutNumbers(text).replace(/#{1,6}\s*/g, ' ');
}

/** Number words as text.ts reads them, and "none" for a count of nothing. */
const WORD_NUMBERS: Record<string, number> = { ...NUMBER_WORDS, none: 0 };

/** The numbers a prose answer states, layout, dates, ids, paths and names removed. */
export function proseNumbers(text: string): number[] {
  const t = layoutFree(text).replace(DATES, ' ').replace(IDS, ' ').replace(NAMED_NUMBER, ' ');
  const out: number[] = [];
  for (const m of t.matchAll(
    /(?<![\w.])[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w])/g,
  )) {
    const n = Number(m[0].replace(/,/g, ''));
    if (Number.isFinite(n)) out.push(n);
  }
  // "in 2017" dates the count; a year is the value only when nothing else is.
  const notYears = out.filter((n) => !YEAR.test(String(n)));
  if (notYears.length > 0 && notYears.length < out.length) return notYears;
  if (out.length === 0) {
    for (const m of t
      .toLowerCase()
      .matchAll(/\b(zero|none|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/g))
      out.push(WORD_NUMBERS[m[1]]);
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a name occurs in the text as a whole word sequence (case and spacing ignored). */
function mentions(text: string, name: string): boolean {
  const n = name.trim();
  if (n === '') return false;
  const words = n
    .split(/[\s_-]+/)
    .map(escapeRe)
    .join('[\\s_-]*');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

const SAYS_YES = /\byes\b/i;
const SAYS_NO = /\bno\b/i;
const NEGATION = /\b(?:not|isn't|aren't|doesn't|don't|cannot|can't|unsupported|unavailable|neither|none)\b/i;
const AFFIRMS = /\b(?:supported|available|supports|can|does|is|are)\b/i;

/** Yes or no, from the words: explicit yes/no first, then a negation, then an affirmation. */
function yesNo(text: string): boolean | 'both' | null {
  const yes = SAYS_YES.test(text);
  const no = SAYS_NO.test(text);
  if (yes && no) return 'both';
  if (yes) return true;
  if (no || NEGATION.test(text)) return false;
  return AFFIRMS.test(text) ? true : null;
}

type Read = { ok: true; value: unknown; how: string } | { ok: false; why: string };

/** The typed value a prose answer states for an expected answer of this type. */
export function readProse(expected: ExpectedAnswer, text: string): Read {
  switch (expected.type) {
    case 'count':
    case 'number': {
      const nums = [...new Set(proseNumbers(text))];
      if (nums.length === 1) return { ok: true, value: nums[0], how: `the number ${nums[0]}` };
      if (nums.length === 0) return { ok: false, why: 'the prose states no number' };
      // The expected value among several is not a reading: it would reward listing many numbers.
      return { ok: false, why: `the prose states several numbers (${nums.slice(0, 5).join(', ')})` };
    }
    case 'entity': {
      const names = [expected.value, ...(expected.aliases ?? [])];
      if (names.some((n) => mentions(text, n)))
        return { ok: true, value: expected.value, how: `"${expected.value}"` };
      return { ok: false, why: `the prose does not name ${expected.value} or an alias of it` };
    }
    case 'set': {
      const found = expected.values.filter((v) =>
        [v, ...(expected.aliases?.[v] ?? [])].some((n) => mentions(text, n)),
      );
      return {
        ok: true,
        value: found,
        how: `${found.length} of the ${expected.values.length} expected names (names the prose adds are not counted)`,
      };
    }
    case 'boolean': {
      const v = yesNo(layoutFree(text));
      if (typeof v === 'boolean') return { ok: true, value: v, how: v ? 'yes' : 'no' };
      return {
        ok: false,
        why: v === 'both' ? 'the prose says both yes and no' : 'the prose says neither yes nor no',
      };
    }
    default:
      return { ok: false, why: `a ${expected.type} answer is not read from prose` };
  }
}

/**
 * The items a prose answer lists after its last colon ("The available IoT sites are: MAIN"),
 * echoed prompt text left out: AssetOpsBench answers name their values that way, and a bare
 * word such as MAIN is no claim the claim extractor would find.
 */
export function listedItems(answer: unknown): string[] {
  if (typeof answer !== 'string') return [];
  const leak = leakedPrompt(answer);
  const text = leak ? answer.slice(0, leak.at) : answer;
  const colon = text.lastIndexOf(':');
  if (colon < 0) return [];
  return layoutFree(text.slice(colon + 1))
    .split(/,|;|\band\b|\n/)
    .map((x) => x.trim().replace(/[.\s]+$/, ''))
    .filter((x) => x.length >= 2 && x.split(/\s+/).length <= 8);
}

/**
 * Grades an answer to an AssetOpsBench scenario: JSON as JSON, prose by the value it states.
 * A prose answer that our graders already accept keeps that verdict.
 */
export function gradeAobAnswer(expected: ExpectedAnswer, answer: unknown): GradeResult {
  const direct = grade(expected, answer);
  if (direct.pass || direct.needsJudge || typeof answer !== 'string' || jsonOf(answer) !== null)
    return direct;
  const leak = leakedPrompt(answer);
  // What the model echoed after its answer is not part of it.
  const text = leak ? answer.slice(0, leak.at) : answer;
  const read = readProse(expected, text);
  if (!read.ok) return { ...direct, detail: `${direct.detail} Read as prose: ${read.why}.` };
  const g = grade(expected, read.value);
  return { ...g, detail: `read from the prose answer as ${read.how}: ${g.detail}` };
}

/** The grade of an answer for a scenario: AssetOpsBench's reading for `aob` scenarios. */
export function gradeScenarioAnswer(
  s: Pick<Scenario, 'expected' | 'provenance'>,
  answer: unknown,
): GradeResult {
  return isAobScenario(s) ? gradeAobAnswer(s.expected, answer) : grade(s.expected, answer);
}
