// A run's pulse: while a process runs (or coordinates) a run it stamps the run's heartbeat, so
// readers can tell a run that is going from one whose process was killed (see
// effectiveRunStatus). A missed beat is not an error: the next one, or the run's end, follows.
import { HEARTBEAT_MS } from './store/rows.ts';
import type { RunStore } from './store/types.ts';

/** Starts beating for the run; call the returned function to stop. */
export function keepRunAlive(store: RunStore, runId: string, everyMs = HEARTBEAT_MS): () => void {
  const beat = () => {
    store.heartbeat(runId).catch(() => {});
  };
  beat();
  const timer = setInterval(beat, everyMs);
  // The pulse never keeps a finished process alive.
  timer.unref();
  return () => clearInterval(timer);
}
