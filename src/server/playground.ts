// The playground: one attempt at a time per request, with the offline baseline agent (or a
// model-backed agent when the server can reach a model), on a
// scenario of a suite (graded and scored like a run's attempt) or on a free question (no
// grade). Tool calls and the agent's steps are published as they happen, then the
// answer; subscribers (server-sent events) replay from the start and follow live.
import { randomUUID } from 'node:crypto';
import { type Agent, type AgentTask, type AgentTools, newTaskId } from '../agents/agent.ts';
import { baselineAgent } from '../agents/baseline/index.ts';
import type { Trajectory } from '../agents/trajectory.ts';
import type { Dataset } from '../dataset/open.ts';
import { agentTools, runAttempt } from '../runs/attempt.ts';
import type { GradeResult } from '../scenarios/graders.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { scoreTrajectory } from '../scoring/scorecard.ts';
import { createSession } from '../tools/registry.ts';

export type PlaygroundEventName = 'started' | 'call' | 'result' | 'step' | 'final' | 'error';

export interface PlaygroundEvent {
  id: number;
  event: PlaygroundEventName;
  data: unknown;
}

export class PlaygroundRun {
  readonly events: PlaygroundEvent[] = [];
  done = false;
  private waiters: Array<() => void> = [];

  constructor(
    readonly id: string,
    readonly createdAt: string,
  ) {}

  push(event: PlaygroundEventName, data: unknown): void {
    this.events.push({ id: this.events.length, event, data });
    if (event === 'final' || event === 'error') this.done = true;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves at the next event (or at once when the run is over). */
  next(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wakes every subscriber (e.g. a client went away). */
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Tools that publish each call and its outcome as they happen. */
function observed(tools: AgentTools, run: PlaygroundRun): AgentTools {
  let seq = 0;
  return {
    list: () => tools.list(),
    call: async (name, args) => {
      const n = ++seq;
      run.push('call', { seq: n, tool: name, args });
      const t0 = performance.now();
      const r = await tools.call(name, args);
      run.push('result', {
        seq: n,
        tool: name,
        ok: r.ok,
        ...(r.ok ? {} : { error: r.error }),
        latencyMs: Math.round(performance.now() - t0),
      });
      return r;
    },
  };
}

export interface PlaygroundRequest {
  scenario: (Scenario & { suite: string }) | null;
  question: string | null;
  /** The agent to run (the offline baseline unless a model-backed agent was built). */
  agent?: Agent;
}

function verdicts(card: ReturnType<typeof scoreTrajectory>) {
  return {
    total: card.total,
    pass: card.pass,
    dimensions: Object.fromEntries(
      Object.entries(card.dimensions).map(([d, v]) => [
        d,
        { pass: v.pass, applicable: v.applicable, score: v.score, rationale: v.rationale },
      ]),
    ),
  };
}

export class Playground {
  private readonly runs = new Map<string, PlaygroundRun>();
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly kept: number,
  ) {}

  get busy(): boolean {
    return this.running >= this.concurrency;
  }

  get(id: string): PlaygroundRun | null {
    return this.runs.get(id) ?? null;
  }

  start(ds: Dataset, req: PlaygroundRequest): PlaygroundRun {
    const run = new PlaygroundRun(`pg-${randomUUID()}`, new Date().toISOString());
    this.runs.set(run.id, run);
    this.evict();
    this.running++;
    run.push('started', {
      id: run.id,
      agent: (req.agent ?? baselineAgent).name,
      model: (req.agent ?? baselineAgent).model,
      scenarioId: req.scenario?.id ?? null,
      suite: req.scenario?.suite ?? null,
      question: req.scenario?.utterance ?? req.question,
    });
    // Runs in the background; subscribers follow through the events.
    void this.execute(ds, req, run)
      .catch((err) => run.push('error', { error: (err as Error)?.message ?? String(err) }))
      .finally(() => {
        this.running--;
      });
    return run;
  }

  private evict(): void {
    for (const [id, r] of this.runs) {
      if (this.runs.size <= this.kept) break;
      if (r.done) this.runs.delete(id);
    }
  }

  private async execute(ds: Dataset, req: PlaygroundRequest, run: PlaygroundRun): Promise<void> {
    const chosen = req.agent ?? baselineAgent;
    const agent: Agent = {
      name: chosen.name,
      model: chosen.model,
      run: (task, tools) => chosen.run(task, observed(tools, run)),
    };
    let trajectory: Trajectory;
    let grade: GradeResult | null = null;
    let scorecard: ReturnType<typeof verdicts> | null = null;
    if (req.scenario) {
      const result = await runAttempt(ds, req.scenario, agent, {
        seed: 0,
        onStep: (step) => run.push('step', step),
      });
      trajectory = result.trajectory;
      grade = result.grade;
      scorecard = verdicts(scoreTrajectory({ scenario: req.scenario, trajectory, grade }));
    } else {
      const session = createSession(ds, { id: `playground:${run.id}` });
      // A free question: no scenario, so no answer format and no operator to ask.
      const task: AgentTask = {
        taskId: newTaskId(),
        utterance: req.question ?? '',
        answerFormat: { description: 'Answer in plain text.', jsonShape: null },
        now: session.nowIso,
        track: 'execution',
        askOperator: async () => null,
        onStep: (step) => run.push('step', step),
      };
      trajectory = await agent.run(task, agentTools(session));
      trajectory.toolLog = session.log.map((r) => ({ ...r }));
    }
    trajectory.id = run.id;
    run.push('final', {
      id: run.id,
      status: trajectory.status,
      answer: trajectory.finalAnswer,
      grade,
      expected: req.scenario?.expected ?? null,
      scorecard,
      steps: trajectory.steps.length,
      toolCalls: trajectory.toolLog.length,
      errors: trajectory.errors,
    });
  }
}
