// `assetops bench`: the main job. Offline and with embedded defaults: it makes sure a
// world exists (generating the default one when absent) and reports on it. Later steps
// (run, score, analyse, report) hang off this command as they land.
import type { Command } from 'commander';
import { defaultWorldDir } from '../paths.ts';
import { generateWithProgress, parseSeed, showWorld, worldExists } from './world.ts';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the benchmark end to end with offline defaults')
    .option('--world <dir>', 'dataset folder (generated when absent)', defaultWorldDir())
    .option('--seed <n>', 'seed for a newly generated world', parseSeed, 7)
    .option('--json', 'print the world summary as JSON', false)
    .action(async (opts: { world: string; seed: number; json: boolean }) => {
      if (!worldExists(opts.world)) {
        process.stderr.write(`No world at ${opts.world}: generating the default one (seed ${opts.seed}).\n`);
        await generateWithProgress(opts.world, 'default', opts.seed, false);
      }
      await showWorld(opts.world, opts.json);
      if (!opts.json) {
        process.stdout.write(
          [
            '',
            `The world is ready in ${opts.world}.`,
            'Inspect it with `npx assetops world info`, or import the published AssetOpsBench data with',
            '`npx assetops world import-aob <folder>`.',
            '',
          ].join('\n'),
        );
      }
    });
}
