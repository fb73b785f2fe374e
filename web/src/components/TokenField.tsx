// The submit token (kept in memory for this page, see lib/token.ts); writes to the API need one.
import { Field } from './Field.tsx';
export function TokenField({ token, onChange }: { token: string; onChange: (t: string) => void }) {
  return (
    <Field label="Submit token">
      {(id) => (
        <input
          id={id}
          type="password"
          name="token"
          autoComplete="off"
          value={token}
          placeholder="the token the server was started with"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
