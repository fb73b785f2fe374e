// What the tests that start real servers (PostgreSQL, Redis, Chromium) share: installing a
// Debian package, finding a free port, and watching a process by its PID.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * apt-get install, without letting the package start its system service: a policy-rc.d that
 * denies every start is put in place for the install when the system has none.
 */
export async function aptInstall(pkg: string): Promise<void> {
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  const opts = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 << 20 };
  try {
    try {
      await run('apt-get', ['install', '-y', pkg], opts);
    } catch {
      // Usually missing package lists in a fresh image.
      await run('apt-get', ['update'], opts);
      await run('apt-get', ['install', '-y', pkg], opts);
    }
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
