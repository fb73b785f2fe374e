// `assetops analyze RUN...`: TrajFM failure analysis of stored runs, written as a
// self-contained HTML report and JSON. `assetops report RUN...`: the run report (leaderboard
// with the six dimensions, CIs, the readiness line, costs) with the failure analysis.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { readAobTrajectoryFile } from '../../agents/aob-import.ts';
import type { Trajectory } from '../../agents/trajectory.ts';
import type { AnalysisSettings } from '../../report/analysis.ts';
import type { RunScores } from '../../scoring/aggregate.ts';
import { compareEntries, groupLabel, rowsOfGroup } from '../../scoring/compare.ts';
import { readinessText, totalText } from '../../scoring/describe.ts';
import { ratesByRun } from '../../trajfm/by-run.ts';
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

function outDir(flags: AnalysisFlags, loaded: LoadedRuns, name?: string): string {
  const dir = resolve(
    flags.out ?? join(assetopsHome(), 'reports', name ?? loaded.runs.map((r) => r.id).join('+')),
  );
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Imported AssetOpsBench trajectory files as analysis inputs (no run, no scenario facts). */
function importedRuns(files: string[]): LoadedRuns {
  const trajectories = new Map<string, Trajectory>();
  const inputs: LoadedRuns['inputs'] = [];
  for (const file of files) {
    let ts: Trajectory[];
    try {
      ts = readAobTrajectoryFile(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UserError(
        e.code ? `cannot read ${file} (${e.code})` : `${file}: ${e.message}`,
        'Pass AssetOpsBench trajectory files (.json or .jsonl)',
        'bad_import',
      );
    }
    for (const t of ts) {
      trajectories.set(t.id, t);
      inputs.push({ trajectory: t, passed: null, traps: [], entities: [], answerFormat: null });
    }
  }
  return { runs: [], inputs, trajectories, scores: [] };
}

async function analyzeAndWrite(loaded: LoadedRuns, flags: AnalysisFlags, name?: string): Promise<void> {
  // Loaded here: the report's charts (echarts) would slow every command's start.
  const { analyzeLoaded } = await import('../../report/analysis.ts');
  const report = await analyzeLoaded(loaded, settings(flags));
  const { failureReportPage } = await import('../../report/pages.ts');
  const dir = outDir(flags, loaded, name);
  writeFileSync(join(dir, 'failures.json'), `${JSON.stringify(report, null, 2)}\n`);
  const byRun = loaded.runOf ? ratesByRun(report, loaded.runOf) : null;
  writeFileSync(
    join(dir, 'analysis.html'),
    failureReportPage(
      `Failure analysis: ${name ?? loaded.runs.map((r) => r.name ?? r.id).join(', ')}`,
      report,
      loaded.trajectories,
      byRun,
    ),
  );
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (byRun && byRun.runs.length > 1) {
    // Several runs: side by side, a rate per run's trajectories, never one pooled figure.
    const { renderTable } = await import('../table.ts');
    const cell = (rate: number, n: number) => `${(100 * rate).toFixed(1)}% (${n})`;
    const table = renderTable(
      ['category', ...byRun.runs.map((r) => `${r.run} (${r.trajectories})`)],
      [
        [
          'any failure',
          ...byRun.runs.map((r) =>
            cell(r.trajectories ? r.withFailures / r.trajectories : 0, r.withFailures),
          ),
        ],
        ...byRun.categories
          .slice(0, 12)
          .map((c) => [c.title, ...c.rates.map((x, i) => cell(x, c.trajectories[i]))]),
      ],
    );
    process.stdout.write(
      `Share of each run's trajectories with each failure category (trajectories in brackets):\n${table}\n` +
        `Report: ${join(dir, 'analysis.html')}\nEvents: ${join(dir, 'failures.json')}\n`,
    );
    return;
  }
  const top = report.categories
    .slice(0, 8)
    .map(
      (c) =>
        `  ${c.title}: ${c.count} events in ${c.trajectories} trajectories (${(100 * c.rate).toFixed(1)}% of trajectories)`,
    )
    .join('\n');
  process.stdout.write(
    `${report.events.length} failure events in ${report.withFailures} of ${report.trajectories} trajectories\n${top}\n` +
      `Report: ${join(dir, 'analysis.html')}\nEvents: ${join(dir, 'failures.json')}\n`,
  );
}

/** One line per entry (runs side by side, never pooled), then how the first compares with each other. */
function entriesText(loaded: LoadedRuns, scores: RunScores): string {
  if (scores.groups.length === 0) return '';
  const many = new Set(scores.groups.map((g) => g.run)).size > 1;
  const lines = scores.groups.map(
    (g) =>
      `  ${groupLabel(many ? g : { ...g, run: null })}: ${g.scenarios} scenarios × ${g.trials} trials, total ${totalText(g)}, ${readinessText(g)}`,
  );
  const out = [`${scores.groups.length} ${scores.groups.length === 1 ? 'entry' : 'entries'}:`, ...lines];
  const [first, ...rest] = scores.groups;
  for (const g of rest) {
    const c = compareEntries(
      { group: first, rows: rowsOfGroup(loaded.scores, first) },
      { group: g, rows: rowsOfGroup(loaded.scores, g) },
      scores.minDetectableDifference,
    );
    out.push(
      `  ${c.b} vs ${c.a}: ${c.changed.length} of ${c.shared} shared scenarios changed verdict; ${c.hint}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export function registerAnalyze(program: Command): void {
  addAnalysisOptions(
    program
      .command('analyze')
      .description('failure analysis of stored runs (TrajFM): HTML report and JSON with every failure event')
      .argument('[runs...]', 'run ids or names (default: the newest run)'),
  )
    .option(
      '--import <files...>',
      'analyze AssetOpsBench trajectory files (.json/.jsonl) instead of stored runs',
    )
    .action(async (ids: string[], flags: AnalysisFlags & { import?: string[] }) => {
      if (flags.import && flags.import.length > 0) {
        if (ids.length > 0)
          throw new UserError(
            'give run ids or --import files, not both',
            'e.g. --import Q_1_trajectory.json',
          );
        await analyzeAndWrite(importedRuns(flags.import), flags, 'imported');
        return;
      }
      await withProjectStore(flags.store, async (store) => {
        await analyzeAndWrite(await loadRuns(store, ids), flags);
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
      const { path, scores } = await writeRunReport(loaded, settings(flags), outDir(flags, loaded));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ report: path }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${entriesText(loaded, scores)}Report: ${path}\n`);
    });
  });
}
