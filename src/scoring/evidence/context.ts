// What every scorer reads, computed once per trajectory: the calls (log joined with steps),
// the alias groups, the final answer as text and as JSON, the scenario's clock, and whether
// the agent did the work (gathered data) or declined to answer.
import type { Trajectory, TrajectoryStep } from '../../agents/trajectory.ts';
import type { GradeResult } from '../../scenarios/graders.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import type { ScoreInput } from '../types.ts';
import { type Call, callsOf } from './calls.ts';
import { type Aliases, buildAliases } from './entities.ts';
import { isObj, parseJsonText, textOf } from './util.ts';
import { type WorkDone, workDone } from './work.ts';

export interface Context {
  scenario: Scenario;
  trajectory: Trajectory;
  grade: GradeResult;
  steps: TrajectoryStep[];
  calls: Call[];
  aliases: Aliases;
  /** The final answer with JSON text read as JSON. */
  answer: unknown;
  /** The final answer as text (JSON answers serialised). */
  answerText: string;
  /** The scenario's frozen "now" (ISO). */
  now: string;
  /** Whether the work was done (data gathered) and whether the answer declined (work.ts). */
  work: WorkDone;
}

export function contextOf(input: ScoreInput): Context {
  const trajectory = (isObj(input?.trajectory) ? input.trajectory : {}) as Trajectory;
  const scenario = (isObj(input?.scenario) ? input.scenario : {}) as Scenario;
  const grade = (
    isObj(input?.grade) ? input.grade : { pass: false, score: 0, detail: 'no grade' }
  ) as GradeResult;
  const steps = Array.isArray(trajectory.steps) ? trajectory.steps.filter((s) => isObj(s)) : [];
  const calls = callsOf(trajectory);
  const answer = parseJsonText(trajectory.finalAnswer ?? null);
  return {
    scenario,
    trajectory,
    grade,
    steps,
    calls,
    aliases: buildAliases(scenario, calls),
    answer,
    answerText: textOf(trajectory.finalAnswer ?? null),
    now: typeof scenario.context?.now === 'string' ? scenario.context.now : new Date(0).toISOString(),
    work: workDone(scenario, calls, trajectory.finalAnswer ?? null),
  };
}
