// `assetops tools ...` (for people) and `assetops mcp` (for agents).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { openDataset } from '../../dataset/open.ts';
import { isLoopback } from '../../mcp/http.ts';
import { DEFAULT_IDLE_MS, DEFAULT_MAX_SESSIONS, serveHttp, serveStdio } from '../../mcp/serve.ts';
import { inputJsonSchema } from '../../mcp/server.ts';
import { FAULT_PROFILES, type FaultProfile } from '../../tools/faults.ts';
import { createSession, toolsFor } from '../../tools/registry.ts';
import { type AnyTool, DOMAINS, type Domain } from '../../tools/types.ts';
import { UserError } from '../../util/errors.ts';
import { defaultWorldDir } from '../paths.ts';
import { renderTable, terminalWidth, wrap } from '../table.ts';
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

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** A JSON Schema type as a person reads it: string, integer, string[], "a"|"b", ... */
export function schemaType(s: JsonSchema | undefined): string {
  if (!s) return 'any';
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join('|');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const union = s.anyOf ?? s.oneOf;
  if (union) return [...new Set(union.map(schemaType))].join('|');
  if (s.type === 'array') {
    const item = schemaType(s.items);
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  if (Array.isArray(s.type)) return s.type.join('|');
  return s.type ?? 'any';
}

/** A tool's arguments from its zod input schema: the required ones first, then the optional. */
export function argumentsText(t: AnyTool, compact: boolean): string {
  const schema = inputJsonSchema(t) as JsonSchema;
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return 'none';
  const required = new Set(schema.required ?? []);
  // Compact: names only, optional ones marked with '?' (the types are in the full listing).
  if (compact) return props.map(([n]) => (required.has(n) ? n : `${n}?`)).join(', ');
  const one = ([name, s]: [string, JsonSchema]) => `${name}: ${schemaType(s)}`;
  const req = props.filter(([n]) => required.has(n)).map(one);
  const opt = props.filter(([n]) => !required.has(n)).map(one);
  return [
    req.length ? `required ${req.join(', ')}` : 'none required',
    opt.length ? `optional ${opt.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

const ARGS_WIDTH = 28;

export function registerTools(program: Command): void {
  const tools = program.command('tools').description('list and call the domain tools');

  tools
    .command('list')
    .description('list the tools: arguments (name, type, required or optional) and description')
    .option('--domain <d>', 'iot, util, fmsr, tsfm, wo (comma-separated) or all', parseDomain, 'all')
    .option('--brief', 'one line per tool, descriptions cut to fit with …', false)
    .option('--json', 'print names, domains, descriptions and input schemas as JSON', false)
    .action((opts: { domain: Domain[] | 'all'; brief: boolean; json: boolean }) => {
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
      const width = terminalWidth();
      if (opts.brief) {
        const rows = list.map((t) => [t.domain, t.name, argumentsText(t, true), t.description]);
        // The description gets what the other columns leave of the line (at least 30).
        const used = 6 + Math.max(...list.map((t) => t.name.length)) + ARGS_WIDTH + 3 * 2;
        const maxWidth = { arguments: ARGS_WIDTH, description: Math.max(30, width - used) };
        process.stdout.write(
          `${renderTable(['domain', 'tool', 'arguments', 'description'], rows, { maxWidth })}\n`,
        );
        return;
      }
      // A block per tool: the whole description, wrapped at word boundaries (it is written for
      // a model, and a cut one leaves out what an argument means).
      const blocks = list.map((t) => {
        const head = `${t.name}  (${t.domain}${t.readOnly ? ', read-only' : ', changes the session sandbox'})`;
        const args = wrap(`arguments: ${argumentsText(t, false)}`, width - 4).map((l, i) =>
          i === 0 ? `  ${l}` : `    ${l}`,
        );
        return [head, ...args, ...wrap(t.description, width - 2).map((l) => `  ${l}`)].join('\n');
      });
      process.stdout.write(`${blocks.join('\n\n')}\n\n${list.length} tools\n`);
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
