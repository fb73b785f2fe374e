// Turns a model spec ("openai:gpt-4o-mini", "ollama:qwen2.5:7b", or any name on an
// OpenAI-compatible server) into an AI SDK model. Everything a user can get wrong (spec,
// keys) fails here, before the first call, with the variable or flag to fix it.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import { UserError } from '../../util/errors.ts';

export interface ModelOptions {
  /** An OpenAI-compatible server (vLLM, llama.cpp, LiteLLM...); else env ASSETOPS_BASE_URL. */
  baseUrl?: string;
  /** Overrides the key taken from the environment. */
  apiKey?: string;
  /** Per model call (each HTTP request, retries included separately). */
  timeoutMs?: number;
  /** Retries on 429/5xx and network errors, with exponential backoff (AI SDK maxRetries). */
  maxRetries?: number;
}

/** What a caller should pass to generateText for a resolved model. */
export interface CallSettings {
  maxRetries: number;
}

export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434/api';
// Local servers ignore the key, but the OpenAI client insists on sending one.
const PLACEHOLDER_KEY = 'no-key';

const SPEC_FORMS =
  'Use openai:NAME (OPENAI_API_KEY), anthropic:NAME (ANTHROPIC_API_KEY), ollama:NAME (OLLAMA_BASE_URL), ' +
  'or set ASSETOPS_BASE_URL (or --base-url) to use NAME on an OpenAI-compatible server';

// The AI SDK takes maxRetries per generateText call, not per model, so the setting
// travels beside the model: agents read it with callSettingsOf().
const settingsByModel = new WeakMap<object, CallSettings>();
// The server a model talks to when it is not the provider's own (a base URL): two servers
// that serve the same model name are different models to the response cache.
const endpointByModel = new WeakMap<object, string>();

/** The base URL a resolved model calls, or undefined for the provider's own API. */
export function endpointOf(model: LanguageModel): string | undefined {
  return typeof model === 'object' ? endpointByModel.get(model) : undefined;
}

/**
 * The AI SDK prints its warnings (an unsupported setting, a compatibility mode) with
 * console.info and console.warn; the first goes to stdout, where it corrupts the output of
 * `run --json` and `score --json`. Warnings go to stderr instead, each distinct one once per
 * process (a run makes thousands of calls with the same settings). A caller that has set
 * its own AI_SDK_LOG_WARNINGS (false, or a function) keeps it.
 */
const warned = new Set<string>();
const sdkGlobal = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
sdkGlobal.AI_SDK_LOG_WARNINGS ??= (opts: { warnings: unknown[]; provider: string; model: string }) => {
  for (const w of opts.warnings) {
    const line = `warning: model ${opts.provider} / ${opts.model}: ${describeWarning(w)}`;
    if (warned.has(line)) continue;
    warned.add(line);
    process.stderr.write(`${line}\n`);
  }
};

function describeWarning(w: unknown): string {
  const { type, feature, details, message } = w as Record<string, string | undefined>;
  if (type === 'other' && message) return message;
  // Details are often the whole sentence already ("topP is not supported for reasoning models").
  if (feature && details?.includes(feature)) return details;
  if (type === 'unsupported' && feature)
    return `${feature} is not supported${details ? ` (${details})` : ''}`;
  if (type === 'compatibility' && feature)
    return `${feature} is used in a compatibility mode${details ? ` (${details})` : ''}`;
  return JSON.stringify(w);
}

/**
 * Ollama's API lives under /api: OLLAMA_BASE_URL and --base-url may name the server
 * ("http://127.0.0.1:11434", as Ollama's own tools write it) or the API (".../api").
 */
export function ollamaApiUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  try {
    if (new URL(trimmed).pathname.replace(/\/+$/, '') === '') return `${trimmed}/api`;
  } catch {
    // Not a URL: left as given, so the client's own error names it.
  }
  return trimmed;
}

export function callSettingsOf(model: LanguageModel): CallSettings {
  return (typeof model === 'object' && settingsByModel.get(model)) || { maxRetries: DEFAULT_MAX_RETRIES };
}

/**
 * Gives a wrapped model (middleware, instrumentation) the settings of the model it wraps:
 * the wrapper is a new object, so without this the agents would silently fall back to the
 * default retries instead of the ones chosen when the model was resolved.
 */
export function shareCallSettings(from: LanguageModel, to: LanguageModel): void {
  if (typeof from !== 'object' || typeof to !== 'object') return;
  const settings = settingsByModel.get(from);
  if (settings) settingsByModel.set(to, settings);
  const endpoint = endpointByModel.get(from);
  if (endpoint) endpointByModel.set(to, endpoint);
}

type Fetch = typeof globalThis.fetch;

/** fetch with a deadline per request, so a hung server fails one call instead of the run. */
export function fetchWithTimeout(timeoutMs: number, inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      return await inner(input, { ...init, signal });
    } catch (err) {
      if (!deadline.aborted || init?.signal?.aborted) throw err;
      // Named TimeoutError so the AI SDK treats it as an abort (no retry): a model that
      // did not answer in time will rarely answer faster on a second try.
      const e = new Error(`model call timed out after ${timeoutMs} ms (no answer from ${urlOf(input)})`);
      e.name = 'TimeoutError';
      throw e;
    }
  };
}

function urlOf(input: Parameters<Fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function needKey(explicit: string | undefined, variable: string, spec: string): string {
  const key = explicit ?? process.env[variable];
  if (key) return key;
  throw new UserError(
    `--model ${spec} needs an API key`,
    `Set ${variable} in the environment`,
    'missing_api_key',
  );
}

function splitSpec(spec: string): { prefix: string; name: string } {
  const at = spec.indexOf(':');
  return at < 0 ? { prefix: '', name: spec } : { prefix: spec.slice(0, at), name: spec.slice(at + 1) };
}

function badSpec(spec: string): UserError {
  return new UserError(`model "${spec}" is not a model spec`, SPEC_FORMS, 'bad_model_spec');
}

export function resolveModel(spec: string, opts: ModelOptions = {}): LanguageModel {
  const trimmed = spec.trim();
  if (!trimmed) throw badSpec(spec);
  const fetch = fetchWithTimeout(opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS);
  const baseUrl = opts.baseUrl ?? process.env.ASSETOPS_BASE_URL;
  const { prefix, name } = splitSpec(trimmed);
  let model: LanguageModel;

  if (prefix === 'anthropic' || prefix === 'ollama') {
    if (!name) throw badSpec(spec);
    // An explicit --base-url wins; ASSETOPS_BASE_URL means an OpenAI-compatible server.
    const ollamaUrl = ollamaApiUrl(opts.baseUrl || process.env.OLLAMA_BASE_URL || DEFAULT_OLLAMA_URL);
    model =
      prefix === 'anthropic'
        ? // An explicit --base-url reaches Anthropic-compatible gateways; ASSETOPS_BASE_URL means
          // an OpenAI-compatible server, so it is not used here.
          createAnthropic({
            apiKey: needKey(opts.apiKey, 'ANTHROPIC_API_KEY', trimmed),
            fetch,
            ...(opts.baseUrl ? { baseURL: opts.baseUrl } : {}),
          })(name)
        : createOllama({ baseURL: ollamaUrl, fetch })(name);
    if (prefix === 'ollama') endpointByModel.set(model as object, ollamaUrl);
    else if (opts.baseUrl) endpointByModel.set(model as object, opts.baseUrl);
  } else if (baseUrl) {
    // Model names on local servers often contain colons ("qwen2.5:7b"): only a leading
    // "openai:" is a prefix; anything else is the server's own model name.
    const modelName = prefix === 'openai' ? name : trimmed;
    if (!modelName) throw badSpec(spec);
    const apiKey =
      opts.apiKey ?? (process.env.ASSETOPS_API_KEY || process.env.OPENAI_API_KEY || PLACEHOLDER_KEY);
    // .chat(): the chat-completions wire format; the Responses API is missing on most
    // OpenAI-compatible servers.
    model = createOpenAI({ baseURL: baseUrl, apiKey, name: 'openai-compatible', fetch }).chat(modelName);
    endpointByModel.set(model as object, baseUrl);
  } else if (prefix === 'openai') {
    if (!name) throw badSpec(spec);
    model = createOpenAI({ apiKey: needKey(opts.apiKey, 'OPENAI_API_KEY', trimmed), fetch }).chat(name);
  } else {
    throw badSpec(spec);
  }

  settingsByModel.set(model as object, { maxRetries: opts.maxRetries ?? DEFAULT_MAX_RETRIES });
  return model;
}
