// The API's error as the user reads it: the message, the hint, and named problems.
import { ApiFailure } from '../lib/api.ts';

export function ErrorBox({ error }: { error: Error | null }) {
  if (!error) return null;
  const f = error instanceof ApiFailure ? error : null;
  return (
    <div className="error-box" role="alert">
      <strong>{f ? `Error ${f.status}: ` : 'Error: '}</strong>
      <span className="error-message">{error.message}</span>
      {f?.hint ? <p className="hint">{f.hint}</p> : null}
      {f && f.problems.length > 1 ? (
        <ul className="problems">
          {f.problems.map((p) => (
            <li key={`${p.line}:${p.problem}`}>
              {p.lines && p.lines.length > 1 ? `lines ${p.lines.join(', ')}` : `line ${p.line}`}: {p.problem}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
