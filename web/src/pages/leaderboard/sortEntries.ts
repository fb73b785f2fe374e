// Sorting leaderboard entries by a column, nulls last either way.
import type { LeaderboardEntry } from '../../lib/types.ts';

export type SortKey =
  | 'rank'
  | 'scenarios'
  | 'faults'
  | 'date'
  | 'agent'
  | 'model'
  | 'suite'
  | 'total'
  | 'ciLower'
  | 'passRate'
  | 'passHatK'
  | 'cost'
  | 'attempts'
  | `dim:${string}`;

export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export function sortValue(e: LeaderboardEntry, key: SortKey): number | string | null {
  switch (key) {
    case 'rank':
      return e.rank;
    case 'scenarios':
      return e.scenarios;
    case 'faults':
      return e.faults;
    case 'date':
      return e.createdAt;
    case 'agent':
      return e.agent;
    case 'model':
      return e.model;
    case 'suite':
      return e.suite;
    case 'total':
      return e.total.mean;
    case 'ciLower':
      return e.total.ci?.lower ?? null;
    case 'passRate':
      return e.passRate;
    case 'passHatK':
      return e.passHatK?.value ?? null;
    case 'cost':
      return e.costPerScenario;
    case 'attempts':
      return e.attempts;
    default:
      return e.dimensions[key.slice(4)]?.passRate ?? null;
  }
}

export function sortEntries(entries: LeaderboardEntry[], sort: Sort): LeaderboardEntry[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...entries].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return c * sign;
  });
}

export const entryKey = (e: LeaderboardEntry) => `${e.runId}|${e.agent}|${e.model ?? ''}|${e.suite}`;
