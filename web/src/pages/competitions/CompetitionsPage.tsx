// Competitions: each competition's splits and standings. Public scores show as soon as a
// team submits; hidden and private scores, composites, the final score and ranks appear only
// after an admin reveals them (the API keeps them sealed until then).
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { go } from '../../lib/route.ts';
import { useApi } from '../../lib/useApi.ts';
import { CompetitionAdmin } from './CompetitionAdmin.tsx';

interface CompetitionView {
  id: string;
  name: string;
  suite: string;
  revealed: boolean;
  sizes: Record<'public' | 'hidden' | 'private', number>;
}

interface Part {
  name: string;
  weight: number;
  value: number | null;
  missing: string | null;
}

interface TrackStanding {
  public: number | null;
  hidden: number | null;
  private: number | null;
  composite: number | null;
  compositeParts: Part[] | null;
  submissions: number;
}

interface Standing {
  team: string;
  tracks: Partial<Record<'execution' | 'planning', TrackStanding>>;
  final: number | null;
  finalParts: Part[] | null;
  rank: number | null;
}

/** The parts that are missing from a composite, with their weight (they count 0). */
function Missing({ parts }: { parts: Part[] | null | undefined }) {
  const missing = (parts ?? []).filter((p) => p.missing);
  if (missing.length === 0) return null;
  return (
    <div className="missing small">
      {missing.map((p) => (
        <div key={p.name} title={p.missing ?? ''}>
          missing: {p.name} ({Math.round(p.weight * 100)}%)
        </div>
      ))}
    </div>
  );
}

interface Detail {
  competition: CompetitionView;
  standings: Standing[];
  arithmetic: Record<string, string>;
}

const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));

function TrackCells({ t, revealed }: { t: TrackStanding | undefined; revealed: boolean }) {
  if (!t)
    return (
      <td colSpan={4} className="muted">
        no submission
      </td>
    );
  return (
    <>
      <td className="num">{num(t.public)}</td>
      <td className="num">{revealed ? num(t.hidden) : 'sealed'}</td>
      <td className="num">{revealed ? num(t.private) : 'sealed'}</td>
      <td className="num">
        {num(t.composite)}
        <Missing parts={t.compositeParts} />
      </td>
    </>
  );
}

export function CompetitionsPage({ id }: { id: string | null }) {
  const list = useApi<{ competitions: CompetitionView[] }>('/api/competitions');
  const chosen = id ?? list.data?.competitions[0]?.id ?? null;
  const detail = useApi<Detail>(chosen ? `/api/competitions/${encodeURIComponent(chosen)}` : null);
  const d = detail.data;
  return (
    <section className="page" aria-labelledby="comp-title">
      <h1 id="comp-title">Competitions</h1>
      <ErrorBox error={list.error ?? detail.error} />
      {list.data && list.data.competitions.length === 0 ? (
        <p className="muted">
          No competitions yet. An admin creates one below (or with <code>POST /api/admin/competitions</code>):
          public, hidden and private scenario splits of a suite.
        </p>
      ) : null}
      {list.data && list.data.competitions.length > 0 ? (
        <Field label="Competition" inline>
          {(fid) => (
            <select
              id={fid}
              value={chosen ?? ''}
              onChange={(e) => go(`#/competitions?id=${encodeURIComponent(e.target.value)}`)}
            >
              {list.data?.competitions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.suite})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {detail.loading ? <Loading what="the standings" /> : null}
      {d ? (
        <>
          <p className="meta">
            Suite {d.competition.suite}: {d.competition.sizes.public} public, {d.competition.sizes.hidden}{' '}
            hidden and {d.competition.sizes.private} private scenarios.{' '}
            {d.competition.revealed
              ? 'Hidden and private scores are revealed.'
              : 'Hidden and private scores are sealed until an admin reveals them.'}
          </p>
          <table aria-label="Standings">
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  Rank
                </th>
                <th scope="col" rowSpan={2}>
                  Team
                </th>
                <th scope="colgroup" colSpan={4}>
                  Execution
                </th>
                <th scope="colgroup" colSpan={4}>
                  Planning
                </th>
                <th scope="col" rowSpan={2}>
                  Final
                </th>
              </tr>
              <tr>
                {['execution', 'planning'].flatMap((t) =>
                  ['public', 'hidden', 'private', 'composite'].map((h) => (
                    <th key={`${t}-${h}`} scope="col">
                      {h}
                    </th>
                  )),
                )}
              </tr>
            </thead>
            <tbody>
              {d.standings.map((s) => (
                <tr key={s.team}>
                  <td className="num">{s.rank ?? '—'}</td>
                  <td>{s.team}</td>
                  <TrackCells t={s.tracks.execution} revealed={d.competition.revealed} />
                  <TrackCells t={s.tracks.planning} revealed={d.competition.revealed} />
                  <td className="num">
                    {num(s.final)}
                    <Missing parts={s.finalParts} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="muted small">
            {Object.entries(d.arithmetic).map(([k, v]) => (
              <li key={k}>
                {k}: {v}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <CompetitionAdmin
        chosen={
          d ? { id: d.competition.id, name: d.competition.name, revealed: d.competition.revealed } : null
        }
        onChanged={(next) => {
          list.reload();
          detail.reload();
          if (next) go(`#/competitions?id=${encodeURIComponent(next)}`);
          else if (!next && d) go('#/competitions');
        }}
      />
    </section>
  );
}
