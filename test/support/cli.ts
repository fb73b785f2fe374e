// Runs the real `assetops` command in a child process.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [resolve(REPO, 'bin/assetops.js'), ...args], {
    cwd: REPO,
    env: { ...process.env, CI: 'true', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user mistake: exit status 2 and exactly one line on stderr, with no stack trace. */
export function expectOneLineError(r: CliResult): string {
  const lines = r.stderr.trim().split('\n');
  if (r.status !== 2) throw new Error(`expected exit 2, got ${r.status}: ${r.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${r.stderr}`);
  if (/\n\s+at /.test(r.stderr)) throw new Error(`stack trace on stderr:\n${r.stderr}`);
  return lines[0];
}

/** Like runCli, without blocking this process (needed when a test serves something the CLI calls). */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [resolve(REPO, 'bin/assetops.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, CI: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}
