// Per-attempt accounting of model calls. Agents call the AI SDK themselves and know nothing
// about runs, so the attempt's context travels in AsyncLocalStorage: every model call made
// while the attempt runs (however deep in an agent, sub-agents included) finds its scope
// and adds to the same totals, and concurrent attempts never see each other's scope.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ModelUsageTotals {
  /** Model calls answered, including the ones served from the cache. */
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Money spent on real calls (a cached call costs nothing). */
  usd: number;
}

export interface ModelCallLimits {
  /** Input + output tokens of the attempt. */
  tokens?: number;
  costUsd?: number;
  /**
   * Model calls of the attempt, every agent of it counted (a planner, its sub-agents, the
   * verifier and the summariser alike), so that one budget means the same for every agent.
   */
  steps?: number;
}

export interface ModelCallScope {
  attemptId: string;
  /** 1-based; part of the cache key so that repeated trials stay independent samples. */
  trial: number;
  /** False for --no-cache: neither read nor write the cache. */
  useCache: boolean;
  limits: ModelCallLimits;
  /** Mutated by the middleware. */
  usage: ModelUsageTotals;
  /** Set when a model call failed for infrastructure reasons (the attempt is worth retrying). */
  infraError: string | null;
  /** Set when a limit stopped a call. */
  budgetExceeded: string | null;
  /** Model specs with no price: their cost is unknown, not zero. */
  unpriced: Set<string>;
}

export function newModelScope(init: {
  attemptId: string;
  trial: number;
  useCache?: boolean;
  limits?: ModelCallLimits;
}): ModelCallScope {
  if (!Number.isInteger(init.trial) || init.trial < 1) {
    throw new Error(`trial must be a positive integer (got ${init.trial})`);
  }
  return {
    attemptId: init.attemptId,
    trial: init.trial,
    useCache: init.useCache ?? true,
    limits: { ...init.limits },
    usage: { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0 },
    infraError: null,
    budgetExceeded: null,
    unpriced: new Set(),
  };
}

const storage = new AsyncLocalStorage<ModelCallScope>();

/** Runs fn with scope as the current scope of every model call it makes. */
export function withModelScope<T>(scope: ModelCallScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

export function currentModelScope(): ModelCallScope | undefined {
  return storage.getStore();
}
