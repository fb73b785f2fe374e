// The run engine's hold on every model call, whichever agent makes it: an AI SDK middleware
// around the resolved model. It answers repeated calls from the cache, keeps each call within
// the provider's rate limits and the attempt's token and cost budgets, counts tokens and
// money into the attempt's scope, and tells an attempt that failed because of the
// infrastructure (worth retrying) from one that failed on its own.
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { APICallError, type LanguageModel, type LanguageModelMiddleware, wrapLanguageModel } from 'ai';
import { endpointOf, shareCallSettings } from '../../agents/providers/model.ts';
import { type ResponseCache, responseCacheKey } from './cache.ts';
import { type Limiter, providerKeyOf, type RateLimits, retryAfterMs } from './limiter.ts';
import type { PriceTable } from './prices.ts';
import { currentModelScope, type ModelCallScope } from './scope.ts';

/** A call refused because the attempt's token or cost budget is spent. */
export class BudgetExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

export interface InstrumentOptions {
  /** The spec the model was resolved from: prices and rate-limit keys are by spec. */
  spec: string;
  prices: PriceTable;
  cache?: ResponseCache;
  limiter?: Limiter;
  /** Limits of this model's provider (set on the shared limiter for its provider key). */
  limits?: RateLimits;
  /** The base URL the model was resolved with, to find its provider key. */
  baseUrl?: string;
  /** Overrides the provider key derived from spec and baseUrl. */
  providerKey?: string;
  /**
   * How long one model call may take before it counts as the provider hanging (an
   * infrastructure failure, apart from the agent's own time limit). Unset: no limit.
   */
  callTimeoutMs?: number;
}

/**
 * The call's options with the provider timeout joined to the caller's own signal. The AI SDK
 * gives middleware the options it will send, so the timeout aborts the request itself.
 */
function withCallTimeout(
  params: LanguageModelV3CallOptions,
  ms: number | undefined,
): LanguageModelV3CallOptions {
  if (!ms) return params;
  const timeout = AbortSignal.timeout(ms);
  return {
    ...params,
    abortSignal: params.abortSignal ? AbortSignal.any([params.abortSignal, timeout]) : timeout,
  };
}

// ---- usage and budgets ------------------------------------------------------------------

interface CallTokens {
  input: number;
  output: number;
}

function tokensOf(usage: LanguageModelV3Usage | undefined): CallTokens {
  return { input: usage?.inputTokens?.total ?? 0, output: usage?.outputTokens?.total ?? 0 };
}

/** A rough size of a request before it is sent (4 characters a token), for the tpm window. */
export function estimateTokens(params: LanguageModelV3CallOptions): number {
  const chars = JSON.stringify(params.prompt ?? []).length + JSON.stringify(params.tools ?? []).length;
  return Math.ceil(chars / 4) + (params.maxOutputTokens ?? 0);
}

/** Refuses a call once the scope's budget is reached, before it costs anything. */
function refuseOverBudget(scope: ModelCallScope | undefined): void {
  if (!scope) return;
  const { tokens, costUsd, steps } = scope.limits;
  const spent = scope.usage.inputTokens + scope.usage.outputTokens;
  let reason: string | null = null;
  if (steps !== undefined && scope.usage.calls >= steps) {
    reason = `step budget spent (${scope.usage.calls} of ${steps} model calls)`;
  } else if (tokens !== undefined && spent >= tokens) {
    reason = `token budget spent (${spent} of ${tokens} tokens)`;
  } else if (costUsd !== undefined && scope.usage.usd >= costUsd) {
    reason = `cost budget spent ($${scope.usage.usd.toFixed(6)} of $${costUsd})`;
  }
  if (reason) {
    scope.budgetExceeded = reason;
    throw new BudgetExceededError(`model call refused: ${reason}`);
  }
}

function account(
  scope: ModelCallScope | undefined,
  spec: string,
  prices: PriceTable,
  used: CallTokens,
  cached: boolean,
): void {
  if (!scope) return;
  scope.usage.calls += 1;
  scope.usage.inputTokens += used.input;
  scope.usage.outputTokens += used.output;
  if (cached) {
    // The answer was paid for when it was first fetched.
    scope.usage.cachedCalls += 1;
    return;
  }
  const usd = prices.priceOf(spec, { inputTokens: used.input, outputTokens: used.output });
  if (usd === null) scope.unpriced.add(spec);
  else scope.usage.usd += usd;
}

// ---- error classification ---------------------------------------------------------------

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

type ErrorLike = {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  cause?: unknown;
  lastError?: unknown;
};

/** The error and what it wraps (cause, a RetryError's last error), without cycles. */
function errorChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let e: unknown = err;
  while (e && typeof e === 'object' && !chain.includes(e as ErrorLike) && chain.length < 10) {
    chain.push(e as ErrorLike);
    e = (e as ErrorLike).lastError ?? (e as ErrorLike).cause;
  }
  return chain;
}

export function isRateLimitError(err: unknown): boolean {
  return errorChain(err).some((e) => e.statusCode === 429);
}

/**
 * Why err is the infrastructure's fault (overload, outage, network, timeout), or null when
 * it is the request's or the agent's (a 400, a refused budget, the run's own deadline).
 */
export function infraErrorReason(err: unknown, callerAborted = false): string | null {
  // The caller's abort signal (the run's deadline) also surfaces as TimeoutError/AbortError.
  if (callerAborted) return null;
  for (const e of errorChain(err)) {
    const { statusCode: status, code } = e;
    const message = e.message ?? String(e);
    if (status !== undefined && (status >= 500 || status === 408 || status === 429)) {
      return `HTTP ${status}: ${message}`;
    }
    if (APICallError.isInstance(e) && e.isRetryable) return message;
    if (e.name === 'TimeoutError') return `timeout: ${message}`;
    if (code && NETWORK_CODES.has(code)) return `network error ${code}: ${message}`;
    if (/^(fetch failed|failed to fetch)$/i.test(message)) return `network error: ${message}`;
  }
  return null;
}

// Infrastructure failures not yet followed by a successful retry of the same request, by
// scope and cache key. The AI SDK retries by calling the model again, so a failure the
// retry recovers from must not leave the attempt marked as an infrastructure failure.
const outstandingFailures = new WeakMap<ModelCallScope, Map<string, string>>();

function noteFailure(
  scope: ModelCallScope | undefined,
  key: string,
  spec: string,
  err: unknown,
  params: LanguageModelV3CallOptions,
): void {
  if (!scope) return;
  const reason = infraErrorReason(err, params.abortSignal?.aborted === true);
  if (!reason) return;
  const text = `${spec}: ${reason}`;
  const pending = outstandingFailures.get(scope) ?? new Map<string, string>();
  outstandingFailures.set(scope, pending);
  pending.delete(key);
  pending.set(key, text);
  scope.infraError = text;
}

function noteSuccess(scope: ModelCallScope | undefined, key: string): void {
  const pending = scope && outstandingFailures.get(scope);
  if (!scope || !pending?.has(key)) return;
  const recovered = pending.get(key);
  pending.delete(key);
  // Another request that failed and was never recovered still marks the attempt.
  if (scope.infraError === recovered) scope.infraError = [...pending.values()].at(-1) ?? null;
}

// ---- cached results ---------------------------------------------------------------------

const CACHED_VERSION = 1;

interface CachedResult {
  v: typeof CACHED_VERSION;
  content: LanguageModelV3Content[];
  finishReason: LanguageModelV3GenerateResult['finishReason'];
  usage: LanguageModelV3Usage;
  providerMetadata?: LanguageModelV3GenerateResult['providerMetadata'];
  warnings: LanguageModelV3GenerateResult['warnings'];
  response?: { id?: string; modelId?: string; timestamp?: string };
}

/** Only what survives JSON: file bytes become base64 (a form the spec allows for files). */
function toCached(result: LanguageModelV3GenerateResult): CachedResult {
  const content = result.content.map((part) =>
    part.type === 'file' && part.data instanceof Uint8Array
      ? { ...part, data: Buffer.from(part.data).toString('base64') }
      : part,
  );
  const r = result.response;
  return {
    v: CACHED_VERSION,
    content,
    finishReason: result.finishReason,
    usage: result.usage,
    providerMetadata: result.providerMetadata,
    warnings: result.warnings ?? [],
    response: r ? { id: r.id, modelId: r.modelId, timestamp: r.timestamp?.toISOString() } : undefined,
  };
}

/** A stored entry as a result, or undefined when it is not one this version wrote. */
function fromCached(value: unknown): LanguageModelV3GenerateResult | undefined {
  const c = value as Partial<CachedResult> | null;
  if (
    !c ||
    typeof c !== 'object' ||
    c.v !== CACHED_VERSION ||
    !Array.isArray(c.content) ||
    !c.finishReason ||
    !c.usage
  ) {
    return undefined;
  }
  const r = c.response;
  return {
    content: c.content,
    finishReason: c.finishReason,
    usage: c.usage,
    providerMetadata: c.providerMetadata,
    warnings: c.warnings ?? [],
    response: r
      ? { id: r.id, modelId: r.modelId, timestamp: r.timestamp ? new Date(r.timestamp) : undefined }
      : undefined,
  };
}

let warnedCacheWrite = false;

function storeInCache(cache: ResponseCache, key: string, result: LanguageModelV3GenerateResult): void {
  try {
    cache.put(key, toCached(result));
  } catch (err) {
    // A lost entry only costs a call later; failing the attempt for it would cost more.
    if (!warnedCacheWrite) {
      warnedCacheWrite = true;
      process.emitWarning(`model response cache write failed: ${(err as Error).message}`);
    }
  }
}

// ---- the middleware ---------------------------------------------------------------------

/** The middleware alone (instrumentModel applies it); exported for composition with others. */
export function modelCallMiddleware(
  opts: InstrumentOptions & { providerKey: string },
): LanguageModelMiddleware {
  const { spec, prices, cache, limiter, providerKey, callTimeoutMs } = opts;

  const keyOf = (model: LanguageModelV3, params: LanguageModelV3CallOptions, trial: number) =>
    responseCacheKey({
      provider: model.provider,
      modelId: model.modelId,
      endpoint: endpointOf(model),
      trial,
      params,
    });

  const onError = (
    scope: ModelCallScope | undefined,
    key: string,
    err: unknown,
    params: LanguageModelV3CallOptions,
  ) => {
    // Every attempt on this provider backs off, not just the one that hit the limit.
    if (limiter && isRateLimitError(err)) limiter.pause(providerKey, retryAfterMs(err));
    noteFailure(scope, key, spec, err, params);
  };

  return {
    specificationVersion: 'v3',

    async wrapGenerate({ doGenerate, params, model }) {
      const scope = currentModelScope();
      refuseOverBudget(scope);
      // Outside an attempt (a one-off call) the cache still serves, as trial 1.
      const useCache = cache !== undefined && (scope?.useCache ?? true);
      const key = keyOf(model, params, scope?.trial ?? 1);

      if (useCache) {
        const hit = fromCached(cache.get(key));
        if (hit) {
          account(scope, spec, prices, tokensOf(hit.usage), true);
          return hit;
        }
      }

      const reservation = await limiter?.acquire(providerKey, estimateTokens(params), params.abortSignal);
      let result: LanguageModelV3GenerateResult;
      try {
        result = callTimeoutMs
          ? await model.doGenerate(withCallTimeout(params, callTimeoutMs))
          : await doGenerate();
      } catch (err) {
        if (reservation) limiter?.settle(reservation, 0, 'failed');
        onError(scope, key, err, params);
        throw err;
      }
      const used = tokensOf(result.usage);
      if (reservation) limiter?.settle(reservation, used.input + used.output);
      noteSuccess(scope, key);
      account(scope, spec, prices, used, false);
      // An answer the provider itself marks as an error is not worth replaying.
      if (useCache && result.finishReason.unified !== 'error') storeInCache(cache, key, result);
      return result;
    },

    // Streams are not cached (a replay would have to fake the timing of deltas), but they
    // are limited, budgeted and counted like any other call.
    async wrapStream({ doStream, params, model }) {
      const scope = currentModelScope();
      refuseOverBudget(scope);
      const key = keyOf(model, params, scope?.trial ?? 1);
      const reservation = await limiter?.acquire(providerKey, estimateTokens(params), params.abortSignal);
      let result: Awaited<ReturnType<typeof doStream>>;
      try {
        result = callTimeoutMs
          ? await model.doStream(withCallTimeout(params, callTimeoutMs))
          : await doStream();
      } catch (err) {
        if (reservation) limiter?.settle(reservation, 0, 'failed');
        onError(scope, key, err, params);
        throw err;
      }

      let settled = false;
      const settle = (tokens: number, outcome: 'ok' | 'failed') => {
        if (settled || !reservation) return;
        settled = true;
        limiter?.settle(reservation, tokens, outcome);
      };
      const watch = (part: LanguageModelV3StreamPart) => {
        if (part.type === 'finish') {
          const used = tokensOf(part.usage);
          settle(used.input + used.output, 'ok');
          noteSuccess(scope, key);
          account(scope, spec, prices, used, false);
        } else if (part.type === 'error') {
          onError(scope, key, part.error, params);
        }
      };

      // A hand-made stream rather than a TransformStream, so that a source that fails
      // mid-stream (a reset connection) is seen and classified too.
      const reader = result.stream.getReader();
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              controller.close();
              return;
            }
            watch(value);
            controller.enqueue(value);
          } catch (err) {
            settle(0, 'failed');
            onError(scope, key, err, params);
            controller.error(err);
          }
        },
        cancel(reason) {
          return reader.cancel(reason);
        },
      });
      return { ...result, stream };
    },
  };
}

/**
 * The model with the run engine's middleware around it. The wrapper keeps the call settings
 * (retries) chosen when the model was resolved.
 */
export function instrumentModel(model: LanguageModel, opts: InstrumentOptions): LanguageModel {
  if (typeof model === 'string' || model.specificationVersion !== 'v3') {
    throw new Error(`instrumentModel needs an AI SDK v3 model object (spec ${opts.spec})`);
  }
  const providerKey = opts.providerKey ?? providerKeyOf(opts.spec, opts.baseUrl);
  if (opts.limiter && opts.limits) opts.limiter.setLimits(providerKey, opts.limits);
  const wrapped = wrapLanguageModel({ model, middleware: modelCallMiddleware({ ...opts, providerKey }) });
  shareCallSettings(model, wrapped);
  return wrapped;
}
