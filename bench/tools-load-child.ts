// Load client for bench/tools.ts: 64 MCP sessions over streamable HTTP, 100 calls each,
// all at once (optionally pausing between a session's calls, as an agent thinks). Prints latencies (ms), errors and wall time as JSON.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, toolList, think = '0'] = process.argv.slice(2);
const thinkMs = Number(think);
const mix = toolList.split(',');
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

const clients = await Promise.all(
  Array.from({ length: 64 }, async () => {
    const c = new Client({ name: 'load', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(url)));
    return c;
  }),
);
const latencies: number[] = [];
let errors = 0;
const t0 = performance.now();
await Promise.all(
  clients.map(async (c, k) => {
    for (let i = 0; i < 100; i++) {
      const name = mix[(i + k) % mix.length];
      const s = performance.now();
      try {
        const r = await c.callTool({ name, arguments: args(name, i + k) });
        if (r.isError) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - s);
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs));
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
await Promise.all(clients.map((c) => c.close()));
process.stdout.write(JSON.stringify({ latencies, errors, wall }));
