// A labelled form control: the label points at the control by id (a label wrapped around a
// select would also name it with the options' text).
import { type ReactNode, useId } from 'react';

interface Props {
  label: string;
  inline?: boolean;
  children: (id: string) => ReactNode;
}

export function Field({ label, inline = false, children }: Props) {
  const id = useId();
  return (
    <div className={inline ? 'field field-inline' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
