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

/** How `validate` reads each generated scenario's answer out of its plan. */
export function generatedExtractor(s: Scenario): AnswerExtractor | null {
  return templateById.get(s.template)?.answerFromPlan ?? null;
}

export function suiteError(name: string): UserError {
  return new UserError(
    `unknown suite "${name}"`,
    `Use one of: ${SUITES.join(', ')}, or --file <scenarios.jsonl>`,
  );
}
