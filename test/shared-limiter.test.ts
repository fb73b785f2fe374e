// The rate limiter that the workers of a queue share through Redis: two limiters in one
// process, each on its own connection to one real Redis, behave as one limiter.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/runs/models/limiter.ts';
import { SharedRateLimiter } from '../src/runs/models/shared-limiter.ts';
import { type RedisServer, startRedis } from './support/redis.ts';

let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

/** Two limiters, as two workers would have them, with the same limits for provider p. */
function pair(
  prefix: string,
  limits: { rpm?: number; tpm?: number },
): [SharedRateLimiter, SharedRateLimiter] {
  const make = () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const l = new SharedRateLimiter(client, { prefix });
    l.setLimits('p', limits);
    return l;
  };
  return [make(), make()];
}

describe('shared rate limiter', () => {
  it('spaces the requests of both limiters as one rpm, where two local limiters would double it', async () => {
    const [a, b] = pair('t-rpm', { rpm: 600 });
    const t0 = Date.now();
    const grants = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).acquire('p', 0).then((r) => r.at)),
    );
    const wall = Date.now() - t0;
    grants.sort((x, y) => x - y);
    // 600 rpm is one request per 100 ms, across both: 8 requests take 700 ms at least.
    for (let i = 1; i < grants.length; i++) expect(grants[i] - grants[i - 1]).toBeGreaterThanOrEqual(99);
    expect(wall).toBeGreaterThanOrEqual(690);

    const local = [
      new RateLimiter({ limits: { p: { rpm: 600 } } }),
      new RateLimiter({ limits: { p: { rpm: 600 } } }),
    ];
    const l0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => local[i % 2].acquire('p', 0)));
    expect(Date.now() - l0).toBeLessThan(500);
  });

  it('shares one token window: what one spends, the other waits for', async () => {
    const [a, b] = pair('t-tpm', { tpm: 1000 });
    const r = await a.acquire('p', 800);
    expect((await b.state('p')).windowTokens).toBe(800);
    // 300 more would pass 1000 in the window: b waits (here, until it gives up).
    await expect(b.acquire('p', 300, AbortSignal.timeout(300))).rejects.toThrow();
    // a's call used only 100 tokens: once settled, b gets in.
    a.settle(r, 100);
    await a.idle();
    const t0 = Date.now();
    await b.acquire('p', 300, AbortSignal.timeout(5_000));
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect((await a.state('p')).windowTokens).toBe(400);
  });

  it('a 429 seen by one pauses both', async () => {
    const [a, b] = pair('t-pause', {});
    expect(a.pause('p', 400)).toBe(400);
    await a.idle();
    const t0 = Date.now();
    await b.acquire('p', 0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect((await b.state('p')).pausedUntil).toBeGreaterThan(0);
  });
});
