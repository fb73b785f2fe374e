// What a run is: a matrix of agents (with models), suites and trials, plus the settings every
// attempt shares. Users write it as flags or as a run file (YAML or JSON); the resolved form
// is stored with the run, so a resumed run or a remote worker does exactly what was asked.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AGENT_NAMES, EXTERNAL_AGENTS, MODEL_FREE_AGENTS } from '../agents/agent.ts';
import { AOB_FILE_SUITE } from '../scenarios/suite-names.ts';
import { FAULT_PROFILES } from '../tools/faults.ts';
import { UserError } from '../util/errors.ts';
import type { AttemptKey } from './store/types.ts';

export { EXTERNAL_AGENTS, MODEL_FREE_AGENTS } from '../agents/agent.ts';

const Positive = z.number().positive();
const Count = z.number().int().positive();

export const LimitsSchema = z
  .object({
    /** Model steps per attempt. */
    steps: Count.optional(),
    /** Input plus output tokens per attempt. */
    tokens: Count.optional(),
    /** USD per attempt. */
    costUsd: Positive.optional(),
    /** Wall-clock seconds per attempt. */
    timeoutS: Positive.optional(),
    /**
     * Seconds one model call may take before the provider counts as hanging: an
     * infrastructure failure (retried, then reported and left for --resume), not the agent's.
     */
    providerTimeoutS: Positive.optional(),
    /** Whole-attempt reruns after an infrastructure failure before it is reported (default 2). */
    infraRetries: z.number().int().min(0).max(10).optional(),
  })
  .strict();
export type RunLimits = z.infer<typeof LimitsSchema>;

export const RateLimitSchema = z.object({ rpm: Count.optional(), tpm: Count.optional() }).strict();

const SuiteRefSchema = z.union([
  z.string().min(1),
  z
    .object({
      name: z.enum(['default', 'private', 'aob']).optional(),
      seed: z.number().int().nonnegative().optional(),
      file: z.string().min(1).optional(),
    })
    .strict(),
]);

const AgentRefSchema = z.union([
  z.string().min(1),
  z.object({ agent: z.string().min(1), model: z.string().min(1).optional() }).strict(),
]);

/** The run file users write. */
export const RunFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    world: z.string().min(1).optional(),
    agents: z.array(AgentRefSchema).min(1),
    models: z.array(z.string().min(1)).optional(),
    suites: z.array(SuiteRefSchema).min(1).optional(),
    trials: Count.max(100).optional(),
    concurrency: Count.max(256).optional(),
    faults: z.enum(FAULT_PROFILES).optional(),
    limits: LimitsSchema.optional(),
    rateLimits: z.record(z.string(), RateLimitSchema).optional(),
    baseUrl: z.string().url().optional(),
    cache: z.boolean().optional(),
    cmd: z.string().min(1).optional(),
    url: z.string().url().optional(),
    modelProxy: z.string().url().optional(),
    /** AssetOpsBench competition phase files added to the aob suites (as --aob-phase). */
    aobPhase: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type RunFile = z.infer<typeof RunFileSchema>;

export interface SuiteRef {
  /** 'default' | 'private' | 'aob' | 'file'. */
  kind: 'default' | 'private' | 'aob' | 'file';
  seed: number;
  /** A scenario file (kind file), or the AssetOpsBench file an aob suite is cut to (aob:FILE). */
  file?: string;
}

/** A suite as a resolved run holds it: its label, where its world is, and that world's checksum. */
export const ResolvedSuiteSchema = z.object({
  label: z.string(),
  kind: z.enum(['default', 'private', 'aob', 'file']),
  seed: z.number().int(),
  file: z.string().optional(),
  dataset: z.object({ dir: z.string(), checksum: z.string() }),
  scenarios: z.number().int().nonnegative(),
});
export type ResolvedSuite = z.infer<typeof ResolvedSuiteSchema>;

export const EntrySchema = z.object({ agent: z.string(), model: z.string().nullable() });
export type MatrixEntry = z.infer<typeof EntrySchema>;

export const RUN_SPEC_VERSION = 1;

/** What the store keeps as a run's spec. */
export const ResolvedRunSpecSchema = z.object({
  version: z.literal(RUN_SPEC_VERSION),
  entries: z.array(EntrySchema).min(1),
  suites: z.array(ResolvedSuiteSchema).min(1),
  trials: z.number().int().positive(),
  concurrency: z.number().int().positive(),
  faults: z.enum(FAULT_PROFILES),
  limits: LimitsSchema,
  rateLimits: z.record(z.string(), RateLimitSchema),
  cache: z.boolean(),
  baseUrl: z.string().optional(),
  cmd: z.string().optional(),
  url: z.string().optional(),
  modelProxy: z.string().optional(),
  /** --limit: only the first N scenarios of each suite. */
  scenarioLimit: z.number().int().positive().optional(),
});
export type ResolvedRunSpec = z.infer<typeof ResolvedRunSpecSchema>;

export function suiteLabel(ref: SuiteRef): string {
  if (ref.kind === 'file') return `file:${ref.file}`;
  if (ref.kind === 'aob' && ref.file) return `aob:${ref.file}`;
  return ref.kind === 'private' ? `private-s${ref.seed}` : ref.kind;
}

export function parseSuiteRef(ref: z.infer<typeof SuiteRefSchema>, defaultSeed = 1): SuiteRef {
  if (typeof ref === 'string') {
    if (ref === 'default' || ref === 'aob') return { kind: ref, seed: 0 };
    const aob = AOB_FILE_SUITE.exec(ref);
    if (aob) return { kind: 'aob', seed: 0, file: aob[1] };
    if (ref === 'private') return { kind: 'private', seed: defaultSeed };
    const m = /^private-s(\d+)$/.exec(ref);
    if (m) return { kind: 'private', seed: Number(m[1]) };
    if (ref.endsWith('.jsonl')) return { kind: 'file', seed: 0, file: ref };
    throw new UserError(
      `unknown suite "${ref}"`,
      'Use default, aob, aob:FILE (the items of one AssetOpsBench scenario file), private (or private-s42 for seed 42), or a .jsonl scenario file',
      'bad_suite',
    );
  }
  if (ref.file) return { kind: ref.name === 'aob' ? 'aob' : 'file', seed: 0, file: ref.file };
  const kind = ref.name ?? 'default';
  return { kind, seed: kind === 'private' ? (ref.seed ?? defaultSeed) : 0 };
}

/** The agent × model matrix: model-free agents once, model-backed ones once per model. */
export function expandEntries(
  agents: Array<z.infer<typeof AgentRefSchema>>,
  models: string[],
): MatrixEntry[] {
  const out: MatrixEntry[] = [];
  const seen = new Set<string>();
  const add = (e: MatrixEntry) => {
    const k = `${e.agent}|${e.model ?? ''}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  };
  for (const ref of agents) {
    const name = typeof ref === 'string' ? ref : ref.agent;
    if (!(AGENT_NAMES as readonly string[]).includes(name))
      throw new UserError(
        `unknown agent "${name}"`,
        `Use one of: ${AGENT_NAMES.join(', ')}`,
        'unknown_agent',
      );
    if (typeof ref !== 'string') {
      add({ agent: ref.agent, model: ref.model ?? null });
      continue;
    }
    if (MODEL_FREE_AGENTS.has(ref) || (EXTERNAL_AGENTS.has(ref) && models.length === 0)) {
      add({ agent: ref, model: null });
      continue;
    }
    if (models.length === 0) {
      throw new UserError(
        `the ${ref} agent needs a model`,
        'Pass --model, e.g. --model openai:gpt-4.1, or list models in the run file',
        'missing_model',
      );
    }
    for (const m of models) add({ agent: ref, model: m });
  }
  if (models.length > 0 && out.every((e) => e.model === null)) {
    const names = [...new Set(out.map((e) => e.agent))].join(', ');
    throw new UserError(
      `the ${names} agent${names.includes(',') ? 's use' : ' uses'} no model (got --model ${models.join(', ')})`,
      'Drop --model, or add a model-backed agent such as --agent react',
      'model_unused',
    );
  }
  return out;
}

/** Every attempt of a run in plan order: suite, scenario, entry, trial. */
export function planAttempts(
  runId: string,
  spec: ResolvedRunSpec,
  scenarios: Array<{ suite: string; scenarioId: string }>,
): AttemptKey[] {
  const keys: AttemptKey[] = [];
  for (const s of scenarios)
    for (const e of spec.entries)
      for (let trial = 1; trial <= spec.trials; trial++)
        keys.push({ runId, suite: s.suite, scenarioId: s.scenarioId, agent: e.agent, model: e.model, trial });
  return keys;
}

/** Reads a run file (YAML or JSON), naming the file and the problem when it is wrong. */
export async function readRunFile(path: string): Promise<RunFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read the run file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      'Pass the path of a YAML or JSON run file',
      'bad_run_file',
    );
  }
  let value: unknown;
  try {
    value = path.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (err) {
    throw new UserError(
      `the run file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
      'Fix the syntax (see docs/RUNS.md for an example)',
      'bad_run_file',
    );
  }
  const r = RunFileSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 4)
      .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('; ');
    throw new UserError(
      `the run file ${path} is not a valid run: ${issues}`,
      'See docs/RUNS.md for the fields a run file takes',
      'bad_run_file',
    );
  }
  return r.data;
}

export function parseResolvedSpec(value: unknown, runId: string): ResolvedRunSpec {
  const r = ResolvedRunSpecSchema.safeParse(value);
  if (r.success) return r.data;
  throw new UserError(
    `run ${runId} was stored by another version of assetops (its spec does not read as version ${RUN_SPEC_VERSION})`,
    'Resume it with the version that started it, or start a new run',
    'run_spec_version',
  );
}

/**
 * A run on the default suite of one world with the usual settings: the form `assetops bench`,
 * the benchmarks and the dashboard's fixtures use. `overrides` changes any setting.
 */
export function defaultSuiteSpec(
  world: { dir: string; checksum: string },
  scenarios: number,
  entries: MatrixEntry[] = [{ agent: 'baseline', model: null }],
  overrides: Partial<Omit<ResolvedRunSpec, 'version' | 'entries' | 'suites'>> = {},
): ResolvedRunSpec {
  return {
    version: RUN_SPEC_VERSION,
    entries,
    suites: [
      {
        label: 'default',
        kind: 'default',
        seed: 0,
        dataset: { dir: resolve(world.dir), checksum: world.checksum },
        scenarios,
      },
    ],
    trials: 1,
    concurrency: 1,
    faults: 'none',
    limits: {},
    rateLimits: {},
    cache: true,
    ...overrides,
  };
}
