// One judge model's verdicts on one trajectory, AssetOpsBench style: every sample is one
// structured call asking for all the dimensions at once, a reply that does not fit the
// schema is sent back with the validation error (at most twice), and each dimension's
// verdict is the majority of the valid samples (ties fail). Model errors never throw: a
// judge that produced nothing gives verdicts marked unavailable and says why.
//
// Sampling and the response cache. The model is passed in, so a caller can wrap it with the
// run engine's middleware (instrumentModel) and get caching, prices and rate limits. That
// cache keys a call by its content and the current scope's trial, and all samples of a case
// send the same prompt, so each sample runs in its own model scope whose trial is the
// sample's number (1-based): samples are separate cache entries (independent draws), while
// judging the same case again with the same judge replays them for free. The usage of those
// scopes is added to the caller's scope when there is one (its token and cost limits are not
// applied to judge calls, and a judge's infrastructure error does not mark the caller's
// attempt). Without the middleware the scopes are inert and every sample is a fresh call.
import {
  generateText,
  jsonSchema,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
} from 'ai';
import { z } from 'zod';
import { callSettingsOf } from '../../agents/providers/model.ts';
import {
  currentModelScope,
  type ModelCallScope,
  newModelScope,
  withModelScope,
} from '../../runs/models/scope.ts';
import { parseFinalAnswer } from '../../util/answer-text.ts';
import { DIMENSIONS, type Dimension, type DimensionVerdict, type ScoreInput } from '../types.ts';
import {
  buildJudgePrompt,
  clip,
  JUDGE_VERSION,
  type JudgePrompt,
  type PromptBudget,
  RUBRICS,
} from './rubrics.ts';

export { JUDGE_VERSION } from './rubrics.ts';

/** Replies that miss the schema are sent back this many times at most (3 calls in all). */
export const MAX_REPAIRS = 2;
/** AssetOpsBench's judge protocol: 5 samples at temperature 0.3. */
export const DEFAULT_JUDGE_SAMPLES = 5;
export const DEFAULT_JUDGE_TEMPERATURE = 0.3;
/** The response format's name (OpenAI json_schema name). */
export const JUDGE_OUTPUT_NAME = 'judge_verdicts';
const MAX_ECHOED_REPLY = 4_000;
const MAX_RATIONALE = 1_000;

export interface JudgeOptions {
  model: LanguageModel;
  /** The spec the model was resolved from (recorded with every verdict). */
  modelSpec: string;
  /** Independent samples; each dimension's verdict is their majority. */
  samples: number;
  /** The dimensions to ask about (all six by default). */
  dimensions?: Dimension[];
  temperature?: number;
  /** HTTP-level retries of one call (the AI SDK's); defaults to the model's call settings. */
  maxRetries?: number;
  /** False: neither read nor write the response cache (when the model is instrumented). */
  useCache?: boolean;
  abortSignal?: AbortSignal;
  budget?: Partial<PromptBudget>;
  /** 'answer': quote only the task, the expected answer and the final answer (see buildJudgePrompt). */
  focus?: 'full' | 'answer';
}

/** One sample's say on one dimension. */
export interface JudgeVote {
  /** 1-based sample number. */
  sample: number;
  pass: boolean;
  rationale: string;
}

export interface JudgeDimensionResult {
  dimension: Dimension;
  /** False when the dimension was not asked or no sample gave a valid verdict. */
  available: boolean;
  /** Majority of the votes, ties failing; null when unavailable. For hallucination, true = none found. */
  pass: boolean | null;
  votes: JudgeVote[];
  passVotes: number;
  failVotes: number;
  /** Share of the votes that agree with the verdict (0.5..1); null when unavailable. */
  agreement: number | null;
  /** A rationale from a sample that voted with the verdict, or why there is no verdict. */
  rationale: string;
  judge: string;
  judgeVersion: string;
}

export interface JudgeSampleRecord {
  sample: number;
  ok: boolean;
  /** Model calls this sample made (1 + repairs). */
  calls: number;
  /** Why each rejected reply was rejected, in order. */
  problems: string[];
  /** The model error, or the last problem when no reply was valid. */
  error: string | null;
  suggestions: string;
  inputTokens: number;
  outputTokens: number;
}

export interface JudgeUsage {
  /** Model calls that returned a reply (repairs included). */
  calls: number;
  /** Of those, served by the response cache (0 unless the model is instrumented). */
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Money spent, when every call went through the priced model layer; else null (unknown). */
  costUsd: number | null;
}

export interface JudgeResult {
  judge: string;
  judgeVersion: string;
  /** Dimensions asked, in canonical order. */
  dimensions: Dimension[];
  samplesAsked: number;
  samplesValid: number;
  temperature: number;
  verdicts: Record<Dimension, JudgeDimensionResult>;
  /**
   * AssetOpsBench's outcome, when all six dimensions have a verdict: pass when the first five
   * pass and there is no hallucination; score = (passes of the five)/5, minus 0.2 when
   * hallucinated (so it can reach -0.2, as in AssetOpsBench's evaluate).
   */
  aob: { pass: boolean; score: number } | null;
  /** Each valid sample's suggestions (non-empty ones). */
  suggestions: string[];
  samples: JudgeSampleRecord[];
  usage: JudgeUsage;
  /** Set when no sample gave a valid reply. */
  error: string | null;
  stepsShown: number;
  stepsOmitted: number;
}

// ---- the reply schema -------------------------------------------------------------------

export interface JudgeReply {
  verdicts: Partial<Record<Dimension, { pass: boolean; rationale: string }>>;
  suggestions: string;
}

const Verdict = z.object({ pass: z.boolean(), rationale: z.string() });

/** The zod schema of a reply for these dimensions: a verdict each, suggestions optional. */
export function judgeReplySchema(dimensions: readonly Dimension[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const d of dimensions) shape[d] = Verdict.describe(RUBRICS[d].question);
  // A default, so the wire schema (output side) lists it as required, as OpenAI's strict
  // mode wants, while a reply without it is still accepted.
  shape.suggestions = z.string().default('').describe('How the agent could do better; "" if nothing');
  return z.object(shape);
}

/** Drops keys OpenAI's strict structured outputs refuse ("default"). */
function stripDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDefaults);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== 'default')
      .map(([k, v]) => [k, stripDefaults(v)]),
  );
}

/** The JSON Schema sent as the response format. */
export function judgeWireSchema(dimensions: readonly Dimension[]): Record<string, unknown> {
  const schema = z.toJSONSchema(judgeReplySchema(dimensions), { io: 'output', target: 'draft-7' });
  return stripDefaults(schema) as Record<string, unknown>;
}

/** Models often write booleans as strings; that is not worth a repair round. */
function coerceBooleans(value: unknown, dimensions: readonly Dimension[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const d of dimensions) {
    const v = out[d];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const pass = (v as Record<string, unknown>).pass;
      if (typeof pass === 'string' && /^(true|false)$/i.test(pass.trim())) {
        out[d] = { ...(v as object), pass: pass.trim().toLowerCase() === 'true' };
      }
    }
  }
  return out;
}

type Checked = { ok: true; reply: JudgeReply } | { ok: false; problem: string };

/** Validates a parsed reply; the problem lists what is wrong in words a model can act on. */
export function checkJudgeReply(value: unknown, dimensions: readonly Dimension[]): Checked {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: 'the reply is not a JSON object' };
  }
  const r = judgeReplySchema(dimensions).safeParse(coerceBooleans(value, dimensions));
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 8)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, problem: `the reply does not match the schema: ${issues}` };
  }
  const data = r.data as Record<string, unknown>;
  const verdicts: JudgeReply['verdicts'] = {};
  for (const d of dimensions) {
    const v = data[d] as { pass: boolean; rationale: string };
    verdicts[d] = { pass: v.pass, rationale: clip(v.rationale.trim(), MAX_RATIONALE) };
  }
  return { ok: true, reply: { verdicts, suggestions: String(data.suggestions ?? '').trim() } };
}

function checkText(text: string, dimensions: readonly Dimension[]): Checked {
  if (!text.trim()) return { ok: false, problem: 'the reply was empty' };
  const parsed = parseFinalAnswer(text);
  if (typeof parsed === 'string') return { ok: false, problem: 'the reply is not a JSON object' };
  return checkJudgeReply(parsed, dimensions);
}

// ---- votes ------------------------------------------------------------------------------

/** Majority of boolean votes; a tie fails. Agreement is the share voting with the verdict. */
export function majorityVote(votes: readonly boolean[]): { pass: boolean | null; agreement: number | null } {
  if (votes.length === 0) return { pass: null, agreement: null };
  const passes = votes.filter(Boolean).length;
  const fails = votes.length - passes;
  const pass = passes > fails;
  return { pass, agreement: (pass ? passes : fails) / votes.length };
}

/** AssetOpsBench's pass rule and score over six verdicts; null unless all six are there. */
export function aobOutcome(
  verdicts: Record<Dimension, { pass: boolean | null }>,
): { pass: boolean; score: number } | null {
  if (DIMENSIONS.some((d) => verdicts[d].pass === null)) return null;
  const five = DIMENSIONS.filter((d) => d !== 'hallucination');
  const passed = five.filter((d) => verdicts[d].pass).length;
  const hallucinated = verdicts.hallucination.pass === false;
  return {
    pass: passed === five.length && !hallucinated,
    score: passed / five.length - (hallucinated ? 0.2 : 0),
  };
}

/** A judge verdict in the form the evidence scorers use (score = share of samples passing). */
export function toDimensionVerdict(v: JudgeDimensionResult): DimensionVerdict {
  const n = v.votes.length;
  return {
    pass: v.pass === true,
    score: n > 0 ? v.passVotes / n : 0,
    rationale: v.available ? `${v.judge} (${v.passVotes}/${n} samples pass): ${v.rationale}` : v.rationale,
    evidence: [],
    applicable: v.available,
  };
}

// ---- calls ------------------------------------------------------------------------------

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string; statusCode?: number; lastError?: unknown };
  const status = e?.statusCode ?? (e?.lastError as { statusCode?: number } | undefined)?.statusCode;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  return `${status ? `HTTP ${status}: ` : ''}${message}`;
}

function repairRequest(problem: string, dimensions: readonly Dimension[]): string {
  return (
    `Your reply could not be used: ${problem}. Reply again with only one JSON object that has the keys ` +
    `${dimensions.join(', ')} (each {"pass": true|false, "rationale": "..."}) and "suggestions" (a string). ` +
    'No other text.'
  );
}

interface SampleContext {
  model: LanguageModel;
  prompt: JudgePrompt;
  temperature: number;
  maxRetries: number;
  abortSignal?: AbortSignal;
}

interface SampleOutcome {
  record: JudgeSampleRecord;
  reply: JudgeReply | null;
}

function addUsage(rec: JudgeSampleRecord, usage: LanguageModelUsage | undefined): void {
  rec.inputTokens += usage?.inputTokens ?? 0;
  rec.outputTokens += usage?.outputTokens ?? 0;
}

async function runSample(ctx: SampleContext, sample: number): Promise<SampleOutcome> {
  const { prompt } = ctx;
  const dims = prompt.dimensions;
  const record: JudgeSampleRecord = {
    sample,
    ok: false,
    calls: 0,
    problems: [],
    error: null,
    suggestions: '',
    inputTokens: 0,
    outputTokens: 0,
  };
  const schema = jsonSchema<JudgeReply>(judgeWireSchema(dims) as Parameters<typeof jsonSchema>[0], {
    validate: (value) => {
      const c = checkJudgeReply(value, dims);
      return c.ok ? { success: true, value: c.reply } : { success: false, error: new Error(c.problem) };
    },
  });
  const messages: ModelMessage[] = [{ role: 'user', content: prompt.user }];

  for (let attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
    let text: string;
    let checked: Checked | null = null;
    try {
      const r = await generateText({
        model: ctx.model,
        system: prompt.system,
        messages,
        output: Output.object({ schema, name: JUDGE_OUTPUT_NAME }),
        temperature: ctx.temperature,
        maxRetries: ctx.maxRetries,
        abortSignal: ctx.abortSignal,
      });
      record.calls += 1;
      addUsage(record, r.usage);
      text = r.text;
      try {
        checked = { ok: true, reply: r.output as JudgeReply };
      } catch (err) {
        // No text at all: `output` throws instead of parsing nothing.
        if (!NoOutputGeneratedError.isInstance(err)) throw err;
      }
    } catch (err) {
      if (!NoObjectGeneratedError.isInstance(err)) {
        record.error = errorText(err);
        return { record, reply: null };
      }
      record.calls += 1;
      addUsage(record, err.usage);
      text = err.text ?? '';
    }
    // The SDK parses strictly; a JSON object in a fence or a sentence is still accepted here.
    checked ??= checkText(text, dims);
    if (checked.ok) {
      record.ok = true;
      record.suggestions = checked.reply.suggestions;
      return { record, reply: checked.reply };
    }
    record.problems.push(checked.problem);
    messages.push(
      { role: 'assistant', content: clip(text, MAX_ECHOED_REPLY) || '(empty reply)' },
      { role: 'user', content: repairRequest(checked.problem, dims) },
    );
  }
  record.error = `no valid reply in ${MAX_REPAIRS + 1} calls: ${record.problems.at(-1)}`;
  return { record, reply: null };
}

/** Adds a sample scope's model usage to the caller's scope. */
function foldInto(parent: ModelCallScope | undefined, child: ModelCallScope): void {
  if (!parent) return;
  parent.usage.calls += child.usage.calls;
  parent.usage.cachedCalls += child.usage.cachedCalls;
  parent.usage.inputTokens += child.usage.inputTokens;
  parent.usage.outputTokens += child.usage.outputTokens;
  parent.usage.usd += child.usage.usd;
  for (const spec of child.unpriced) parent.unpriced.add(spec);
}

function unavailable(d: Dimension, spec: string, why: string): JudgeDimensionResult {
  return {
    dimension: d,
    available: false,
    pass: null,
    votes: [],
    passVotes: 0,
    failVotes: 0,
    agreement: null,
    rationale: why,
    judge: spec,
    judgeVersion: JUDGE_VERSION,
  };
}

function tally(d: Dimension, spec: string, votes: JudgeVote[]): JudgeDimensionResult {
  const { pass, agreement } = majorityVote(votes.map((v) => v.pass));
  if (pass === null) return unavailable(d, spec, 'no sample gave a verdict');
  const passVotes = votes.filter((v) => v.pass).length;
  const agreeing = votes.find((v) => v.pass === pass);
  return {
    dimension: d,
    available: true,
    pass,
    votes,
    passVotes,
    failVotes: votes.length - passVotes,
    agreement,
    rationale: agreeing?.rationale ?? '',
    judge: spec,
    judgeVersion: JUDGE_VERSION,
  };
}

/**
 * Judges one trajectory with one model: `samples` structured calls (one after another),
 * then a majority per dimension. Throws only for a bad argument, never for the model.
 */
export async function judgeTrajectory(input: ScoreInput, opts: JudgeOptions): Promise<JudgeResult> {
  const { samples, modelSpec: spec } = opts;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new Error(`samples must be a positive integer (got ${samples})`);
  }
  const prompt = buildJudgePrompt(input, {
    dimensions: opts.dimensions,
    budget: opts.budget,
    focus: opts.focus,
  });
  const temperature = opts.temperature ?? DEFAULT_JUDGE_TEMPERATURE;
  const ctx: SampleContext = {
    model: opts.model,
    prompt,
    temperature,
    maxRetries: opts.maxRetries ?? callSettingsOf(opts.model).maxRetries,
    abortSignal: opts.abortSignal,
  };

  const parent = currentModelScope();
  const outcomes: SampleOutcome[] = [];
  let layerCalls = 0;
  let cachedCalls = 0;
  let usd = 0;
  let unpriced = false;
  for (let i = 0; i < samples; i++) {
    const scope = newModelScope({
      attemptId: `judge:${spec}:${input.trajectory.id}`,
      trial: i + 1,
      useCache: opts.useCache ?? parent?.useCache ?? true,
    });
    outcomes.push(await withModelScope(scope, () => runSample(ctx, i + 1)));
    foldInto(parent, scope);
    layerCalls += scope.usage.calls;
    cachedCalls += scope.usage.cachedCalls;
    usd += scope.usage.usd;
    unpriced ||= scope.unpriced.size > 0;
  }

  const records = outcomes.map((o) => o.record);
  const valid = outcomes.filter((o) => o.reply !== null);
  const calls = records.reduce((n, r) => n + r.calls, 0);
  const error =
    valid.length === 0
      ? `judge ${spec} gave no valid reply in ${samples} sample${samples === 1 ? '' : 's'}: ` +
        records.map((r) => `sample ${r.sample}: ${r.error}`).join('; ')
      : null;

  const verdicts = {} as Record<Dimension, JudgeDimensionResult>;
  for (const d of DIMENSIONS) {
    if (!prompt.dimensions.includes(d)) {
      verdicts[d] = unavailable(d, spec, 'not asked');
    } else if (error) {
      verdicts[d] = unavailable(d, spec, `judge unavailable: ${clip(error, 500)}`);
    } else {
      const votes = valid.flatMap((o) => {
        const v = o.reply?.verdicts[d];
        return v ? [{ sample: o.record.sample, pass: v.pass, rationale: v.rationale }] : [];
      });
      verdicts[d] = tally(d, spec, votes);
    }
  }

  return {
    judge: spec,
    judgeVersion: JUDGE_VERSION,
    dimensions: prompt.dimensions,
    samplesAsked: samples,
    samplesValid: valid.length,
    temperature,
    verdicts,
    aob: aobOutcome(verdicts),
    suggestions: valid.map((o) => o.record.suggestions).filter((s) => s.length > 0),
    samples: records,
    usage: {
      calls,
      cachedCalls,
      inputTokens: records.reduce((n, r) => n + r.inputTokens, 0),
      outputTokens: records.reduce((n, r) => n + r.outputTokens, 0),
      // Known only when the priced layer saw every call that returned.
      costUsd: layerCalls === calls && !unpriced ? usd : null,
    },
    error,
    stepsShown: prompt.stepsShown,
    stepsOmitted: prompt.stepsOmitted,
  };
}
