// `assetops serve`: the dashboard's HTTP API (and the web app, once built) over the run store,
// the world and the library. Writes (submissions, the playground, competitions) need tokens.
// Beyond the loopback interface it does not start without a token, unless told --insecure.
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isLoopbackHost, type Listen } from '../../server/host-guard.ts';
import { UserError } from '../../util/errors.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
import { openProjectStore } from '../store.ts';

interface ServeFlags {
  port: number;
  host: string;
  store?: string;
  world: string;
  adminToken?: string;
  submitToken: string[];
  allowedHost: string[];
  insecure?: boolean;
  baseUrl?: string;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UserError(`--port ${v} is not a port number`, 'Use 0 to 65535 (0 picks a free port)');
  return n;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/**
 * What a person sees while the web app builds (a minute or more on a small machine): the
 * modules transformed so far and the time taken, every few seconds, on one rewritten line on
 * a terminal and as plain lines in logs. A vite plugin counts the modules.
 */
export function buildProgress(stream: NodeJS.WriteStream = process.stderr, everyMs = 5000) {
  const t0 = Date.now();
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let modules = 0;
  let phase = 'transforming modules';
  const secs = () => `${Math.round((Date.now() - t0) / 1000)} s`;
  const tick = () => {
    const text = `Building the dashboard: ${phase}, ${modules} modules, ${secs()}`;
    stream.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    plugin: {
      name: 'assetops-build-progress',
      transform() {
        modules++;
        return null;
      },
      renderStart() {
        phase = 'writing the bundle';
      },
    },
    tick,
    done(ok: boolean): void {
      clearInterval(timer);
      if (tty) stream.write('\r\x1b[K');
      stream.write(
        ok ? `Dashboard built (${modules} modules, ${secs()}); kept in web/dist for the next start\n` : '',
      );
    },
  };
}

/**
 * The web app is built on the first `serve` and kept in web/dist; the server listens (and
 * prints its address) only once the build is done, so the address it prints serves the app.
 */
async function buildWebOnce(): Promise<void> {
  const web = resolve(import.meta.dirname, '../../../web');
  if (!existsSync(join(web, 'index.html')) || existsSync(join(web, 'dist', 'index.html'))) return;
  process.stderr.write(
    'Building the dashboard once (web/dist is not there yet); the address follows when it is done\n',
  );
  const { build } = await import('vite');
  const progress = buildProgress();
  // Built beside web/dist and moved into place, so two servers starting at once never see half a build.
  const staging = join(web, `.dist-${process.pid}`);
  try {
    await build({
      root: web,
      configFile: join(web, 'vite.config.ts'),
      logLevel: 'warn',
      plugins: [progress.plugin],
      build: { outDir: staging, emptyOutDir: true },
    });
  } catch (err) {
    progress.done(false);
    throw err;
  }
  progress.done(true);
  try {
    renameSync(staging, join(web, 'dist'));
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard API (and the web app from web/dist) over the run store')
    .option('--port <n>', 'port (0 picks a free one)', port, 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--store <url>', 'run store: postgres://... or a SQLite file (default .assetops/runs.sqlite)')
    .option(
      '--world <dir>',
      'the generated world (world explorer, playground, submissions)',
      defaultWorldDir(),
    )
    .option('--base-url <url>', 'an OpenAI-compatible server for model-backed agents in the playground')
    .option('--admin-token <token>', 'token for competitions (or ASSETOPS_ADMIN_TOKEN)')
    .option(
      '--submit-token <token>',
      'token for uploads and the playground (repeat; or ASSETOPS_SUBMIT_TOKENS, comma-separated)',
      collect,
      [],
    )
    .option(
      '--allowed-host <name>',
      'another Host name to answer to, e.g. the one a reverse proxy forwards (repeat)',
      collect,
      [],
    )
    .option(
      '--insecure',
      'serve on a non-loopback --host without tokens: anyone who can reach it reads every run, trajectory and the world',
    )
    .action(async (flags: ServeFlags) => {
      const { serve } = await import('@hono/node-server');
      const { createApp } = await import('../../server/app.ts');
      const home = assetopsHome();
      const adminToken = flags.adminToken ?? process.env.ASSETOPS_ADMIN_TOKEN ?? undefined;
      const submitTokens = [
        ...flags.submitToken,
        ...(process.env.ASSETOPS_SUBMIT_TOKENS ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ];
      const noTokens = !adminToken && submitTokens.length === 0;
      const loopback = isLoopbackHost(flags.host);
      // Another interface means other machines: with no token, every run, trajectory and the
      // world would be open to them, and nothing would say who may write. Refused before
      // anything is built or opened, unless the operator says that is what they want.
      if (!loopback && noTokens && !flags.insecure)
        throw new UserError(
          `--host ${flags.host} serves the dashboard beyond this machine, and no token is set`,
          'Pass --admin-token and/or --submit-token (or ASSETOPS_ADMIN_TOKEN / ASSETOPS_SUBMIT_TOKENS), or --insecure to serve it read-only to anyone who can reach the host',
        );
      if (!loopback && noTokens)
        process.stderr.write(
          `Warning (--insecure): no tokens on ${flags.host}: anyone who can reach this host can read every run, trajectory, submission and the world. Uploads, the playground and competitions are disabled.\n`,
        );
      await buildWebOnce();
      // On the loopback interface with no tokens given, one is made for this session (as
      // notebook servers do), so the playground and uploads work out of the box locally.
      const local = noTokens && loopback;
      const sessionToken = local ? randomUUID() : null;
      const store = await openProjectStore(flags.store);
      // The Host and Origin checks need the port, known once listening (--port 0 picks one).
      const listen: Listen = { host: flags.host, port: flags.port, allowedHosts: flags.allowedHost };
      const app = createApp({
        listen,
        store,
        worldDir: flags.world,
        home,
        adminToken: adminToken ?? sessionToken ?? undefined,
        submitTokens: sessionToken ? [sessionToken] : submitTokens,
        modelBaseUrl: flags.baseUrl ?? process.env.ASSETOPS_BASE_URL,
      });
      const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: flags.port, hostname: flags.host }, (info) => {
          listen.port = info.port;
          process.stdout.write(
            `AssetOps Bench dashboard on http://${flags.host}:${info.port} (API at /api; store ${store.location})\n`,
          );
          if (sessionToken)
            process.stdout.write(
              `Token for the playground, uploads and competitions (this session): ${sessionToken}\n`,
            );
          resolve(s);
        });
        s.once('error', (err: NodeJS.ErrnoException) =>
          reject(
            err.code === 'EADDRINUSE'
              ? new UserError(
                  `port ${flags.port} on ${flags.host} is in use`,
                  'Pass another --port (0 picks a free one)',
                )
              : err,
          ),
        );
      });
      // Runs until a signal: then stops taking connections and closes what it opened.
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close(() => resolve());
          // Open event streams would keep close() waiting.
          (server as import('node:http').Server).closeAllConnections?.();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await app.close();
      await store.close();
    });
}
