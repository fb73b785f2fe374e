// Every run in the store, newest first.
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Loading } from '../../components/Loading.tsx';
import { pct, usd, when } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import type { RunListItem } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';

export function RunsPage() {
  const runs = useApi<{ runs: RunListItem[] }>('/api/runs');
  return (
    <section className="page" aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      <ErrorBox error={runs.error} />
      {runs.loading && !runs.data ? <Loading what="runs" /> : null}
      {runs.data && runs.data.runs.length === 0 ? <p>No runs yet: start one with `assetops run`.</p> : null}
      {runs.data && runs.data.runs.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Suites</th>
                <th scope="col">Done</th>
                <th scope="col">Answers correct</th>
                <th scope="col">Cost</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={href('runs', r.id)}>{r.name ?? r.id}</a>
                    {r.submission ? <span className="badge badge-sub">submission</span> : null}
                    <div className="muted small">{r.id}</div>
                  </td>
                  <td>{r.status}</td>
                  <td>{r.suites.join(', ') || '—'}</td>
                  <td>
                    {r.counts.done}/{r.counts.total}
                  </td>
                  <td>{r.counts.done ? pct(r.counts.answerCorrect / r.counts.done) : '—'}</td>
                  <td>{usd(r.counts.costUsd)}</td>
                  <td>{when(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
