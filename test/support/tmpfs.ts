// A real small disk for tests that need one to fill up: a tmpfs mounted under a temp folder
// (the tests run as root, as CI does). Unmounted by the caller.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './worlds.ts';

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the disk is full; returns its path (delete it to free the space). */
  fill(): string;
  unmount(): void;
}

export function mountSmallDisk(sizeMb: number): SmallDisk {
  const dir = tempDir('assetops-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(
      `this test needs a small real disk: mounting a tmpfs at ${dir} failed (${(err as Error).message.trim()}); run the tests as root in a machine that allows mount`,
    );
  }
  return {
    dir,
    fill() {
      const file = join(dir, `filler-${Date.now()}`);
      const fd = openSync(file, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // The last bytes too: a page-sized write must not fit either.
        try {
          for (;;) writeSync(fd, chunk.subarray(0, 512));
        } catch {}
      } finally {
        closeSync(fd);
      }
      return file;
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    },
  };
}
