// Beside the steps: the scorecard's verdicts with their evidence, the failure events and
// the recorded errors, each linked to its step.
import { PassBadge } from '../../components/PassBadge.tsx';
import { dimensionLabel } from '../../lib/format.ts';
import type { AttemptDetail, StepPage } from '../../lib/types.ts';

interface Props {
  detail: AttemptDetail | null;
  failures: StepPage['failures'] | null;
  onJump: (step: number) => void;
  onAnalyse: () => void;
  analysing: boolean;
}

export function AnnotationsPanel({ detail, failures, onJump, onAnalyse, analysing }: Props) {
  const card = detail?.scorecard ?? null;
  const errors = detail?.trajectory?.errors ?? [];
  return (
    <aside className="annotations" aria-label="Annotations">
      <section>
        <h3>Scorecard evidence</h3>
        {card ? (
          <ul className="plain">
            {Object.entries(card.dimensions).map(([d, v]) => (
              <li key={d} className="annotation">
                <div>
                  <PassBadge pass={v.pass} applicable={v.applicable} /> <strong>{dimensionLabel(d)}</strong>
                </div>
                {v.evidence
                  .filter((e) => typeof e.step === 'number')
                  .map((e) => (
                    <button
                      type="button"
                      key={`${e.step}:${e.note}`}
                      className="link-button"
                      onClick={() => onJump(e.step as number)}
                    >
                      step {e.step}: {e.note}
                    </button>
                  ))}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No scorecard.</p>
        )}
      </section>
      <section>
        <h3>Failure events</h3>
        {!failures?.analysed ? (
          <>
            <p className="muted">The run has not been analysed yet.</p>
            <button type="button" onClick={onAnalyse} disabled={analysing}>
              {analysing ? 'Analysing…' : 'Analyse failures'}
            </button>
          </>
        ) : failures.events.length === 0 ? (
          <p className="muted">No failure events in this trajectory.</p>
        ) : (
          <ul className="plain">
            {failures.events.map((f) => (
              <li key={`${f.category}:${f.span.from}:${f.span.to}`} className="annotation">
                <strong>{f.title}</strong> <span className="muted">({f.category})</span>
                <p>{f.evidence}</p>
                <button type="button" className="link-button" onClick={() => onJump(f.span.from)}>
                  steps {f.span.from}–{f.span.to}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {errors.length > 0 ? (
        <section>
          <h3>Errors</h3>
          <ul className="plain">
            {errors.map((e) => (
              <li key={`${e.kind}:${e.step ?? ''}:${e.message}`} className="annotation">
                <strong>{e.kind}</strong>: {e.message}{' '}
                {typeof e.step === 'number' ? (
                  <button type="button" className="link-button" onClick={() => onJump(e.step as number)}>
                    step {e.step}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </aside>
  );
}
