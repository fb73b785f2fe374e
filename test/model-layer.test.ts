// The run engine's model-call layer: response cache, prices, rate limits, budgets and the
// per-attempt scope, through the real AI SDK OpenAI client against a scripted server on
// loopback (no model is reachable), plus the rate limiter on a fake clock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APICallError, generateText, type LanguageModel, streamText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentTools } from '../src/agents/agent.ts';
import { callSettingsOf, ollamaApiUrl, resolveModel } from '../src/agents/providers/model.ts';
import { agentByName } from '../src/agents/registry.ts';
import { ResponseCache } from '../src/runs/models/cache.ts';
import { providerKeyOf, RateLimiter, retryAfterMs } from '../src/runs/models/limiter.ts';
import { instrumentModel } from '../src/runs/models/middleware.ts';
import {
  DEFAULT_PRICES,
  loadPrices,
  type PriceTable,
  writeDefaultPrices,
} from '../src/runs/models/prices.ts';
import { type ModelCallScope, newModelScope, withModelScope } from '../src/runs/models/scope.ts';
import { UserError } from '../src/util/errors.ts';
import {
  type ScriptedLlm,
  type ScriptedLlmOptions,
  type ScriptTurn,
  startScriptedLlm,
} from './support/scripted-llm.ts';

const servers: ScriptedLlm[] = [];
const dirs: string[] = [];
const caches: ResponseCache[] = [];

afterEach(async () => {
  for (const c of caches.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assetops-models-'));
  dirs.push(dir);
  return dir;
}

function openCache(path = join(tempDir(), 'cache', 'responses.sqlite')): ResponseCache {
  const cache = ResponseCache.open(path);
  caches.push(cache);
  return cache;
}

/** Prices with "scripted" at $3 / $15 per million tokens, from a user file. */
function scriptedPrices(): PriceTable {
  const file = join(tempDir(), 'prices.json');
  writeFileSync(file, JSON.stringify({ models: { scripted: { input: 3, output: 15 } } }));
  return loadPrices(file);
}

async function server(script: ScriptTurn[], opts?: ScriptedLlmOptions): Promise<ScriptedLlm> {
  const llm = await startScriptedLlm(script, opts);
  servers.push(llm);
  return llm;
}

const answer = (text: string, prompt = 1000, completion = 200): ScriptTurn => ({
  content: text,
  usage: { prompt_tokens: prompt, completion_tokens: completion },
});

function scope(o: Partial<Parameters<typeof newModelScope>[0]> = {}): ModelCallScope {
  return newModelScope({ attemptId: 'att-test', trial: 1, ...o });
}

/** One generateText call inside scope s, with the retries the model was resolved with. */
function ask(model: LanguageModel, s: ModelCallScope, prompt = 'How many chillers at MAIN?') {
  return withModelScope(s, () =>
    generateText({ model, prompt, maxRetries: callSettingsOf(model).maxRetries }),
  );
}

describe('response cache', () => {
  it('serves an identical second call from the cache, counting tokens but no money', async () => {
    const llm = await server([answer('two chillers'), answer('other prompt')]);
    const cache = openCache();
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      cache,
      prices: scriptedPrices(),
    });
    const s = scope();

    const first = await ask(model, s);
    expect(first.text).toBe('two chillers');
    expect(llm.requests).toHaveLength(1);
    const usdAfterFirst = s.usage.usd;
    expect(usdAfterFirst).toBeGreaterThan(0);

    const second = await ask(model, s);
    expect(second.text).toBe('two chillers');
    expect(second.response.timestamp).toBeInstanceOf(Date);
    expect(second.usage.inputTokens).toBe(1000);
    expect(llm.requests).toHaveLength(1);
    expect(s.usage).toMatchObject({ calls: 2, cachedCalls: 1, inputTokens: 2000, outputTokens: 400 });
    expect(s.usage.usd).toBe(usdAfterFirst);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, writes: 1 });

    // A different prompt is a different question.
    const other = await ask(model, s, 'How many pumps?');
    expect(other.text).toBe('other prompt');
    expect(llm.requests).toHaveLength(2);
  });

  it('never shares answers between two servers that serve the same model name', async () => {
    const a = await server([answer('from server A')]);
    const b = await server([answer('from server B')]);
    const cache = openCache();
    const prices = loadPrices();
    const on = (url: string) =>
      instrumentModel(resolveModel('scripted', { baseUrl: url, maxRetries: 0 }), {
        spec: 'scripted',
        cache,
        prices,
      });
    expect((await ask(on(a.url), scope())).text).toBe('from server A');
    expect((await ask(on(b.url), scope())).text).toBe('from server B');
    // Each server's own answer is cached, under its own key (a trailing slash is the same server).
    expect((await ask(on(`${a.url}/`), scope())).text).toBe('from server A');
    expect((await ask(on(b.url), scope())).text).toBe('from server B');
    expect([a.requests.length, b.requests.length]).toEqual([1, 1]);
    expect(cache.stats()).toMatchObject({ entries: 2, hits: 2 });
  });

  it('persists in its file: a new handle on the same file still answers', async () => {
    const llm = await server([answer('persisted')]);
    const path = join(tempDir(), 'responses.sqlite');
    const base = resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 });
    const prices = loadPrices();
    const firstCache = ResponseCache.open(path);
    await ask(instrumentModel(base, { spec: 'scripted', cache: firstCache, prices }), scope());
    firstCache.close();

    const s = scope();
    const again = await ask(instrumentModel(base, { spec: 'scripted', cache: openCache(path), prices }), s);
    expect(again.text).toBe('persisted');
    expect(llm.requests).toHaveLength(1);
    expect(s.usage.cachedCalls).toBe(1);
  });

  it('keeps trials independent: trial 2 misses trial 1, yet re-running trial 2 is free', async () => {
    const llm = await server([answer('trial one'), answer('trial two')]);
    const cache = openCache();
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      cache,
      prices: loadPrices(),
    });
    expect((await ask(model, scope({ trial: 1 }))).text).toBe('trial one');
    const t2 = scope({ trial: 2 });
    expect((await ask(model, t2)).text).toBe('trial two');
    expect(llm.requests).toHaveLength(2);
    expect(t2.usage.cachedCalls).toBe(0);

    const t2again = scope({ trial: 2 });
    expect((await ask(model, t2again)).text).toBe('trial two');
    const t1again = scope({ trial: 1 });
    expect((await ask(model, t1again)).text).toBe('trial one');
    expect(llm.requests).toHaveLength(2);
    expect(t2again.usage.cachedCalls + t1again.usage.cachedCalls).toBe(2);
  });

  it('with useCache false neither reads nor writes the cache', async () => {
    const llm = await server([answer('cached'), answer('fresh'), answer('fresh again')]);
    const cache = openCache();
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      cache,
      prices: loadPrices(),
    });
    await ask(model, scope());
    expect(cache.stats().entries).toBe(1);

    const s = scope({ useCache: false });
    expect((await ask(model, s)).text).toBe('fresh');
    expect(llm.requests).toHaveLength(2);
    expect(s.usage.cachedCalls).toBe(0);
    expect(await ask(model, s, 'not cached before')).toMatchObject({ text: 'fresh again' });
    expect(cache.stats()).toMatchObject({ entries: 1, writes: 1 });
  });

  it('outside any scope the cache serves as trial 1', async () => {
    const llm = await server([answer('no scope')]);
    const cache = openCache();
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      cache,
      prices: loadPrices(),
    });
    await generateText({ model, prompt: 'hello', maxRetries: 0 });
    const s = scope({ trial: 1 });
    expect((await ask(model, s, 'hello')).text).toBe('no scope');
    expect(llm.requests).toHaveLength(1);
    expect(s.usage.cachedCalls).toBe(1);
  });

  it('does not cache streamed calls but counts their usage', async () => {
    const llm = await server([answer('streamed one', 300, 30), answer('streamed two', 300, 30)]);
    const cache = openCache();
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      cache,
      prices: scriptedPrices(),
    });
    const s = scope();
    for (const expected of ['streamed one', 'streamed two']) {
      const text = await withModelScope(s, async () => {
        const result = streamText({ model, prompt: 'stream please', maxRetries: 0 });
        return await result.text;
      });
      expect(text).toBe(expected);
    }
    expect(llm.requests.map((r) => r.stream)).toEqual([true, true]);
    expect(s.usage).toMatchObject({ calls: 2, cachedCalls: 0, inputTokens: 600, outputTokens: 60 });
    expect(s.usage.usd).toBeCloseTo((600 * 3 + 60 * 15) / 1e6, 12);
    expect(cache.stats().entries).toBe(0);
  });
});

describe('prices', () => {
  it('charges tokens × price for a priced spec and records an unpriced one', async () => {
    const llm = await server([answer('priced', 1000, 200), answer('unpriced', 1000, 200)]);
    const base = resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 });
    const s = scope();
    await ask(instrumentModel(base, { spec: 'scripted', prices: scriptedPrices() }), s);
    expect(s.usage.usd).toBeCloseTo((1000 * 3 + 200 * 15) / 1e6, 12);
    expect(s.unpriced.size).toBe(0);

    const u = scope();
    await ask(instrumentModel(base, { spec: 'scripted', prices: loadPrices() }), u);
    expect(u.usage.usd).toBe(0);
    expect([...u.unpriced]).toEqual(['scripted']);
    expect(u.usage.inputTokens).toBe(1000);
  });

  it('matches the exact spec, then the name without the prefix, then provider:*', () => {
    const p = loadPrices();
    expect(p.lookup('openai:gpt-4.1')).toEqual({ input: 2, output: 8 });
    expect(p.priceOf('openai:gpt-4o-mini', { inputTokens: 2_000_000, outputTokens: 1_000_000 })).toBeCloseTo(
      0.9,
      12,
    );
    // A gateway serving the bare name gets the provider's price.
    expect(p.lookup('gpt-4.1-mini')).toEqual({ input: 0.4, output: 1.6 });
    expect(p.lookup('anthropic:claude-sonnet-4-0')).toEqual({ input: 3, output: 15 });
    expect(p.priceOf('ollama:qwen2.5:7b', { inputTokens: 5000, outputTokens: 5000 })).toBe(0);
    // Another provider's price is not borrowed; an unknown model has no price at all.
    expect(p.lookup('ollama:gpt-4.1')).toEqual({ input: 0, output: 0 });
    expect(p.lookup('anthropic:gpt-4.1')).toBeNull();
    expect(p.priceOf('qwen2.5:7b', { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });

  it('lets the user file override and extend the built-in prices', () => {
    const file = join(tempDir(), 'prices.json');
    writeFileSync(
      file,
      JSON.stringify({
        models: { 'openai:gpt-4.1': { input: 1, output: 4 }, 'my-model': { input: 7, output: 9 } },
      }),
    );
    const p = loadPrices(file);
    expect(p.lookup('openai:gpt-4.1')).toEqual({ input: 1, output: 4 });
    expect(p.lookup('openai:my-model')).toEqual({ input: 7, output: 9 });
    expect(p.lookup('openai:gpt-4o')).toEqual({ input: 2.5, output: 10 });
  });

  it('rejects a bad prices file with a UserError naming the file and the problem', () => {
    const dir = tempDir();
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"models": {');
    const badValue = join(dir, 'bad-value.json');
    writeFileSync(badValue, JSON.stringify({ models: { 'openai:gpt-4.1': { input: 'two', output: 8 } } }));
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ models: { scripted: { input: 1, ouput: 2 } } }));

    const failure = (file: string) => {
      try {
        loadPrices(file);
      } catch (err) {
        return err;
      }
      throw new Error(`${file} was accepted`);
    };
    for (const [file, problem] of [
      [notJson, /not JSON/],
      [badValue, /models\."openai:gpt-4\.1"\.input/],
      [typo, /ouput/],
      [join(dir, 'missing.json'), /ENOENT/],
    ] as const) {
      const err = failure(file);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toContain(file);
      expect((err as UserError).message).toMatch(problem);
      expect((err as UserError).hint).not.toBe('');
      expect((err as UserError).code).toBe('bad_prices_file');
    }
  });

  it('writes the defaults as a file that loads back, and will not overwrite it', () => {
    const file = join(tempDir(), 'home', 'prices.json');
    writeDefaultPrices(file);
    expect(loadPrices(file).entries()).toEqual({ ...DEFAULT_PRICES });
    expect(() => writeDefaultPrices(file)).toThrow(UserError);
    writeDefaultPrices(file, { overwrite: true });
  });
});

describe('budgets', () => {
  it('refuses the next call once the token budget is spent, before any request', async () => {
    const llm = await server([answer('first', 80, 40), answer('never sent')]);
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      prices: loadPrices(),
    });
    const s = scope({ limits: { tokens: 100 } });
    await ask(model, s);
    expect(s.budgetExceeded).toBeNull();
    await expect(ask(model, s)).rejects.toMatchObject({ name: 'BudgetExceededError' });
    expect(llm.requests).toHaveLength(1);
    expect(s.budgetExceeded).toMatch(/token budget spent \(120 of 100/);
    expect(s.usage.calls).toBe(1);
  });

  it('refuses the next call once the cost budget is spent', async () => {
    const llm = await server([answer('first', 1000, 200), answer('never sent')]);
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      prices: scriptedPrices(),
    });
    // The first call costs $0.006.
    const s = scope({ limits: { costUsd: 0.005 } });
    await ask(model, s);
    await expect(ask(model, s)).rejects.toMatchObject({ name: 'BudgetExceededError' });
    expect(llm.requests).toHaveLength(1);
    expect(s.budgetExceeded).toMatch(/cost budget/);

    // Under the budget, calls go on.
    const roomy = scope({ limits: { costUsd: 1 } });
    await ask(model, roomy);
    expect(roomy.budgetExceeded).toBeNull();
  });

  it('counts every model call of the attempt against the step budget, whichever agent makes it', async () => {
    const llm = await server([answer('planner'), answer('sub-agent'), answer('never sent')]);
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      prices: loadPrices(),
    });
    const s = scope({ limits: { steps: 2 } });
    // Two roles of one attempt (a planner and a sub-agent) share the scope, so the budget.
    await ask(model, s);
    await ask(model, s);
    await expect(ask(model, s)).rejects.toMatchObject({ name: 'BudgetExceededError' });
    expect(llm.requests).toHaveLength(2);
    expect(s.budgetExceeded).toMatch(/step budget spent \(2 of 2 model calls\)/);
  });

  it('gives up on a provider that hangs past the call timeout, as an infrastructure failure', async () => {
    const llm = await server([answer('too late')], { delayMs: 5_000 });
    const model = instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 }), {
      spec: 'scripted',
      prices: loadPrices(),
      callTimeoutMs: 200,
    });
    const s = scope();
    const t0 = performance.now();
    await expect(ask(model, s)).rejects.toBeTruthy();
    expect(performance.now() - t0).toBeLessThan(4_000);
    expect(s.infraError).toMatch(/timeout/i);
  });
});

describe('failures', () => {
  function instrumented(llm: ScriptedLlm, maxRetries: number, extra: { limiter?: RateLimiter } = {}) {
    return instrumentModel(resolveModel('scripted', { baseUrl: llm.url, maxRetries }), {
      spec: 'scripted',
      baseUrl: llm.url,
      prices: loadPrices(),
      ...extra,
    });
  }

  it('a 500 sets infraError; a 400 does not', async () => {
    const llm = await server([], { failures: { 1: 500 } });
    const s = scope();
    await expect(ask(instrumented(llm, 0), s)).rejects.toThrow();
    expect(s.infraError).toMatch(/HTTP 500/);

    // Past the script the server answers 400: the request's fault, not the infrastructure's.
    const t = scope();
    await expect(ask(instrumented(llm, 0), t)).rejects.toThrow();
    expect(llm.requests.at(-1)?.status).toBe(400);
    expect(t.infraError).toBeNull();
  });

  it('a 500 that a retry recovers from leaves no infraError', async () => {
    const llm = await server([answer('recovered')], { failures: { 1: 500 }, retryAfterMs: 5 });
    const s = scope();
    expect((await ask(instrumented(llm, 1), s)).text).toBe('recovered');
    expect(llm.requests.map((r) => r.status)).toEqual([500, 200]);
    expect(s.infraError).toBeNull();
    expect(s.usage.calls).toBe(1);
  });

  it('a refused connection and a model timeout are infrastructure errors; the caller’s abort is not', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = resolveModel('scripted', { baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const s = scope();
    await expect(
      ask(instrumentModel(nowhere, { spec: 'scripted', prices: loadPrices() }), s),
    ).rejects.toThrow();
    expect(s.infraError).toMatch(/ECONNREFUSED|connect/i);

    const slow = await server([answer('late'), answer('late too')], { delayMs: 400 });
    const timed = resolveModel('scripted', { baseUrl: slow.url, maxRetries: 0, timeoutMs: 50 });
    const t = scope();
    await expect(
      ask(instrumentModel(timed, { spec: 'scripted', prices: loadPrices() }), t),
    ).rejects.toThrow();
    expect(t.infraError).toMatch(/timeout|timed out/i);

    const patient = instrumentModel(resolveModel('scripted', { baseUrl: slow.url, maxRetries: 0 }), {
      spec: 'scripted',
      prices: loadPrices(),
    });
    const a = scope();
    await expect(
      withModelScope(a, () =>
        generateText({ model: patient, prompt: 'hi', maxRetries: 0, abortSignal: AbortSignal.timeout(50) }),
      ),
    ).rejects.toThrow();
    expect(a.infraError).toBeNull();
  });

  it('a 429 pauses the provider for its retry-after, and a retry recovers', async () => {
    const llm = await server([answer('after the pause')], { failures: { 1: 429 }, retryAfterMs: 120 });
    const limiter = new RateLimiter();
    const key = providerKeyOf('scripted', llm.url);
    expect(key).toBe(new URL(llm.url).host);
    const s = scope();
    const before = Date.now();
    expect((await ask(instrumented(llm, 1, { limiter }), s)).text).toBe('after the pause');
    expect(limiter.state(key).pausedUntil).toBeGreaterThanOrEqual(before + 120);
    expect(s.infraError).toBeNull();

    // Without a retry left, the 429 is the attempt's infrastructure failure.
    const again = await server([], { failures: { 1: 429 }, retryAfterMs: 10 });
    const t = scope();
    await expect(ask(instrumented(again, 0, { limiter }), t)).rejects.toThrow();
    expect(t.infraError).toMatch(/HTTP 429/);
    expect(limiter.state(providerKeyOf('scripted', again.url)).consecutivePauses).toBe(1);
  });
});

/** Virtual time: sleeps wait for run() to move the clock to their deadline. */
function fakeTime() {
  let now = 0;
  let timers: Array<{ at: number; fire: () => void }> = [];
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = {
        at: now + ms,
        fire: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        timers = timers.filter((t) => t !== timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      timers.push(timer);
    });
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep,
    flush,
    advance(ms: number) {
      now += ms;
    },
    pending: () => timers.length,
    /** Fires timers in time order until p settles. */
    async run<T>(p: Promise<T>): Promise<T> {
      let done = false;
      p.then(
        () => {
          done = true;
        },
        () => {
          done = true;
        },
      );
      for (;;) {
        await flush();
        if (done) return p;
        if (timers.length === 0) throw new Error('waiting with no timer set');
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.fire();
      }
    },
  };
}

describe('rate limiter', () => {
  it('spaces requests evenly at the rpm limit', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, limits: { openai: { rpm: 60 } } });
    const granted: number[] = [];
    const go = () => limiter.acquire('openai', 10).then(() => granted.push(clock.now()));
    await clock.run(Promise.all([go(), go(), go(), go()]));
    expect(granted).toEqual([0, 1000, 2000, 3000]);
    // Another provider has its own limits (none here).
    await clock.run(limiter.acquire('anthropic', 10));
    expect(clock.now()).toBe(3000);
  });

  it('keeps a sliding 60 s token window', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, limits: { p: { tpm: 1000 } } });
    await clock.run(limiter.acquire('p', 400));
    clock.advance(30_000);
    await clock.run(limiter.acquire('p', 400));
    expect(limiter.state('p').windowTokens).toBe(800);
    // 800 + 400 > 1000: the third waits until the first reservation leaves the window.
    await clock.run(limiter.acquire('p', 400));
    expect(clock.now()).toBe(60_000);
    expect(limiter.state('p').windowTokens).toBe(800);
    // A request larger than the whole budget waits for an empty window instead of forever.
    await clock.run(limiter.acquire('p', 5000));
    expect(clock.now()).toBe(120_000);
  });

  it('corrects an estimate with the real usage, letting a waiter go at once', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, limits: { p: { tpm: 1000 } } });
    const first = await clock.run(limiter.acquire('p', 900));
    let grantedAt: number | null = null;
    const waiting = limiter.acquire('p', 500).then(() => {
      grantedAt = clock.now();
    });
    await clock.flush();
    expect(grantedAt).toBeNull();
    expect(clock.pending()).toBe(1);
    limiter.settle(first, 300);
    await clock.run(waiting);
    expect(grantedAt).toBe(0);
    expect(limiter.state('p').windowTokens).toBe(800);
  });

  it('pauses one provider for a given time, or backs off exponentially from 1 s, capped', async () => {
    const clock = fakeTime();
    const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep, maxBackoffMs: 4000 });
    expect(limiter.pause('openai', 5000)).toBe(5000);
    const granted: Record<string, number> = {};
    await clock.run(
      Promise.all(
        ['openai', 'anthropic'].map((p) => limiter.acquire(p, 1).then(() => (granted[p] = clock.now()))),
      ),
    );
    expect(granted).toEqual({ openai: 5000, anthropic: 0 });

    expect([1, 2, 3, 4].map(() => limiter.pause('anthropic'))).toEqual([1000, 2000, 4000, 4000]);
    // Pauses do not add up: the last one (4 s from now) is the one that counts.
    const pausedAt = clock.now();
    const r = await clock.run(limiter.acquire('anthropic', 1));
    expect(clock.now()).toBe(pausedAt + 4000);
    limiter.settle(r, 1);
    expect(limiter.pause('anthropic')).toBe(1000);
  });

  it('reads retry-after-ms and retry-after (seconds or date) from a 429', () => {
    const err = (headers: Record<string, string>) =>
      new APICallError({
        message: 'rate limited',
        url: 'http://x/v1/chat/completions',
        requestBodyValues: {},
        statusCode: 429,
        responseHeaders: headers,
      });
    expect(retryAfterMs(err({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(err({ 'retry-after': '7' }))).toBe(7000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(err({ 'retry-after': new Date(now + 3000).toUTCString() }), now)).toBe(3000);
    expect(retryAfterMs(err({}))).toBeUndefined();
    // As the AI SDK's RetryError carries it.
    expect(retryAfterMs({ name: 'AI_RetryError', lastError: err({ 'retry-after': '2' }) })).toBe(2000);
  });

  it('names providers by API: prefix, or the host of an OpenAI-compatible server', () => {
    expect(providerKeyOf('openai:gpt-4.1')).toBe('openai');
    expect(providerKeyOf('ollama:qwen2.5:7b', 'http://gpu:8000/v1')).toBe('ollama');
    expect(providerKeyOf('anthropic:claude-sonnet-4-0')).toBe('anthropic');
    expect(providerKeyOf('qwen2.5:7b', 'http://gpu-box:8000/v1')).toBe('gpu-box:8000');
  });
});

describe('agents with a wrapped model', () => {
  it('agentByName hands the agent the wrapped model, which keeps its call settings', async () => {
    const llm = await server([answer('{"answer": 2}', 120, 7)]);
    const cache = openCache();
    const seen: string[] = [];
    const wrapModel = (model: LanguageModel, spec: string) => {
      seen.push(spec);
      return instrumentModel(model, { spec, cache, prices: loadPrices() });
    };
    const agent = agentByName('react', { model: 'scripted', baseUrl: llm.url, wrapModel });
    expect(seen).toEqual(['scripted']);

    const tools: AgentTools = {
      list: () => [],
      call: async () => ({ ok: false, error: { code: 'unknown_tool', message: 'no tools', hint: '' } }),
    };
    const task = {
      taskId: 'wrapped',
      utterance: 'How many chillers are there?',
      answerFormat: { description: 'a number', jsonShape: { answer: 'number' } },
      now: '2024-03-03T12:00:00Z',
      track: 'execution' as const,
      askOperator: async () => null,
    };
    for (let run = 1; run <= 2; run++) {
      const s = scope({ attemptId: `att-${run}` });
      const traj = await withModelScope(s, () => agent.run(task, tools));
      expect(traj.status).toBe('completed');
      expect(s.usage).toMatchObject({ calls: 1, cachedCalls: run - 1, inputTokens: 120, outputTokens: 7 });
    }
    // The second run was answered by the wrapper's cache.
    expect(llm.requests).toHaveLength(1);

    const resolved = resolveModel('scripted', { baseUrl: llm.url, maxRetries: 0 });
    expect(
      callSettingsOf(instrumentModel(resolved, { spec: 'scripted', prices: loadPrices() })).maxRetries,
    ).toBe(0);
  });
});

/** A scripted Ollama server: /api/chat answers with `reply`; every request path is recorded. */
async function ollamaServer(
  reply: string,
): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const srv = createHttpServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/chat') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          model: 'qwen2.5:7b',
          created_at: new Date().toISOString(),
          message: { role: 'assistant', content: reply },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: 12,
          eval_count: 3,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => new Promise<void>((resolve) => srv.close(() => resolve())),
  };
}

describe('ollama models', () => {
  const saved = process.env.OLLAMA_BASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.OLLAMA_BASE_URL;
    else process.env.OLLAMA_BASE_URL = saved;
  });

  it('go to --base-url, given as the server or as its /api', async () => {
    const ollama = await ollamaServer('hello from ollama');
    try {
      process.env.OLLAMA_BASE_URL = 'http://127.0.0.1:1/api';
      for (const baseUrl of [ollama.url, `${ollama.url}/`, `${ollama.url}/api`]) {
        const model = resolveModel('ollama:qwen2.5:7b', { baseUrl, maxRetries: 0 });
        expect((await ask(model, scope())).text, baseUrl).toBe('hello from ollama');
      }
      expect(ollama.paths).toEqual(Array(3).fill('POST /api/chat'));
    } finally {
      await ollama.close();
    }
  });

  it('take OLLAMA_BASE_URL with or without /api', async () => {
    const ollama = await ollamaServer('hello again');
    try {
      for (const url of [ollama.url, `${ollama.url}/api`]) {
        process.env.OLLAMA_BASE_URL = url;
        expect((await ask(resolveModel('ollama:qwen2.5:7b', { maxRetries: 0 }), scope())).text, url).toBe(
          'hello again',
        );
      }
      expect(ollama.paths).toEqual(Array(2).fill('POST /api/chat'));
      expect(ollamaApiUrl('http://gpu:11434/v1')).toBe('http://gpu:11434/v1');
    } finally {
      await ollama.close();
    }
  });
});
