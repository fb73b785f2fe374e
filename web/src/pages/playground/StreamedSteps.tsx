// The streamed tool calls (live) and steps of a playground run.
import type { TrajectoryStep } from '../../lib/types.ts';
import type { CallEvent } from './usePlaygroundStream.ts';

export function StreamedSteps({ calls, steps }: { calls: CallEvent[]; steps: TrajectoryStep[] }) {
  return (
    <div className="two-col">
      <section aria-labelledby="pg-calls">
        <h2 id="pg-calls">Tool calls</h2>
        <ol className="stream" aria-label="Streamed tool calls">
          {calls.map((c) => (
            <li key={c.seq}>
              <code>{c.tool}</code> <span className="small">{JSON.stringify(c.args)}</span>{' '}
              {c.ok === undefined ? (
                <span className="muted">running…</span>
              ) : c.ok ? (
                <span className="badge badge-pass">ok {c.latencyMs} ms</span>
              ) : (
                <span className="badge badge-fail">{c.error?.message ?? 'error'}</span>
              )}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="pg-steps">
        <h2 id="pg-steps">Steps</h2>
        <ol className="stream" aria-label="Streamed steps">
          {steps.map((s) => (
            <li key={s.index} className={`pg-step kind-${s.kind}`}>
              <span className="step-index">#{s.index}</span>{' '}
              <span className="kind">{s.kind.replace('_', ' ')}</span>{' '}
              {s.tool ? <code>{s.tool.name}</code> : null}{' '}
              <span className="small">
                {s.content.length > 240 ? `${s.content.slice(0, 240)}…` : s.content}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
