// Steps recorded apart and placed later. A sub-agent's steps must sit between the handoff
// that started it and what follows, but the AI SDK reports a tool-calling step only after
// its tools (the sub-agents) have run. So each agent records into a scratch trajectory and
// the caller appends the steps where they belong, renumbered, with error references moved.
import { addStep, type Trajectory, type TrajectoryError, type TrajectoryStep } from '../trajectory.ts';

export interface StepBatch {
  steps: TrajectoryStep[];
  errors: TrajectoryError[];
}

/**
 * A view of the run for one agent: its own steps and errors, its name on every step, and the
 * run's usage counters shared, so react/record.ts can record into it unchanged.
 */
export function scratchFor(traj: Trajectory, agent: string): Trajectory {
  return { ...traj, agent, steps: [], errors: [] };
}

/** Appends a batch; `after` may give a batch to place right after a step (a sub-agent's run). */
export function appendBatch(
  traj: Trajectory,
  batch: StepBatch,
  after?: (step: TrajectoryStep) => StepBatch | undefined,
): void {
  const moved = new Map<number, number>();
  for (const step of batch.steps) {
    const { index, ...rest } = step;
    moved.set(index, addStep(traj, rest).index);
    const inner = after?.(step);
    if (inner) appendBatch(traj, inner);
  }
  for (const e of batch.errors) {
    const { step, ...rest } = e;
    const to = step === undefined ? undefined : moved.get(step);
    traj.errors.push(to === undefined ? rest : { ...rest, step: to });
  }
}
