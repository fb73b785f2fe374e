// Examples per category, each opening the trajectory at the steps that show it.
import { href } from '../../lib/route.ts';
import type { FailureReport } from '../../lib/types.ts';

export function FailureExamples({ report }: { report: FailureReport }) {
  const byKey = new Map(report.events.map((e) => [`${e.trajectoryId}|${e.category}|${e.span.from}`, e]));
  return (
    <section aria-labelledby="ex-h">
      <h2 id="ex-h">Examples</h2>
      {report.categories.length === 0 ? <p className="muted">No failure events.</p> : null}
      {report.categories.map((c) => (
        <div key={c.id} className="example-group">
          <h3>
            {c.title} <span className="muted small">({c.count})</span>
          </h3>
          <ul>
            {c.examples.map((x) => {
              const ev = byKey.get(`${x.trajectoryId}|${c.id}|${x.span.from}`);
              return (
                <li key={`${x.trajectoryId}:${x.span.from}`}>
                  <a href={`${href('attempts', x.trajectoryId, 'trajectory')}?step=${x.span.from}`}>
                    {ev?.scenarioId ?? x.trajectoryId}, steps {x.span.from}–{x.span.to}
                  </a>
                  {ev ? <span className="small"> — {ev.evidence}</span> : null}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}
