// The playground run's outcome: the answer, the expected answer and grade (for a scenario),
// and the verdicts.
import { PassBadge } from '../../components/PassBadge.tsx';
import { dimensionLabel, num, pretty } from '../../lib/format.ts';
import type { FinalEvent } from './usePlaygroundStream.ts';

export function FinalAnswer({ final }: { final: FinalEvent }) {
  return (
    <section className="final" aria-labelledby="pg-final">
      <h2 id="pg-final">Answer</h2>
      <p className="muted small">
        {final.status} · {final.steps} steps · {final.toolCalls} tool calls
      </p>
      <div className="two-col">
        <div>
          <h3>Agent's answer</h3>
          <pre className="json-body" data-testid="playground-answer">
            {pretty(final.answer)}
          </pre>
        </div>
        {final.expected !== null ? (
          <div>
            <h3>Expected answer</h3>
            <pre className="json-body">{pretty(final.expected)}</pre>
          </div>
        ) : null}
      </div>
      {final.grade ? (
        <p>
          Grade <PassBadge pass={final.grade.pass} />: {final.grade.detail}
        </p>
      ) : (
        <p className="muted">A free question has no expected answer, so it is not graded.</p>
      )}
      {final.scorecard ? (
        <>
          <h3>Verdicts · total {num(final.scorecard.total)}</h3>
          <ul className="plain">
            {Object.entries(final.scorecard.dimensions).map(([d, v]) => (
              <li key={d}>
                <PassBadge pass={v.pass} applicable={v.applicable} /> <strong>{dimensionLabel(d)}</strong>:{' '}
                <span className="small">{v.rationale}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
