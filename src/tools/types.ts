// What a tool is: a name, a domain, a description written for a model, zod schemas for
// its input and output, and a handler. Handlers signal problems by throwing ToolFailure;
// the session turns every outcome into a ToolResult, so nothing throws across the boundary.
import type { z } from 'zod';
import type { Dataset } from '../dataset/open.ts';

export const DOMAINS = ['iot', 'util', 'fmsr', 'tsfm', 'wo'] as const;
export type Domain = (typeof DOMAINS)[number];

export type ToolErrorCode =
  | 'invalid_arguments'
  | 'unknown_tool'
  | 'not_found'
  | 'out_of_range'
  | 'no_data'
  | 'unavailable'
  | 'timeout'
  | 'conflict'
  | 'internal';

export interface ToolError {
  code: ToolErrorCode;
  message: string;
  /** How to fix the call. */
  hint: string;
  /** Closest valid names, for unknown assets, sensors, tools. */
  candidates?: string[];
}

export type ToolResult<T = unknown> = { ok: true; data: T } | { ok: false; error: ToolError };

/** Thrown inside handlers; the session converts it into an error result. */
export class ToolFailure extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    readonly hint: string,
    readonly candidates?: string[],
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** What a handler sees: the dataset, the frozen clock and the session's own state. */
export interface ToolContext {
  ds: Dataset;
  /** The session's frozen "now" (epoch seconds); nothing after it is ever shown. */
  now: number;
  /**
   * Stores a large result under a handle that json_reader can page through. Rows may be
   * given lazily (a function, with their count), so a result nobody reads is never built.
   */
  storeResult(rows: unknown[] | (() => unknown[]), label: string, count?: number): string;
  readResult(handle: string): { rows: unknown[]; label: string } | undefined;
  /** Per-session scratch space (the work-order sandbox lives here). */
  state: Map<string, unknown>;
}

export interface ToolWindow {
  defaultDays: number | null;
  dateOnlyEndInclusive: boolean;
}

/** Work-order and event tools: whole dates are inclusive at both ends, no start is all history. */
export const WO_WINDOW: ToolWindow = { defaultDays: null, dateOnlyEndInclusive: true };

// biome-ignore lint/suspicious/noExplicitAny: tools are stored heterogeneously in the registry
export type AnyTool = ToolDef<any, any>;

export interface ToolDef<I extends z.ZodObject, O extends z.ZodType> {
  name: string;
  domain: Domain;
  /** For a model: when to use it, the arguments, and what comes back. */
  description: string;
  input: I;
  output: O;
  /** False for tools that change the session's sandbox. */
  readOnly: boolean;
  /**
   * Whether a call reads the plant's own data (telemetry, assets, work orders, failure modes),
   * the evidence an answer must rest on. Defaults to true for every domain but util; tools that
   * only describe the bench itself (the list of model types) say false.
   */
  plantData?: boolean;
  /**
   * The time window a call reads when it takes start/end arguments, as scoring needs to know
   * whether a call covered the period a question is about: how many days back from now it
   * reads without a start (null: from the beginning), and whether a date-only end includes
   * that whole day. Tools without it read everything up to now.
   */
  window?: ToolWindow;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<z.infer<O>>;
}

export function defineTool<I extends z.ZodObject, O extends z.ZodType>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}
