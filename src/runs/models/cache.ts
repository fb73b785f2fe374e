// A cache of model responses in one SQLite file, so re-running a run (or resuming one)
// does not pay twice for the same answer. Several worker processes may share the file:
// WAL lets readers and one writer work at once, and busy_timeout makes a writer wait for
// the lock instead of failing.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import Database from 'better-sqlite3';
import { UserError } from '../../util/errors.ts';
import { canonicalJson, sha256Hex } from '../../util/hash.ts';

// Bumped when the stored value's shape changes, so old entries miss instead of misparse.
const CACHE_FORMAT = 1;

export interface CacheKeyInput {
  /** The AI SDK model's provider id (e.g. "openai.chat") and model id. */
  provider: string;
  modelId: string;
  /**
   * The base URL of the server, when it is not the provider's own API: two
   * OpenAI-compatible servers may serve the same model name and answer differently.
   */
  endpoint?: string;
  /** 1-based trial: trial k answers never come from trial j's responses. */
  trial: number;
  params: LanguageModelV3CallOptions;
}

/**
 * Bytes and URLs in a prompt (images, files) as plain JSON: JSON.stringify would turn a
 * Uint8Array into an object with one key per byte, and drop nothing that matters.
 */
function jsonSafe(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof URL) return { $url: value.href };
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

/**
 * The key names everything that decides the answer, and nothing that does not (abort
 * signal, headers, raw-chunk streaming). The trial is part of it: repeated trials must be
 * independent samples, yet re-running the same trial must be free.
 */
export function responseCacheKey({ provider, modelId, endpoint, trial, params: p }: CacheKeyInput): string {
  const determining = {
    format: CACHE_FORMAT,
    provider,
    modelId,
    // Only when there is one, so the keys of the providers' own APIs stay what they were.
    ...(endpoint ? { endpoint: endpoint.replace(/\/+$/, '') } : {}),
    trial,
    prompt: p.prompt,
    tools: p.tools,
    toolChoice: p.toolChoice,
    temperature: p.temperature,
    maxOutputTokens: p.maxOutputTokens,
    topP: p.topP,
    topK: p.topK,
    presencePenalty: p.presencePenalty,
    frequencyPenalty: p.frequencyPenalty,
    stopSequences: p.stopSequences,
    responseFormat: p.responseFormat,
    seed: p.seed,
    providerOptions: p.providerOptions,
  };
  return sha256Hex(canonicalJson(jsonSafe(determining)));
}

export interface ResponseCacheStats {
  path: string;
  /** Entries in the file (all processes). */
  entries: number;
  /** Lookups and writes through this handle. */
  hits: number;
  misses: number;
  writes: number;
}

export class ResponseCache {
  private hits = 0;
  private misses = 0;
  private writes = 0;
  private readonly getStmt: Database.Statement<[string], { value: string }>;
  private readonly putStmt: Database.Statement<[string, string, string]>;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    this.getStmt = db.prepare('SELECT value FROM responses WHERE key = ?');
    this.putStmt = db.prepare('INSERT OR REPLACE INTO responses (key, value, created_at) VALUES (?, ?, ?)');
  }

  static open(path: string): ResponseCache {
    let db: Database.Database;
    try {
      mkdirSync(dirname(path), { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      // A lost cache entry costs one model call again, so durability against power cuts
      // is not worth FULL's fsyncs.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      db.exec(
        'CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL)',
      );
    } catch (err) {
      throw new UserError(
        `cannot open the response cache ${path} (${(err as Error).message})`,
        'Check that the folder is writable, or run with --no-cache',
        'cache_unavailable',
      );
    }
    return new ResponseCache(path, db);
  }

  /** The stored value, or undefined on a miss (an unreadable entry counts as a miss). */
  get(key: string): unknown | undefined {
    const row = this.getStmt.get(key);
    if (row) {
      try {
        const value: unknown = JSON.parse(row.value);
        this.hits += 1;
        return value;
      } catch {
        // A damaged entry is re-fetched and overwritten, never fatal.
      }
    }
    this.misses += 1;
    return undefined;
  }

  /** Stores a JSON value; the last write of a key wins (two workers computing it agree). */
  put(key: string, value: unknown): void {
    this.putStmt.run(key, JSON.stringify(value), new Date().toISOString());
    this.writes += 1;
  }

  stats(): ResponseCacheStats {
    const { n } = this.db.prepare('SELECT count(*) AS n FROM responses').get() as { n: number };
    return { path: this.path, entries: n, hits: this.hits, misses: this.misses, writes: this.writes };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
