// One attempt: one agent on one scenario, in a fresh tool session frozen at the
// scenario's "now". The session's call log (what the agent really did) is attached to the
// trajectory, and the final answer is graded against the expected answer.
import {
  type Agent,
  type AgentTask,
  type AgentTools,
  newTaskId,
  PLANNING_AGENTS,
  toolSessionKeys,
} from '../agents/agent.ts';
import { finish, newTrajectory, type Trajectory } from '../agents/trajectory.ts';
import type { Dataset } from '../dataset/open.ts';
import { inputJsonSchema } from '../mcp/server.ts';
import { gradeScenarioAnswer } from '../scenarios/aob/answer.ts';
import type { GradeResult } from '../scenarios/graders.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { FaultProfile } from '../tools/faults.ts';
import { createSession } from '../tools/registry.ts';
import type { ToolSession } from '../tools/session.ts';

export interface AttemptResult {
  scenarioId: string;
  family: string;
  agent: string;
  model: string | null;
  status: Trajectory['status'];
  /** Task completion from the typed answer (free-text answers wait for the judge). */
  grade: GradeResult;
  trajectory: Trajectory;
}

/** The tool session as an agent sees it. */
export function agentTools(session: ToolSession): AgentTools {
  return {
    list: () =>
      session
        .listTools()
        .map((t) => ({ name: t.name, description: t.description, inputSchema: inputJsonSchema(t) })),
    call: (name, args) => session.call(name, args),
  };
}

/**
 * The task an agent is given: no expected answer, evidence or plan, and not the scenario's id
 * (it names the template): an opaque id, fresh per attempt.
 */
export function taskOf(s: Scenario, session: ToolSession, track: 'execution' | 'planning'): AgentTask {
  return {
    taskId: newTaskId(),
    utterance: s.utterance,
    answerFormat: s.answerFormat,
    now: session.nowIso,
    track,
    askOperator: async () => s.clarification?.reply ?? null,
  };
}

export interface AttemptOptions {
  /** Told of every step as the agent records it (live views). */
  onStep?: AgentTask['onStep'];
  faults?: FaultProfile;
  seed?: number;
}

export async function runAttempt(
  ds: Dataset,
  s: Scenario,
  agent: Agent,
  opts: AttemptOptions = {},
): Promise<AttemptResult> {
  // The session key seeds fault injection; it is never shown to the agent.
  const sessionKey = `${agent.name}:${s.id}`;
  const session = createSession(ds, {
    now: s.context.now,
    faults: opts.faults,
    seed: opts.seed,
    id: sessionKey,
  });
  // Planning agents (they coordinate sub-agents) run on the planning track when the scenario has it.
  const planning = PLANNING_AGENTS.has(agent.name) && s.tracks.includes('planning');
  const track = planning || !s.tracks.includes('execution') ? 'planning' : 'execution';
  let trajectory: Trajectory;
  try {
    const task = taskOf(s, session, track);
    toolSessionKeys.set(task, sessionKey);
    if (opts.onStep) task.onStep = opts.onStep;
    trajectory = await agent.run(task, agentTools(session));
    // The agent knew only the opaque task id: the record names the real scenario.
    trajectory.id = `${agent.name}-${s.id}`;
    trajectory.scenarioId = s.id;
  } catch (err) {
    // An agent that crashes has failed this scenario; the run goes on.
    trajectory = newTrajectory({
      id: `${agent.name}-${s.id}`,
      scenarioId: s.id,
      agent: agent.name,
      model: agent.model,
      track,
    });
    trajectory.errors.push({ kind: 'agent_crash', message: (err as Error)?.message ?? String(err) });
    finish(trajectory, 'error', null);
  }
  // External agents work through their own MCP server and bring its log; ours is unused then.
  if (!agent.ownsToolLog) trajectory.toolLog = session.log.map((r) => ({ ...r }));
  const g =
    s.expected.type === 'free_text'
      ? { pass: false, score: 0, detail: 'free text: graded by the judge', needsJudge: true }
      : gradeScenarioAnswer(s, trajectory.finalAnswer);
  return {
    scenarioId: s.id,
    family: s.family,
    agent: agent.name,
    model: agent.model,
    status: trajectory.status,
    grade: g,
    trajectory,
  };
}
