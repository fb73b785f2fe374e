// Upload a trajectory bundle (JSONL, or a zip holding one .jsonl) for a suite. The server
// validates every line; its error (naming the line) is shown as it is.
import { type FormEvent, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { TokenField } from '../../components/TokenField.tsx';
import { apiPost, query } from '../../lib/api.ts';
import { modelName, readinessLabel, totalLabel } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import { useToken } from '../../lib/token.ts';
import type { LeaderboardEntry } from '../../lib/types.ts';

interface Accepted {
  runId: string;
  name: string;
  suite: string;
  track: string;
  attempts: number;
  scenarios: number;
  entries: LeaderboardEntry[];
  note: string;
}

export function UploadForm({ onAccepted }: { onAccepted: () => void }) {
  const [token, setToken] = useToken();
  const [name, setName] = useState('');
  const [suite, setSuite] = useState('default');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [accepted, setAccepted] = useState<Accepted | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setAccepted(null);
    try {
      const zip = /\.zip$/i.test(file.name);
      const r = await apiPost<Accepted>(
        `/api/submissions${query({ name: name.trim(), suite: suite.trim() })}`,
        file,
        {
          token,
          contentType: zip ? 'application/zip' : 'application/x-ndjson',
        },
      );
      setAccepted(r);
      onAccepted();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="upload-h">
      <h2 id="upload-h">Upload a bundle</h2>
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <Field label="Submission name">
            {(id) => (
              <input
                id={id}
                value={name}
                onChange={(e) => setName(e.target.value)}
                pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}"
                required
                placeholder="team-name"
              />
            )}
          </Field>
          <Field label="Suite">
            {(id) => <input id={id} value={suite} onChange={(e) => setSuite(e.target.value)} required />}
          </Field>
          <TokenField token={token} onChange={setToken} />
        </div>
        <Field label="Bundle (JSONL or zip)">
          {(id) => (
            <input
              id={id}
              type="file"
              accept=".jsonl,.ndjson,.json,.zip,application/zip"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <div>
          <button type="submit" disabled={busy || !file}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {accepted ? (
        <div className="ok-box" role="status">
          <p>
            Accepted <strong>{accepted.name}</strong>: {accepted.attempts} trajectories over{' '}
            {accepted.scenarios} scenarios of suite {accepted.suite} ({accepted.track} track).{' '}
            <a href={href('runs', accepted.runId)}>Open the run</a>
          </p>
          <ul>
            {accepted.entries.map((e) => (
              <li key={`${e.agent}|${e.model}`}>
                {e.agent} · {modelName(e.model)}: total {totalLabel(e.total)} ({readinessLabel(e)})
              </li>
            ))}
          </ul>
          <p className="muted small">{accepted.note}</p>
        </div>
      ) : null}
    </section>
  );
}
