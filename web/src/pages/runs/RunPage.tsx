// One run: its status and counts, its score entries, and its attempts.
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Loading } from '../../components/Loading.tsx';
import { modelName, pct, readinessLabel, totalLabel, usd, when } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import type { RunDetail } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { AttemptTriage } from './AttemptTriage.tsx';

export function RunPage({ runId }: { runId: string }) {
  const id = encodeURIComponent(runId);
  const run = useApi<RunDetail>(`/api/runs/${id}`);
  const r = run.data;
  return (
    <section className="page" aria-labelledby="run-title">
      <nav className="crumbs" aria-label="Breadcrumbs">
        <a href="#/runs">Runs</a> › {r?.run.name ?? runId}
      </nav>
      <h1 id="run-title">Run {r?.run.name ?? runId}</h1>
      <ErrorBox error={run.error} />
      {run.loading && !r ? <Loading what="the run" /> : null}
      {r ? (
        <>
          <dl className="facts">
            <dt>Id</dt>
            <dd>{r.run.id}</dd>
            <dt>Status</dt>
            <dd>{r.run.status}</dd>
            <dt>Created</dt>
            <dd>{when(r.run.createdAt)}</dd>
            <dt>Attempts</dt>
            <dd>
              {r.summary.counts.done} of {r.summary.counts.total} done, {r.summary.counts.errors} errors
              {r.summary.counts.infra
                ? `, ${r.summary.counts.infra} infrastructure failures (not scored; rerun with --resume)`
                : ''}
              {r.sealedAttempts ? `, ${r.sealedAttempts} sealed` : ''}
            </dd>
            <dt>Typed answers correct</dt>
            <dd>{pct(r.summary.answerCorrectRate)}</dd>
            <dt>Cost</dt>
            <dd>{usd(r.summary.counts.costUsd)}</dd>
          </dl>
          {r.entries.length > 0 ? (
            <>
              <h2>Scores</h2>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Agent</th>
                      <th scope="col">Model</th>
                      <th scope="col">Suite</th>
                      <th scope="col">Total [95% CI]</th>
                      <th scope="col">Ready</th>
                      <th scope="col">Pass rate</th>
                      <th scope="col">Cost / scenario</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.entries.map((e) => (
                      <tr key={`${e.agent}|${e.model}|${e.suite}`}>
                        <td>{e.agent}</td>
                        <td>{modelName(e.model)}</td>
                        <td>{e.suite}</td>
                        <td>{totalLabel(e.total)}</td>
                        <td>{readinessLabel(e)}</td>
                        <td>{pct(e.passRate)}</td>
                        <td>{usd(e.costPerScenario)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          <p>
            <a href={`#/failures?run=${encodeURIComponent(r.run.id)}`}>Failure analysis of this run</a>
          </p>
        </>
      ) : null}
      <AttemptTriage runId={runId} />
      <p>
        <a href={href('leaderboard')}>Back to the leaderboard</a>
      </p>
    </section>
  );
}
