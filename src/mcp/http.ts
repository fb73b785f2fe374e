// Small HTTP helpers shared by the MCP servers: bearer-token checks, Host and Origin
// checks, JSON replies and bounded request bodies.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { withBrackets } from '../util/net.ts';

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Constant-time comparison of `Authorization: Bearer <token>` with the expected token. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** True for names and addresses that only this machine can reach. */
export { isLoopbackHost as isLoopback } from '../util/net.ts';

/**
 * The `host:port` values a request to this server may carry in Host (and Origin): the bound
 * host and the loopback names, and for a wildcard bind (0.0.0.0, ::) the machine's name and
 * addresses. A page on another site that rebinds its DNS name to this machine sends its own
 * name, so it is refused even though the socket is reachable.
 */
export function allowedHostValues(bound: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>([bound, 'localhost', '127.0.0.1', '::1', ...extra]);
  if (bound === '0.0.0.0' || bound === '::') {
    names.add(hostname());
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.address);
    }
  }
  const out = new Set<string>();
  for (const n of names) {
    const h = withBrackets(n.toLowerCase());
    out.add(`${h}:${port}`);
    // Clients leave out the port when it is the scheme's default.
    if (port === 80) out.add(h);
  }
  return out;
}

/** Why a request's Host or Origin header is refused, or null when both are this server's. */
export function foreignHost(req: IncomingMessage, allowed: ReadonlySet<string>): string | null {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowed.has(host)) return `Host "${req.headers.host ?? ''}" is not a name of this server`;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let originHost: string | null = null;
  try {
    const u = new URL(origin);
    if (u.protocol === 'http:' || u.protocol === 'https:') originHost = u.host.toLowerCase();
  } catch {
    // An Origin that is not a URL ("null" from a sandboxed page) is refused below.
  }
  if (!originHost || !allowed.has(originHost)) return `Origin "${origin}" is not this server`;
  return null;
}
