// The attempts of a run, for triage: filter by what went wrong (failed, ungraded,
// infrastructure, errors, trials that disagree), by family, answer kind and trap, or by text;
// pages of 100, and always how many match of how many there are.
import { useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { FilterSelect } from '../../components/FilterSelect.tsx';
import { Loading } from '../../components/Loading.tsx';
import { query } from '../../lib/api.ts';
import type { AttemptPage, AttemptView } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { AttemptsTable } from './AttemptsTable.tsx';

const PAGE = 100;

const VIEWS: Array<[AttemptView, string]> = [
  ['all', 'All'],
  ['failed', 'Failed'],
  ['passed', 'Passed'],
  ['ungraded', 'Ungraded'],
  ['infra', 'Infrastructure failures'],
  ['errors', 'Agent errors'],
  ['differs', 'Trials disagree'],
];

interface Filters {
  view: AttemptView;
  family: string;
  kind: string;
  trap: string;
  q: string;
}

export function AttemptTriage({ runId }: { runId: string }) {
  const [f, setF] = useState<Filters>({ view: 'all', family: '', kind: '', trap: '', q: '' });
  const [offset, setOffset] = useState(0);
  const params: Record<string, string> = { offset: String(offset), limit: String(PAGE), view: f.view };
  for (const k of ['family', 'kind', 'trap', 'q'] as const) if (f[k]) params[k] = f[k];
  const page = useApi<AttemptPage>(`/api/runs/${encodeURIComponent(runId)}/attempts${query(params)}`);
  const d = page.data;
  const set = (patch: Partial<Filters>) => {
    setF((old) => ({ ...old, ...patch }));
    setOffset(0);
  };
  const select = (
    label: string,
    key: 'family' | 'kind' | 'trap',
    options: string[],
    extra: Array<[string, string]> = [],
  ) => (
    <FilterSelect
      label={label}
      value={f[key]}
      options={options}
      extra={extra}
      onChange={(v) => set({ [key]: v })}
    />
  );
  return (
    <section aria-labelledby="attempts-h">
      <h2 id="attempts-h">Attempts</h2>
      <fieldset className="filters">
        <legend className="sr-only">Attempt filters</legend>
        <Field label="Show" inline>
          {(id) => (
            <select id={id} value={f.view} onChange={(e) => set({ view: e.target.value as AttemptView })}>
              {VIEWS.map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
        {select('Family', 'family', d?.facets.families ?? [])}
        {select('Answer kind', 'kind', d?.facets.kinds ?? [])}
        {select('Trap', 'trap', d?.facets.traps ?? [], [
          ['any', 'any trap'],
          ['none', 'no trap'],
        ])}
        <Field label="Search" inline>
          {(id) => (
            <input
              id={id}
              type="search"
              placeholder="scenario or question"
              value={f.q}
              onChange={(e) => set({ q: e.target.value })}
            />
          )}
        </Field>
      </fieldset>
      <ErrorBox error={page.error} />
      {d ? (
        <>
          <p className="muted" aria-live="polite">
            {d.matching === 0
              ? `No attempts match, of ${d.total}.`
              : `Showing ${d.offset + 1}–${d.offset + d.attempts.length} of ${d.matching} matching (${d.total} attempts in the run).`}
            {d.sealed ? ` ${d.sealed} more are sealed in a competition.` : ''}
          </p>
          {d.attempts.length > 0 ? <AttemptsTable attempts={d.attempts} /> : null}
          <p className="pager">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              Previous
            </button>{' '}
            <button
              type="button"
              disabled={d.offset + d.attempts.length >= d.matching}
              onClick={() => setOffset(offset + PAGE)}
            >
              Next
            </button>
          </p>
        </>
      ) : page.loading ? (
        <Loading what="attempts" />
      ) : null}
    </section>
  );
}
