// What model calls cost: USD per million input and output tokens, by model spec. A few
// well-known models are built in; a user file (prices.json) adds models and overrides
// built-in prices, since list prices change and gateways charge their own. A model with
// no price has an unknown cost (null), never a silent zero.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../util/errors.ts';

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export const PRICES_FILE_NAME = 'prices.json';

/**
 * Built-in list prices (USD per million tokens). Keys are model specs as given to --model;
 * "provider:*" prices every model of a provider (local Ollama models cost nothing).
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'openai:gpt-4.1': { input: 2, output: 8 },
  'openai:gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'openai:gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'openai:gpt-4o': { input: 2.5, output: 10 },
  'openai:gpt-4o-mini': { input: 0.15, output: 0.6 },
  // Anthropic names a model by snapshot and by alias; both are spelled out.
  'anthropic:claude-sonnet-4-20250514': { input: 3, output: 15 },
  'anthropic:claude-sonnet-4-0': { input: 3, output: 15 },
  'anthropic:claude-3-5-haiku-20241022': { input: 0.8, output: 4 },
  'anthropic:claude-3-5-haiku-latest': { input: 0.8, output: 4 },
  'ollama:*': { input: 0, output: 0 },
});

// Only these are prefixes: anything else before a colon is part of a local model's name
// ("qwen2.5:7b" on an OpenAI-compatible server), as in resolveModel.
const PROVIDER_PREFIXES = new Set(['openai', 'anthropic', 'ollama']);

function splitSpec(spec: string): { provider: string | null; name: string } {
  const at = spec.indexOf(':');
  const provider = at < 0 ? '' : spec.slice(0, at);
  return PROVIDER_PREFIXES.has(provider)
    ? { provider, name: spec.slice(at + 1) }
    : { provider: null, name: spec };
}

const priceSchema = z.strictObject({
  input: z.number().finite().nonnegative(),
  output: z.number().finite().nonnegative(),
});

const pricesFileSchema = z.strictObject({
  $comment: z.string().optional(),
  unit: z.literal('usd_per_million_tokens').optional(),
  models: z.record(z.string().min(1), priceSchema),
});

const FILE_SHAPE =
  'It must read {"models": {"openai:gpt-4.1": {"input": 2, "output": 8}}}, prices in USD per million tokens';

export class PriceTable {
  private readonly prices: ReadonlyMap<string, ModelPrice>;

  constructor(prices: Record<string, ModelPrice>) {
    this.prices = new Map(Object.entries(prices));
  }

  /**
   * The price of a spec: the exact spec; then its name without the provider prefix (an
   * unprefixed entry, or for an unprefixed spec such as a gateway's "gpt-4.1", the one
   * prefixed entry with that name); then the provider's "provider:*" entry.
   */
  lookup(spec: string): ModelPrice | null {
    const exact = this.prices.get(spec);
    if (exact) return exact;
    const { provider, name } = splitSpec(spec);
    const bare = this.prices.get(name);
    if (bare) return bare;
    if (provider === null) {
      const sameName = [...this.prices].filter(([key]) => {
        const k = splitSpec(key);
        return k.provider !== null && k.name === name;
      });
      // Two providers pricing the same name differently: guessing would be worse than unknown.
      const distinct = new Set(sameName.map(([, p]) => `${p.input}/${p.output}`));
      if (distinct.size === 1) return sameName[0][1];
      return null;
    }
    return this.prices.get(`${provider}:*`) ?? null;
  }

  /** USD for one call's usage, or null when the spec has no price. */
  priceOf(spec: string, usage: TokenUsage): number | null {
    const p = this.lookup(spec);
    if (!p) return null;
    return (usage.inputTokens * p.input + usage.outputTokens * p.output) / 1_000_000;
  }

  entries(): Record<string, ModelPrice> {
    return Object.fromEntries(this.prices);
  }
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      // Quoted keys, since model specs hold colons and dots: models."openai:gpt-4.1".input
      const where = i.path
        .map((p) => (typeof p === 'string' && !/^[A-Za-z_$][\w$]*$/.test(p) ? JSON.stringify(p) : String(p)))
        .join('.');
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Reads and validates a user prices file; every problem is a UserError naming the file. */
function readPricesFile(file: string): Record<string, ModelPrice> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read the prices file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      'Check the path, or leave the prices file out to use the built-in prices',
      'bad_prices_file',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(
      `the prices file ${file} is not JSON (${(err as Error).message})`,
      `Fix the JSON. ${FILE_SHAPE}`,
      'bad_prices_file',
    );
  }
  const parsed = pricesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserError(
      `the prices file ${file} is not valid (${describeIssues(parsed.error.issues)})`,
      FILE_SHAPE,
      'bad_prices_file',
    );
  }
  return parsed.data.models;
}

/** The built-in prices, overridden and extended by the user's file when one is given. */
export function loadPrices(file?: string): PriceTable {
  const user = file ? readPricesFile(file) : {};
  return new PriceTable({ ...DEFAULT_PRICES, ...user });
}

/** Writes the built-in prices as a prices file, so users start from a file to edit. */
export function writeDefaultPrices(file: string, opts: { overwrite?: boolean } = {}): void {
  if (!opts.overwrite && existsSync(file)) {
    throw new UserError(
      `the prices file ${file} already exists`,
      'Edit it, or delete it to start again from the built-in prices',
      'prices_file_exists',
    );
  }
  const body = {
    $comment:
      'USD per million tokens by model spec (as given to --model). A spec matches exactly, then by its ' +
      'name without the provider prefix, then "provider:*". Models not listed have an unknown cost.',
    unit: 'usd_per_million_tokens',
    models: DEFAULT_PRICES,
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
