// A token field (kept in memory for this page, see lib/token.ts); writes to the API need one:
// the submit token by default, the admin token where the page says so.
import { Field } from './Field.tsx';
export function TokenField({
  token,
  onChange,
  label = 'Submit token',
  placeholder = 'the token the server was started with',
}: {
  token: string;
  onChange: (t: string) => void;
  label?: string;
  placeholder?: string;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          type="password"
          name="token"
          autoComplete="off"
          value={token}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
