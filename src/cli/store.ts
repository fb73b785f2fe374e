// The run store a command works on: `--store URL`, else the SQLite file in the project folder.
import { join } from 'node:path';
import { openStore } from '../runs/store/open.ts';
import type { RunStore } from '../runs/store/types.ts';
import { assetopsHome } from './paths.ts';

export function openProjectStore(spec?: string): Promise<RunStore> {
  return openStore(spec, join(assetopsHome(), 'runs.sqlite'));
}

/** Opens the store, runs `fn` with it, and closes it whatever happens. */
export async function withProjectStore<T>(
  spec: string | undefined,
  fn: (store: RunStore) => Promise<T>,
): Promise<T> {
  const store = await openProjectStore(spec);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
