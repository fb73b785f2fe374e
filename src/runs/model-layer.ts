// The model layer a run uses: one response cache file, one price table and one rate limiter
// per process, applied to every model its agents resolve. Opened only when a run has a
// model-backed agent (it loads the AI SDK).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelWrapper } from './engine.ts';
import { ResponseCache } from './models/cache.ts';
import { type Limiter, RateLimiter } from './models/limiter.ts';
import { instrumentModel } from './models/middleware.ts';
import { loadPrices, PRICES_FILE_NAME } from './models/prices.ts';
import type { ResolvedRunSpec } from './spec.ts';

export interface ModelLayer {
  wrap: ModelWrapper;
  /** Model specs of the run with no price (their cost shows as $0). */
  unpriced(): string[];
  close(): Promise<void>;
}

export function cacheFile(home: string): string {
  return join(home, 'cache', 'models.sqlite');
}

export interface ModelLayerOptions {
  home: string;
  /** Read and write the response cache. */
  cache: boolean;
  rateLimits?: ResolvedRunSpec['rateLimits'];
  baseUrl?: string;
  /** The model specs that will be used (to report those without a price). */
  models: string[];
  /** A model call slower than this is the provider hanging (an infrastructure failure). */
  callTimeoutMs?: number;
  /**
   * A queue's Redis (redis://...): the rate limits are then shared with every worker of
   * the queue instead of applying to this process alone.
   */
  sharedLimits?: string;
}

/** A model call that takes longer than this is taken as a hung provider, unless the run says otherwise. */
export const DEFAULT_PROVIDER_TIMEOUT_S = 300;

/** The options for a run's spec. */
export function layerOptionsFor(home: string, spec: ResolvedRunSpec): ModelLayerOptions {
  return {
    home,
    cache: spec.cache,
    rateLimits: spec.rateLimits,
    baseUrl: spec.baseUrl,
    models: [...new Set(spec.entries.flatMap((e) => (e.model ? [e.model] : [])))],
    callTimeoutMs: 1000 * (spec.limits.providerTimeoutS ?? DEFAULT_PROVIDER_TIMEOUT_S),
  };
}

export async function openModelLayer(opts: ModelLayerOptions): Promise<ModelLayer> {
  const spec = opts;
  const pricesFile = join(opts.home, PRICES_FILE_NAME);
  const prices = loadPrices(existsSync(pricesFile) ? pricesFile : undefined);
  // With --no-cache the cache is not even opened: nothing is read or written.
  const cache = spec.cache ? ResponseCache.open(cacheFile(opts.home)) : undefined;
  let limiter: Limiter = new RateLimiter({ limits: spec.rateLimits ?? {} });
  let redis: { disconnect(): void } | undefined;
  if (opts.sharedLimits) {
    // Loaded only for workers: connectRedis names the fix when Redis does not answer.
    const { connectRedis } = await import('./queue.ts');
    const { SharedRateLimiter } = await import('./models/shared-limiter.ts');
    const client = await connectRedis(opts.sharedLimits);
    redis = client;
    const shared = new SharedRateLimiter(client);
    for (const [provider, limits] of Object.entries(spec.rateLimits ?? {}))
      shared.setLimits(provider, limits);
    limiter = shared;
  }
  const models = opts.models;
  return {
    wrap: (model, modelSpec) =>
      instrumentModel(model, {
        spec: modelSpec,
        prices,
        cache,
        limiter,
        baseUrl: spec.baseUrl,
        callTimeoutMs: spec.callTimeoutMs,
      }),
    unpriced: () => models.filter((m) => prices.lookup(m) === null),
    async close() {
      cache?.close();
      redis?.disconnect();
    },
  };
}
