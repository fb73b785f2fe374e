// Filters by model, agent and suite, from the values the track's entries have.

import { FilterSelect } from '../../components/FilterSelect.tsx';
import type { LeaderboardEntry } from '../../lib/types.ts';

export interface Filters {
  model: string;
  agent: string;
  suite: string;
}

export const NO_MODEL = '(none)';

const values = (xs: string[]) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));

export function matches(e: LeaderboardEntry, f: Filters): boolean {
  return (
    (!f.model || (e.model ?? NO_MODEL) === f.model) &&
    (!f.agent || e.agent === f.agent) &&
    (!f.suite || e.suite === f.suite)
  );
}

interface Props {
  entries: LeaderboardEntry[];
  filters: Filters;
  onChange: (f: Filters) => void;
}

export function LeaderboardFilters({ entries, filters, onChange }: Props) {
  const select = (name: keyof Filters, label: string, options: string[]) => (
    <FilterSelect
      label={label}
      value={filters[name]}
      options={options}
      onChange={(v) => onChange({ ...filters, [name]: v })}
    />
  );
  return (
    <fieldset className="filters">
      <legend>Filter</legend>
      {select('model', 'Model', values(entries.map((e) => e.model ?? NO_MODEL)))}
      {select('agent', 'Agent', values(entries.map((e) => e.agent)))}
      {select('suite', 'Suite', values(entries.map((e) => e.suite)))}
    </fieldset>
  );
}
