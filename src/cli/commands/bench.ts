// `assetops bench`: the main job, offline with embedded defaults. It makes sure a world
// exists (generating the default one when absent), draws the default suite, runs the
// offline baseline agent over it and reports where the results are. Scoring, failure
// analysis and the HTML report hang off this command as they land.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type Dataset, openDataset } from '../../dataset/open.ts';
import { createRun } from '../../runs/create.ts';
import { keepRunAlive } from '../../runs/heartbeat.ts';
import { defaultSuiteSpec } from '../../runs/spec.ts';
import type { RunRow } from '../../runs/store/types.ts';
import { type RunSummary, summarizeRun } from '../../runs/summary.ts';
import { generatedSuite } from '../../scenarios/suites.ts';
import type { RunScores } from '../../scoring/aggregate.ts';
import { loadRuns } from '../../trajfm/inputs.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
import { renderScores } from '../score-render.ts';
import { openProjectStore } from '../store.ts';
import { renderRunSummary, runHere, stoppedByStore } from './run.ts';
import { generateWithProgress, parseSeed, printWorld, worldExists } from './world.ts';

/** The default suite with the offline baseline, recorded in the run store like any run. */
async function suiteAndBaseline(
  ds: Dataset,
): Promise<{ suiteLine: string; summary: RunSummary; scores: RunScores; report: string }> {
  const scenarios = await generatedSuite(ds, {
    split: 'default',
    seed: 0,
    cacheDir: join(assetopsHome(), 'suites'),
  });
  const traps = scenarios.filter((s) => s.traps.length > 0).length;
  const families = [...new Set(scenarios.map((s) => s.family))].join(', ');
  const spec = defaultSuiteSpec({ dir: ds.dir, checksum: ds.manifest.checksum }, scenarios.length);
  const store = await openProjectStore();
  try {
    const run = await createRun(store, spec, new Map([['default', scenarios]]), 'bench-baseline');
    // The run context adopts the open world; this command closes it through the context.
    const stopBeating = keepRunAlive(store, run.id);
    try {
      await runHere(store, run, new Map([[resolve(ds.dir), ds]]));
    } catch (err) {
      throw await stoppedByStore(store, run, err);
    } finally {
      stopBeating();
    }
    await store.setRunStatus(run.id, 'finished', new Date().toISOString());
    const summary = await summarizeRun(store, (await store.findRun(run.id)) as RunRow);
    // The run report (leaderboard, scores, failure analysis) with offline defaults.
    // Loaded here: the report's charts (echarts) are only needed once the run is done.
    const { writeRunReport } = await import('../../report/analysis.ts');
    // The report scores the run once; the summary printed below shows the same scores.
    const { path: report, scores } = await writeRunReport(
      await loadRuns(store, [run.id]),
      { home: assetopsHome(), embedder: 'tfidf', method: 'kmeans', seed: 7, accept: false },
      join(assetopsHome(), 'reports', run.id),
    );
    return {
      report,
      scores,
      suiteLine: `Default suite: ${scenarios.length} scenarios (${families}), ${traps} traps.`,
      summary,
    };
  } finally {
    await store.close();
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
      let scores: RunScores;
      let report: string;
      try {
        if (!opts.json) printWorld(opts.world, ds, false);
        ({ suiteLine, summary, scores, report } = await suiteAndBaseline(ds));
      } finally {
        ds.close();
      }
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ world: opts.world, run: summary, scores, report }, null, 2)}\n`,
        );
        return;
      }
      process.stdout.write(
        [
          '',
          suiteLine,
          renderRunSummary(summary),
          '',
          'Scores on the six dimensions (from evidence; a judge panel adds its verdicts with `assetops score --judge MODEL`):',
          renderScores(scores),
          '',
          `Report (leaderboard, scores, failure analysis): ${report}`,
          `The world is ready in ${opts.world}; list the scenarios with \`npx assetops scenarios list\`.`,
          'Plug in a model: `npx assetops run --agent react --model openai:gpt-4.1` (OPENAI_API_KEY), or',
          '--model anthropic:NAME, --model ollama:NAME, or any OpenAI-compatible server with --base-url URL.',
          '',
        ].join('\n'),
      );
    });
}
