// `assetops bench`: the main job. Offline and with embedded defaults: it makes sure a
// world exists (generating the default one when absent) and reports on it. Later steps
// (run, score, analyse, report) hang off this command as they land.

import { join } from 'node:path';
import type { Command } from 'commander';
import { openDataset } from '../../dataset/open.ts';
import { generatedSuite } from '../../scenarios/suites.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
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
      const ds = await openDataset(opts.world, { verify: false });
      let suiteLine = '';
      try {
        const scenarios = await generatedSuite(ds, {
          split: 'default',
          seed: 0,
          cacheDir: join(assetopsHome(), 'suites'),
        });
        const traps = scenarios.filter((s) => s.traps.length > 0).length;
        const families = [...new Set(scenarios.map((s) => s.family))].join(', ');
        suiteLine = `Default suite: ${scenarios.length} scenarios (${families}), ${traps} traps.`;
      } finally {
        ds.close();
      }
      if (!opts.json) {
        process.stdout.write(
          [
            '',
            suiteLine,
            `The world is ready in ${opts.world}; list the scenarios with \`npx assetops scenarios list\`.`,
            'Inspect it with `npx assetops world info`, or import the published AssetOpsBench data with',
            '`npx assetops world import-aob <folder>`.',
            '',
          ].join('\n'),
        );
      }
    });
}
