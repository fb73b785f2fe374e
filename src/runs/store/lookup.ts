// Finding a run the way users name it: by id, else the newest run of that name; or, with no
// name at all, the newest run. Errors say where the store is and how to list its runs.
import { UserError } from '../../util/errors.ts';
import type { RunRow, RunStore } from './types.ts';

export async function findRunOrFail(store: RunStore, idOrName: string): Promise<RunRow> {
  const run = await store.findRun(idOrName);
  if (run) return run;
  throw new UserError(
    `no run "${idOrName}" in ${store.location}`,
    'List runs with `assetops runs list` (or pass the --store the run used)',
    'unknown_run',
  );
}

/** The named run, or the newest one when no name is given. */
export async function runOrNewest(store: RunStore, idOrName: string | undefined): Promise<RunRow> {
  if (idOrName) return findRunOrFail(store, idOrName);
  const newest = (await store.listRuns())[0];
  if (!newest)
    throw new UserError(`no runs in ${store.location}`, 'Start one with `assetops run` or `assetops bench`');
  return newest;
}
