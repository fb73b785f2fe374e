// Single model calls without tools (planner, verifier, summariser), counted in the run's
// usage, and how a run that was cut short ends. Structured output goes through the AI SDK's
// Output.object, which sends a json_schema response format and validates the reply.
import {
  type GenerateTextResult,
  generateText,
  type LanguageModel,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
  type OutputInterface as OutputSpec,
  type Schema,
  type ToolSet,
  zodSchema,
} from 'ai';
import type { z } from 'zod';
import { parseFinalAnswer } from '../../util/answer-text.ts';
import { errorText } from '../react/record.ts';
import type { Trajectory, TrajectoryError, TrajectoryStatus } from '../trajectory.ts';

export interface CallContext {
  model: LanguageModel;
  maxRetries: number;
  abortSignal: AbortSignal;
  /** Usage is added to this run. */
  traj: Trajectory;
}

export interface CallCost {
  tokens: { input: number; output: number };
  latencyMs: number;
}

function count(
  ctx: CallContext,
  usage: { inputTokens?: number; outputTokens?: number } | undefined,
  t0: number,
): CallCost {
  const tokens = { input: usage?.inputTokens ?? 0, output: usage?.outputTokens ?? 0 };
  ctx.traj.usage.inputTokens += tokens.input;
  ctx.traj.usage.outputTokens += tokens.output;
  ctx.traj.usage.calls += 1;
  return { tokens, latencyMs: performance.now() - t0 };
}

// The AI SDK converts a bare zod schema to JSON Schema again on every call; the planner's,
// verifier's and summariser's schemas are module constants, so each is wrapped (and
// converted) once.
const wrapped = new WeakMap<z.ZodType, Schema<unknown>>();
function sdkSchema<T>(schema: z.ZodType<T>): Schema<T> {
  let s = wrapped.get(schema);
  if (!s) {
    s = zodSchema(schema) as Schema<unknown>;
    wrapped.set(schema, s);
  }
  return s as Schema<T>;
}

export interface StructuredReply<T> extends CallCost {
  /** null when the reply did not fit the schema (see `problem`). */
  value: T | null;
  text: string;
  problem?: string;
}

/**
 * One structured call. A reply that misses the schema is not an error of the run: the caller
 * decides. A JSON object in a fence or a sentence is still accepted (servers that ignore the
 * response format often answer that way).
 */
export async function structuredCall<T>(
  ctx: CallContext,
  spec: { name: string; schema: z.ZodType<T>; system: string; prompt: string },
): Promise<StructuredReply<T>> {
  const t0 = performance.now();
  let r: GenerateTextResult<ToolSet, OutputSpec<T>>;
  try {
    r = await generateText({
      model: ctx.model,
      system: spec.system,
      prompt: spec.prompt,
      output: Output.object({ schema: sdkSchema(spec.schema), name: spec.name }),
      maxRetries: ctx.maxRetries,
      abortSignal: ctx.abortSignal,
    });
  } catch (err) {
    if (!NoObjectGeneratedError.isInstance(err)) throw err;
    const cost = count(ctx, err.usage, t0);
    const text = err.text ?? '';
    const second = spec.schema.safeParse(parseFinalAnswer(text));
    if (second.success) return { value: second.data, text, ...cost };
    return { value: null, text, problem: errorText(err.cause ?? err), ...cost };
  }
  const cost = count(ctx, r.usage, t0);
  // No text at all (cut at the token limit before a word): `output` throws rather than parse nothing.
  if (NoOutputGeneratedError.isInstance(tryOutput(r))) {
    return { value: null, text: r.text, problem: `no output (finish reason ${r.finishReason})`, ...cost };
  }
  return { value: r.output, text: r.text, ...cost };
}

function tryOutput(r: { output: unknown }): unknown {
  try {
    return r.output;
  } catch (err) {
    return err;
  }
}

export interface TextReply extends CallCost {
  text: string;
  truncated: boolean;
}

export async function textCall(ctx: CallContext, system: string, prompt: string): Promise<TextReply> {
  const t0 = performance.now();
  const r = await generateText({
    model: ctx.model,
    system,
    prompt,
    maxRetries: ctx.maxRetries,
    abortSignal: ctx.abortSignal,
  });
  return { text: r.text, truncated: r.finishReason === 'length', ...count(ctx, r.usage, t0) };
}

/** Provider errors as the ReAct agent words them: the HTTP status when there is one. */
export function describeProviderError(err: unknown): string {
  const e = err as { name?: string; statusCode?: number; lastError?: unknown };
  if (e?.name === 'TimeoutError') {
    const text = errorText(err);
    return text.includes('timed out') ? text : `model call timed out: ${text}`;
  }
  const status = e?.statusCode ?? (e?.lastError as { statusCode?: number } | undefined)?.statusCode;
  return `${status ? `HTTP ${status}: ` : ''}${errorText(err)}`;
}

/** A run stopped by a thrown error: its time limit ran out, or the provider failed. */
export function stoppedBy(
  err: unknown,
  deadline: AbortSignal,
  timeoutMs: number,
): { status: TrajectoryStatus; error: TrajectoryError } {
  if (deadline.aborted) {
    return {
      status: 'limit',
      error: { kind: 'timeout', message: `run stopped after ${timeoutMs} ms (the run's time limit)` },
    };
  }
  return { status: 'error', error: { kind: 'provider', message: describeProviderError(err) } };
}
