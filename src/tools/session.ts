// A tool session: the frozen clock, a seeded fault injector, the recorder, stored
// results and the work-order sandbox of one agent's attempt. `call` validates, injects
// faults, runs the handler, validates the output and records everything; it never throws.
import type { z } from 'zod';
import type { Dataset } from '../dataset/open.ts';
import { canonicalJson, sha256Hex } from '../util/hash.ts';
import { Rng } from '../util/rng.ts';
import { epochFromIso, isoFromEpoch } from '../util/time.ts';
import {
  type FaultProfile,
  type InjectedFault,
  injectFault,
  mangleResult,
  staleShiftSeconds,
} from './faults.ts';
import { closest } from './lookup.ts';
import { type AnyTool, type ToolContext, type ToolError, ToolFailure, type ToolResult } from './types.ts';

/** Large results a session keeps behind handles before the oldest expire. */
const MAX_STORED_RESULTS = 200;
/**
 * Rows a session keeps built for json_reader (about 100 bytes each). Past it the oldest
 * built results are dropped: a lazy one goes back to its builder (built again if read
 * again), an eager one expires. The result being read is always kept, however large.
 */
export const MAX_STORED_ROWS = 100_000;

interface StoredResult {
  label: string;
  /** Built rows, or undefined while only the builder is kept. */
  rows?: unknown[];
  build?: () => unknown[];
  count: number;
}

export interface CallRecord {
  seq: number;
  tool: string;
  args: unknown;
  ok: boolean;
  error?: { code: string; message: string };
  /** sha256 (first 16 hex) of the canonical result. */
  digest: string;
  /** Handle of the full result, readable with `session.result(ref)`. */
  resultRef: string;
  latencyMs: number;
  fault: InjectedFault | null;
  /** Wall-clock start of the call (ISO); the data clock is `now`. */
  startedAt: string;
}

export interface SessionOptions {
  /** Frozen "now" (ISO); defaults to the last moment the dataset exposes. */
  now?: string;
  faults?: FaultProfile;
  seed?: number;
  id?: string;
  /**
   * Keep every call's full result for `result(ref)` (default true: an attempt's recorder
   * reads them). A long-lived MCP server's sessions turn it off: their clients already
   * have the results, and keeping them would grow the server with every call.
   */
  keepResults?: boolean;
}

/** Argument names other agents use (AssetOpsBench's among them), mapped to ours. */
export const ARG_ALIASES: Readonly<Record<string, string>> = {
  site_name: 'site',
  assetnum: 'asset',
  asset_id: 'asset',
  asset_name: 'asset',
  equipment_id: 'asset',
  final: 'end',
  start_date: 'start',
  end_date: 'end',
  file_name: 'handle',
};

function normaliseArgs(raw: unknown, tool: AnyTool): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const shape = tool.input.shape as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = !(k in shape) && ARG_ALIASES[k] && ARG_ALIASES[k] in shape ? ARG_ALIASES[k] : k;
    if (v !== null) out[key] = v;
  }
  return out;
}

function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 4)
    .map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`)
    .join('; ');
}

export class ToolSession {
  readonly now: number;
  readonly log: CallRecord[] = [];
  readonly state = new Map<string, unknown>();
  private readonly results = new Map<string, StoredResult>();
  private builtRows = 0;
  private readonly full = new Map<string, unknown>();
  private readonly keepResults: boolean;
  private readonly rng: Rng;
  private nextHandle = 1;
  readonly id: string;
  readonly faults: FaultProfile;

  constructor(
    readonly ds: Dataset,
    private readonly tools: Map<string, AnyTool>,
    opts: SessionOptions = {},
  ) {
    const exposed = epochFromIso(ds.manifest.timeRange.exposedUntil);
    const wanted = opts.now ? epochFromIso(opts.now) : exposed;
    this.now = Math.min(wanted, exposed);
    this.faults = opts.faults ?? 'none';
    this.rng = new Rng(opts.seed ?? 0, `session:${opts.id ?? 'default'}`);
    this.id = opts.id ?? 'session';
    this.keepResults = opts.keepResults ?? true;
  }

  get nowIso(): string {
    return isoFromEpoch(this.now);
  }

  listTools(): AnyTool[] {
    return [...this.tools.values()];
  }

  /** Stored large results (handles), for json_reader and MCP resources. */
  storedResults(): Array<{ handle: string; label: string; rows: number }> {
    return [...this.results].map(([handle, r]) => ({ handle, label: r.label, rows: r.count }));
  }

  readStored(handle: string): { rows: unknown[]; label: string } | undefined {
    const r = this.results.get(handle);
    if (!r) return undefined;
    if (!r.rows) {
      r.rows = (r.build as () => unknown[])();
      r.count = r.rows.length;
      this.builtRows += r.count;
      this.trimStored(handle);
    }
    return { rows: r.rows, label: r.label };
  }

  /** Handles and built rows kept for json_reader (both bounded). */
  storedSize(): { handles: number; builtRows: number; fullResults: number } {
    return { handles: this.results.size, builtRows: this.builtRows, fullResults: this.full.size };
  }

  private storeResult(rows: unknown[] | (() => unknown[]), label: string, count?: number): string {
    const handle = `res-${this.nextHandle++}`;
    if (typeof rows === 'function') {
      this.results.set(handle, { label, build: rows, count: count ?? 0 });
    } else {
      this.results.set(handle, { label, rows, count: rows.length });
      this.builtRows += rows.length;
    }
    if (this.results.size > MAX_STORED_RESULTS) this.dropStored(this.results.keys().next().value as string);
    this.trimStored(handle);
    return handle;
  }

  private dropStored(handle: string): void {
    const r = this.results.get(handle);
    if (r?.rows) this.builtRows -= r.rows.length;
    this.results.delete(handle);
  }

  /** Oldest first, frees built rows until the session is within MAX_STORED_ROWS (keeping `keep`). */
  private trimStored(keep: string): void {
    for (const [handle, r] of this.results) {
      if (this.builtRows <= MAX_STORED_ROWS) return;
      if (handle === keep || !r.rows) continue;
      if (r.build) {
        this.builtRows -= r.rows.length;
        r.rows = undefined;
      } else {
        this.dropStored(handle);
      }
    }
  }

  /** The full result of a recorded call (the recorder's reference). */
  result(ref: string): unknown {
    return this.full.get(ref);
  }

  private context(now = this.now): ToolContext {
    return {
      ds: this.ds,
      now,
      state: this.state,
      // Bounded in handles and in built rows, so a long session does not grow without end.
      storeResult: (rows, label, count) => this.storeResult(rows, label, count),
      readResult: (handle) => this.readStored(handle),
    };
  }

  /** Calls a tool by name. Always resolves, with data or a structured error. */
  async call(name: string, rawArgs: unknown = {}): Promise<ToolResult> {
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    const seq = this.log.length + 1;
    const tool = this.tools.get(name);
    let args: unknown = rawArgs;
    let fault: InjectedFault | null = null;
    let result: ToolResult;
    try {
      if (!tool) {
        const near = closest(name, [...this.tools.keys()]);
        throw new ToolFailure(
          'unknown_tool',
          `there is no tool "${name}"`,
          `Use one of the listed tools, e.g. ${near.join(', ')}`,
          near,
        );
      }
      const given = rawArgs ?? {};
      if (typeof given !== 'object' || Array.isArray(given)) {
        // Said plainly: a schema validator's "expected object, received array" helps nobody.
        const names = Object.keys(tool.input.shape as Record<string, unknown>);
        throw new ToolFailure(
          'invalid_arguments',
          `the arguments of ${name} must be an object of named arguments, not ${Array.isArray(given) ? 'an array' : `a ${typeof given}`}`,
          names.length > 0
            ? `Pass an object with ${names.join(', ')}, e.g. {"${names[0]}": ...}`
            : 'Pass an empty object: {}',
        );
      }
      const parsed = tool.input.safeParse(normaliseArgs(given, tool));
      if (!parsed.success) {
        throw new ToolFailure(
          'invalid_arguments',
          `invalid arguments for ${name}: ${describeIssues(parsed.error)}`,
          'Check the argument names and types in the tool description',
        );
      }
      args = parsed.data;
      fault = injectFault(this.faults, this.rng, name);
      if (fault?.kind === 'error' || fault?.kind === 'timeout') {
        throw new ToolFailure(
          fault.kind === 'timeout' ? 'timeout' : 'unavailable',
          fault.kind === 'timeout' ? `${name} timed out` : `${name} is temporarily unavailable`,
          'This is transient: retry the same call',
        );
      }
      // A stale answer is a real one from an older snapshot: the tool runs with its clock set back.
      const now = fault?.kind === 'stale' ? this.now - staleShiftSeconds(this.rng) : this.now;
      const data = await tool.handler(parsed.data, this.context(now));
      const checked = tool.output.safeParse(data);
      if (!checked.success) {
        throw new Error(`output of ${name} does not match its schema: ${describeIssues(checked.error)}`);
      }
      result = {
        ok: true,
        data: fault?.kind === 'partial' ? mangleResult(fault, checked.data) : checked.data,
      };
    } catch (err) {
      const error: ToolError =
        err instanceof ToolFailure
          ? {
              code: err.code,
              message: err.message,
              hint: err.hint,
              ...(err.candidates ? { candidates: err.candidates } : {}),
            }
          : {
              code: 'internal',
              message: `${name} failed: ${(err as Error)?.message ?? String(err)}`,
              hint: 'This is a fault of the tool, not of the call; try another approach or report it',
            };
      result = { ok: false, error };
    }
    const resultRef = `call-${seq}`;
    if (this.keepResults) this.full.set(resultRef, result);
    this.log.push({
      seq,
      tool: name,
      args,
      ok: result.ok,
      ...(result.ok ? {} : { error: { code: result.error.code, message: result.error.message } }),
      digest: sha256Hex(canonicalJson(result)).slice(0, 16),
      resultRef,
      latencyMs: Math.round((performance.now() - t0) * 100) / 100,
      fault,
      startedAt,
    });
    return result;
  }
}
