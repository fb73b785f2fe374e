// Scores and summaries as the API shows them: per run, the stored scorecards aggregated per
// agent, model and suite (scoring/aggregate.ts), with sealed competition scenarios left out,
// cached until the run gains attempts or what is sealed changes.
import { PLANNING_AGENTS } from '../agents/agent.ts';
import type { AttemptRow, RunCounts, RunRow, RunStore } from '../runs/store/types.ts';
import { type RunSummary, summaryOf } from '../runs/summary.ts';
import { type AttemptScore, type GroupScore, type RunScores, scoreRun } from '../scoring/aggregate.ts';
import { EVIDENCE_SCORER, storedScores } from '../scoring/stored.ts';
import { DIMENSIONS } from '../scoring/types.ts';
import type { Competitions } from './competitions.ts';
import { SUBMISSION_PREFIX, submissionSpec } from './submission-spec.ts';

export type Track = 'execution' | 'planning';

export interface LeaderboardEntry {
  runId: string;
  runName: string | null;
  createdAt: string;
  submission: boolean;
  track: Track;
  agent: string;
  model: string | null;
  suite: string;
  /** The tool faults profile the run injected (submissions: none). */
  faults: string;
  attempts: number;
  scenarios: number;
  trials: number;
  /** Graded attempts (with a total) and ungraded ones (free text no judge has read). */
  graded: number;
  ungraded: number;
  /** Mean total of the graded attempts (null: none graded) and its CI (null: too few). */
  total: { mean: number | null; ci: { lower: number; upper: number } | null };
  readiness: GroupScore['readiness'];
  ready: boolean;
  /** Attempts that passed the pass rule, of the graded ones. */
  passed: number;
  passRate: number;
  passHatK: GroupScore['passHatK'];
  flipRate: number | null;
  dimensions: GroupScore['dimensions'];
  toolAccuracy: number | null;
  aobCompetition: number;
  costPerScenario: number;
  /** Attempts left out because their scenarios are sealed in a competition. */
  sealedAttempts: number;
}

export function trackOf(run: RunRow, agent: string): Track {
  const sub = submissionSpec(run);
  if (sub) return sub.track;
  return PLANNING_AGENTS.has(agent) ? 'planning' : 'execution';
}

/** The faults profile of a run's spec; a submission's agent ran elsewhere, under none we injected. */
export function faultsOf(run: RunRow): string {
  if (submissionSpec(run)) return 'none';
  const f = (run.spec as { faults?: unknown } | null)?.faults;
  return typeof f === 'string' ? f : 'none';
}

export interface VisibleScores {
  rows: AttemptScore[];
  scores: RunScores;
  sealedAttempts: number;
  /** Sealed attempts per `agent|model|suite`. */
  sealedByGroup: Map<string, number>;
}

const groupKey = (r: { agent: string; model: string | null; suite: string }) =>
  `${r.agent}|${r.model ?? ''}|${r.suite}`;

export class ScoreBoard {
  private readonly cache = new Map<string, { key: string; value: VisibleScores }>();

  constructor(
    private readonly store: RunStore,
    private readonly competitions: Competitions,
  ) {}

  /** A run's scorecards (one scorer's) without sealed scenarios, and their aggregate. */
  async forRun(
    run: RunRow,
    counts: RunCounts,
    opts: { readiness: number; scorer?: string },
  ): Promise<VisibleScores> {
    const scorer = opts.scorer ?? EVIDENCE_SCORER;
    const key = `${scorer}|${opts.readiness}|${run.status}|${counts.done}|${this.competitions.version}`;
    const hit = this.cache.get(`${run.id}|${scorer}|${opts.readiness}`);
    if (hit && hit.key === key) return hit.value;
    const all = await storedScores(this.store, run.id, scorer);
    const rows: AttemptScore[] = [];
    const sealedByGroup = new Map<string, number>();
    for (const r of all) {
      if (!this.competitions.sealed(r.suite, r.scenarioId)) rows.push(r);
      else sealedByGroup.set(groupKey(r), (sealedByGroup.get(groupKey(r)) ?? 0) + 1);
    }
    const value = {
      rows,
      scores: scoreRun(rows, { readiness: opts.readiness }),
      sealedAttempts: all.length - rows.length,
      sealedByGroup,
    };
    this.cache.set(`${run.id}|${scorer}|${opts.readiness}`, { key, value });
    if (this.cache.size > 2000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  entries(run: RunRow, v: VisibleScores): LeaderboardEntry[] {
    return v.scores.groups.map((g) => ({
      runId: run.id,
      runName: run.name,
      createdAt: run.createdAt,
      submission: run.name?.startsWith(SUBMISSION_PREFIX) === true && submissionSpec(run) !== null,
      track: trackOf(run, g.agent),
      agent: g.agent,
      model: g.model,
      suite: g.suite,
      faults: faultsOf(run),
      attempts: g.attempts,
      scenarios: g.scenarios,
      trials: g.trials,
      graded: g.graded,
      ungraded: g.ungraded,
      total: { mean: g.meanTotal, ci: g.ci },
      readiness: g.readiness,
      ready: g.ready,
      passed: g.passed,
      passRate: g.passRate,
      passHatK: g.passHatK,
      flipRate: g.flipRate,
      dimensions: g.dimensions,
      toolAccuracy: g.toolAccuracy,
      aobCompetition: g.aobCompetition,
      costPerScenario: g.costPerScenario,
      sealedAttempts: v.sealedByGroup.get(groupKey(g)) ?? 0,
    }));
  }
}

/** The six dimension names, for clients that lay out columns. */
export const DIMENSION_NAMES = DIMENSIONS;

/** Counts over visible attempts (as RunCounts). */
export function countsOf(attempts: AttemptRow[]): RunCounts {
  const c: RunCounts = {
    total: 0,
    done: 0,
    pending: 0,
    running: 0,
    answerCorrect: 0,
    errors: 0,
    infra: 0,
    costUsd: 0,
  };
  for (const a of attempts) {
    c.total++;
    if (a.status === 'pending') c.pending++;
    else if (a.status === 'running') c.running++;
    else {
      c.done++;
      if (a.grade && !a.grade.needsJudge && a.grade.pass && a.outcome !== 'infra_error') c.answerCorrect++;
      if (a.outcome === 'error') c.errors++;
      if (a.outcome === 'infra_error') c.infra++;
    }
    c.costUsd += a.cost.usd;
  }
  return c;
}

/** runs/summary.ts's summary over the attempts a viewer may see. */
export function visibleSummary(
  store: RunStore,
  run: RunRow,
  attempts: AttemptRow[],
  family: Map<string, string>,
): RunSummary {
  return summaryOf(store.location, run, attempts, countsOf(attempts), family);
}
