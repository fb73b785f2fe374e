// Which run store a command uses: the SQLite file under the project folder by default, a
// PostgreSQL database for `--store postgres://...`, or another SQLite file.
import { existsSync } from 'node:fs';
import { UserError } from '../../util/errors.ts';
import { guardStore } from './guard.ts';
import type { RunStore } from './types.ts';

export interface OpenStoreOptions {
  /**
   * Create a SQLite store named by `spec` when it does not exist (default true). Commands
   * that only read or score runs pass false: a mistyped path must not leave a new folder
   * and an empty store behind; only `run` creates one.
   */
  create?: boolean;
}

/** The store, with its driver's disk and file failures turned into clear errors (guard.ts). */
export async function openStore(
  spec: string | undefined,
  defaultFile: string,
  opts: OpenStoreOptions = {},
): Promise<RunStore> {
  return guardStore(await openUnguarded(spec, defaultFile, opts));
}

async function openUnguarded(
  spec: string | undefined,
  defaultFile: string,
  opts: OpenStoreOptions,
): Promise<RunStore> {
  // Each back-end loads its driver only when chosen (better-sqlite3 is slow to load for commands that never open a store).
  const open = async (file: string) => new (await import('./sqlite.ts')).SqliteRunStore(file);
  if (!spec) return open(defaultFile);
  const sqlite = (file: string) => {
    if (opts.create === false && !existsSync(file)) {
      throw new UserError(
        `there is no run store at ${file}`,
        `Check the path; a store is created by its first run (assetops run --store ${spec})`,
        'no_store',
      );
    }
    return open(file);
  };
  if (/^postgres(ql)?:\/\//.test(spec)) {
    // Loaded only when asked for: most runs never need the PostgreSQL client.
    const { PostgresRunStore } = await import('./postgres.ts');
    return PostgresRunStore.open(spec);
  }
  if (spec.startsWith('sqlite:')) return sqlite(spec.slice('sqlite:'.length));
  if (/\.(sqlite|sqlite3|db)$/.test(spec)) return sqlite(spec);
  throw new UserError(
    `--store ${spec} is not a store`,
    'Use postgres://USER:PASSWORD@HOST:PORT/DB, or a SQLite file (sqlite:PATH or PATH.sqlite)',
    'bad_store',
  );
}
