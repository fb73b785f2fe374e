// What a store's driver throws when the disk or the file fails under it (SQLite's result codes,
// PostgreSQL's SQLSTATEs, the OS's errno) becomes a UserError that names the store and the way
// out. Both back-ends roll a failed transaction back, so the message can promise that nothing
// half-written was kept. Anything else (a bug) passes through with its stack.
import { UserError } from '../../util/errors.ts';
import type { RunStore } from './types.ts';

/** The codes a caller can act on: stop the run, mark it interrupted, tell the user. */
export const STORE_FAILURE_CODES = new Set(['store_full', 'store_damaged', 'store_io', 'store_readonly']);

export function isStoreFailure(err: unknown): err is UserError {
  return err instanceof UserError && STORE_FAILURE_CODES.has(err.code);
}

function describe(err: { code?: string; message?: string }): string {
  return `${err.code ? `${err.code}: ` : ''}${(err.message ?? '').replace(/\s+/g, ' ').trim()}`;
}

/** The UserError for a driver error, or null when it is not a storage failure. */
export function classifyStoreError(location: string, err: unknown): UserError | null {
  if (!err || typeof err !== 'object' || err instanceof UserError) return null;
  const e = err as { code?: string; message?: string };
  const code = String(e.code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100' || code === 'EDQUOT')
    return new UserError(
      `the disk holding the run store ${location} is full (${describe(e)}); the write in progress was rolled back and nothing half-written was kept`,
      'Free space on that disk (or move the store with --store), then continue with `assetops run --resume RUN`',
      'store_full',
    );
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'XX001' || code === 'XX002')
    return new UserError(
      `the run store ${location} is damaged (${describe(e)}); the write in progress was rolled back`,
      `Restore it from a backup, or move it aside (mv ${location} ${location}.damaged) and start a new store`,
      'store_damaged',
    );
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === '25006')
    return new UserError(
      `the run store ${location} is read-only (${describe(e)})`,
      'Make the file and its folder writable, or pass another --store',
      'store_readonly',
    );
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === '58030')
    return new UserError(
      `reading or writing the run store ${location} failed (${describe(e)}); the write in progress was rolled back`,
      'Check the disk the store is on (dmesg, df), then continue with `assetops run --resume RUN`',
      'store_io',
    );
  return null;
}

/**
 * The store with every method's storage failure translated (see classifyStoreError). One
 * wrapper for both back-ends, so no caller has to know a driver's error codes.
 */
export function guardStore<S extends RunStore>(store: S): S {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (err) {
          throw classifyStoreError(target.location, err) ?? err;
        }
      };
    },
  });
}
