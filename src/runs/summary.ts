// What a run came to, read back from the store: per agent, model and suite, how many typed
// answers were correct (the grader's verdict, called "answer correct"; "pass" is the scoring
// rule's and lives in scoring/aggregate.ts), how many attempts ended in errors or limits, how
// many the infrastructure failed (not results: excluded, rerun by --resume), what it cost.
// The CLI prints it, --json emits it, and `runs show` adds the attempts.
import { scenarioKey } from './store/scenarios.ts';
import type { AttemptRow, RunCounts, RunRow, RunStore } from './store/types.ts';

export interface GroupSummary {
  agent: string;
  model: string | null;
  suite: string;
  attempts: number;
  done: number;
  /** Done attempts with a typed answer (free text waits for the judge; infrastructure failures left out). */
  typedAnswers: number;
  /** Of those, answers the typed grader found correct. */
  answerCorrect: number;
  answerCorrectRate: number;
  errors: number;
  /** Attempts the infrastructure failed: not the agent's results, rerun by --resume. */
  infra: number;
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
  typedAnswers: number;
  answerCorrect: number;
  answerCorrectRate: number;
  /** Attempts the infrastructure failed, over all groups. */
  infra: number;
  groups: GroupSummary[];
  /** Families of the run's scenarios, with typed answers and correct ones. */
  byFamily: Record<string, { typedAnswers: number; answerCorrect: number }>;
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
        typedAnswers: 0,
        answerCorrect: 0,
        answerCorrectRate: 0,
        errors: 0,
        infra: 0,
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
    if (a.outcome === 'infra_error') {
      g.infra++;
      continue;
    }
    if (a.grade && !a.grade.needsJudge) {
      g.typedAnswers++;
      if (a.grade.pass) g.answerCorrect++;
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
    answerCorrectRate: g.typedAnswers ? g.answerCorrect / g.typedAnswers : 0,
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
    if (a.status !== 'done' || a.outcome === 'infra_error' || !a.grade || a.grade.needsJudge) continue;
    const f = family.get(scenarioKey(a.suite, a.scenarioId)) ?? 'unknown';
    byFamily[f] ??= { typedAnswers: 0, answerCorrect: 0 };
    byFamily[f].typedAnswers++;
    if (a.grade.pass) byFamily[f].answerCorrect++;
  }
  const groups = groupAttempts(attempts);
  const typedAnswers = groups.reduce((n, g) => n + g.typedAnswers, 0);
  const answerCorrect = groups.reduce((n, g) => n + g.answerCorrect, 0);
  return {
    runId: run.id,
    name: run.name,
    status: run.status,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    store: location,
    counts,
    typedAnswers,
    answerCorrect,
    answerCorrectRate: typedAnswers ? answerCorrect / typedAnswers : 0,
    infra: groups.reduce((n, g) => n + g.infra, 0),
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
    answerCorrect: a.grade && !a.grade.needsJudge && a.outcome !== 'infra_error' ? a.grade.pass : null,
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
