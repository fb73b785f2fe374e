// What a run came to, read back from the store: per agent, model and suite, how many
// attempts were graded and passed, how many ended in errors or limits, what it cost.
// The CLI prints it, --json emits it, and `runs show` adds the attempts.
import { scenarioKey } from './store/scenarios.ts';
import type { AttemptRow, RunCounts, RunRow, RunStore } from './store/types.ts';

export interface GroupSummary {
  agent: string;
  model: string | null;
  suite: string;
  attempts: number;
  done: number;
  /** Done attempts with a typed answer (free text waits for the judge). */
  graded: number;
  passed: number;
  passRate: number;
  errors: number;
  limits: number;
  costUsd: number;
  modelCalls: number;
  cachedCalls: number;
  meanDurationMs: number;
}

export interface RunSummary {
  runId: string;
  name: string | null;
  status: RunRow['status'];
  createdAt: string;
  finishedAt: string | null;
  store: string;
  counts: RunCounts;
  /** Done attempts with a typed answer, over all groups. */
  graded: number;
  passed: number;
  passRate: number;
  groups: GroupSummary[];
  /** Families of the run's scenarios, with graded and passed counts. */
  byFamily: Record<string, { graded: number; passed: number }>;
}

export function groupAttempts(attempts: AttemptRow[]): GroupSummary[] {
  const groups = new Map<string, GroupSummary & { durations: number }>();
  for (const a of attempts) {
    const key = `${a.agent}|${a.model ?? ''}|${a.suite}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        agent: a.agent,
        model: a.model,
        suite: a.suite,
        attempts: 0,
        done: 0,
        graded: 0,
        passed: 0,
        passRate: 0,
        errors: 0,
        limits: 0,
        costUsd: 0,
        modelCalls: 0,
        cachedCalls: 0,
        meanDurationMs: 0,
        durations: 0,
      };
      groups.set(key, g);
    }
    g.attempts++;
    if (a.status !== 'done') continue;
    g.done++;
    if (a.grade && !a.grade.needsJudge) {
      g.graded++;
      if (a.grade.pass) g.passed++;
    }
    if (a.outcome === 'error') g.errors++;
    if (a.outcome === 'limit') g.limits++;
    g.costUsd += a.cost.usd;
    g.modelCalls += a.cost.calls;
    g.cachedCalls += a.cost.cachedCalls;
    g.durations += a.durationMs ?? 0;
  }
  return [...groups.values()].map(({ durations, ...g }) => ({
    ...g,
    passRate: g.graded ? g.passed / g.graded : 0,
    meanDurationMs: g.done ? durations / g.done : 0,
  }));
}

export async function summarizeRun(store: RunStore, run: RunRow): Promise<RunSummary> {
  const [attempts, counts, scenarios] = await Promise.all([
    store.attempts(run.id),
    store.counts(run.id),
    store.scenarios(run.id),
  ]);
  const family = new Map(scenarios.map((s) => [scenarioKey(s.suite, s.scenario.id), s.scenario.family]));
  return summaryOf(store.location, run, attempts, counts, family);
}

/**
 * The summary of a run over the given attempts (all of them, or those a viewer may see) with
 * their counts; `family` maps `suite|scenarioId` to the scenario's family.
 */
export function summaryOf(
  location: string,
  run: RunRow,
  attempts: AttemptRow[],
  counts: RunCounts,
  family: Map<string, string>,
): RunSummary {
  const byFamily: RunSummary['byFamily'] = {};
  for (const a of attempts) {
    if (a.status !== 'done' || !a.grade || a.grade.needsJudge) continue;
    const f = family.get(scenarioKey(a.suite, a.scenarioId)) ?? 'unknown';
    byFamily[f] ??= { graded: 0, passed: 0 };
    byFamily[f].graded++;
    if (a.grade.pass) byFamily[f].passed++;
  }
  const groups = groupAttempts(attempts);
  const graded = groups.reduce((n, g) => n + g.graded, 0);
  const passed = groups.reduce((n, g) => n + g.passed, 0);
  return {
    runId: run.id,
    name: run.name,
    status: run.status,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    store: location,
    counts,
    graded,
    passed,
    passRate: graded ? passed / graded : 0,
    groups,
    byFamily,
  };
}

/** One row per attempt, as `runs show --json` lists them. */
export function attemptListing(a: AttemptRow) {
  return {
    id: a.id,
    suite: a.suite,
    scenarioId: a.scenarioId,
    agent: a.agent,
    model: a.model,
    trial: a.trial,
    status: a.status,
    outcome: a.outcome,
    pass: a.grade && !a.grade.needsJudge ? a.grade.pass : null,
    score: a.grade ? a.grade.score : null,
    detail: a.grade?.detail ?? null,
    costUsd: a.cost.usd,
    inputTokens: a.cost.inputTokens,
    outputTokens: a.cost.outputTokens,
    modelCalls: a.cost.calls,
    cachedCalls: a.cost.cachedCalls,
    durationMs: a.durationMs,
    retries: a.retries,
    worker: a.worker,
  };
}
