// A throwaway PostgreSQL server for tests: its own data folder under the temp dir, owned by
// the postgres user (initdb refuses root), listening only on 127.0.0.1 on a free port, with
// fsync off. stop() ends it by its PID and removes the folder. Installs PostgreSQL with apt
// when no server binaries are found, so the tests never skip for want of a server.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { aptInstall, exited, freePort, isAlive, sleep } from './servers.ts';

const run = promisify(execFile);

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/<database> (trust auth: no password needed). */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres, if any. */
function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

async function binDir(): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  await aptInstall('postgresql');
  const installed = findBinDir();
  if (!installed) throw new Error('apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb');
  return installed;
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** Starts a private PostgreSQL server and creates a database in it. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = await binDir();
  const { uid, gid } = await postgresUser();
  const base = mkdtempSync(join(tmpdir(), 'assetops-pg-'));
  chownSync(base, uid, gid);
  const data = join(base, 'data');
  const sockets = join(base, 'sock');
  mkdirSync(sockets);
  chownSync(sockets, uid, gid);
  // Run as the postgres user, from a folder it can enter.
  const asPostgres = { uid, gid, cwd: base, env: { ...process.env, HOME: base, LC_ALL: 'C' } };
  try {
    await run(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
      { ...asPostgres, maxBuffer: 16 << 20 },
    );
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`initdb failed: ${e.stderr || e.message}`);
  }

  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-k',
        sockets,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      { ...asPostgres, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-8000);
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not spawn postgres');
    // Never leave a server behind if the test process ends without calling stop().
    const onExit = () => {
      if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
    };
    process.once('exit', onExit);

    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const ready = await waitReady(adminUrl, child, 60_000);
    if (!ready) {
      if (isAlive(pid)) child.kill('SIGKILL');
      await exited(child);
      process.removeListener('exit', onExit);
      // Someone took the port between choosing and binding it: try another.
      if (tries < 3 && /could not bind|already in use/i.test(log)) continue;
      rmSync(base, { recursive: true, force: true });
      throw new Error(`postgres did not start on 127.0.0.1:${port}:\n${log}`);
    }

    const db = 'assetops_test';
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${db}`);
    } finally {
      await admin.end();
    }

    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${db}`,
      port,
      pid,
      async stop() {
        if (stopped) return;
        stopped = true;
        // SIGINT: fast shutdown (disconnects clients, exits at once); SIGKILL if it hangs.
        if (isAlive(pid)) process.kill(pid, 'SIGINT');
        const done = await Promise.race([exited(child).then(() => true), sleep(20_000).then(() => false)]);
        if (!done && isAlive(pid)) {
          process.kill(pid, 'SIGKILL');
          await exited(child);
        }
        process.removeListener('exit', onExit);
        rmSync(base, { recursive: true, force: true });
      },
    };
  }
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return true;
    } catch {
      await c.end().catch(() => {});
      await sleep(100);
    }
  }
  return false;
}

let dbCounter = 0;

/** Creates a new, empty database on the server behind adminUrl and returns its URL. */
export async function freshDatabase(adminUrl: string): Promise<string> {
  dbCounter++;
  const name = `t_${process.pid}_${Date.now().toString(36)}_${dbCounter}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
