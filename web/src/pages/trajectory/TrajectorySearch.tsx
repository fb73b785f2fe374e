// Search within a trajectory: the server scans every step (content, kind, agent, tool name
// and arguments), optionally only steps of one kind or only failed calls, and returns the
// matching indices; the viewer jumps between them.
import { type FormEvent, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { apiGet, query } from '../../lib/api.ts';
import type { StepPage } from '../../lib/types.ts';

const KINDS = ['plan', 'thought', 'tool_call', 'tool_result', 'message', 'handoff', 'ask', 'final'];

interface Props {
  attemptId: string;
  onJump: (index: number) => void;
  onTerm: (term: string) => void;
}

export function TrajectorySearch({ attemptId, onJump, onTerm }: Props) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [found, setFound] = useState<{ term: string; indices: number[] } | null>(null);
  const [pos, setPos] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const term = text.trim();
    if (!term && !kind && !errorsOnly) {
      clear();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const page = await apiGet<StepPage>(
        `/api/attempts/${encodeURIComponent(attemptId)}/trajectory${query({
          q: term,
          kind,
          errors: errorsOnly ? 'true' : '',
          limit: 1,
        })}`,
      );
      const indices = page.query?.indices ?? [];
      const what = [
        term ? `“${term}”` : '',
        kind ? `${kind.replace('_', ' ')} steps` : '',
        errorsOnly ? 'failed calls' : '',
      ]
        .filter(Boolean)
        .join(', ');
      setFound({ term: what, indices });
      setPos(0);
      onTerm(term);
      if (indices.length > 0) onJump(indices[0]);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  function clear() {
    setText('');
    setKind('');
    setErrorsOnly(false);
    setFound(null);
    onTerm('');
  }

  function move(by: number) {
    if (!found || found.indices.length === 0) return;
    const next = (pos + by + found.indices.length) % found.indices.length;
    setPos(next);
    onJump(found.indices[next]);
  }

  return (
    <div className="search">
      <search>
        <form onSubmit={submit} className="search-form">
          <Field label="Search steps" inline>
            {(id) => (
              <input
                id={id}
                type="search"
                value={text}
                onChange={(e) => setText(e.target.value)}
                maxLength={200}
              />
            )}
          </Field>
          <Field label="Kind" inline>
            {(id) => (
              <select id={id} value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="">any</option>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {k.replace('_', ' ')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <label className="inline-check">
            <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />{' '}
            failed calls only
          </label>
          <button type="submit" disabled={busy}>
            Search
          </button>
          <button type="button" onClick={() => move(-1)} disabled={!found || found.indices.length < 2}>
            Previous match
          </button>
          <button type="button" onClick={() => move(1)} disabled={!found || found.indices.length < 2}>
            Next match
          </button>
          {found ? (
            <button type="button" onClick={clear}>
              Clear
            </button>
          ) : null}
        </form>
      </search>
      <p className="search-status" role="status">
        {found
          ? found.indices.length === 0
            ? `No step matches ${found.term}`
            : `Match ${pos + 1} of ${found.indices.length} (step ${found.indices[pos]}): ${found.term}`
          : ''}
      </p>
      <ErrorBox error={error} />
    </div>
  );
}
