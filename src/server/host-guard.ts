// Which requests the dashboard answers at all, before any route: a Host header naming this
// server, and, from browsers, an Origin on the same host and port. A page on another site
// cannot read a loopback server directly (no CORS headers), but with DNS rebinding its own
// name points at 127.0.0.1 and its requests arrive with `Host: evil.example`; refusing
// foreign Hosts closes that. The Origin check stops another site's page (or a rebound one)
// from posting to the API through the user's browser. Bound to a public interface (or
// 0.0.0.0), the server has no fixed name and accepts any Host, so there the tokens guard the
// writes (and `serve` refuses to start without them unless told --insecure).
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost, withBrackets } from '../util/net.ts';
import { ApiError } from './errors.ts';

export interface Listen {
  /** The host the server was bound to: a name or an address, as given to listen(). */
  host: string;
  /** Its port; 0 (or unset) while not known yet, then any port passes. Read per request, so
   * a caller listening on port 0 sets the port it got once listening. */
  port?: number;
  /** More names to accept (the name a reverse proxy forwards, say), with or without a port. */
  allowedHosts?: string[];
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export { isLoopbackHost } from '../util/net.ts';

/** A Host header (or a URL's host) split into its name and port; null when it is not one. */
function split(host: string): { name: string; port: number | null } | null {
  try {
    const u = new URL(`http://${host}`);
    if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return null;
    return { name: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : null };
  } catch {
    return null;
  }
}

/** An http(s) Origin's host and port; null for "null", other schemes and garbage. */
function originOf(origin: string): { name: string; port: number | null } | null {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return { name: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : null };
  } catch {
    return null;
  }
}

/** Guards every request; `listen` undefined means loopback on a port not told (tests, embedders). */
export function hostGuard(listen: Listen | undefined): MiddlewareHandler {
  const bound = listen?.host ?? '127.0.0.1';
  const strict = isLoopbackHost(bound);
  const names = new Set([...LOOPBACK_NAMES, withBrackets(bound.toLowerCase())]);
  const extra = (listen?.allowedHosts ?? []).map((h) => split(h)).filter((h) => h !== null);
  const where = () => {
    const port = listen?.port ? `:${listen.port}` : '';
    return `http://${withBrackets(bound)}${port}`;
  };

  const known = (h: { name: string; port: number | null }): boolean => {
    if (extra.some((e) => e.name === h.name && (e.port === null || e.port === (h.port ?? 80)))) return true;
    if (!strict) return true;
    const port = listen?.port;
    return names.has(h.name) && (!port || (h.port ?? 80) === port);
  };

  return async (c, next) => {
    const raw = c.req.header('host') ?? new URL(c.req.url).host;
    const host = split(raw);
    if (!host || !known(host)) {
      throw new ApiError(
        403,
        `this server does not answer to the host "${raw}"`,
        `Open the dashboard at ${where()} (localhost, 127.0.0.1 and [::1] on its port work too); behind a proxy that forwards another name, start serve with --allowed-host NAME`,
      );
    }
    // Browsers send Origin on cross-site requests and on every POST; same-site GETs may have none.
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const from = originOf(origin);
      // Ports as the URL parser leaves them (a default port is dropped on both sides).
      const same = from !== null && from.name === host.name && from.port === host.port;
      if (!same && !(from && extra.some((e) => e.name === from.name))) {
        throw new ApiError(
          403,
          `requests from pages at ${origin} are not accepted`,
          `Only the dashboard's own pages (${raw}) may call its API`,
        );
      }
    }
    await next();
  };
}
