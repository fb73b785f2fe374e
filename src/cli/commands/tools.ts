// `assetops tools ...` (for people) and `assetops mcp` (for agents).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { openDataset } from '../../dataset/open.ts';
import { isLoopback } from '../../mcp/http.ts';
import { DEFAULT_IDLE_MS, DEFAULT_MAX_SESSIONS, serveHttp, serveStdio } from '../../mcp/serve.ts';
import { inputJsonSchema } from '../../mcp/server.ts';
import { FAULT_PROFILES, type FaultProfile } from '../../tools/faults.ts';
import { createSession, toolsFor } from '../../tools/registry.ts';
import { DOMAINS, type Domain } from '../../tools/types.ts';
import { UserError } from '../../util/errors.ts';
import { defaultWorldDir } from '../paths.ts';
import { parseSeed } from './world.ts';

function parseDomain(value: string): Domain[] | 'all' {
  if (value === 'all') return 'all';
  const parts = value.split(',').map((s) => s.trim());
  for (const p of parts) {
    if (!(DOMAINS as readonly string[]).includes(p)) {
      throw new InvalidArgumentError(`"${p}" is not a domain; use ${DOMAINS.join(', ')} or all`);
    }
  }
  return parts as Domain[];
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('the port must be a number from 0 to 65535');
  return n;
}

function parsePositive(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
    return n;
  };
}

/** --now: refused at start, not by every later call (or, over MCP, every session). */
function parseNow(value: string): string {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms) || Math.abs(ms) > 253402300799000)
    throw new InvalidArgumentError('Write it as YYYY-MM-DD or an ISO timestamp such as 2024-05-01T06:00:00Z');
  return value;
}

function parseJsonArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(
      `the arguments are not valid JSON: ${text.slice(0, 60)}`,
      `Quote them, e.g. '{"asset": "Chiller 6"}'`,
    );
  }
}

export function registerTools(program: Command): void {
  const tools = program.command('tools').description('list and call the domain tools');

  tools
    .command('list')
    .description('list the tools with their descriptions')
    .option('--domain <d>', 'iot, util, fmsr, tsfm, wo (comma-separated) or all', parseDomain, 'all')
    .option('--json', 'print names, domains, descriptions and input schemas as JSON', false)
    .action((opts: { domain: Domain[] | 'all'; json: boolean }) => {
      const list = [...toolsFor(opts.domain).values()];
      if (opts.json) {
        const out = list.map((t) => ({
          name: t.name,
          domain: t.domain,
          readOnly: t.readOnly,
          description: t.description,
          inputSchema: inputJsonSchema(t),
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      for (const t of list)
        process.stdout.write(`${t.domain.padEnd(5)} ${t.name.padEnd(32)} ${t.description.split('. ')[0]}.\n`);
    });

  tools
    .command('call')
    .description(
      'call one tool, e.g. assetops tools call history \'{"asset": "Chiller 6", "start": "2024-05-01"}\'',
    )
    .argument('<name>', 'tool name')
    .argument('[json]', 'arguments as a JSON object', '{}')
    .option('--world <dir>', 'dataset folder', defaultWorldDir())
    .option('--now <iso>', 'frozen current time (default: the last moment the dataset exposes)', parseNow)
    .addOption(new Option('--faults <profile>', 'fault injection').choices(FAULT_PROFILES).default('none'))
    .action(
      async (name: string, json: string, opts: { world: string; now?: string; faults: FaultProfile }) => {
        const args = parseJsonArgs(json);
        const ds = await openDataset(opts.world);
        try {
          const result = await createSession(ds, { now: opts.now, faults: opts.faults }).call(name, args);
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          if (!result.ok) process.exitCode = 1;
        } finally {
          ds.close();
        }
      },
    );

  program
    .command('mcp')
    .description('serve the tools over MCP (stdio or streamable HTTP)')
    .option('--domain <d>', 'iot, util, fmsr, tsfm, wo (comma-separated) or all', parseDomain, 'all')
    .addOption(new Option('--transport <t>', 'transport').choices(['stdio', 'http']).default('stdio'))
    .option('--host <host>', 'HTTP host', '127.0.0.1')
    .option('--port <n>', 'HTTP port (0 picks a free one)', parsePort, 8765)
    .addOption(new Option('--faults <profile>', 'fault injection').choices(FAULT_PROFILES).default('none'))
    .option('--world <dir>', 'dataset folder', defaultWorldDir())
    .option('--now <iso>', 'frozen current time', parseNow)
    .option('--seed <n>', 'seed of the fault injector', parseSeed, 0)
    .option('--token <t>', 'require this bearer token (or set ASSETOPS_MCP_TOKEN)')
    .option(
      '--session-idle <seconds>',
      'HTTP: close a session after this long without a request',
      parsePositive('the idle time'),
      DEFAULT_IDLE_MS / 1000,
    )
    .option(
      '--max-sessions <n>',
      'HTTP: open sessions at most (a new one past it gets 503)',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new InvalidArgumentError('the cap must be a whole number from 1');
        return n;
      },
      DEFAULT_MAX_SESSIONS,
    )
    .option(
      '--allow-host <name...>',
      'HTTP: more names clients may send in Host/Origin (e.g. a proxy or DNS name), beside the bound host and loopback',
    )
    .option(
      '--insecure',
      'HTTP: serve on a non-loopback host without a token (anyone who can reach it may call the tools)',
      false,
    )
    .action(
      async (opts: {
        domain: Domain[] | 'all';
        transport: 'stdio' | 'http';
        host: string;
        port: number;
        faults: FaultProfile;
        world: string;
        now?: string;
        seed: number;
        token?: string;
        sessionIdle: number;
        maxSessions: number;
        allowHost?: string[];
        insecure: boolean;
      }) => {
        const token = opts.token ?? process.env.ASSETOPS_MCP_TOKEN;
        if (opts.transport === 'http' && !token && !isLoopback(opts.host)) {
          if (!opts.insecure) {
            throw new UserError(
              `refusing to serve MCP on ${opts.host} without a token: anyone who can reach this machine could open sessions and call every tool`,
              'Require one with --token <t> (or ASSETOPS_MCP_TOKEN), or pass --insecure to serve without it',
            );
          }
          process.stderr.write(
            `warning: --insecure: no token on ${opts.host}:${opts.port}; anyone who can reach it may open MCP sessions and call every tool, work-order sandbox included\n`,
          );
        }
        const ds = await openDataset(opts.world);
        const common = { domains: opts.domain, faults: opts.faults, now: opts.now, seed: opts.seed };
        if (opts.transport === 'stdio') {
          await serveStdio(ds, common);
          return;
        }
        let http: Awaited<ReturnType<typeof serveHttp>>;
        try {
          http = await serveHttp(ds, {
            ...common,
            host: opts.host,
            port: opts.port,
            token,
            idleMs: opts.sessionIdle * 1000,
            maxSessions: opts.maxSessions,
            allowedHosts: opts.allowHost,
          });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          throw new UserError(
            `cannot listen on ${opts.host}:${opts.port} (${code ?? (err as Error).message})`,
            'Choose another port with --port (0 picks a free one)',
          );
        }
        process.stderr.write(
          `MCP server listening on ${http.url}${token ? ' (bearer token required)' : ''}\n`,
        );
        const stop = async () => {
          await http.close();
          ds.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
}
