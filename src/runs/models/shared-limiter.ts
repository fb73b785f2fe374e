// Rate limits shared by every worker of a queue. Each `assetops worker` has its own
// process-wide RateLimiter, so N workers against one API key would each take the whole
// --rpm and --tpm: N times the limit. This limiter keeps the spacing of requests, the
// 60 s token window and 429 pauses in the queue's Redis, decided by one Lua script per
// request so that two workers can never both take the last slot. The clock is Redis's
// own (TIME), so machines with skewed clocks still agree.
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Limiter, ProviderLimiterState, RateLimits, Reservation } from './limiter.ts';

const WINDOW_MS = 60_000;
/** Longest single wait before asking Redis again: another worker's settle may free room. */
const MAX_POLL_MS = 1_000;

// KEYS: slot, paused, window (zset id -> at), tokens (hash id -> tokens)
// ARGV: rpm, tpm, estimate, id. Returns {granted, at}: granted 1 with the grant time, or 0
// with the earliest time worth asking again.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local est = tonumber(ARGV[3])
local at = now
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > at then at = paused end
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot > at then at = slot end
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - ${WINDOW_MS})
if #old > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - ${WINDOW_MS})
  redis.call('HDEL', KEYS[4], unpack(old))
end
if tpm > 0 then
  local entries = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local ids, ats, toks, total = {}, {}, {}, 0
  for i = 1, #entries, 2 do
    local tk = tonumber(redis.call('HGET', KEYS[4], entries[i]) or '0')
    table.insert(ats, tonumber(entries[i + 1]))
    table.insert(toks, tk)
    total = total + tk
  end
  if #ats > 0 and total + est > tpm then
    -- The oldest reservation whose expiry makes room (an oversize request waits for an empty window).
    for i = 1, #ats do
      total = total - toks[i]
      if total + est <= tpm or total <= 0 then
        if ats[i] + ${WINDOW_MS} > at then at = ats[i] + ${WINDOW_MS} end
        break
      end
    end
  end
end
if at <= now then
  if rpm > 0 then redis.call('SET', KEYS[1], tostring(math.floor(now + ${WINDOW_MS} / rpm)), 'PX', ${2 * WINDOW_MS}) end
  redis.call('ZADD', KEYS[3], now, ARGV[4])
  redis.call('HSET', KEYS[4], ARGV[4], est)
  redis.call('PEXPIRE', KEYS[3], ${2 * WINDOW_MS})
  redis.call('PEXPIRE', KEYS[4], ${2 * WINDOW_MS})
  return {1, now}
end
return {0, at}
`;

// KEYS: paused. ARGV: ms. Extends the shared pause, never shortens it.
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = math.floor(tonumber(ARGV[1]))
local untilMs = now + ms
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', ms + 1000) end
return untilMs
`;

export interface SharedRateLimiterOptions {
  /** Key prefix in Redis (one per deployment; all workers of a queue use the same). */
  prefix?: string;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxPauseMs?: number;
}

let nextId = 0;

/** A rate limiter with RateLimiter's interface whose state lives in Redis. */
export class SharedRateLimiter implements Limiter {
  private readonly limits = new Map<string, RateLimits>();
  private readonly consecutive = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly prefix: string;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxPauseMs: number;
  private readonly instance = `${process.pid}-${Date.now().toString(36)}-${nextId++}`;
  private seq = 0;

  constructor(
    private readonly redis: Redis,
    opts: SharedRateLimiterOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'assetops:ratelimit';
    this.baseBackoffMs = opts.baseBackoffMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.maxPauseMs = opts.maxPauseMs ?? 300_000;
  }

  private keys(provider: string): string[] {
    const k = `${this.prefix}:{${provider}}`;
    return [`${k}:slot`, `${k}:paused`, `${k}:window`, `${k}:tokens`];
  }

  setLimits(provider: string, limits: RateLimits): void {
    for (const [name, v] of Object.entries(limits)) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        throw new Error(`rate limit ${name} for ${provider} must be a positive number (got ${v})`);
      }
    }
    this.limits.set(provider, { ...limits });
  }

  async acquire(provider: string, estimatedTokens: number, signal?: AbortSignal): Promise<Reservation> {
    const limits = this.limits.get(provider) ?? {};
    const estimate = Math.max(0, Math.ceil(estimatedTokens));
    const id = `${this.instance}-${++this.seq}`;
    for (;;) {
      signal?.throwIfAborted();
      const [granted, at] = (await this.redis.eval(
        ACQUIRE,
        4,
        ...this.keys(provider),
        limits.rpm ?? 0,
        limits.tpm ?? 0,
        estimate,
        id,
      )) as [number, number];
      if (granted === 1) return { provider, at, tokens: estimate, id } as Reservation & { id: string };
      const [sec, micro] = await this.redis.time();
      const now = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
      await delay(Math.max(1, Math.min(at - now, MAX_POLL_MS)), undefined, signal ? { signal } : {});
    }
  }

  /** As RateLimiter.settle: the real tokens replace the estimate in the shared window. */
  settle(reservation: Reservation, actualTokens: number, outcome: 'ok' | 'failed' = 'ok'): void {
    reservation.tokens = Math.max(0, Math.ceil(actualTokens));
    if (outcome === 'ok') this.consecutive.set(reservation.provider, 0);
    const id = (reservation as Reservation & { id?: string }).id;
    if (!id) return;
    const [, , , tokensKey] = this.keys(reservation.provider);
    // Only if it is still in the window (HSET on an expired one would leave a stray entry).
    this.track(
      this.redis.eval(
        "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return 1",
        1,
        tokensKey,
        id,
        reservation.tokens,
      ),
    );
  }

  /**
   * Pauses the provider for every worker. Returns the pause at once (as RateLimiter does);
   * the write to Redis follows, and `idle()` waits for it.
   */
  pause(provider: string, ms?: number | null): number {
    const n = (this.consecutive.get(provider) ?? 0) + 1;
    this.consecutive.set(provider, n);
    const wanted = ms ?? Math.min(this.baseBackoffMs * 2 ** (n - 1), this.maxBackoffMs);
    const applied = Math.min(Math.max(0, wanted), this.maxPauseMs);
    const [, paused] = this.keys(provider);
    this.track(this.redis.eval(PAUSE, 1, paused, applied));
    return applied;
  }

  async state(provider: string): Promise<ProviderLimiterState> {
    const [slot, paused, windowKey, tokensKey] = this.keys(provider);
    const [sec, micro] = await this.redis.time();
    const now = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
    const live = await this.redis.zrangebyscore(windowKey, now - WINDOW_MS + 1, '+inf');
    const tokens = live.length > 0 ? await this.redis.hmget(tokensKey, ...live) : [];
    return {
      pausedUntil: Number((await this.redis.get(paused)) ?? 0),
      nextSlotAt: Number((await this.redis.get(slot)) ?? 0),
      windowTokens: tokens.reduce((sum, t) => sum + Number(t ?? 0), 0),
      consecutivePauses: this.consecutive.get(provider) ?? 0,
    };
  }

  /** Waits for this limiter's writes (settles, pauses) to reach Redis. */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private track(p: Promise<unknown>): void {
    // A lost write only makes the limit a little loose; it must not fail a model call.
    const q = p.catch(() => undefined).finally(() => this.pending.delete(q));
    this.pending.add(q);
  }
}
