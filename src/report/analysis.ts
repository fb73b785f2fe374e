// Failure analysis and the run report for loaded runs: the library behind `assetops analyze`,
// `assetops report`, `assetops bench` and the dashboard's failures endpoint.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type RunScores, scoreRun } from '../scoring/aggregate.ts';
import { ratesByRun } from '../trajfm/by-run.ts';
import type { LoadedRuns } from '../trajfm/inputs.ts';
import type { FailureReport } from '../trajfm/types.ts';
import { runReportPage } from './pages.ts';

export interface AnalysisSettings {
  /** The project folder (the taxonomy and the model cache live there). */
  home: string;
  embedder: string;
  method: 'kmeans' | 'hdbscan';
  seed: number;
  /** A model that also extracts failures (14 base codes and new descriptions). */
  model?: string;
  baseUrl?: string;
  /** The taxonomy file (default <home>/taxonomy.json, created at version 1). */
  taxonomy?: string;
  /** Accept the proposed categories into a new taxonomy version. */
  accept: boolean;
}

/** Runs the analysis; saves a new taxonomy version when asked. */
export async function analyzeLoaded(loaded: LoadedRuns, flags: AnalysisSettings): Promise<FailureReport> {
  const { embedderFromSpec } = await import('../trajfm/cluster/embedders.ts');
  const { acceptProposals, baseTaxonomy, loadTaxonomy, saveTaxonomy } = await import(
    '../trajfm/cluster/taxonomy.ts'
  );
  const { analyzeTrajectories } = await import('../trajfm/analyze.ts');
  const taxonomyFile = resolve(flags.taxonomy ?? join(flags.home, 'taxonomy.json'));
  const taxonomy = existsSync(taxonomyFile) ? loadTaxonomy(taxonomyFile) : baseTaxonomy();
  if (!existsSync(taxonomyFile)) saveTaxonomy(taxonomyFile, taxonomy);
  let extractor: { model: import('ai').LanguageModel; modelSpec: string } | undefined;
  let closeLayer: (() => Promise<void>) | undefined;
  if (flags.model) {
    const { resolveModel } = await import('../agents/providers/model.ts');
    const { openModelLayer } = await import('../runs/model-layer.ts');
    const model = resolveModel(flags.model, { baseUrl: flags.baseUrl });
    const layer = await openModelLayer({
      home: flags.home,
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

/** Writes report.html and report.json for loaded runs; returns the HTML path and the scores it shows. */
export async function writeRunReport(
  loaded: LoadedRuns,
  flags: AnalysisSettings,
  dir: string,
): Promise<{ path: string; scores: RunScores }> {
  const failures = loaded.inputs.length > 0 ? await analyzeLoaded(loaded, flags) : null;
  const scores = scoreRun(loaded.scores);
  mkdirSync(dir, { recursive: true });
  const title = `AssetOps Bench report: ${loaded.runs.map((r) => r.name ?? r.id).join(', ')}`;
  writeFileSync(
    join(dir, 'report.html'),
    runReportPage(
      title,
      scores,
      failures,
      loaded.trajectories,
      loaded.scores,
      failures && loaded.runOf ? ratesByRun(failures, loaded.runOf) : null,
    ),
  );
  writeFileSync(
    join(dir, 'report.json'),
    `${JSON.stringify({ runs: loaded.runs.map((r) => r.id), scores, failures }, null, 2)}\n`,
  );
  return { path: join(dir, 'report.html'), scores };
}
