// Progress of a run: a live bar on a terminal (done, failed, running, ETA, cost so far),
// plain lines in CI and pipes (one per tenth of the attempts, so logs stay short).
import cliProgress from 'cli-progress';
import { usd } from './table.ts';

export interface RunProgress {
  start(total: number, alreadyDone: number): void;
  started(): void;
  finished(failed: boolean, costUsd: number): void;
  /** Absolute figures, for runs whose attempts are counted elsewhere (distributed workers). */
  set(done: number, failed: number, running: number, costUsd: number): void;
  stop(): void;
}

export function makeRunProgress(label: string, stream: NodeJS.WriteStream = process.stderr): RunProgress {
  const interactive = Boolean(stream.isTTY) && !process.env.CI;
  let total = 0;
  let done = 0;
  let failed = 0;
  let running = 0;
  let cost = 0;
  let firstDone = 0;
  const t0 = Date.now();
  const eta = () => {
    const fresh = done - firstDone;
    if (fresh <= 0) return '?';
    const secs = ((Date.now() - t0) / 1000 / fresh) * (total - done);
    return secs < 90 ? `${Math.round(secs)}s` : `${Math.round(secs / 60)}m`;
  };
  const fields = () => ({ failed, running, cost: usd(cost), etaText: eta() });

  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} failed {failed} running {running} cost {cost} eta {etaText}`,
        stream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let live = false;
    return {
      start(n, already) {
        total = n;
        done = already;
        firstDone = already;
        bar.start(total, done, fields());
        live = true;
      },
      started() {
        running++;
        if (live) bar.update(done, fields());
      },
      finished(f, c) {
        running--;
        done++;
        if (f) failed++;
        cost += c;
        if (live) bar.update(done, fields());
      },
      set(d, f, r, c) {
        [done, failed, running, cost] = [d, f, r, c];
        if (live) bar.update(done, fields());
      },
      stop() {
        if (live) bar.stop();
        live = false;
      },
    };
  }
  let lastTenth = -1;
  const line = () => {
    const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    stream.write(
      `${label}: ${done}/${total} done, ${failed} failed, ${running} running, cost ${usd(cost)}, eta ${eta()} [${secs}s]\n`,
    );
  };
  return {
    start(n, already) {
      total = n;
      done = already;
      firstDone = already;
      line();
    },
    started() {
      running++;
    },
    finished(f, c) {
      running--;
      done++;
      if (f) failed++;
      cost += c;
      line();
    },
    set(d, f, r, c) {
      [done, failed, running, cost] = [d, f, r, c];
      line();
    },
    stop() {},
  };
}
