// Turning `assetops run` flags and run files into a resolved run: the agent × model matrix,
// the suites with their worlds and scenarios, and the settings every attempt shares.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Dataset } from '../../dataset/open.ts';
import { providerKeyOf } from '../../runs/models/limiter.ts';
import {
  expandEntries,
  parseSuiteRef,
  type ResolvedRunSpec,
  type ResolvedSuite,
  RUN_SPEC_VERSION,
  type RunFile,
  RunFileSchema,
  readRunFile,
  suiteLabel,
} from '../../runs/spec.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import type { FaultProfile } from '../../tools/faults.ts';
import { UserError } from '../../util/errors.ts';
import { loadSuiteWithWorld } from './scenarios.ts';

export interface RunFlags {
  agent: string[];
  model: string[];
  baseUrl?: string;
  cmd?: string;
  url?: string;
  modelProxy?: string;
  suite: string[];
  seed: number;
  world: string;
  aobData?: string;
  /** AssetOpsBench competition phase files added to the aob suites. */
  aobPhase?: string[];
  file?: string;
  limit?: number;
  trials: number;
  concurrency: number;
  faults: FaultProfile;
  limitSteps?: number;
  limitTokens?: number;
  limitCost?: number;
  timeout?: number;
  providerTimeout?: number;
  infraRetries?: number;
  rpm?: number;
  tpm?: number;
  cache: boolean;
  name?: string;
}

export interface ResolvedRun {
  spec: ResolvedRunSpec;
  name: string | null;
  scenariosBySuite: Map<string, Scenario[]>;
  /** Opened worlds by folder (the caller closes them). */
  datasets: Map<string, Dataset>;
}

/** Flags the user typed win over the run file; the file wins over flag defaults. */
function merge(cmd: Command, flags: RunFlags, file: RunFile | null): RunFile & { limit?: number } {
  const given = (key: string) => cmd.getOptionValueSource(key) === 'cli';
  const base: RunFile =
    file ?? RunFileSchema.parse({ agents: flags.agent.length ? flags.agent : ['baseline'] });
  const m: RunFile & { limit?: number } = { ...base };
  if (given('agent')) m.agents = flags.agent;
  if (given('model')) m.models = flags.model;
  if (given('suite')) m.suites = flags.suite;
  if (given('file') && flags.file) m.suites = [{ file: flags.file }];
  if (given('world') || !m.world) m.world = flags.world;
  if (given('trials') || m.trials === undefined) m.trials = flags.trials;
  if (given('concurrency') || m.concurrency === undefined) m.concurrency = flags.concurrency;
  if (given('faults') || m.faults === undefined) m.faults = flags.faults;
  if (given('baseUrl') || (m.baseUrl === undefined && flags.baseUrl)) m.baseUrl = flags.baseUrl;
  for (const k of ['cmd', 'url', 'modelProxy', 'name'] as const) if (flags[k] !== undefined) m[k] = flags[k];
  if (given('cache') || m.cache === undefined) m.cache = flags.cache;
  if (given('aobPhase') && flags.aobPhase) m.aobPhase = flags.aobPhase;
  const limits = { ...(m.limits ?? {}) };
  if (flags.limitSteps !== undefined) limits.steps = flags.limitSteps;
  if (flags.limitTokens !== undefined) limits.tokens = flags.limitTokens;
  if (flags.limitCost !== undefined) limits.costUsd = flags.limitCost;
  if (flags.timeout !== undefined) limits.timeoutS = flags.timeout;
  if (flags.providerTimeout !== undefined) limits.providerTimeoutS = flags.providerTimeout;
  if (flags.infraRetries !== undefined) limits.infraRetries = flags.infraRetries;
  m.limits = limits;
  if (flags.limit !== undefined) m.limit = flags.limit;
  return m;
}

export async function resolveRun(
  cmd: Command,
  flags: RunFlags,
  runFile: string | undefined,
): Promise<ResolvedRun> {
  const file = runFile ? await readRunFile(runFile) : null;
  const m = merge(cmd, flags, file);
  const models = m.models ?? [];
  const entries = expandEntries(m.agents, models);
  // Refuse a bad agent/model combination before opening anything.
  const { agentByName } = await import('../../agents/registry.ts');
  for (const e of entries) {
    if (e.agent === 'command' || e.agent === 'http') {
      if (e.agent === 'command' && !m.cmd)
        throw new UserError('the command agent needs a command', 'Pass --cmd "python my_agent.py"');
      if (e.agent === 'http' && !m.url)
        throw new UserError('the http agent needs an endpoint', 'Pass --url http://host:port/path');
      continue;
    }
    agentByName(e.agent, { model: e.model ?? undefined, baseUrl: m.baseUrl });
  }
  const rateLimits = { ...(m.rateLimits ?? {}) };
  if (flags.rpm !== undefined || flags.tpm !== undefined) {
    for (const p of new Set(models.map((x) => providerKeyOf(x, m.baseUrl)))) {
      rateLimits[p] = {
        ...(rateLimits[p] ?? {}),
        ...(flags.rpm !== undefined ? { rpm: flags.rpm } : {}),
        ...(flags.tpm !== undefined ? { tpm: flags.tpm } : {}),
      };
    }
  }

  const refs = (m.suites ?? ['default']).map((r) => parseSuiteRef(r, flags.seed));
  const suites: ResolvedSuite[] = [];
  const scenariosBySuite = new Map<string, Scenario[]>();
  const datasets = new Map<string, Dataset>();
  try {
    for (const ref of refs) {
      const label = suiteLabel(ref);
      if (scenariosBySuite.has(label)) continue;
      const loaded = await loadSuiteWithWorld({
        suite:
          ref.kind === 'file' ? 'default' : ref.kind === 'aob' && ref.file ? `aob:${ref.file}` : ref.kind,
        seed: ref.seed,
        world: m.world ?? flags.world,
        aobData: flags.aobData,
        aobPhase: m.aobPhase ?? [],
        ...(ref.kind === 'file' ? { file: ref.file } : {}),
      });
      const dir = resolve(loaded.ds.dir);
      if (datasets.has(dir)) loaded.ds.close();
      else datasets.set(dir, loaded.ds);
      const scenarios = m.limit ? loaded.scenarios.slice(0, m.limit) : loaded.scenarios;
      scenariosBySuite.set(label, scenarios);
      suites.push({
        label,
        kind: ref.kind,
        seed: ref.seed,
        ...(ref.file ? { file: ref.file } : {}),
        dataset: { dir, checksum: (datasets.get(dir) as Dataset).manifest.checksum },
        scenarios: scenarios.length,
      });
    }
  } catch (err) {
    for (const ds of datasets.values()) ds.close();
    throw err;
  }
  const spec: ResolvedRunSpec = {
    version: RUN_SPEC_VERSION,
    entries,
    suites,
    trials: m.trials ?? 1,
    concurrency: m.concurrency ?? 1,
    faults: m.faults ?? 'none',
    limits: m.limits ?? {},
    rateLimits,
    cache: m.cache ?? true,
    ...(m.baseUrl ? { baseUrl: m.baseUrl } : {}),
    ...(m.cmd ? { cmd: m.cmd } : {}),
    ...(m.url ? { url: m.url } : {}),
    ...(m.modelProxy ? { modelProxy: m.modelProxy } : {}),
    ...(m.limit ? { scenarioLimit: m.limit } : {}),
  };
  return { spec, name: m.name ?? null, scenariosBySuite, datasets };
}
