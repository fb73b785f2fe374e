// The baseline agent: no model, only rules. It reads the request (utterance, answer format,
// clock), picks the first rule that recognises it, answers with tool calls, and says plainly
// when it cannot. Deterministic: the same task and tools give the same steps and answer.
// It never sees expected answers or reference plans; it is the floor a model-backed agent
// should clear.
import { type Agent, type AgentTask, type AgentTools, startTrajectory } from '../agent.ts';
import { addStep, answerText, finish, type Trajectory } from '../trajectory.ts';
import { type Answer, INTENTS, type Intent } from './intents/index.ts';
import { AGENT_NAME, Run, Unable } from './run.ts';

/** The first rule that recognises the request (a rule whose test throws does not). */
export function chooseIntent(r: Run, intents: Intent[] = INTENTS): Intent | null {
  return (
    intents.find((i) => {
      try {
        return i.matches(r);
      } catch {
        return false;
      }
    }) ?? null
  );
}

function cannot(reason: string): Answer {
  return { answer: null, reason };
}

async function answerWith(
  r: Run,
  intent: Intent,
): Promise<{ status: 'completed' | 'failed'; answer: Answer }> {
  try {
    return { status: 'completed', answer: await intent.run(r) };
  } catch (err) {
    if (err instanceof Unable) {
      r.thought(`Cannot answer: ${err.message}.`);
      return { status: 'completed', answer: cannot(`I could not answer this: ${err.message}.`) };
    }
    // A bug in a rule, not a property of the request: record it and fail this run honestly.
    const message = err instanceof Error ? err.message : String(err);
    r.traj.errors.push({ kind: 'baseline_rule_error', message, step: r.traj.steps.length });
    return { status: 'failed', answer: cannot(`The ${intent.id} rule failed: ${message}`) };
  }
}

export async function runBaseline(task: AgentTask, tools: AgentTools): Promise<Trajectory> {
  const traj = startTrajectory(AGENT_NAME, null, task);
  const r = new Run(task, tools, traj);
  const intent = chooseIntent(r);
  let outcome: { status: 'completed' | 'failed'; answer: Answer };
  if (!intent) {
    r.thought('No rule of the baseline recognises this request.');
    outcome = {
      status: 'completed',
      answer: cannot('I do not know how to answer this kind of request with the rules I have.'),
    };
  } else {
    r.thought(`Rule ${intent.id} matches: ${intent.plan}.`);
    outcome = await answerWith(r, intent);
  }
  addStep(traj, { agent: AGENT_NAME, kind: 'final', content: answerText(outcome.answer) });
  return finish(traj, outcome.status, outcome.answer);
}

export const baselineAgent: Agent = {
  name: AGENT_NAME,
  model: null,
  run: runBaseline,
};
