// Trajectories for the viewer: decoded once per attempt and kept in a small LRU (a recorded
// attempt never changes), then paged and searched in memory. Search text is built lazily
// per trajectory (content, kind, agent, tool name and arguments, lower-cased), so a query
// over 10,000 steps is a scan of prepared strings.
import type { Trajectory, TrajectoryStep } from '../agents/trajectory.ts';
import type { RunStore } from '../runs/store/types.ts';

export interface ViewedTrajectory {
  trajectory: Trajectory;
  haystack: string[] | null;
}

export class TrajectoryCache {
  private readonly entries = new Map<string, Promise<ViewedTrajectory | null>>();

  constructor(
    private readonly store: RunStore,
    private readonly size: number,
  ) {}

  get(attemptId: string): Promise<ViewedTrajectory | null> {
    const hit = this.entries.get(attemptId);
    if (hit) {
      // Most recently used goes last.
      this.entries.delete(attemptId);
      this.entries.set(attemptId, hit);
      return hit;
    }
    const loading = this.store
      .trajectory(attemptId)
      .then((t) => (t ? { trajectory: t, haystack: null } : null));
    this.entries.set(attemptId, loading);
    // A failed or empty load is not kept.
    loading.then(
      (v) => {
        if (!v) this.entries.delete(attemptId);
      },
      () => this.entries.delete(attemptId),
    );
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return loading;
  }
}

function searchText(s: TrajectoryStep): string {
  const tool = s.tool ? ` ${s.tool.name} ${JSON.stringify(s.tool.args) ?? ''} ${s.tool.error ?? ''}` : '';
  const handoff = s.handoff ? ` ${s.handoff.from} ${s.handoff.to} ${s.handoff.request}` : '';
  return `${s.kind} ${s.agent} ${s.content}${tool}${handoff}`.toLowerCase();
}

export interface StepPage {
  total: number;
  offset: number;
  limit: number;
  steps: TrajectoryStep[];
  /** With a query: how many steps match and their indices (all of them, for jumping). */
  query: { q: string; matched: number; indices: number[] } | null;
}

/** A page of steps; with q, a page of the matching steps. */
export function pageSteps(v: ViewedTrajectory, offset: number, limit: number, q?: string): StepPage {
  const steps = v.trajectory.steps;
  if (!q) {
    return { total: steps.length, offset, limit, steps: steps.slice(offset, offset + limit), query: null };
  }
  v.haystack ??= steps.map(searchText);
  const needle = q.toLowerCase();
  const indices: number[] = [];
  for (let i = 0; i < v.haystack.length; i++) if (v.haystack[i].includes(needle)) indices.push(i);
  return {
    total: steps.length,
    offset,
    limit,
    steps: indices.slice(offset, offset + limit).map((i) => steps[i]),
    query: { q, matched: indices.length, indices },
  };
}
