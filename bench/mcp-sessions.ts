// Memory of the streamable HTTP MCP server over 10,000 sessions that never say goodbye:
// each initializes, calls history and json_reader, and walks away without DELETE. With
// idle expiry the heap after GC stays flat; a second pass with expiry out of reach gives
// the cost of one open session. Writes docs/BENCHMARKS.md.
// Usage: npm run bench:mcp [-- --sessions 10000]   (needs node --expose-gc, as the script runs it)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../src/dataset/open.ts';
import { type HttpMcp, serveHttp } from '../src/mcp/serve.ts';
import { presetConfig } from '../src/world/config.ts';
import { generateWorld } from '../src/world/generate.ts';
import { machine, writeSection } from './support.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with node --expose-gc (npm run bench:mcp does)\n');
  process.exit(2);
}
const arg = process.argv.indexOf('--sessions');
const SESSIONS = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const IDLE_MS = 500;

// The tiny world: what a session holds does not depend on the size of the plant.
const world = join(mkdtempSync(join(tmpdir(), 'assetops-bench-')), 'world');
await generateWorld(presetConfig('tiny', 7), { out: world });
const ds = await openDataset(world);

const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
let rpcId = 0;
async function post(url: string, body: unknown, sid?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: sid ? { ...headers, 'mcp-session-id': sid } : headers,
    body: JSON.stringify(body),
  });
}

/** One client that never says goodbye. Returns false when the server refused the session. */
async function abandonedSession(url: string): Promise<boolean> {
  const init = await post(url, {
    jsonrpc: '2.0',
    id: ++rpcId,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  });
  await init.arrayBuffer();
  if (init.status === 503) return false;
  const sid = init.headers.get('mcp-session-id') as string;
  await (await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, sid)).arrayBuffer();
  const call = (name: string, args: Record<string, unknown>) =>
    post(url, { jsonrpc: '2.0', id: ++rpcId, method: 'tools/call', params: { name, arguments: args } }, sid);
  await (
    await call('history', {
      asset: 'Chiller 1',
      sensors: ['Tonnage'],
      start: '2024-03-01',
      end: '2024-03-04',
    })
  ).arrayBuffer();
  await (await call('json_reader', { handle: 'res-1', limit: 50 })).arrayBuffer();
  return true;
}

function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

interface Sample {
  after: number;
  heap: number;
  open: number;
}

async function drive(
  http: HttpMcp,
  n: number,
  every: number,
): Promise<{ samples: Sample[]; refused: number; wall: number }> {
  const samples: Sample[] = [{ after: 0, heap: heapMiB(), open: http.stats().transports }];
  let refused = 0;
  const t0 = performance.now();
  // Four clients at a time, as a handful of careless agents would.
  for (let done = 0; done < n; ) {
    const batch = Math.min(4, n - done);
    const ok = await Promise.all(Array.from({ length: batch }, () => abandonedSession(http.url)));
    for (const o of ok) {
      if (o) done++;
      else refused++;
    }
    if (ok.some((o) => !o)) await new Promise((r) => setTimeout(r, IDLE_MS / 4));
    if (done % every === 0 && ok.every(Boolean))
      samples.push({ after: done, heap: heapMiB(), open: http.stats().transports });
  }
  return { samples, refused, wall: (performance.now() - t0) / 1000 };
}

// Warm-up: code paths, caches and the series of Chiller 1 are loaded before the first sample.
const warm = await serveHttp(ds, {
  domains: 'all',
  faults: 'none',
  host: '127.0.0.1',
  port: 0,
  idleMs: IDLE_MS,
});
for (let i = 0; i < 200; i++) await abandonedSession(warm.url);
await warm.close();

const expiring = await serveHttp(ds, {
  domains: 'all',
  faults: 'none',
  host: '127.0.0.1',
  port: 0,
  idleMs: IDLE_MS,
});
const run = await drive(expiring, SESSIONS, SESSIONS / 10);
await new Promise((r) => setTimeout(r, IDLE_MS * 3));
const settled = { heap: heapMiB(), open: expiring.stats().transports };
await expiring.close();

// Expiry out of reach: every session stays open, so the heap grows by what one holds.
const OPEN = 1000;
const keeping = await serveHttp(ds, {
  domains: 'all',
  faults: 'none',
  host: '127.0.0.1',
  port: 0,
  idleMs: 3_600_000,
  maxSessions: OPEN + 1,
});
const kept = await drive(keeping, OPEN, OPEN);
const first = kept.samples[0];
const last = kept.samples.at(-1) as Sample;
const perOpen = ((last.heap - first.heap) * 1024) / OPEN;
await keeping.close();
const closed = heapMiB();
ds.close();

const rows = run.samples.map((s) => `| ${s.after.toLocaleString('en')} | ${s.heap.toFixed(1)} | ${s.open} |`);
const heaps = run.samples.slice(1).map((s) => s.heap);
const body = `
## MCP sessions that never say goodbye (\`bench/mcp-sessions.ts\`)

${SESSIONS.toLocaleString('en')} clients over streamable HTTP, four at a time, each
initializes, calls \`history\` and \`json_reader\`, and leaves without \`DELETE\`; sessions
expire after ${IDLE_MS} ms idle (the default is 15 min; a short idle time lets a run of
minutes stand for days of service). Heap used after GC, MiB. Machine: ${machine()}.
Measured ${new Date().toISOString().slice(0, 10)}.

| sessions so far | heap (MiB) | open sessions |
|---|---|---|
${rows.join('\n')}

- ${run.wall.toFixed(1)} s in all (${(SESSIONS / run.wall).toFixed(0)} sessions/s), ${run.refused} refused by the cap (256);
  heap from ${Math.min(...heaps).toFixed(1)} to ${Math.max(...heaps).toFixed(1)} MiB over the run; once the last ones expired: ${settled.heap.toFixed(1)} MiB with ${settled.open} open.
- With expiry out of reach, ${OPEN.toLocaleString('en')} open sessions take ${(last.heap - first.heap).toFixed(1)} MiB,
  about ${perOpen.toFixed(0)} KB each while open; after closing them the heap is back to ${closed.toFixed(1)} MiB.

Before sessions expired (and before a closed one dropped its tool session), every
abandoned session stayed for good: about 52 KB each, 15 KB even after a \`DELETE\`
(figures of the Hardening issue, not re-measured here).
`;
writeSection('mcp-sessions', body);
process.stdout.write(body);
