// Is a process of this machine still there? Used to tell leftovers of a killed process (a
// run's runner, a world generator's staging folder) from work another process is doing now.

/** True when the process exists (under any user); false when it is gone. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
