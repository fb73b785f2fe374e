// The leaderboard per track: filters, sortable columns, the readiness line, and a
// side-by-side comparison of two entries.
import { useMemo, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Loading } from '../../components/Loading.tsx';
import { query } from '../../lib/api.ts';
import type { Leaderboard, Track } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { CompareEntries } from './CompareEntries.tsx';
import { type Filters, LeaderboardFilters, matches } from './LeaderboardFilters.tsx';
import { LeaderboardTable } from './LeaderboardTable.tsx';
import { entryKey, type Sort, sortEntries } from './sortEntries.ts';

const TRACKS: Track[] = ['execution', 'planning'];

export function LeaderboardPage({ track }: { track: Track }) {
  const lb = useApi<Leaderboard>(`/api/leaderboard${query({ track })}`);
  const [filters, setFilters] = useState<Filters>({ model: '', agent: '', suite: '' });
  const [sort, setSort] = useState<Sort>({ key: 'rank', dir: 'asc' });
  const [compared, setCompared] = useState<string[]>([]);

  const all = lb.data?.entries ?? [];
  const shown = useMemo(
    () =>
      sortEntries(
        all.filter((e) => matches(e, filters)),
        sort,
      ),
    [all, filters, sort],
  );
  const pair = compared.map((k) => all.find((e) => entryKey(e) === k)).filter((e) => e !== undefined);
  const readiness = lb.data?.readiness.threshold ?? 85;

  function compare(key: string) {
    setCompared((c) => (c.includes(key) ? c.filter((k) => k !== key) : [...c, key].slice(-2)));
  }

  return (
    <section className="page" aria-labelledby="lb-title">
      <h1 id="lb-title">Leaderboard</h1>
      <div className="tabs" role="tablist" aria-label="Track">
        {TRACKS.map((t) => (
          <a key={t} role="tab" aria-selected={t === track} href={`#/leaderboard?track=${t}`} className="tab">
            {t === 'execution' ? 'Execution track' : 'Planning track'}
          </a>
        ))}
      </div>
      <p className="readiness-note">
        <span className="readiness-swatch" aria-hidden="true" /> Readiness line at {readiness}:{' '}
        <span className="muted">{lb.data?.readiness.rule ?? ''}</span>
      </p>
      {lb.data ? (
        <p className="muted small">
          Entries: {lb.data.rule}. {all.length} {all.length === 1 ? 'entry' : 'entries'}
          {shown.length !== all.length ? `, ${shown.length} shown` : ''}.
        </p>
      ) : null}
      <LeaderboardFilters entries={all} filters={filters} onChange={setFilters} />
      <ErrorBox error={lb.error} />
      {lb.loading && !lb.data ? <Loading what="the leaderboard" /> : null}
      {lb.data && shown.length === 0 ? (
        <p>
          No entries on the {track} track{all.length ? ' match the filters' : ' yet'}.
        </p>
      ) : null}
      {shown.length > 0 ? (
        <LeaderboardTable
          entries={shown}
          dimensions={lb.data?.dimensions ?? []}
          readiness={readiness}
          sort={sort}
          onSort={setSort}
          compared={compared}
          onCompare={compare}
        />
      ) : null}
      {pair.length === 2 ? (
        <CompareEntries
          a={pair[0]}
          b={pair[1]}
          dimensions={lb.data?.dimensions ?? []}
          onClose={() => setCompared([])}
        />
      ) : compared.length === 1 ? (
        <p className="muted">Pick one more entry to compare.</p>
      ) : null}
    </section>
  );
}
