// What the command and HTTP agents share: a task server per task, the trajectory built
// from that server's call log (not from anything the agent says about itself), and the
// rule for the final answer: submit_answer, when called, wins over the agent's reply.
import type { Dataset } from '../../dataset/open.ts';
import type { FaultProfile } from '../../tools/faults.ts';
import { type Agent, type AgentTask, startTrajectory, toolSessionKeys } from '../agent.ts';
import { modelCallSteps, type RecordingProxy, startRecordingProxy } from '../proxy/proxy.ts';
import {
  addStep,
  finish,
  INFRA_ERROR_KIND,
  type Trajectory,
  type TrajectoryError,
  type TrajectoryStatus,
} from '../trajectory.ts';
import { startTaskServer, type TaskServer } from './task-server.ts';

export const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * An agent whose tools run on its own MCP server. Its trajectory already holds that server's
 * log as toolLog, so the attempt must keep it rather than attach its own (unused) session's.
 */
export interface ExternalAgent extends Agent {
  readonly ownsToolLog: true;
}

export interface ExternalOptions {
  ds: Dataset;
  timeoutMs?: number;
  /** Fixed bearer token for the task servers; a random one per task otherwise. */
  token?: string;
  /** Fault profile and seed, as the attempt's own session would have them. */
  faults?: FaultProfile;
  seed?: number;
  /** A label for reports: the model the external agent says it uses (the bench never calls it). */
  model?: string;
  /**
   * Put a recording proxy in front of the agent's own model endpoint (OpenAI-compatible):
   * the agent gets the proxy's URL, and its model calls land in the trajectory.
   */
  modelProxy?: { upstream: string; apiKey?: string };
}

/** The task as an external agent receives it (it reaches the operator through the ask_operator tool). */
export function taskPayload(task: AgentTask): Record<string, unknown> {
  return {
    taskId: task.taskId,
    utterance: task.utterance,
    answerFormat: task.answerFormat,
    now: task.now,
    track: task.track,
  };
}

/** How one drive of an external agent ended. */
export interface DriveOutcome {
  /** The agent's reply, when it gave one (undefined: none). */
  answer?: unknown;
  status: TrajectoryStatus;
  errors: TrajectoryError[];
  /** Messages for after the tool steps (output tails, HTTP replies). */
  notes: string[];
}

const RESULT_CHARS = 20_000;

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** One tool_call / tool_result pair per call the server recorded, in order. */
export function addLogSteps(traj: Trajectory, session: TaskServer['session']): void {
  for (const r of session.log) {
    const tool = { name: r.tool, args: r.args, callId: r.resultRef };
    // A question to the operator is an `ask` step, as with the built-in agents.
    const asked = r.tool === 'ask_operator';
    addStep(traj, {
      agent: traj.agent,
      kind: asked ? 'ask' : 'tool_call',
      content: asked
        ? String((r.args as { question?: unknown })?.question ?? '')
        : `${r.tool} ${JSON.stringify(r.args) ?? 'null'}`,
      tool,
      at: r.startedAt,
    });
    const result = session.result(r.resultRef) as
      | { ok: boolean; data?: unknown; error?: unknown }
      | undefined;
    addStep(traj, {
      agent: traj.agent,
      kind: 'tool_result',
      content: clip(
        JSON.stringify(result?.ok ? result.data : { error: result?.error }) ?? 'null',
        RESULT_CHARS,
      ),
      tool: { ...tool, ok: r.ok, ...(r.error ? { error: r.error.message } : {}) },
      latencyMs: r.latencyMs,
    });
  }
}

/**
 * Runs one task: starts the task server, lets `drive` run the agent against it, then
 * builds the trajectory. Never throws: a drive that throws is recorded as an error.
 */
export async function runExternal(
  agent: Agent,
  opts: ExternalOptions,
  task: AgentTask,
  intro: string,
  drive: (server: TaskServer, modelBaseUrl: string | null) => Promise<DriveOutcome>,
): Promise<Trajectory> {
  const traj = startTrajectory(agent.name, agent.model, task);
  addStep(traj, { agent: agent.name, kind: 'message', content: intro });
  let server: TaskServer | undefined;
  let proxy: RecordingProxy | undefined;
  let outcome: DriveOutcome;
  try {
    if (opts.modelProxy) proxy = await startRecordingProxy(opts.modelProxy);
    server = await startTaskServer(opts.ds, {
      now: task.now,
      askOperator: (q) => task.askOperator(q),
      token: opts.token,
      faults: opts.faults,
      seed: opts.seed,
      // The key the attempt gives its own session, so that a seed injects the same faults.
      id: toolSessionKeys.get(task) ?? `${agent.name}:${task.taskId}`,
    });
    outcome = await drive(server, proxy?.url ?? null);
  } catch (err) {
    outcome = {
      status: 'error',
      errors: [{ kind: 'external', message: (err as Error)?.message ?? String(err) }],
      notes: [],
    };
  }
  try {
    if (server) {
      addLogSteps(traj, server.session);
      traj.toolLog = server.session.log.map((r) => ({ ...r }));
    }
    if (proxy) recordModelCalls(traj, proxy);
    for (const note of outcome.notes) addStep(traj, { agent: agent.name, kind: 'message', content: note });
    traj.errors.push(...outcome.errors);
    // An agent that gave up after its model provider failed (seen by the recording proxy: the
    // last model call a 5xx, 429, or unreachable) was stopped by an outage, not by itself.
    const lastCall = proxy?.calls.at(-1);
    if (
      outcome.status !== 'completed' &&
      lastCall &&
      (lastCall.status >= 500 || lastCall.status === 429 || lastCall.status === 0)
    )
      traj.errors.push({
        kind: INFRA_ERROR_KIND,
        message: `the agent's model provider failed (HTTP ${lastCall.status || 'unreachable'}${lastCall.error ? `: ${lastCall.error}` : ''})`,
      });
    const submitted = server?.submitted();
    const answer = submitted ? submitted.value : (outcome.answer ?? null);
    if (answer === null && outcome.status === 'completed') {
      traj.errors.push({ kind: 'no_answer', message: 'the agent ended without an answer' });
    }
    return finish(traj, outcome.status, answer);
  } finally {
    await server?.close();
    await proxy?.close();
  }
}

/** The external agent's own model calls, seen by the proxy: steps and usage. */
function recordModelCalls(traj: Trajectory, proxy: RecordingProxy): void {
  for (const step of modelCallSteps(proxy.calls)) addStep(traj, step);
  for (const c of proxy.calls) {
    if (c.status >= 200 && c.status < 300) traj.usage.calls++;
    traj.usage.inputTokens += c.usage?.prompt_tokens ?? 0;
    traj.usage.outputTokens += c.usage?.completion_tokens ?? 0;
  }
}
