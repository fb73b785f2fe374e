// Filters by model, agent and suite, from the values the track's entries have.

import { Field } from '../../components/Field.tsx';
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
    <Field label={label} inline>
      {(id) => (
        <select
          id={id}
          value={filters[name]}
          onChange={(e) => onChange({ ...filters, [name]: e.target.value })}
        >
          <option value="">All</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </Field>
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
