// What every agent is given and what it returns. An agent sees the task (the utterance,
// the answer format and its clock) and a tool session; never the expected answer, the
// required evidence, the reference plan, or even which scenario it is: the task carries an
// opaque id, fresh per attempt. It returns a Trajectory.
import { randomBytes } from 'node:crypto';
import { newTrajectory, observeSteps, type Trajectory, type TrajectoryStep } from './trajectory.ts';

export interface AgentTask {
  /**
   * An opaque id of this attempt's task ("task-" and random hex): the scenario's id (which
   * names its template) never reaches an agent. The runner maps results back to the scenario.
   */
  taskId: string;
  utterance: string;
  /** What to return: a generic description and the JSON Schema of the answer (types only). */
  answerFormat: { description: string; jsonShape: Record<string, unknown> | null };
  /** The session's frozen "now" (ISO); the same the current_date_time tool reports. */
  now: string;
  track: 'execution' | 'planning';
  /**
   * The scripted operator: answers a clarifying question (null when the scenario has no
   * clarification). Agents record the question as an `ask` step.
   */
  askOperator(question: string): Promise<string | null>;
  /** Told of every step as the agent records it (for live views); optional. */
  onStep?(step: TrajectoryStep): void;
}

/** The part of a tool session an agent may use. */
export interface AgentTools {
  /** Tool names, descriptions and input JSON Schemas, as an agent would list them. */
  list(): Array<{ name: string; description: string; inputSchema: Record<string, unknown> }>;
  /** Calls a tool; never throws: data or a structured error. */
  call(
    name: string,
    args: unknown,
  ): Promise<
    { ok: true; data: unknown } | { ok: false; error: { code: string; message: string; hint: string } }
  >;
}

export interface Agent {
  name: string;
  /** The model behind it, or null for agents that need none. */
  model: string | null;
  /** True for agents whose tools run on their own MCP server: the trajectory already holds that server's log. */
  ownsToolLog?: boolean;
  run(task: AgentTask, tools: AgentTools): Promise<Trajectory>;
}

/** A fresh opaque task id (random, so nothing about the scenario can be read from it). */
export function newTaskId(): string {
  return `task-${randomBytes(8).toString('hex')}`;
}

/**
 * The key of the tool session an attempt opened for a task (it seeds fault injection). Kept
 * beside the task rather than in it, so that agents never see it: an external agent's own
 * server uses the same key, and so the same seed injects the same faults.
 */
export const toolSessionKeys: WeakMap<AgentTask, string> = new WeakMap();

/**
 * What the runner, run specs, the playground and the leaderboard need to know of an agent, in
 * one place: its track, whether it needs a model, whether it is the user's own (it runs its
 * own tools over MCP and may or may not use a model), and how its model use is counted against
 * the attempt's budget (the run's model layer for ours, the recording proxy for external ones,
 * nothing for the baseline).
 */
export interface AgentDescriptor {
  name: string;
  track: 'execution' | 'planning';
  needsModel: 'yes' | 'no' | 'optional';
  external: boolean;
  budget: 'model-layer' | 'proxy' | 'none';
  /** Whether the dashboard's playground may run it (external agents run in their own process). */
  playground: boolean;
}

export const AGENT_DESCRIPTORS = [
  {
    name: 'baseline',
    track: 'execution',
    needsModel: 'no',
    external: false,
    budget: 'none',
    playground: true,
  },
  {
    name: 'react',
    track: 'execution',
    needsModel: 'yes',
    external: false,
    budget: 'model-layer',
    playground: true,
  },
  {
    name: 'plan-execute',
    track: 'planning',
    needsModel: 'yes',
    external: false,
    budget: 'model-layer',
    playground: true,
  },
  {
    name: 'agent-as-tool',
    track: 'planning',
    needsModel: 'yes',
    external: false,
    budget: 'model-layer',
    playground: true,
  },
  {
    name: 'command',
    track: 'execution',
    needsModel: 'optional',
    external: true,
    budget: 'proxy',
    playground: false,
  },
  {
    name: 'http',
    track: 'execution',
    needsModel: 'optional',
    external: true,
    budget: 'proxy',
    playground: false,
  },
] as const satisfies readonly AgentDescriptor[];

export type AgentName = (typeof AGENT_DESCRIPTORS)[number]['name'];

/** The built-in agents, by the names the CLI and run files use. */
export const AGENT_NAMES: readonly AgentName[] = AGENT_DESCRIPTORS.map((d) => d.name);

const named = (keep: (d: AgentDescriptor) => boolean): ReadonlySet<string> =>
  new Set(AGENT_DESCRIPTORS.filter(keep).map((d) => d.name));

/** Agents of the planning track: they coordinate domain sub-agents. */
export const PLANNING_AGENTS = named((d) => d.track === 'planning');
/** Agents that run without a model; the others are crossed with every model of a run. */
export const MODEL_FREE_AGENTS = named((d) => d.needsModel === 'no');
/** Agents the user brings (they may or may not use a model: crossed only with explicit models). */
export const EXTERNAL_AGENTS = named((d) => d.external);
/** Agents the playground may run. */
export const PLAYGROUND_AGENT_NAMES = AGENT_DESCRIPTORS.filter((d) => d.playground).map((d) => d.name);

/** A fresh trajectory for one agent on one task (every agent starts the same way). */
export function startTrajectory(agent: string, model: string | null, task: AgentTask): Trajectory {
  const t = newTrajectory({
    id: `${agent}-${task.taskId}`,
    // The agent knows only the task id; the attempt puts the real scenario id in afterwards.
    scenarioId: task.taskId,
    agent,
    model,
    track: task.track,
    task: task.utterance,
  });
  if (task.onStep) observeSteps(t, task.onStep);
  return t;
}
