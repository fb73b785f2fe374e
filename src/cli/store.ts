// The run store a command works on: `--store URL`, else the SQLite file in the project folder.
import { join } from 'node:path';
import { type OpenStoreOptions, openStore } from '../runs/store/open.ts';
import type { RunStore } from '../runs/store/types.ts';
import { assetopsHome } from './paths.ts';

export function openProjectStore(spec?: string, opts?: OpenStoreOptions): Promise<RunStore> {
  return openStore(spec, join(assetopsHome(), 'runs.sqlite'), opts);
}

/**
 * Opens an existing store (for commands that read runs: a `--store` that does not exist
 * is refused, not created), runs `fn` with it, and closes it whatever happens.
 */
export async function withProjectStore<T>(
  spec: string | undefined,
  fn: (store: RunStore) => Promise<T>,
): Promise<T> {
  const store = await openProjectStore(spec, { create: false });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
