// Client-side rate limits per provider, shared by every attempt of a run (a run may have
// many attempts in flight against one API key). Requests per minute are spaced evenly
// rather than let through in bursts, since providers meter over short windows; tokens per
// minute are a sliding 60 s window in which each call reserves an estimate before it starts
// and is corrected with the real usage after. A 429 pauses the whole provider, so the
// other attempts back off too instead of each finding the limit on its own.
import { setTimeout as delay } from 'node:timers/promises';

export interface RateLimits {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens (input + output) per minute. */
  tpm?: number;
}

export interface RateLimiterOptions {
  /** Milliseconds; injectable so tests run on a fake clock. */
  now?: () => number;
  /** Must reject when signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Limits by provider key; more can be set later with setLimits. */
  limits?: Record<string, RateLimits>;
  /** First backoff after a 429 without a retry-after header; doubled on each one in a row. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Cap on a server-given retry-after, so one odd header cannot stall a run for hours. */
  maxPauseMs?: number;
}

/** A granted request: its token reservation stays in the window until it ages out. */
export interface Reservation {
  readonly provider: string;
  readonly at: number;
  tokens: number;
}

export interface ProviderLimiterState {
  pausedUntil: number;
  nextSlotAt: number;
  /** Tokens reserved or used in the last 60 s. */
  windowTokens: number;
  /** 429s since the last successful call. */
  consecutivePauses: number;
}

const WINDOW_MS = 60_000;

/**
 * What the model-call middleware needs of a limiter: this process's RateLimiter, or the
 * SharedRateLimiter that the workers of a queue share through Redis.
 */
export interface Limiter {
  setLimits(provider: string, limits: RateLimits): void;
  acquire(provider: string, estimatedTokens: number, signal?: AbortSignal): Promise<Reservation>;
  settle(reservation: Reservation, actualTokens: number, outcome?: 'ok' | 'failed'): void;
  /** Pauses every request to provider; returns the pause applied (ms). */
  pause(provider: string, ms?: number | null): number;
}

interface ProviderState {
  limits: RateLimits;
  pausedUntil: number;
  nextSlotAt: number;
  window: Reservation[];
  consecutivePauses: number;
  // Aborted (and replaced) when a waiter's answer may have changed: a reservation shrank.
  changed: AbortController;
}

const defaultSleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal });

export class RateLimiter implements Limiter {
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxPauseMs: number;
  private readonly providers = new Map<string, ProviderState>();

  constructor(opts: RateLimiterOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.baseBackoffMs = opts.baseBackoffMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.maxPauseMs = opts.maxPauseMs ?? 300_000;
    for (const [provider, limits] of Object.entries(opts.limits ?? {})) this.setLimits(provider, limits);
  }

  private stateOf(provider: string): ProviderState {
    let s = this.providers.get(provider);
    if (!s) {
      s = {
        limits: {},
        pausedUntil: 0,
        nextSlotAt: 0,
        window: [],
        consecutivePauses: 0,
        changed: new AbortController(),
      };
      this.providers.set(provider, s);
    }
    return s;
  }

  setLimits(provider: string, limits: RateLimits): void {
    for (const [name, v] of Object.entries(limits)) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        throw new Error(`rate limit ${name} for ${provider} must be a positive number (got ${v})`);
      }
    }
    this.stateOf(provider).limits = { ...limits };
  }

  /** Waits until provider may take one more request of about estimatedTokens. */
  async acquire(provider: string, estimatedTokens: number, signal?: AbortSignal): Promise<Reservation> {
    const s = this.stateOf(provider);
    const estimate = Math.max(0, Math.ceil(estimatedTokens));
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      const readyAt = this.readyAt(s, now, estimate);
      if (readyAt <= now) {
        // Granted synchronously after the check, so no other waiter can slip in between.
        if (s.limits.rpm) s.nextSlotAt = now + WINDOW_MS / s.limits.rpm;
        const reservation: Reservation = { provider, at: now, tokens: estimate };
        s.window.push(reservation);
        return reservation;
      }
      const wake = signal ? AbortSignal.any([signal, s.changed.signal]) : s.changed.signal;
      try {
        await this.sleep(readyAt - now, wake);
      } catch (err) {
        // Woken early because the window changed: look again. The caller's abort is final.
        if (signal?.aborted || !wake.aborted) throw err;
      }
    }
  }

  /** The earliest time a request of estimate tokens may start, given pauses and limits. */
  private readyAt(s: ProviderState, now: number, estimate: number): number {
    let at = Math.max(now, s.pausedUntil, s.nextSlotAt);
    s.window = s.window.filter((r) => r.at + WINDOW_MS > now);
    const tpm = s.limits.tpm;
    if (tpm && s.window.length > 0) {
      let inWindow = s.window.reduce((sum, r) => sum + r.tokens, 0);
      if (inWindow + estimate > tpm) {
        // Reservations are in time order: find the oldest one whose expiry makes room. A
        // request larger than the whole budget waits for an empty window rather than forever.
        for (const r of s.window) {
          inWindow -= r.tokens;
          if (inWindow + estimate <= tpm || inWindow <= 0) {
            at = Math.max(at, r.at + WINDOW_MS);
            break;
          }
        }
      }
    }
    return at;
  }

  /**
   * Replaces a reservation's estimate with the tokens really used (0 for a failed request,
   * which the provider did not meter). A successful call ends a run of 429 backoffs.
   */
  settle(reservation: Reservation, actualTokens: number, outcome: 'ok' | 'failed' = 'ok'): void {
    const s = this.stateOf(reservation.provider);
    const previous = reservation.tokens;
    reservation.tokens = Math.max(0, Math.ceil(actualTokens));
    if (outcome === 'ok') s.consecutivePauses = 0;
    if (reservation.tokens < previous) {
      // Room was freed: waiters computed their wait from the estimate, so let them recompute.
      const changed = s.changed;
      s.changed = new AbortController();
      changed.abort();
    }
  }

  /**
   * Stops every request to provider for ms (a server's retry-after), or, without one, for an
   * exponential backoff from baseBackoffMs. Returns the pause applied.
   */
  pause(provider: string, ms?: number | null): number {
    const s = this.stateOf(provider);
    s.consecutivePauses += 1;
    const wanted = ms ?? Math.min(this.baseBackoffMs * 2 ** (s.consecutivePauses - 1), this.maxBackoffMs);
    const applied = Math.min(Math.max(0, wanted), this.maxPauseMs);
    s.pausedUntil = Math.max(s.pausedUntil, this.now() + applied);
    return applied;
  }

  state(provider: string): ProviderLimiterState {
    const s = this.stateOf(provider);
    const now = this.now();
    return {
      pausedUntil: s.pausedUntil,
      nextSlotAt: s.nextSlotAt,
      windowTokens: s.window.filter((r) => r.at + WINDOW_MS > now).reduce((sum, r) => sum + r.tokens, 0),
      consecutivePauses: s.consecutivePauses,
    };
  }
}

function headersOf(err: unknown): Record<string, string> | undefined {
  // The AI SDK puts them on APICallError; a RetryError keeps the last attempt's error.
  const seen = new Set<unknown>();
  let e = err as
    | { responseHeaders?: Record<string, string>; cause?: unknown; lastError?: unknown }
    | undefined;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    if (e.responseHeaders) return e.responseHeaders;
    e = (e.lastError ?? e.cause) as typeof e;
  }
  return undefined;
}

/** The wait a 429 asks for (retry-after-ms, else retry-after in seconds or as a date). */
export function retryAfterMs(err: unknown, now: number = Date.now()): number | undefined {
  const headers = headersOf(err);
  if (!headers) return undefined;
  const get = (name: string) =>
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim() || undefined;
  const ms = get('retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const after = get('retry-after');
  if (after === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Which rate limits a spec falls under: the API it reaches, as resolveModel decides it
 * (an OpenAI-compatible server is known by its host, so two local servers do not share).
 */
export function providerKeyOf(spec: string, baseUrl?: string): string {
  const at = spec.indexOf(':');
  const prefix = at < 0 ? '' : spec.slice(0, at);
  if (prefix === 'ollama') return 'ollama';
  // Anthropic only goes elsewhere with an explicit --base-url, as in resolveModel.
  if (prefix === 'anthropic') return baseUrl ? hostOf(baseUrl) : 'anthropic';
  const url = baseUrl ?? process.env.ASSETOPS_BASE_URL;
  return url ? hostOf(url) : 'openai';
}
