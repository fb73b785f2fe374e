// Progress for long work: a bar on a terminal, plain lines in CI and pipes.
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, message: string): void;
  stop(): void;
}

export function makeProgress(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const interactive = Boolean(stream.isTTY) && !process.env.CI;
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {message} eta {eta_formatted}`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, message) {
        if (!started) {
          bar.start(total, done, { message });
          started = true;
        } else bar.update(done, { message });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  // Plain lines: one per tenth of the work, so CI logs stay short.
  let lastTenth = -1;
  const t0 = Date.now();
  return {
    update(done, total, message) {
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      stream.write(`${label}: ${done}/${total} (${tenth * 10}%) ${message} [${secs}s]\n`);
    },
    stop() {},
  };
}
