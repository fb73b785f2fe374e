// Named suites: `default` (drawn from the default world, balanced over templates),
// `private` (a fresh draw with other entities and windows, from any seed), `aob` (the
// published AssetOpsBench scenarios with computed answers), or a JSONL file.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
  /** Folder for cached suites (keyed by split, seed and world checksum). */
  cacheDir?: string;
}

/** A generated suite, cached as JSONL next to the other project files. */
export async function generatedSuite(ds: Dataset, opts: GeneratedSuiteOptions): Promise<Scenario[]> {
  const count = opts.count ?? DEFAULT_COUNT;
  const file = opts.cacheDir
    ? join(opts.cacheDir, `${opts.split}-s${opts.seed}-n${count}-${ds.manifest.checksum.slice(0, 12)}.jsonl`)
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
