// The run engine: turns planned attempts into recorded ones. The same `executeAttempt` runs
// in the local pool and in remote workers, so a run gives the same records wherever its
// attempts ran. Only infrastructure failures (the model server unreachable, 5xx, rate limits
// after backoff) are retried; an agent's own failure is a result.
import type { Agent } from '../agents/agent.ts';
import { finish, INFRA_ERROR_KIND, newTrajectory, type Trajectory } from '../agents/trajectory.ts';
import { type Dataset, openDataset } from '../dataset/open.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { UserError } from '../util/errors.ts';
import { canonicalJson, sha256Hex } from '../util/hash.ts';
import { runAttempt } from './attempt.ts';
import { newModelScope, withModelScope } from './models/scope.ts';
import { type MatrixEntry, parseResolvedSpec, type ResolvedRunSpec } from './spec.ts';
import { scenarioIndex, scenarioKey } from './store/scenarios.ts';
import type { AttemptRecord, AttemptRow, RunRow, RunStore } from './store/types.ts';

/** Wraps each resolved model (response cache, rate limits, cost accounting). */
export type ModelWrapper = (model: import('ai').LanguageModel, spec: string) => import('ai').LanguageModel;

export interface RunContext {
  store: RunStore;
  run: RunRow;
  spec: ResolvedRunSpec;
  /** Suite label -> the dataset its scenarios run on. */
  datasets: Map<string, Dataset>;
  /** `${suite}|${scenarioId}` -> the stored scenario. */
  scenarios: Map<string, Scenario>;
  /** Who runs the attempts ("local" or a worker id); stored with each attempt. */
  worker: string;
  wrapModel?: ModelWrapper;
  /** Infrastructure retries per attempt (default 2) and the first backoff (doubles each time). */
  maxInfraRetries: number;
  retryDelayMs: number;
  agents: Map<string, Agent>;
}

export interface ContextOptions {
  worker: string;
  wrapModel?: ModelWrapper;
  maxInfraRetries?: number;
  retryDelayMs?: number;
  /** A worker on another machine may keep the generated world in another folder. */
  worldOverride?: string;
  /** Worlds the caller already opened, by folder; the context adopts them (and closes them). */
  opened?: Map<string, Dataset>;
}

/** Opens what a run needs: its spec, its worlds (checksums verified) and its stored scenarios. */
export async function openRunContext(
  store: RunStore,
  run: RunRow,
  opts: ContextOptions,
): Promise<RunContext> {
  const spec = parseResolvedSpec(run.spec, run.id);
  const datasets = new Map<string, Dataset>();
  const byDir = new Map<string, Dataset>(opts.opened ?? []);
  try {
    for (const suite of spec.suites) {
      // An override applies to the generated world; the aob data keeps its own folder.
      const dir = opts.worldOverride && suite.kind !== 'aob' ? opts.worldOverride : suite.dataset.dir;
      let ds = byDir.get(dir);
      if (!ds) {
        ds = await openDataset(dir);
        byDir.set(dir, ds);
      }
      if (ds.manifest.checksum !== suite.dataset.checksum) {
        throw new UserError(
          `the world at ${dir} is not the one run ${run.id} started on (checksum ${ds.manifest.checksum.slice(0, 12)}, expected ${suite.dataset.checksum.slice(0, 12)})`,
          'Point --world at the dataset the run used (same seed and scale), or start a new run',
          'world_changed',
        );
      }
      datasets.set(suite.label, ds);
    }
  } catch (err) {
    for (const ds of byDir.values()) ds.close();
    throw err;
  }
  const scenarios = await scenarioIndex(store, run.id);
  return {
    store,
    run,
    spec,
    datasets,
    scenarios,
    worker: opts.worker,
    wrapModel: opts.wrapModel,
    maxInfraRetries: opts.maxInfraRetries ?? spec.limits.infraRetries ?? 2,
    retryDelayMs: opts.retryDelayMs ?? 2000,
    agents: new Map(),
  };
}

export function closeRunContext(ctx: RunContext): void {
  for (const ds of new Set(ctx.datasets.values())) ds.close();
  ctx.datasets.clear();
}

async function agentFor(ctx: RunContext, entry: MatrixEntry, suite: string): Promise<Agent> {
  const key = `${entry.agent}|${entry.model ?? ''}|${suite}`;
  const known = ctx.agents.get(key);
  if (known) return known;
  // Loaded on first use: the model SDKs are only needed when a model-backed agent runs.
  const { agentByName } = await import('../agents/registry.ts');
  const { spec } = ctx;
  const agent = agentByName(entry.agent, {
    model: entry.model ?? undefined,
    baseUrl: spec.baseUrl,
    maxSteps: spec.limits.steps,
    maxTokens: spec.limits.tokens,
    timeoutMs: spec.limits.timeoutS ? spec.limits.timeoutS * 1000 : undefined,
    cmd: spec.cmd,
    url: spec.url,
    modelProxy: spec.modelProxy,
    ds: ctx.datasets.get(suite),
    faults: spec.faults,
    wrapModel: ctx.wrapModel,
  });
  ctx.agents.set(key, agent);
  return agent;
}

/** A seed per attempt: trials differ from each other, reruns of one attempt do not. */
export function attemptSeed(row: Pick<AttemptRow, 'suite' | 'scenarioId' | 'trial'>): number {
  return Number.parseInt(sha256Hex(canonicalJson([row.suite, row.scenarioId, row.trial])).slice(0, 8), 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Races the attempt against the run's time limit (with a grace period: agents that honour
 * the limit themselves return their partial trajectory first).
 */
async function withDeadline<T>(
  work: Promise<T>,
  timeoutS: number | undefined,
  onTimeout: () => T,
): Promise<T> {
  if (!timeoutS) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), timeoutS * 1000 + 5000);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function timedOutTrajectory(row: AttemptRow, agent: Agent, timeoutS: number): Trajectory {
  const t = newTrajectory({ id: row.id, scenarioId: row.scenarioId, agent: agent.name, model: agent.model });
  t.errors.push({ kind: 'timeout', message: `attempt stopped after ${timeoutS} s (the run's time limit)` });
  return finish(t, 'limit', null);
}

/**
 * Why an attempt that did not complete failed because of the infrastructure, or null when it
 * was the agent's own doing: a model call that failed for the provider's reasons and was never
 * recovered (the model layer says which), or an error the agent's adapter marked as such (an
 * external agent's endpoint that refused the connection).
 */
export function infraFailure(t: Trajectory, modelInfraError: string | null): string | null {
  if (t.status === 'completed') return null;
  const marked = t.errors.find((e) => e.kind === INFRA_ERROR_KIND);
  if (marked) return marked.message;
  // A stop the agent chose (its step or token limit, the run's own deadline) is its result.
  if (modelInfraError && t.status !== 'limit') return modelInfraError;
  return null;
}

/** Runs one planned attempt to its record (not yet stored). */
export async function executeAttempt(ctx: RunContext, row: AttemptRow): Promise<AttemptRecord> {
  const scenario = ctx.scenarios.get(scenarioKey(row.suite, row.scenarioId));
  const ds = ctx.datasets.get(row.suite);
  if (!scenario || !ds)
    throw new Error(`run ${ctx.run.id} has no scenario ${row.scenarioId} in suite ${row.suite}`);
  const agent = await agentFor(ctx, { agent: row.agent, model: row.model }, row.suite);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const { limits } = ctx.spec;
  for (let retries = 0; ; retries++) {
    const scope = newModelScope({
      attemptId: row.id,
      trial: row.trial,
      useCache: ctx.spec.cache,
      limits: { tokens: limits.tokens, costUsd: limits.costUsd, steps: limits.steps },
    });
    const result = await withModelScope(scope, () =>
      withDeadline(
        runAttempt(ds, scenario, agent, { faults: ctx.spec.faults, seed: attemptSeed(row) }),
        limits.timeoutS,
        () => ({
          scenarioId: row.scenarioId,
          family: scenario.family,
          agent: agent.name,
          model: agent.model,
          status: 'limit' as const,
          grade: { pass: false, score: 0, detail: 'no answer: the attempt hit the time limit' },
          trajectory: timedOutTrajectory(row, agent, limits.timeoutS ?? 0),
        }),
      ),
    );
    const t = result.trajectory;
    const infra = infraFailure(t, scope.infraError);
    if (infra && retries < ctx.maxInfraRetries) {
      await sleep(ctx.retryDelayMs * 2 ** retries);
      continue;
    }
    if (infra) {
      // Not the agent's result: recorded for inspection, never scored, rerun by --resume.
      t.status = 'infra_error';
      if (!t.errors.some((e) => e.kind === INFRA_ERROR_KIND))
        t.errors.push({ kind: INFRA_ERROR_KIND, message: infra });
    }
    if (scope.budgetExceeded && t.status !== 'completed') {
      t.status = 'limit';
      t.errors.push({ kind: 'budget', message: scope.budgetExceeded });
    }
    // One id per attempt (trials of a scenario would otherwise share one).
    t.id = row.id;
    // An external agent's model calls go through the recording proxy, not this process's model
    // layer: its trajectory's usage is the record, as the scope is for our own agents.
    const proxied = scope.usage.calls === 0 && t.usage.calls > 0;
    const cost = proxied
      ? {
          calls: t.usage.calls,
          cachedCalls: 0,
          inputTokens: t.usage.inputTokens,
          outputTokens: t.usage.outputTokens,
          usd: t.usage.costUsd,
        }
      : { ...scope.usage };
    t.usage.costUsd = cost.usd;
    return {
      attemptId: row.id,
      outcome: t.status,
      grade: result.grade,
      cost,
      durationMs: performance.now() - t0,
      retries,
      worker: ctx.worker,
      startedAt,
      finishedAt: new Date().toISOString(),
      trajectory: t,
    };
  }
}

export interface PoolEvents {
  onStart?(row: AttemptRow): void;
  /** Awaited before the pool takes the next attempt (e.g. to score and store a scorecard). */
  onDone?(row: AttemptRow, rec: AttemptRecord, stored: boolean): void | Promise<void>;
}

/**
 * Runs every unfinished attempt of the run in this process, `concurrency` at a time.
 * Attempts left running by a killed runner go back to pending first: a resumed run reruns
 * them, and never touches those already recorded.
 */
export async function runPending(
  ctx: RunContext,
  concurrency: number,
  events: PoolEvents = {},
): Promise<void> {
  await ctx.store.resetUnfinished(ctx.run.id);
  const queue = (await ctx.store.attempts(ctx.run.id)).filter((a) => a.status !== 'done');
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      if (!(await ctx.store.claimAttempt(row.id, ctx.worker))) continue;
      events.onStart?.(row);
      const rec = await executeAttempt(ctx, row);
      const stored = await ctx.store.recordAttempt(rec);
      await events.onDone?.(row, rec, stored);
    }
  });
  await Promise.all(workers);
}
