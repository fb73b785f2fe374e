// `assetops analyze RUN...`: TrajFM failure analysis of stored runs, written as a
// self-contained HTML report and JSON. `assetops report RUN...`: the run report (leaderboard
// with the six dimensions, CIs, the readiness line, costs) with the failure analysis.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { openStore } from '../../runs/store/open.ts';
import type { RunStore } from '../../runs/store/types.ts';
import { scoreRun } from '../../scoring/aggregate.ts';
import type { FailureReport } from '../../trajfm/types.ts';
import { UserError } from '../../util/errors.ts';
import { type LoadedRuns, loadRuns } from '../analysis-inputs.ts';
import { assetopsHome } from '../paths.ts';

export interface AnalysisFlags {
  embedder: string;
  method: 'kmeans' | 'hdbscan';
  seed: number;
  model?: string;
  baseUrl?: string;
  taxonomy?: string;
  accept: boolean;
  store?: string;
  out?: string;
  json: boolean;
}

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

/** Runs the analysis; saves a new taxonomy version when asked. */
export async function analyzeLoaded(loaded: LoadedRuns, flags: AnalysisFlags): Promise<FailureReport> {
  const { embedderFromSpec } = await import('../../trajfm/cluster/embedders.ts');
  const { acceptProposals, baseTaxonomy, loadTaxonomy, saveTaxonomy } = await import(
    '../../trajfm/cluster/taxonomy.ts'
  );
  const { analyzeTrajectories } = await import('../../trajfm/analyze.ts');
  const taxonomyFile = resolve(flags.taxonomy ?? join(assetopsHome(), 'taxonomy.json'));
  const { existsSync } = await import('node:fs');
  const taxonomy = existsSync(taxonomyFile) ? loadTaxonomy(taxonomyFile) : baseTaxonomy();
  if (!existsSync(taxonomyFile)) saveTaxonomy(taxonomyFile, taxonomy);
  let extractor: { model: import('ai').LanguageModel; modelSpec: string } | undefined;
  let closeLayer: (() => Promise<void>) | undefined;
  if (flags.model) {
    const { resolveModel } = await import('../../agents/providers/model.ts');
    const { openModelLayer } = await import('../../runs/model-layer.ts');
    const model = resolveModel(flags.model, { baseUrl: flags.baseUrl });
    const layer = await openModelLayer({
      home: assetopsHome(),
      cache: true,
      baseUrl: flags.baseUrl,
      models: [flags.model],
    });
    extractor = { model: layer.wrap(model, flags.model), modelSpec: flags.model };
    closeLayer = () => layer.close();
  }
  try {
    const { report, proposals } = await analyzeTrajectories(loaded.inputs, {
      embedder: embedderFromSpec(flags.embedder),
      method: flags.method,
      seed: flags.seed,
      taxonomy,
      extractor,
      stabilitySeeds: [flags.seed, flags.seed + 1, flags.seed + 2],
    });
    if (flags.accept && proposals.length > 0) {
      const next = acceptProposals(taxonomy, proposals);
      saveTaxonomy(taxonomyFile, next);
      process.stderr.write(
        `taxonomy ${taxonomyFile} is now version ${next.version} (${report.proposals.length} new categories)\n`,
      );
    }
    return report;
  } finally {
    await closeLayer?.();
  }
}

function outDir(flags: AnalysisFlags, loaded: LoadedRuns): string {
  const dir = resolve(flags.out ?? join(assetopsHome(), 'reports', loaded.runs.map((r) => r.id).join('+')));
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function withStore<T>(flags: AnalysisFlags, fn: (s: RunStore) => Promise<T>): Promise<T> {
  const store = await openStore(flags.store, join(assetopsHome(), 'runs.sqlite'));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Writes report.html and report.json for loaded runs; returns the HTML path. */
export async function writeRunReport(loaded: LoadedRuns, flags: AnalysisFlags): Promise<string> {
  const { runReportPage } = await import('../../report/pages.ts');
  const failures = loaded.inputs.length > 0 ? await analyzeLoaded(loaded, flags) : null;
  const scores = scoreRun(loaded.scores);
  const dir = outDir(flags, loaded);
  const title = `AssetOps Bench report: ${loaded.runs.map((r) => r.name ?? r.id).join(', ')}`;
  writeFileSync(join(dir, 'report.html'), runReportPage(title, scores, failures, loaded.trajectories));
  writeFileSync(
    join(dir, 'report.json'),
    `${JSON.stringify({ runs: loaded.runs.map((r) => r.id), scores, failures }, null, 2)}\n`,
  );
  return join(dir, 'report.html');
}

export function registerAnalyze(program: Command): void {
  addAnalysisOptions(
    program
      .command('analyze')
      .description('failure analysis of stored runs (TrajFM): HTML report and JSON with every failure event')
      .argument('[runs...]', 'run ids or names (default: the newest run)'),
  ).action(async (ids: string[], flags: AnalysisFlags) => {
    await withStore(flags, async (store) => {
      const loaded = await loadRuns(store, ids);
      const report = await analyzeLoaded(loaded, flags);
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
    await withStore(flags, async (store) => {
      const loaded = await loadRuns(store, ids);
      const path = await writeRunReport(loaded, flags);
      process.stdout.write(
        flags.json ? `${JSON.stringify({ report: path }, null, 2)}\n` : `Report: ${path}\n`,
      );
    });
  });
}
