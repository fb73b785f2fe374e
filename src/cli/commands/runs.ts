// `assetops runs ...`: what the run store holds: list runs, show one with its attempts,
// export one as JSON Lines.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { exportLines } from '../../runs/export.ts';
import { openStore } from '../../runs/store/open.ts';
import type { RunRow, RunStore } from '../../runs/store/types.ts';
import { attemptListing, summarizeRun } from '../../runs/summary.ts';
import { UserError } from '../../util/errors.ts';
import { assetopsHome } from '../paths.ts';
import { pct, renderTable, usd } from '../table.ts';
import { renderRunSummary } from './run.ts';

async function withStore<T>(storeUrl: string | undefined, fn: (s: RunStore) => Promise<T>): Promise<T> {
  const store = await openStore(storeUrl, join(assetopsHome(), 'runs.sqlite'));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function findRunOrFail(store: RunStore, idOrName: string): Promise<RunRow> {
  const run = await store.findRun(idOrName);
  if (run) return run;
  throw new UserError(
    `no run "${idOrName}" in ${store.location}`,
    'List runs with `assetops runs list` (or pass the --store the run used)',
    'unknown_run',
  );
}

const storeOption = () => new Option('--store <url>', 'run store: postgres://... or a SQLite file');

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('runs in the run store: list, show, export');

  runs
    .command('list')
    .description('list runs, newest first')
    .addOption(storeOption())
    .option('--json', 'print JSON', false)
    .action(async (opts: { store?: string; json: boolean }) => {
      await withStore(opts.store, async (store) => {
        const list = await store.listRuns();
        if (opts.json) {
          const rows = list.map((r) => ({
            id: r.id,
            name: r.name,
            status: r.status,
            createdAt: r.createdAt,
            finishedAt: r.finishedAt,
            counts: r.counts,
          }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (list.length === 0) {
          process.stdout.write(
            `No runs in ${store.location}. Start one with \`assetops run\` or \`assetops bench\`.\n`,
          );
          return;
        }
        const rows = list.map((r) => [
          r.id,
          r.name ?? '-',
          r.status,
          `${r.counts.done}/${r.counts.total}`,
          r.counts.passed,
          r.counts.errors,
          usd(r.counts.costUsd),
          r.createdAt.slice(0, 19).replace('T', ' '),
        ]);
        process.stdout.write(
          `${renderTable(['id', 'name', 'status', 'done', 'passed', 'errors', 'cost', 'created (UTC)'], rows)}\n`,
        );
      });
    });

  runs
    .command('show')
    .description('a run: its summary and its attempts')
    .argument('<run>', 'run id or name')
    .addOption(storeOption())
    .option('--json', 'print JSON', false)
    .action(async (idOrName: string, opts: { store?: string; json: boolean }) => {
      await withStore(opts.store, async (store) => {
        const run = await findRunOrFail(store, idOrName);
        const summary = await summarizeRun(store, run);
        const attempts = (await store.attempts(run.id)).map(attemptListing);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...summary, spec: run.spec, attempts }, null, 2)}\n`);
          return;
        }
        const rows = attempts.map((a) => [
          a.scenarioId,
          a.agent,
          a.model ?? '-',
          a.trial,
          a.status === 'done' ? (a.outcome ?? '-') : a.status,
          a.pass === null ? '-' : a.pass ? 'pass' : 'fail',
          a.score === null ? '-' : pct(a.score),
          usd(a.costUsd),
        ]);
        process.stdout.write(
          `${renderRunSummary(summary)}\n\n${renderTable(['scenario', 'agent', 'model', 'trial', 'status', 'grade', 'score', 'cost'], rows)}\n`,
        );
      });
    });

  runs
    .command('export')
    .description('write a run as JSON Lines: one line per attempt with its grade and trajectory')
    .argument('<run>', 'run id or name')
    .addOption(new Option('--format <f>', 'output format').choices(['jsonl']).default('jsonl'))
    .addOption(storeOption())
    .action(async (idOrName: string, opts: { store?: string }) => {
      await withStore(opts.store, async (store) => {
        const run = await findRunOrFail(store, idOrName);
        for await (const line of exportLines(store, run.id)) {
          if (!process.stdout.write(line)) await new Promise((r) => process.stdout.once('drain', r));
        }
      });
    });
}
