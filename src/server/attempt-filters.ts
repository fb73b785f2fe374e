// Triage on a run: the attempts table filtered by what went wrong (failed, ungraded,
// infrastructure, errors, trials that disagree), by scenario family, answer kind and trap,
// and by text, then paged. The response says how many match of how many there are, and
// which families, kinds and traps exist, so the page can offer them.
import { z } from 'zod';
import type { AttemptRow } from '../runs/store/types.ts';
import type { Scenario } from '../scenarios/schema.ts';

export const ATTEMPT_VIEWS = ['all', 'failed', 'passed', 'ungraded', 'infra', 'errors', 'differs'] as const;

export const AttemptsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
  view: z.enum(ATTEMPT_VIEWS).default('all'),
  family: z.string().min(1).optional(),
  kind: z.string().min(1).optional(),
  /** A trap kind, "any" (some trap) or "none". */
  trap: z.string().min(1).optional(),
  q: z.string().min(1).max(200).optional(),
});
export type AttemptsFilter = z.infer<typeof AttemptsQuery>;

export interface TriageRow {
  attempt: AttemptRow;
  total: number | null;
  scorePass: boolean | null;
  scenario: Scenario | undefined;
}

const isInfra = (a: AttemptRow) => a.outcome === 'infra_error';
const isUngraded = (r: TriageRow) =>
  r.attempt.status === 'done' && !isInfra(r.attempt) && (r.total === null || r.scorePass === null);

/** Scenarios (per suite and agent/model) whose graded trials do not all agree. */
function disagreeing(rows: TriageRow[]): Set<string> {
  const by = new Map<string, Set<boolean>>();
  for (const r of rows) {
    if (r.scorePass === null || isUngraded(r)) continue;
    const k = groupOf(r);
    const s = by.get(k) ?? new Set<boolean>();
    s.add(r.scorePass);
    by.set(k, s);
  }
  return new Set([...by].filter(([, s]) => s.size > 1).map(([k]) => k));
}

const groupOf = (r: TriageRow) =>
  `${r.attempt.suite}|${r.attempt.scenarioId}|${r.attempt.agent}|${r.attempt.model ?? ''}`;

export function triage(rows: TriageRow[], f: AttemptsFilter) {
  const differs = f.view === 'differs' ? disagreeing(rows) : new Set<string>();
  const needle = f.q?.toLowerCase();
  const matches = rows.filter((r) => {
    const a = r.attempt;
    switch (f.view) {
      case 'failed':
        if (!(r.scorePass === false && !isUngraded(r) && !isInfra(a))) return false;
        break;
      case 'passed':
        if (r.scorePass !== true) return false;
        break;
      case 'ungraded':
        if (!isUngraded(r)) return false;
        break;
      case 'infra':
        if (!isInfra(a)) return false;
        break;
      case 'errors':
        if (a.outcome !== 'error') return false;
        break;
      case 'differs':
        if (!differs.has(groupOf(r))) return false;
        break;
    }
    const s = r.scenario;
    if (f.family && s?.family !== f.family) return false;
    if (f.kind && s?.expected.type !== f.kind) return false;
    if (f.trap) {
      const kinds = s?.traps.map((t) => t.kind) ?? [];
      if (
        f.trap === 'any'
          ? kinds.length === 0
          : f.trap === 'none'
            ? kinds.length > 0
            : !kinds.includes(f.trap as never)
      )
        return false;
    }
    if (needle && !`${a.scenarioId} ${s?.utterance ?? ''}`.toLowerCase().includes(needle)) return false;
    return true;
  });
  const sorted = (values: Array<string | undefined>) =>
    [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  return {
    matching: matches.length,
    page: matches.slice(f.offset, f.offset + f.limit),
    facets: {
      families: sorted(rows.map((r) => r.scenario?.family)),
      kinds: sorted(rows.map((r) => r.scenario?.expected.type)),
      traps: sorted(rows.flatMap((r) => r.scenario?.traps.map((t) => t.kind) ?? [])),
    },
  };
}
