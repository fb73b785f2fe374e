// `assetops world ...`: generate, inspect and import datasets.
import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { importAob } from '../../dataset/aob/import.ts';
import { type Dataset, openDataset } from '../../dataset/open.ts';
import { presetConfig, SCALES, type Scale } from '../../world/config.ts';
import { generateWorld } from '../../world/generate.ts';
import { renderSummary, worldSummary } from '../format.ts';
import { defaultAobDir, defaultWorldDir } from '../paths.ts';
import { makeProgress } from '../progress.ts';

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('the seed must be a whole number of 0 or more, for example --seed 42');
  }
  return Number(value);
}

/** Generates a world with a progress display; returns the manifest. */
export async function generateWithProgress(out: string, scale: Scale, seed: number, force: boolean) {
  const progress = makeProgress(`generating ${scale} world`);
  try {
    return await generateWorld(presetConfig(scale, seed), {
      out,
      force,
      onProgress: (p) => progress.update(p.done, p.total, p.message),
    });
  } finally {
    progress.stop();
  }
}

/** Prints the summary of an opened (so verified) dataset. */
export function printWorld(dir: string, ds: Dataset, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(worldSummary(ds.manifest), null, 2)}\n`);
  else process.stdout.write(`${renderSummary(dir, ds.manifest)}\n`);
}

/** Verifies a dataset folder (files and checksums) and prints its summary. */
export async function showWorld(dir: string, json: boolean): Promise<void> {
  const ds = await openDataset(dir);
  ds.close();
  printWorld(dir, ds, json);
}

export function registerWorld(program: Command): void {
  const world = program.command('world').description('generate, inspect and import plant datasets');

  world
    .command('generate')
    .description('generate a plant world from a seed')
    .option('--seed <n>', 'random seed', parseSeed, 7)
    .addOption(new Option('--scale <scale>', 'size of the world').choices(SCALES).default('default'))
    .option('--out <dir>', 'dataset folder to write', defaultWorldDir())
    .option('--force', 'replace an existing dataset at --out', false)
    .option('--json', 'print the summary as JSON', false)
    .action(async (opts: { seed: number; scale: Scale; out: string; force: boolean; json: boolean }) => {
      const t0 = Date.now();
      const manifest = await generateWithProgress(opts.out, opts.scale, opts.seed, opts.force);
      if (opts.json) process.stdout.write(`${JSON.stringify(worldSummary(manifest), null, 2)}\n`);
      else {
        process.stdout.write(`${renderSummary(opts.out, manifest)}\n`);
        process.stdout.write(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      }
    });

  world
    .command('info')
    .description('check a dataset folder and summarise it')
    .option('--world <dir>', 'dataset folder', defaultWorldDir())
    .option('--json', 'print JSON', false)
    .action(async (opts: { world: string; json: boolean }) => {
      await showWorld(opts.world, opts.json);
    });

  world
    .command('import-aob')
    .description(
      'import the published AssetOpsBench data (its sample_data folder, a folder holding it, or a checkout)',
    )
    .argument('<dir>', 'folder with the AssetOpsBench data')
    .option('--out <dir>', 'dataset folder to write', defaultAobDir())
    .option('--fill-telemetry', 'add synthetic telemetry for imported assets that have none', false)
    .option('--seed <n>', 'seed for --fill-telemetry', parseSeed, 0)
    .option('--force', 'replace an existing dataset at --out', false)
    .option('--json', 'print the summary as JSON', false)
    .action(
      async (
        dir: string,
        opts: { out: string; fillTelemetry: boolean; seed: number; force: boolean; json: boolean },
      ) => {
        const manifest = await importAob(dir, opts.out, {
          force: opts.force,
          fillTelemetry: opts.fillTelemetry,
          seed: opts.seed,
          onProgress: (msg) => process.stderr.write(`import: ${msg}\n`),
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(worldSummary(manifest), null, 2)}\n`);
        else process.stdout.write(`${renderSummary(opts.out, manifest)}\n`);
      },
    );
}

export function worldExists(dir: string): boolean {
  return existsSync(`${dir}/manifest.json`);
}
