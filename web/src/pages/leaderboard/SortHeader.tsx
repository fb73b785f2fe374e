// A sortable column header: a button that sorts by the column (again: the other way).
import type { Sort, SortKey } from './sortEntries.ts';

interface Props {
  label: string;
  column: SortKey;
  sort: Sort;
  onSort: (s: Sort) => void;
  title?: string;
}

export function SortHeader({ label, column, sort, onSort, title }: Props) {
  const active = sort.key === column;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      title={title}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() =>
          onSort({
            key: column,
            dir: active
              ? sort.dir === 'asc'
                ? 'desc'
                : 'asc'
              : typeof column === 'string' && ['agent', 'model', 'suite'].includes(column)
                ? 'asc'
                : 'desc',
          })
        }
      >
        {label}
        <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}
