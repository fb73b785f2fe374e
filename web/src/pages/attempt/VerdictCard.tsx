// One of the six verdicts: pass or fail, score, rationale, and the evidence it rests on
// (steps link into the trajectory).
import { PassBadge } from '../../components/PassBadge.tsx';
import { dimensionLabel, num } from '../../lib/format.ts';
import type { Verdict } from '../../lib/types.ts';

export function VerdictCard({
  dimension,
  verdict,
  trajectoryHref,
}: {
  dimension: string;
  verdict: Verdict;
  trajectoryHref: string;
}) {
  return (
    <article className="verdict" aria-label={dimensionLabel(dimension)}>
      <h3>
        {dimensionLabel(dimension)} <PassBadge pass={verdict.pass} applicable={verdict.applicable} />
      </h3>
      <p className="muted small">
        score {num(verdict.score, 2)}
        {verdict.source ? ` · from ${verdict.source}` : ''}
      </p>
      <p className="rationale">{verdict.rationale}</p>
      {verdict.evidence.length > 0 ? (
        <ul className="evidence">
          {verdict.evidence.map((e) => (
            <li key={`${e.step ?? ''}:${e.call ?? ''}:${e.note}`}>
              {typeof e.step === 'number' ? (
                <a href={`${trajectoryHref}?step=${e.step}`}>step {e.step}</a>
              ) : null}
              {typeof e.call === 'number' ? <span className="muted"> call {e.call}</span> : null} {e.note}
              {e.claim ? <q>{e.claim}</q> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
