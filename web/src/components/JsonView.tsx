// A value as pretty JSON behind a toggle; collapsed, a one-line preview (with the search
// term marked). Pretty-printing happens only when open, so long trajectories stay cheap.
import { pretty } from '../lib/format.ts';
import { Highlight } from './Highlight.tsx';

interface Props {
  label: string;
  value: unknown;
  open: boolean;
  onToggle: () => void;
  term?: string;
}

export const PREVIEW_CHARS = 160;

function preview(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return s.length > PREVIEW_CHARS ? `${s.slice(0, PREVIEW_CHARS)}…` : s;
}

export function JsonView({ label, value, open, onToggle, term = '' }: Props) {
  return (
    <div className="json">
      <button type="button" className="json-toggle" aria-expanded={open} onClick={onToggle}>
        {open ? '▾' : '▸'} {label}
      </button>
      {open ? (
        <pre className="json-body">{pretty(value)}</pre>
      ) : (
        <code className="json-preview">
          <Highlight text={preview(value)} term={term} />
        </code>
      )}
    </div>
  );
}
