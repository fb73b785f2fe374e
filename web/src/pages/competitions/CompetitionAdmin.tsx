// What an admin does with competitions, from the page: create one from three lists of
// scenario ids (public, hidden, private), reveal the sealed scores, or remove it. Every
// action goes through the admin API with the token typed here (kept in memory only).
import { type FormEvent, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { TokenField } from '../../components/TokenField.tsx';
import { apiDelete, apiPost } from '../../lib/api.ts';
import { useToken } from '../../lib/token.ts';

interface Props {
  chosen: { id: string; name: string; revealed: boolean } | null;
  onChanged: (id: string | null) => void;
}

const ids = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function CompetitionAdmin({ chosen, onChanged }: Props) {
  const [token, setToken] = useToken();
  const [form, setForm] = useState({
    id: '',
    name: '',
    suite: 'default',
    public: '',
    hidden: '',
    private: '',
  });
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function act(what: string, fn: () => Promise<unknown>, then: () => string | null) {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      await fn();
      setDone(what);
      onChanged(then());
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  function create(e: FormEvent) {
    e.preventDefault();
    let made = form.id;
    const body = {
      ...(form.id ? { id: form.id } : {}),
      name: form.name,
      suite: form.suite,
      splits: { public: ids(form.public), hidden: ids(form.hidden), private: ids(form.private) },
    };
    void act(
      `Created ${form.name}.`,
      async () => {
        const r = await apiPost<{ id: string }>('/api/admin/competitions', JSON.stringify(body), {
          token,
          contentType: 'application/json',
        });
        made = r.id;
      },
      () => made || null,
    );
  }

  const text = (key: keyof typeof form, label: string, area = false) => (
    <Field label={label}>
      {(id) =>
        area ? (
          <textarea
            id={id}
            rows={2}
            value={form[key]}
            placeholder="scenario ids, separated by spaces or commas"
            onChange={(e) => setForm({ ...form, [key]: e.target.value })}
          />
        ) : (
          <input id={id} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
        )
      }
    </Field>
  );

  return (
    <details className="admin">
      <summary>Admin: create, reveal or remove</summary>
      <TokenField
        token={token}
        onChange={setToken}
        label="Admin token"
        placeholder="the admin token the server was started with"
      />
      {chosen ? (
        <p>
          <button
            type="button"
            disabled={busy || chosen.revealed || !token}
            onClick={() =>
              act(
                `Revealed ${chosen.name}.`,
                () =>
                  apiPost(`/api/admin/competitions/${encodeURIComponent(chosen.id)}/reveal`, '', { token }),
                () => chosen.id,
              )
            }
          >
            Reveal hidden and private scores
          </button>{' '}
          {confirming ? (
            <>
              <button
                type="button"
                disabled={busy || !token}
                onClick={() => {
                  setConfirming(false);
                  void act(
                    `Removed ${chosen.name}.`,
                    () => apiDelete(`/api/admin/competitions/${encodeURIComponent(chosen.id)}`, { token }),
                    () => null,
                  );
                }}
              >
                Yes, remove {chosen.name} (its submissions stay stored as runs)
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" disabled={busy || !token} onClick={() => setConfirming(true)}>
              Remove this competition
            </button>
          )}
        </p>
      ) : null}
      <form onSubmit={create} aria-label="New competition">
        <h3>New competition</h3>
        {text('name', 'Name')}
        {text('id', 'Id (optional)')}
        {text('suite', 'Suite')}
        {text('public', 'Public scenarios', true)}
        {text('hidden', 'Hidden scenarios', true)}
        {text('private', 'Private scenarios', true)}
        <button type="submit" disabled={busy || !token || !form.name || !form.public.trim()}>
          Create
        </button>
      </form>
      {done ? <p role="status">{done}</p> : null}
      <ErrorBox error={error} />
    </details>
  );
}
