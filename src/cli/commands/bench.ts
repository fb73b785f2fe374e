// `assetops bench`: the main job, offline with embedded defaults. It makes sure a world
// exists (generating the default one when absent), draws the default suite, runs the
// offline baseline agent over it and reports where the results are. Scoring, failure
// analysis and the HTML report hang off this command as they land.
import { join } from 'node:path';
import type { Command } from 'commander';
import { baselineAgent } from '../../agents/baseline/index.ts';
import { type Dataset, openDataset } from '../../dataset/open.ts';
import { type RunSummary, startRun } from '../../runs/run.ts';
import { generatedSuite } from '../../scenarios/suites.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
import { makeProgress } from '../progress.ts';
import { renderRunSummary } from './run.ts';
import { generateWithProgress, parseSeed, printWorld, worldExists } from './world.ts';

async function suiteAndBaseline(ds: Dataset): Promise<{ suiteLine: string; summary: RunSummary }> {
  const scenarios = await generatedSuite(ds, {
    split: 'default',
    seed: 0,
    cacheDir: join(assetopsHome(), 'suites'),
  });
  const traps = scenarios.filter((s) => s.traps.length > 0).length;
  const families = [...new Set(scenarios.map((s) => s.family))].join(', ');
  const progress = makeProgress('running baseline');
  try {
    const summary = await startRun(ds, {
      agent: baselineAgent,
      scenarios,
      suite: 'default',
      runsDir: join(assetopsHome(), 'runs'),
      name: 'bench-baseline',
      onProgress: (done, total, last) => progress.update(done, total, last.scenarioId),
    });
    return {
      suiteLine: `Default suite: ${scenarios.length} scenarios (${families}), ${traps} traps.`,
      summary,
    };
  } finally {
    progress.stop();
  }
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the benchmark end to end with offline defaults')
    .option('--world <dir>', 'dataset folder (generated when absent)', defaultWorldDir())
    .option('--seed <n>', 'seed for a newly generated world', parseSeed, 7)
    .option('--json', 'print the world summary and the run summary as JSON', false)
    .action(async (opts: { world: string; seed: number; json: boolean }) => {
      if (!worldExists(opts.world)) {
        process.stderr.write(`No world at ${opts.world}: generating the default one (seed ${opts.seed}).\n`);
        await generateWithProgress(opts.world, 'default', opts.seed, false);
      }
      // One open (checksums verified once) serves the summary, the suite and the run.
      const ds = await openDataset(opts.world);
      let suiteLine: string;
      let summary: RunSummary;
      try {
        if (!opts.json) printWorld(opts.world, ds, false);
        ({ suiteLine, summary } = await suiteAndBaseline(ds));
      } finally {
        ds.close();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ world: opts.world, run: summary }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          '',
          suiteLine,
          renderRunSummary(summary),
          '',
          `The world is ready in ${opts.world}; list the scenarios with \`npx assetops scenarios list\`.`,
          'Plug in a model: `npx assetops run --agent react --model openai:gpt-4.1` (OPENAI_API_KEY), or',
          '--model anthropic:NAME, --model ollama:NAME, or any OpenAI-compatible server with --base-url URL.',
          '',
        ].join('\n'),
      );
    });
}
