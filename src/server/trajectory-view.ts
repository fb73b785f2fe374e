// Trajectories for the viewer: decoded once per attempt and kept in a small LRU (a recorded
// attempt never changes), then paged and searched in memory. Search text is built lazily
// per trajectory (content, kind, agent, tool name and arguments, lower-cased), so a query
// over 10,000 steps is a scan of prepared strings.
import type { Trajectory, TrajectoryStep } from '../agents/trajectory.ts';
import type { RunStore } from '../runs/store/types.ts';

export interface ViewedTrajectory {
  trajectory: Trajectory;
  haystack: string[] | null;
  /** For each step, the index of the step its tool call id pairs it with (call <-> result). */
  partners?: Array<number | null>;
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
      .then((t): ViewedTrajectory | null => (t ? { trajectory: t, haystack: null } : null));
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
  /** Per returned step: the step it pairs with (a tool call's result, a result's call), or null. */
  partners: Array<number | null>;
  /** With a query or filter: how many steps match and their indices (all of them, for jumping). */
  query: {
    q: string | null;
    kind: string | null;
    errors: boolean;
    matched: number;
    indices: number[];
  } | null;
}

export interface StepFilter {
  q?: string;
  /** Only steps of this kind. */
  kind?: string;
  /** Only tool calls and results that failed. */
  errors?: boolean;
}

function partnersOf(v: ViewedTrajectory): Array<number | null> {
  if (v.partners) return v.partners;
  const steps = v.trajectory.steps;
  const byCall = new Map<string, number[]>();
  steps.forEach((s, i) => {
    if (!s.tool?.callId) return;
    const list = byCall.get(s.tool.callId) ?? [];
    list.push(i);
    byCall.set(s.tool.callId, list);
  });
  v.partners = steps.map((s, i) => {
    const list = s.tool?.callId ? byCall.get(s.tool.callId) : undefined;
    if (!list || list.length < 2) return null;
    // A call pairs with the first result after it; a result with the last call before it.
    if (s.kind === 'tool_call') return list.find((j) => j > i && steps[j].kind === 'tool_result') ?? null;
    if (s.kind === 'tool_result')
      return [...list].reverse().find((j) => j < i && steps[j].kind === 'tool_call') ?? null;
    return null;
  });
  return v.partners;
}

const isErrorStep = (s: TrajectoryStep) => s.tool?.ok === false || Boolean(s.tool?.error);

/** A page of steps; with a query or filter, a page of the matching steps. */
export function pageSteps(
  v: ViewedTrajectory,
  offset: number,
  limit: number,
  filter: StepFilter = {},
): StepPage {
  const steps = v.trajectory.steps;
  const partners = partnersOf(v);
  const { q, kind, errors = false } = filter;
  if (!q && !kind && !errors) {
    return {
      total: steps.length,
      offset,
      limit,
      steps: steps.slice(offset, offset + limit),
      partners: partners.slice(offset, offset + limit),
      query: null,
    };
  }
  if (q) v.haystack ??= steps.map(searchText);
  const needle = q?.toLowerCase();
  const indices: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (kind && steps[i].kind !== kind) continue;
    if (errors && !isErrorStep(steps[i])) continue;
    if (needle && !(v.haystack as string[])[i].includes(needle)) continue;
    indices.push(i);
  }
  const page = indices.slice(offset, offset + limit);
  return {
    total: steps.length,
    offset,
    limit,
    steps: page.map((i) => steps[i]),
    partners: page.map((i) => partners[i]),
    query: { q: q ?? null, kind: kind ?? null, errors, matched: indices.length, indices },
  };
}
