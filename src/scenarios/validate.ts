// Ground truth checked twice: the expected answer (computed by the reference solver's
// SQL) must equal what the reference plan reaches through the tools. A disagreement is
// a bug in one of them.
import type { Dataset } from '../dataset/open.ts';
import { type GradeResult, grade } from './graders.ts';
import { runPlan } from './plan.ts';
import type { Scenario } from './schema.ts';

export type AnswerExtractor = (results: Map<string, unknown>, scenario: Scenario) => unknown;

export interface Validation {
  id: string;
  ok: boolean;
  /** Why it failed (plan step errors, or the grade of the plan's answer). */
  problems: string[];
  planAnswer: unknown;
  grade: GradeResult | null;
  /** A predictive scenario (the answer is the real future): a plan that misses it is not a problem. */
  predictive: boolean;
}

export async function validateScenario(
  ds: Dataset,
  scenario: Scenario,
  extract: AnswerExtractor | null,
  opts: { predictive?: boolean } = {},
): Promise<Validation> {
  const problems: string[] = [];
  const predictive = opts.predictive === true;
  if (scenario.expected.type === 'free_text') {
    return { id: scenario.id, ok: true, problems, planAnswer: null, grade: null, predictive };
  }
  if (!extract) {
    return {
      id: scenario.id,
      ok: false,
      problems: ['no way to read the answer out of the plan'],
      planAnswer: null,
      grade: null,
      predictive,
    };
  }
  const run = await runPlan(ds, scenario);
  for (const f of run.failures) problems.push(`step ${f.step} failed: ${f.message}`);
  let planAnswer: unknown;
  try {
    planAnswer = extract(run.results, scenario);
  } catch (err) {
    problems.push(`reading the answer failed: ${(err as Error).message}`);
  }
  const g = grade(scenario.expected, planAnswer);
  if (predictive) {
    // A forecast may miss the real future; one that gives no answer at all is still a bug.
    if (planAnswer === undefined) problems.push('the plan gave no forecast to read');
  } else if (!g.pass) problems.push(`the plan's answer does not match the expected answer: ${g.detail}`);
  return { id: scenario.id, ok: problems.length === 0, problems, planAnswer, grade: g, predictive };
}

// ---- the suite as a whole: yes/no answers that vary, trap outcomes, phrasing -----------------

/**
 * The yes/no outcome of a scenario, when its question is one: a boolean answer, a record's
 * boolean `answer` part, or, on a trap, its `available` part (is the thing asked about there at
 * all). Null otherwise: a plain reading whose contract also carries `available` (the daily
 * mean) is not a yes/no question, though its trap sibling (the offline window) is.
 */
export function yesNoOutcome(s: Scenario): boolean | null {
  const e = s.expected;
  if (e.type === 'boolean') return e.value;
  if (e.type !== 'record') return null;
  if (e.fields.answer?.type === 'boolean') return e.fields.answer.value;
  const available = e.fields.available;
  return s.traps.length > 0 && available?.type === 'boolean' ? available.value : null;
}

/** An utterance with its particulars (numbers, dates, ids, capitalised names) masked. */
export function phrasingPattern(utterance: string): string {
  return utterance
    .replace(/\b[A-Z]{2,}[A-Z0-9-]*\d[A-Z0-9-]*\b/g, 'ID')
    .replace(/\d+([.:\-/]\d+)*/g, '#')
    .replace(/\b[A-Z][\w-]*(\s+[A-Z#][\w-]*)*/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface SuiteBalance {
  /** Generated templates whose yes/no answer is the same in every instance (2 or more). */
  invariant: Array<{ template: string; instances: number; value: boolean }>;
  /** Trap scenarios by outcome: yes, no, or a non-yes/no answer (ask, count, ...). */
  traps: { total: number; yes: number; no: number; other: number };
  /** Per template: distinct phrasing patterns over instances. */
  phrasing: Array<{ template: string; instances: number; patterns: number }>;
  /** Share of scenarios whose template has at least 0.8 distinct patterns per instance. */
  variedShare: number;
}

export function suiteBalance(scenarios: Scenario[]): SuiteBalance {
  const byTemplate = new Map<string, Scenario[]>();
  for (const s of scenarios) byTemplate.set(s.template, [...(byTemplate.get(s.template) ?? []), s]);
  const invariant: SuiteBalance['invariant'] = [];
  const phrasing: SuiteBalance['phrasing'] = [];
  let varied = 0;
  for (const [template, list] of byTemplate) {
    const generated = list.filter((s) => s.provenance.source === 'generated');
    const outcomes = generated.map(yesNoOutcome).filter((o): o is boolean => o !== null);
    if (outcomes.length >= 2 && new Set(outcomes).size === 1)
      invariant.push({ template, instances: outcomes.length, value: outcomes[0] });
    const patterns = new Set(list.map((s) => phrasingPattern(s.utterance))).size;
    phrasing.push({ template, instances: list.length, patterns });
    if (patterns / list.length >= 0.8) varied += list.length;
  }
  const traps = { total: 0, yes: 0, no: 0, other: 0 };
  for (const s of scenarios) {
    if (s.traps.length === 0) continue;
    traps.total++;
    const o = yesNoOutcome(s);
    if (o === true) traps.yes++;
    else if (o === false) traps.no++;
    else traps.other++;
  }
  return { invariant, traps, phrasing, variedShare: scenarios.length ? varied / scenarios.length : 0 };
}
