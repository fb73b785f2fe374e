// Load client for bench/tools.ts: 64 MCP sessions over streamable HTTP, 100 calls each,
// optionally pausing between a session's calls (as an agent thinks). Each session starts
// at a random offset, seeded so that runs are comparable: a random place in the call mix
// and the argument cycle (so sessions do not all ask for the same chiller at once) and a
// random delay before its first call (so they do not all arrive in the same millisecond,
// which no real fleet of agents does). Prints per-session latencies (ms, in call order),
// errors and wall time as JSON.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Rng } from '../src/util/rng.ts';

const [url, toolList, think = '0', seedArg = '1'] = process.argv.slice(2);
const thinkMs = Number(think);
const mix = toolList.split(',');
const SESSIONS = 64;
const CALLS = 100;
const args = (name: string, i: number): Record<string, unknown> => {
  const chiller = `Chiller ${1 + (i % 11)}`;
  const day = 1 + (i % 20);
  const d = (n: number) => `2024-04-${String(n).padStart(2, '0')}`;
  const table: Record<string, Record<string, unknown>> = {
    history: { asset: chiller, sensors: ['Tonnage'], start: d(day), end: d(day + 7) },
    latest: { asset: chiller },
    sensors: { asset: chiller },
    get_work_orders: { asset: chiller, start: '2023-01-01', end: '2023-12-31' },
    current_date_time: {},
    assets: { site: 'MAIN' },
  };
  return table[name] ?? {};
};

const rng = new Rng(Number(seedArg), 'tools-load');
// 11 chillers x 20 days x the mix: offsets over the whole cycle.
const cycle = 11 * 20 * mix.length;
const offsets = Array.from({ length: SESSIONS }, () => ({
  at: Math.floor(rng.next() * cycle),
  delayMs: rng.next() * Math.max(thinkMs, 50),
}));

const clients = await Promise.all(
  Array.from({ length: SESSIONS }, async () => {
    const c = new Client({ name: 'load', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    return c;
  }),
);
const latencies: number[][] = clients.map(() => []);
let errors = 0;
const t0 = performance.now();
await Promise.all(
  clients.map(async (c, k) => {
    const { at, delayMs } = offsets[k];
    await new Promise((r) => setTimeout(r, delayMs));
    for (let i = 0; i < CALLS; i++) {
      const name = mix[(at + i) % mix.length];
      const s = performance.now();
      try {
        const r = await c.callTool({ name, arguments: args(name, at + i) });
        if (r.isError) errors++;
      } catch {
        errors++;
      }
      latencies[k].push(performance.now() - s);
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs));
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
await Promise.all(clients.map((c) => c.close()));
process.stdout.write(JSON.stringify({ latencies, errors, wall }));
