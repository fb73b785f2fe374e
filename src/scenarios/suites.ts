// Named suites: `default` (drawn from the default world, balanced over templates),
// `private` (a fresh draw with other entities and windows, from any seed), `aob` (the
// published AssetOpsBench scenarios with computed answers), or a JSONL file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../dataset/open.ts';
import { UserError } from '../util/errors.ts';
import { readScenarioFile, writeScenarioFile } from './io.ts';
import type { Scenario } from './schema.ts';
import { buildSuite } from './suite.ts';
import { TEMPLATES, templateById } from './templates/index.ts';
import type { AnswerExtractor } from './validate.ts';

export const SUITES = ['default', 'private', 'aob'] as const;
export type SuiteName = (typeof SUITES)[number];

/** Scenarios of the default suite: enough for 150+ after templates that fall short. */
export const DEFAULT_COUNT = 168;

export interface GeneratedSuiteOptions {
  split: 'default' | 'private' | string;
  seed: number;
  count?: number;
  /** Folder for cached suites (keyed by split, seed, world checksum and generator fingerprint). */
  cacheDir?: string;
}

let fingerprint: string | null = null;

/**
 * A digest of the scenario generator's own source (this folder's modules). A cached suite is
 * named by it, so a project that updates assetops draws its suites afresh instead of running
 * scenarios an older generator wrote.
 */
export function generatorFingerprint(): string {
  if (fingerprint) return fingerprint;
  const root = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const h = createHash('sha256');
  for (const f of files)
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  fingerprint = h.digest('hex').slice(0, 10);
  return fingerprint;
}

/** A generated suite, cached as JSONL next to the other project files. */
export async function generatedSuite(ds: Dataset, opts: GeneratedSuiteOptions): Promise<Scenario[]> {
  const count = opts.count ?? DEFAULT_COUNT;
  const file = opts.cacheDir
    ? join(
        opts.cacheDir,
        `${opts.split}-s${opts.seed}-n${count}-${ds.manifest.checksum.slice(0, 12)}-g${generatorFingerprint()}.jsonl`,
      )
    : null;
  if (file && existsSync(file)) return readScenarioFile(file);
  const { scenarios } = await buildSuite(ds, {
    templates: TEMPLATES,
    count,
    seed: opts.seed,
    split: opts.split,
  });
  if (file) {
    mkdirSync(opts.cacheDir as string, { recursive: true });
    await writeScenarioFile(file, scenarios);
  }
  return scenarios;
}

/** Whether a generated scenario's answer is the real future (see ScenarioTemplate.predictive). */
export function generatedPredictive(s: Scenario): boolean {
  return templateById.get(s.template)?.predictive === true;
}

/**
 * The first `n` of a built suite, spread as evenly as it allows: whole rounds (one scenario of
 * every template) first, and the last, partial round taken across families in turn, so that
 * `--count 5` is not five IoT questions (the templates are listed family by family).
 */
export function balancedPrefix(scenarios: Scenario[], n: number): Scenario[] {
  const seen = new Map<string, number>();
  const rounds: Scenario[][] = [];
  for (const s of scenarios) {
    const r = seen.get(s.template) ?? 0;
    seen.set(s.template, r + 1);
    if (!rounds[r]) rounds[r] = [];
    rounds[r].push(s);
  }
  const ordered = rounds.flatMap((round) => {
    const byFamily = new Map<string, Scenario[]>();
    for (const s of round) byFamily.set(s.family, [...(byFamily.get(s.family) ?? []), s]);
    const out: Scenario[] = [];
    for (let i = 0; out.length < round.length; i++)
      for (const list of byFamily.values()) if (list[i]) out.push(list[i]);
    return out;
  });
  return ordered.slice(0, n);
}

/**
 * Exactly `count` scenarios for `scenarios generate --count`. A build draws about `count`
 * (whole quotas per template; templates the world cannot fill fall short), so when short it
 * asks once more for enough that the other templates make up the rest, then keeps a balanced
 * `count`. When the world has fewer distinct instances than asked, it says so instead of
 * writing fewer. (Once more only: each build redraws every template, and a small world that
 * is short twice is out of instances.)
 */
export async function exactSuite(
  ds: Dataset,
  opts: { split: string; seed: number; count: number },
): Promise<Scenario[]> {
  const build = (count: number) =>
    buildSuite(ds, { templates: TEMPLATES, count, seed: opts.seed, split: opts.split });
  let r = await build(opts.count);
  if (r.scenarios.length < opts.count)
    r = await build(
      Math.ceil((opts.count * opts.count) / Math.max(1, r.scenarios.length)) + TEMPLATES.length,
    );
  if (r.scenarios.length < opts.count) {
    const short = r.shortfalls.map((f) => f.template);
    throw new UserError(
      `this world yields ${r.scenarios.length} distinct scenarios, not ${opts.count}: ${short.length} of ${TEMPLATES.length} templates run out of instances (${short.slice(0, 4).join(', ')}${short.length > 4 ? ', ...' : ''})`,
      `Ask for --count ${r.scenarios.length} or fewer, or generate a larger world (assetops world generate --scale default)`,
    );
  }
  return balancedPrefix(r.scenarios, opts.count);
}

/** How `validate` reads each generated scenario's answer out of its plan. */
export function generatedExtractor(s: Scenario): AnswerExtractor | null {
  return templateById.get(s.template)?.answerFromPlan ?? null;
}
