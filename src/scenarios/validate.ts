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
}

export async function validateScenario(
  ds: Dataset,
  scenario: Scenario,
  extract: AnswerExtractor | null,
): Promise<Validation> {
  const problems: string[] = [];
  if (scenario.expected.type === 'free_text') {
    return { id: scenario.id, ok: true, problems, planAnswer: null, grade: null };
  }
  if (!extract) {
    return {
      id: scenario.id,
      ok: false,
      problems: ['no way to read the answer out of the plan'],
      planAnswer: null,
      grade: null,
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
  if (!g.pass) problems.push(`the plan's answer does not match the expected answer: ${g.detail}`);
  return { id: scenario.id, ok: problems.length === 0, problems, planAnswer, grade: g };
}
