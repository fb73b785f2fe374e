import { type Command, Option } from 'commander';
import { exportLines, submissionLines } from '../../runs/export.ts';
import { findRunOrFail } from '../../runs/store/lookup.ts';
import { attemptListing, summarizeRun } from '../../runs/summary.ts';
import { storedScores } from '../../scoring/stored.ts';
import { renderPairAgreements, runPairAgreement } from '../pair-render.ts';
import { withProjectStore } from '../store.ts';
import { pct, renderTable, usd } from '../table.ts';
import { renderRunSummary } from './run.ts';

const storeOption = () => new Option('--store <url>', 'run store: postgres://... or a SQLite file');

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('runs in the run store: list, show, export');

  runs
    .command('list')
    .description('list runs, newest first')
    .addOption(storeOption())
    .option('--json', 'print JSON', false)
    .action(async (opts: { store?: string; json: boolean }) => {
      await withProjectStore(opts.store, async (store) => {
        const list = await store.listRuns();
        if (opts.json) {
          const rows = list.map((r) => ({
            id: r.id,
            name: r.name,
            status: r.status,
            createdAt: r.createdAt,
            finishedAt: r.finishedAt,
            heartbeatAt: r.heartbeatAt,
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
          r.counts.answerCorrect,
          r.counts.errors,
          r.counts.infra,
          usd(r.counts.costUsd),
          r.createdAt.slice(0, 19).replace('T', ' '),
        ]);
        process.stdout.write(
          `${renderTable(['id', 'name', 'status', 'done', 'answers correct', 'errors', 'infra', 'cost', 'created (UTC)'], rows)}\n`,
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
      await withProjectStore(opts.store, async (store) => {
        const run = await findRunOrFail(store, idOrName);
        const summary = await summarizeRun(store, run);
        const attempts = (await store.attempts(run.id)).map(attemptListing);
        const pairGroups = runPairAgreement(await store.scenarios(run.id), await storedScores(store, run.id));
        if (opts.json) {
          const pairs = pairGroups.length ? { pairs: pairGroups } : {};
          process.stdout.write(
            `${JSON.stringify({ ...summary, spec: run.spec, attempts, ...pairs }, null, 2)}\n`,
          );
          return;
        }
        const rows = attempts.map((a) => [
          a.scenarioId,
          a.agent,
          a.model ?? '-',
          a.trial,
          a.status === 'done' ? (a.outcome ?? '-') : a.status,
          a.answerCorrect === null ? '-' : a.answerCorrect ? 'correct' : 'wrong',
          a.score === null ? '-' : pct(a.score),
          usd(a.costUsd),
        ]);
        const pairs = renderPairAgreements(pairGroups);
        process.stdout.write(
          `${renderRunSummary(summary)}\n\n${renderTable(['scenario', 'agent', 'model', 'trial', 'status', 'answer', 'score', 'cost'], rows)}\n${pairs ? `\n${pairs}\n` : ''}`,
        );
      });
    });

  runs
    .command('export')
    .description(
      'write a run as JSON Lines: jsonl, one line per attempt with its grade and trajectory; submission, one trajectory per line, as the dashboard upload takes it',
    )
    .argument('<run>', 'run id or name')
    .addOption(new Option('--format <f>', 'output format').choices(['jsonl', 'submission']).default('jsonl'))
    .option('--suite <label>', 'submission: the suite to export, when the run holds several')
    .addOption(storeOption())
    .action(
      async (idOrName: string, opts: { store?: string; format: 'jsonl' | 'submission'; suite?: string }) => {
        await withProjectStore(opts.store, async (store) => {
          const run = await findRunOrFail(store, idOrName);
          const lines =
            opts.format === 'submission'
              ? submissionLines(store, run.id, opts.suite)
              : exportLines(store, run.id);
          for await (const line of lines) {
            if (!process.stdout.write(line)) await new Promise((r) => process.stdout.once('drain', r));
          }
        });
      },
    );
}
