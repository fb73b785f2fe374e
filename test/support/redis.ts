// A throwaway Redis server for tests: a child redis-server on 127.0.0.1 and a free port, with
// persistence off. stop() kills it by its PID and waits for it to exit. Installs redis-server
// with apt when it is not on PATH (without starting the system service), so tests never skip.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { aptInstall, exited, freePort, isAlive, sleep } from './servers.ts';

const run = promisify(execFile);

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function which(cmd: string): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${cmd}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

async function redisServerBinary(): Promise<string> {
  const found = await which('redis-server');
  if (found) return found;
  await aptInstall('redis-server');
  const installed = await which('redis-server');
  if (!installed) throw new Error('apt-get installed redis-server but it is not on PATH');
  return installed;
}

/** One PING over a raw socket: true when the server answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const bin = await redisServerBinary();
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    // Its working folder: nothing is written there with persistence off, but keep it private.
    const dir = mkdtempSync(join(tmpdir(), 'assetops-redis-'));
    const child = spawn(
      bin,
      ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    const keep = (d: Buffer) => {
      log = (log + d.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not spawn redis-server');
    const onExit = () => {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    };
    process.once('exit', onExit);

    let ready = false;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      if (await ping(port)) {
        ready = true;
        break;
      }
      await sleep(50);
    }
    if (!ready) {
      if (isAlive(pid)) child.kill('SIGKILL');
      await exited(child);
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
      if (tries < 3 && /address already in use/i.test(log)) continue;
      throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${log}`);
    }

    let stopped = false;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid,
      async stop() {
        if (stopped) return;
        stopped = true;
        if (isAlive(pid)) process.kill(pid, 'SIGTERM');
        const done = await Promise.race([exited(child).then(() => true), sleep(10_000).then(() => false)]);
        if (!done && isAlive(pid)) {
          process.kill(pid, 'SIGKILL');
          await exited(child);
        }
        process.removeListener('exit', onExit);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
