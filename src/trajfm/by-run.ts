// A failure analysis of several runs, read run by run: for each category, the share of each
// run's trajectories that show it. The analysis clusters all runs together (so categories
// line up); the rates keep the runs apart, so `analyze A B` compares instead of pooling.
import type { FailureReport } from './types.ts';

export interface RunRates {
  runs: Array<{ run: string; trajectories: number; withFailures: number }>;
  categories: Array<{ id: string; title: string; rates: number[]; trajectories: number[] }>;
}

export function ratesByRun(report: FailureReport, runOf: Map<string, string>): RunRates {
  const order = [...new Set(runOf.values())];
  const index = new Map(order.map((r, i) => [r, i]));
  const size = order.map(() => 0);
  for (const run of runOf.values()) size[index.get(run) as number]++;
  const failing = order.map(() => new Set<string>());
  const seen = new Map<string, Array<Set<string>>>();
  for (const e of report.events) {
    const run = runOf.get(e.trajectoryId);
    if (run === undefined) continue;
    const i = index.get(run) as number;
    failing[i].add(e.trajectoryId);
    const per = seen.get(e.category) ?? order.map(() => new Set<string>());
    per[i].add(e.trajectoryId);
    seen.set(e.category, per);
  }
  return {
    runs: order.map((run, i) => ({ run, trajectories: size[i], withFailures: failing[i].size })),
    categories: report.categories.map((c) => {
      const per = seen.get(c.id) ?? order.map(() => new Set<string>());
      return {
        id: c.id,
        title: c.title,
        trajectories: per.map((s) => s.size),
        rates: per.map((s, i) => (size[i] ? s.size / size[i] : 0)),
      };
    }),
  };
}
