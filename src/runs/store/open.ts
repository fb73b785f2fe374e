// Which run store a command uses: the SQLite file under the project folder by default, a
// PostgreSQL database for `--store postgres://...`, or another SQLite file.
import { UserError } from '../../util/errors.ts';
import { SqliteRunStore } from './sqlite.ts';
import type { RunStore } from './types.ts';

export async function openStore(spec: string | undefined, defaultFile: string): Promise<RunStore> {
  if (!spec) return new SqliteRunStore(defaultFile);
  if (/^postgres(ql)?:\/\//.test(spec)) {
    // Loaded only when asked for: most runs never need the PostgreSQL client.
    const { PostgresRunStore } = await import('./postgres.ts');
    return PostgresRunStore.open(spec);
  }
  if (spec.startsWith('sqlite:')) return new SqliteRunStore(spec.slice('sqlite:'.length));
  if (/\.(sqlite|sqlite3|db)$/.test(spec)) return new SqliteRunStore(spec);
  throw new UserError(
    `--store ${spec} is not a store`,
    'Use postgres://USER:PASSWORD@HOST:PORT/DB, or a SQLite file (sqlite:PATH or PATH.sqlite)',
    'bad_store',
  );
}
