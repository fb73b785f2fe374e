// The failure explorer: pick a run, and see its TrajFM analysis — categories with shares,
// a per-model heat map, the 2-D map of descriptions, examples, and trends across the newest
// runs. Loaded lazily (charts).
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { pct } from '../../lib/format.ts';
import { go } from '../../lib/route.ts';
import type { FailureReport, RunListItem } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { CategoryChart } from './CategoryChart.tsx';
import { ClusterMap } from './ClusterMap.tsx';
import { FailureExamples } from './FailureExamples.tsx';
import { ModelHeatmap } from './ModelHeatmap.tsx';
import { TrendChart } from './TrendChart.tsx';

export default function FailuresPage({ runId }: { runId: string | null }) {
  const runs = useApi<{ runs: RunListItem[] }>('/api/runs');
  const chosen = runId ?? runs.data?.runs.find((r) => r.counts.done > 0)?.id ?? null;
  const report = useApi<FailureReport>(chosen ? `/api/runs/${encodeURIComponent(chosen)}/failures` : null);
  const r = report.data;
  return (
    <section className="page" aria-labelledby="failures-title">
      <h1 id="failures-title">Failure explorer</h1>
      <Field label="Run" inline>
        {(id) => (
          <select
            id={id}
            value={chosen ?? ''}
            onChange={(e) => go(`#/failures?run=${encodeURIComponent(e.target.value)}`)}
          >
            {(runs.data?.runs ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name ?? x.id} ({x.counts.done} attempts)
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorBox error={runs.error ?? report.error} />
      {report.loading ? <Loading what="the failure analysis (the first time analyses the run)" /> : null}
      {r ? (
        <>
          <p className="meta">
            {r.withFailures} of {r.trajectories} trajectories show at least one failure (
            {pct(r.trajectories ? r.withFailures / r.trajectories : 0)}); {r.events.length} events.
          </p>
          {r.errors.length > 0 ? <p className="muted">Analysis notes: {r.errors.join('; ')}</p> : null}
          <CategoryChart categories={r.categories} />
          <ModelHeatmap report={r} />
          <ClusterMap clusters={r.clusters} />
          <FailureExamples report={r} />
          <TrendChart run={chosen ?? undefined} />
        </>
      ) : null}
    </section>
  );
}
