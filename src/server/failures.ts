// Failure analysis for the dashboard: the offline TrajFM pipeline (detectors, TF-IDF
// embeddings, k-means) over one run, computed on first request and cached in memory until
// the run gains attempts or what is sealed changes. Sealed scenarios are left out.
import { join } from 'node:path';
import { analyzeLoaded } from '../report/analysis.ts';
import type { RunRow, RunStore } from '../runs/store/types.ts';
import { loadRuns } from '../trajfm/inputs.ts';
import type { FailureEvent, FailureReport } from '../trajfm/types.ts';
import type { Competitions } from './competitions.ts';

interface Entry {
  key: string;
  report: Promise<FailureReport>;
  done: FailureReport | null;
}

export class FailureCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: RunStore,
    private readonly competitions: Competitions,
    private readonly home: string,
    private readonly size = 50,
  ) {}

  private keyOf(run: RunRow, done: number): string {
    return `${run.status}|${done}|${this.competitions.version}`;
  }

  /** The report, analysing the run when there is no current one. */
  get(run: RunRow, done: number): Promise<FailureReport> {
    const key = this.keyOf(run, done);
    const hit = this.entries.get(run.id);
    if (hit && hit.key === key) return hit.report;
    const entry: Entry = { key, report: this.analyse(run), done: null };
    entry.report.then(
      (r) => {
        entry.done = r;
      },
      () => {
        if (this.entries.get(run.id) === entry) this.entries.delete(run.id);
      },
    );
    this.entries.delete(run.id);
    this.entries.set(run.id, entry);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return entry.report;
  }

  /** Events of one attempt from the last finished analysis of its run (none when not analysed). */
  eventsOf(runId: string, attemptId: string): FailureEvent[] | null {
    const r = this.entries.get(runId)?.done;
    return r ? r.events.filter((e) => e.trajectoryId === attemptId) : null;
  }

  private async analyse(run: RunRow): Promise<FailureReport> {
    const loaded = await loadRuns(this.store, [run.id]);
    const sealed = new Set(
      (await this.store.attempts(run.id))
        .filter((a) => this.competitions.sealed(a.suite, a.scenarioId))
        .map((a) => a.id),
    );
    if (sealed.size > 0) {
      loaded.inputs = loaded.inputs.filter((x) => !sealed.has(x.trajectory.id));
      for (const id of sealed) loaded.trajectories.delete(id);
      loaded.scores = loaded.scores.filter((s) => !sealed.has(s.attemptId));
    }
    return analyzeLoaded(loaded, {
      embedder: 'tfidf',
      method: 'kmeans',
      seed: 7,
      accept: false,
      home: this.home,
      taxonomy: join(this.home, 'taxonomy.json'),
    });
  }
}
