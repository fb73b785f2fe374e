// Who may write: submitters (a submit token) and the admin (the admin token), as Bearer
// tokens compared in constant time. No token is a 401, a wrong one a 403. Each token has its
// own token bucket: a burst, then a steady rate; an empty bucket is a 429 with Retry-After.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

export type Role = 'submit' | 'admin';

const digest = (token: string) => createHash('sha256').update(token).digest();

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export class Tokens {
  private readonly admin: Buffer | null;
  private readonly submit: Buffer[];

  constructor(adminToken: string | undefined, submitTokens: string[]) {
    this.admin = adminToken ? digest(adminToken) : null;
    this.submit = submitTokens.filter((t) => t.length > 0).map(digest);
  }

  /** The role a token has, or null. The admin token may also submit. */
  roleOf(token: string): Role | null {
    const d = digest(token);
    if (this.admin && same(d, this.admin)) return 'admin';
    return this.submit.some((s) => same(d, s)) ? 'submit' : null;
  }

  get configured(): boolean {
    return this.admin !== null || this.submit.length > 0;
  }
}

export function bearer(c: Context): string | null {
  const h = c.req.header('authorization');
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

/** A token bucket per token: `burst` requests at once, refilled at `perMinute`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perMinute: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** 0 when the request may go ahead, else the seconds to wait. */
  take(key: string): number {
    const t = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}

/** Requires a token of the role (admin also passes for submit), then takes from its bucket. */
export function requireToken(tokens: Tokens, limiter: RateLimiter, role: Role): MiddlewareHandler {
  return async (c, next) => {
    const token = bearer(c);
    if (token === null) {
      throw new ApiError(
        401,
        `this endpoint needs a${role === 'admin' ? 'n admin' : ' submit'} token`,
        tokens.configured
          ? 'Send it as "Authorization: Bearer TOKEN"'
          : 'The server has no tokens: start it with --submit-token / --admin-token (or ASSETOPS_SUBMIT_TOKENS / ASSETOPS_ADMIN_TOKEN)',
        {},
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const has = token ? tokens.roleOf(token) : null;
    if (!has || (role === 'admin' && has !== 'admin')) {
      throw new ApiError(
        403,
        role === 'admin' && has === 'submit'
          ? 'a submit token cannot manage competitions'
          : 'the token is not valid here',
        role === 'admin' ? 'Use the admin token' : 'Use a submit token the server was started with',
      );
    }
    const wait = limiter.take(createHash('sha256').update(token).digest('hex'));
    if (wait > 0) {
      throw new ApiError(
        429,
        'too many requests with this token',
        `Wait ${wait} s and try again`,
        { retryAfter: wait },
        { 'Retry-After': String(wait) },
      );
    }
    await next();
  };
}
