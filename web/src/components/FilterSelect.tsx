// A labelled select whose first choice is "All" (the filter off), then any fixed choices,
// then the values found in the data.
import { Field } from './Field.tsx';

interface Props {
  label: string;
  value: string;
  options: string[];
  /** Choices before the data's values, as [value, text]. */
  extra?: Array<[string, string]>;
  onChange: (value: string) => void;
}

export function FilterSelect({ label, value, options, extra = [], onChange }: Props) {
  return (
    <Field label={label} inline>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">All</option>
          {extra.map(([v, t]) => (
            <option key={v} value={v}>
              {t}
            </option>
          ))}
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
