// The leaderboard ranks configurations, not runs: one entry per track, agent, model, suite,
// faults profile and scenario set. Ten reruns of the baseline are one entry (the newest run,
// with how many runs of it there are); a run on 40 of a suite's scenarios is its own entry,
// marked partial and ranked after the entries that cover the whole suite, so a short run
// cannot top a full one. Ranks are given once, by total, and travel with the entry: a client
// that sorts by another column shows them unchanged.
import type { RunRow } from '../runs/store/types.ts';
import { faultsOf, type LeaderboardEntry } from './scores.ts';
import { runSuites, submissionSpec } from './submission-spec.ts';

export interface ConfigurationEntry extends LeaderboardEntry {
  /** 1-based, by coverage then total (ungraded last); fixed whatever a client sorts by. */
  rank: number;
  /** The entry covers fewer scenarios than the largest entry of its suite. */
  partial: boolean;
  /** The most scenarios any entry of this suite covers (what `partial` is measured against). */
  suiteScenarios: number;
  /** Runs of this configuration, newest first (the entry is the first). */
  runs: Array<{ runId: string; runName: string | null; createdAt: string; total: number | null }>;
}

export function configurationKey(e: LeaderboardEntry): string {
  return [e.track, e.agent, e.model ?? '', e.suite, e.faults, e.scenarios].join('|');
}

/** Every run its own entry (the history view). */
export const runKey = (e: LeaderboardEntry) => `${configurationKey(e)}|${e.runId}`;

/**
 * The newest entry of each configuration (as `key` groups them), ranked. `entries` may come
 * in any order.
 */
export function rankConfigurations(
  entries: LeaderboardEntry[],
  key: (e: LeaderboardEntry) => string = configurationKey,
): ConfigurationEntry[] {
  const byConfig = new Map<string, LeaderboardEntry[]>();
  for (const e of entries) {
    const k = key(e);
    const list = byConfig.get(k);
    if (list) list.push(e);
    else byConfig.set(k, [e]);
  }
  const suiteMax = new Map<string, number>();
  for (const e of entries) suiteMax.set(e.suite, Math.max(suiteMax.get(e.suite) ?? 0, e.scenarios));
  const out: ConfigurationEntry[] = [];
  for (const list of byConfig.values()) {
    list.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
    const newest = list[0];
    const suiteScenarios = suiteMax.get(newest.suite) ?? newest.scenarios;
    out.push({
      ...newest,
      rank: 0,
      partial: newest.scenarios < suiteScenarios,
      suiteScenarios,
      runs: list.map((e) => ({
        runId: e.runId,
        runName: e.runName,
        createdAt: e.createdAt,
        total: e.total.mean,
      })),
    });
  }
  out.sort(
    (a, b) =>
      Number(a.partial) - Number(b.partial) ||
      (b.total.mean ?? -1) - (a.total.mean ?? -1) ||
      b.createdAt.localeCompare(a.createdAt),
  );
  out.forEach((e, i) => {
    e.rank = i + 1;
  });
  return out;
}

/**
 * What a whole run was configured to do (its agents and models, suites, faults, scenario limit
 * and trials), in words: runs share it only when they can be compared point for point (the
 * failure trends line up only such runs).
 */
export function runConfiguration(run: RunRow): string {
  const sub = submissionSpec(run);
  if (sub) return `submission by ${sub.team} on ${sub.suite}`;
  const spec = (run.spec ?? {}) as {
    entries?: Array<{ agent: string; model: string | null }>;
    trials?: number;
    scenarioLimit?: number;
  };
  const entries = (spec.entries ?? [])
    .map((e) => `${e.agent}${e.model ? ` · ${e.model}` : ''}`)
    .sort()
    .join(', ');
  const limit = spec.scenarioLimit ? `, first ${spec.scenarioLimit} scenarios` : '';
  return `${entries || 'unknown agents'} on ${runSuites(run).sort().join(', ')}${limit}, ${spec.trials ?? 1} trial(s), faults ${faultsOf(run)}`;
}
