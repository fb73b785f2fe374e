// `assetops analyze RUN...`: TrajFM failure analysis of stored runs, written as a
// self-contained HTML report and JSON. `assetops report RUN...`: the run report (leaderboard
// with the six dimensions, CIs, the readiness line, costs) with the failure analysis.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { AnalysisSettings } from '../../report/analysis.ts';
import { type LoadedRuns, loadRuns } from '../../trajfm/inputs.ts';
import { UserError } from '../../util/errors.ts';
import { assetopsHome } from '../paths.ts';
import { withProjectStore } from '../store.ts';

export interface AnalysisFlags extends Omit<AnalysisSettings, 'home'> {
  store?: string;
  out?: string;
  json: boolean;
}

const settings = (flags: AnalysisFlags): AnalysisSettings => ({ ...flags, home: assetopsHome() });

function addAnalysisOptions(cmd: Command): Command {
  return cmd
    .option(
      '--embedder <spec>',
      'tfidf (offline default), openai:MODEL, base-url:URL#MODEL, or local:DIR',
      'tfidf',
    )
    .addOption(new Option('--method <m>', 'clustering').choices(['kmeans', 'hdbscan']).default('kmeans'))
    .option(
      '--seed <n>',
      'seed for clustering',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0)
          throw new UserError(`--seed ${v} is not a whole number`, 'e.g. --seed 7');
        return n;
      },
      7,
    )
    .option('--model <spec>', 'also extract failures with this model (14 base codes and new descriptions)')
    .option('--base-url <url>', 'an OpenAI-compatible server for --model')
    .option('--taxonomy <file>', 'the taxonomy file (default .assetops/taxonomy.json, created at version 1)')
    .option('--accept', 'accept the proposed new categories into a new taxonomy version', false)
    .option('--store <url>', 'run store: postgres://... or a SQLite file')
    .option('--out <dir>', 'where to write the report (default .assetops/reports/<run>)')
    .option('--json', 'print the result as JSON', false);
}

function outDir(flags: AnalysisFlags, loaded: LoadedRuns): string {
  const dir = resolve(flags.out ?? join(assetopsHome(), 'reports', loaded.runs.map((r) => r.id).join('+')));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function registerAnalyze(program: Command): void {
  addAnalysisOptions(
    program
      .command('analyze')
      .description('failure analysis of stored runs (TrajFM): HTML report and JSON with every failure event')
      .argument('[runs...]', 'run ids or names (default: the newest run)'),
  ).action(async (ids: string[], flags: AnalysisFlags) => {
    await withProjectStore(flags.store, async (store) => {
      const loaded = await loadRuns(store, ids);
      // Loaded here: the report's charts (echarts) would slow every command's start.
      const { analyzeLoaded } = await import('../../report/analysis.ts');
      const report = await analyzeLoaded(loaded, settings(flags));
      const { failureReportPage } = await import('../../report/pages.ts');
      const dir = outDir(flags, loaded);
      writeFileSync(join(dir, 'failures.json'), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(
        join(dir, 'analysis.html'),
        failureReportPage(
          `Failure analysis: ${loaded.runs.map((r) => r.name ?? r.id).join(', ')}`,
          report,
          loaded.trajectories,
        ),
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const top = report.categories
        .slice(0, 8)
        .map((c) => `  ${c.title}: ${c.count} (${(100 * c.share).toFixed(1)}%)`)
        .join('\n');
      process.stdout.write(
        `${report.events.length} failure events in ${report.withFailures} of ${report.trajectories} trajectories\n${top}\n` +
          `Report: ${join(dir, 'analysis.html')}\nEvents: ${join(dir, 'failures.json')}\n`,
      );
    });
  });

  addAnalysisOptions(
    program
      .command('report')
      .description(
        'the run report: leaderboard with the six dimensions, CIs, readiness, costs and failure analysis',
      )
      .argument('[runs...]', 'run ids or names (default: the newest run)'),
  ).action(async (ids: string[], flags: AnalysisFlags) => {
    await withProjectStore(flags.store, async (store) => {
      const loaded = await loadRuns(store, ids);
      const { writeRunReport } = await import('../../report/analysis.ts');
      const path = await writeRunReport(loaded, settings(flags), outDir(flags, loaded));
      process.stdout.write(
        flags.json ? `${JSON.stringify({ report: path }, null, 2)}\n` : `Report: ${path}\n`,
      );
    });
  });
}
