// `assetops run`: a matrix of agents, models, suites and trials, recorded attempt by attempt
// in the run store (SQLite under .assetops/, or PostgreSQL), resumable after a crash, and
// optionally spread over workers through a Redis queue.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { keepRunAlive } from '../../runs/heartbeat.ts';
import { isStoreFailure } from '../../runs/store/guard.ts';
import type { RunRow, RunStore } from '../../runs/store/types.ts';
import { type RunSummary, summarizeRun } from '../../runs/summary.ts';
import { scoreRun } from '../../scoring/aggregate.ts';
import { scoreQuietly, scoreUnscored, storedScores } from '../../scoring/stored.ts';
import { FAULT_PROFILES } from '../../tools/faults.ts';
import { UserError } from '../../util/errors.ts';
import { renderPairAgreements, runPairAgreement } from '../pair-render.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
import { makeRunProgress } from '../run-progress.ts';
import { renderScores } from '../score-render.ts';
import { openProjectStore } from '../store.ts';
import { pct, renderTable, usd } from '../table.ts';
import { type RunFlags, resolveRun } from './run-setup.ts';
import { parseSeed } from './world.ts';

/**
 * A store that failed under the run (a full disk, a damaged file) stops it: the run is marked
 * interrupted where the store still takes that write (else its silent heartbeat says so), and
 * the user is told how to continue it. Other errors pass through unchanged.
 */
export async function stoppedByStore(store: RunStore, run: RunRow, err: unknown): Promise<unknown> {
  if (!isStoreFailure(err)) return err;
  await store.setRunStatus(run.id, 'interrupted').catch(() => {});
  const ref = run.name ?? run.id;
  return new UserError(`run ${ref} stopped: ${err.message}`, err.hint.replace('RUN', ref), err.code);
}

export function renderRunSummary(s: RunSummary): string {
  const rows = s.groups.map((g) => [
    g.agent,
    g.model ?? '-',
    g.suite,
    `${g.done}/${g.attempts}`,
    `${g.answerCorrect}/${g.typedAnswers}`,
    pct(g.answerCorrectRate),
    g.errors,
    g.infra,
    g.limits,
    usd(g.costUsd),
    `${(g.meanDurationMs / 1000).toFixed(2)}s`,
  ]);
  const fam = Object.entries(s.byFamily)
    .map(([f, v]) => `${f} ${v.answerCorrect}/${v.typedAnswers}`)
    .join(', ');
  const free = s.counts.done - s.typedAnswers - s.infra;
  return [
    `Run ${s.runId}${s.name ? ` (${s.name})` : ''}: ${s.status}, ${s.counts.done} of ${s.counts.total} attempts done`,
    renderTable(
      [
        'agent',
        'model',
        'suite',
        'done',
        'answers correct',
        'rate',
        'errors',
        'infra',
        'limits',
        'cost',
        'mean',
      ],
      rows,
    ),
    `  ${s.answerCorrect} of ${s.typedAnswers} typed answers correct (${pct(s.answerCorrectRate)})${free > 0 ? `; ${free} answers are free text (a judge grades them; one that declines an answerable question fails without a judge)` : ''}`,
    ...(s.infra > 0
      ? [
          `  ${s.infra} attempts hit infrastructure failures (model provider or agent endpoint): they are not scored; rerun them with \`assetops run --resume ${s.runId}\``,
        ]
      : []),
    ...(fam ? [`  by family: ${fam}`] : []),
    `  stored in ${s.store} (see \`assetops runs show ${s.runId}\`)`,
  ].join('\n');
}

function positiveInt(flag: string, max = Number.MAX_SAFE_INTEGER) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new UserError(`${flag} ${v} is not a whole number from 1 to ${max}`, `e.g. ${flag} 8`);
    return n;
  };
}

function positiveNumber(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new UserError(`${flag} ${v} is not a positive number`, `e.g. ${flag} 2.5`);
    return n;
  };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface CliRunFlags extends RunFlags {
  resume?: string;
  store?: string;
  queue?: string;
  out?: string;
  json: boolean;
}

/** Runs what is left of a run in this process, with a progress bar; returns when all is recorded. */
export async function runHere(
  store: RunStore,
  run: RunRow,
  opened: Map<string, import('../../dataset/open.ts').Dataset>,
) {
  const home = assetopsHome();
  // The engine (and through it the tools and DuckDB) loads when a run starts, not with the CLI.
  const { closeRunContext, openRunContext, runPending } = await import('../../runs/engine.ts');
  const ctx = await openRunContext(store, run, { worker: 'local', opened });
  // The model layer (response cache, prices, rate limits) loads the AI SDK: only when a model is used.
  const needsModels = ctx.spec.entries.some((e) => e.model !== null);
  const layer = needsModels
    ? await (async () => {
        const m = await import('../../runs/model-layer.ts');
        return m.openModelLayer(m.layerOptionsFor(home, ctx.spec));
      })()
    : null;
  if (layer) ctx.wrapModel = layer.wrap;
  // A runner killed between recording an attempt and scoring it left it unscored: score it now.
  const rescored = await scoreUnscored(store, ctx, run.id);
  if (rescored > 0)
    process.stderr.write(
      `scored ${rescored} attempts that were recorded but not scored when the run stopped\n`,
    );
  const counts = await store.counts(run.id);
  const progress = makeRunProgress(`run ${run.name ?? run.id}`);
  progress.start(counts.total, counts.done);
  try {
    await runPending(ctx, ctx.spec.concurrency, {
      onStart: () => progress.started(),
      onDone: async (row, rec, stored) => {
        progress.finished(rec.outcome === 'error', rec.cost.usd);
        if (stored) await scoreQuietly(store, ctx, row, rec);
      },
    });
  } finally {
    progress.stop();
    closeRunContext(ctx);
    await layer?.close();
  }
  for (const spec of layer?.unpriced() ?? [])
    process.stderr.write(
      `note: no price for ${spec}; its cost shows as $0 (add it to ${join(home, 'prices.json')})\n`,
    );
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run agents on scenario suites; attempts are recorded in the run store')
    .argument('[runfile]', 'a run file (YAML or JSON) with a matrix of agents, models, suites and trials')
    .option(
      '--agent <name>',
      'agent to run (repeat for several): baseline, react, plan-execute, agent-as-tool, command, http',
      collect,
      [],
    )
    .option(
      '--model <spec>',
      'model for model-backed agents (repeat for several), e.g. openai:gpt-4.1, anthropic:NAME, ollama:NAME',
      collect,
      [],
    )
    .option('--base-url <url>', 'an OpenAI-compatible server (or set ASSETOPS_BASE_URL)')
    .option(
      '--cmd <command>',
      'for --agent command: your agent, run once per scenario with the task and an MCP URL',
    )
    .option('--url <url>', 'for --agent http: your agent endpoint, posted the task and an MCP URL')
    .option(
      '--model-proxy <url>',
      "for --agent command: record your agent's model calls (OpenAI-compatible upstream)",
    )
    .option(
      '--suite <name>',
      'suite (repeat for several): default, aob, aob:FILE (the items of one AssetOpsBench scenario file), private, private-s42, or a .jsonl file',
      collect,
      [],
    )
    .option('--seed <n>', 'seed of the private split', parseSeed, 1)
    .option('--world <dir>', 'dataset folder', defaultWorldDir())
    .option('--aob-data <dir>', 'AssetOpsBench data for the aob suite (first time only)')
    .option(
      '--aob-phase <file...>',
      'AssetOpsBench competition phase files to add to the aob suite (any phase; paired by paired_with)',
    )
    .option('--file <jsonl>', 'run the scenarios of a JSONL file')
    .option('--limit <n>', 'run only the first N scenarios of each suite', positiveInt('--limit'))
    .option('--trials <k>', 'repeated trials of every attempt', positiveInt('--trials', 100), 1)
    .option('--concurrency <n>', 'attempts at once', positiveInt('--concurrency', 256), 1)
    .addOption(
      new Option('--faults <profile>', 'tool fault injection').choices(FAULT_PROFILES).default('none'),
    )
    .option('--limit-steps <n>', 'model steps per attempt', positiveInt('--limit-steps'))
    .option('--limit-tokens <n>', 'tokens per attempt', positiveInt('--limit-tokens'))
    .option('--limit-cost <usd>', 'USD per attempt', positiveNumber('--limit-cost'))
    .option('--timeout <seconds>', 'seconds per attempt', positiveNumber('--timeout'))
    .option(
      '--provider-timeout <seconds>',
      'seconds one model call may take before the provider counts as hung (default 300)',
      positiveNumber('--provider-timeout'),
    )
    .option(
      '--infra-retries <n>',
      'reruns of an attempt hit by a provider failure before it is reported (default 2)',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 10)
          throw new UserError(
            `--infra-retries ${v} is not a whole number from 0 to 10`,
            'e.g. --infra-retries 2',
          );
        return n;
      },
    )
    .option('--rpm <n>', 'model requests per minute per provider', positiveInt('--rpm'))
    .option('--tpm <n>', 'model tokens per minute per provider', positiveInt('--tpm'))
    .option('--no-cache', 'do not read or write the model response cache')
    .option('--name <name>', 'a name to find the run by')
    .option('--resume <run>', 'continue a run (id or name): finished attempts are kept, the rest rerun')
    .option('--store <url>', 'run store: postgres://... or a SQLite file (default .assetops/runs.sqlite)')
    .option(
      '--queue <url>',
      'send attempts to workers through Redis (redis://HOST:PORT); start them with `assetops worker`',
    )
    .option('--out <dir>', 'also write run.json, attempts.jsonl and trajectories.jsonl here')
    .option('--json', 'print the summary as JSON', false)
    .action(async (runFile: string | undefined, flags: CliRunFlags, cmd: Command) => {
      if (flags.queue) {
        // The queue is checked before a run is created, so a wrong URL leaves nothing behind.
        const { connectRedis } = await import('../../runs/queue.ts');
        (await connectRedis(flags.queue)).disconnect();
      }
      const store = await openProjectStore(flags.store);
      try {
        let run: RunRow;
        let opened = new Map<string, import('../../dataset/open.ts').Dataset>();
        if (flags.resume) {
          const found = await store.findRun(flags.resume);
          if (!found)
            throw new UserError(
              `no run "${flags.resume}" in ${store.location}`,
              'List runs with `assetops runs list` (or pass the --store the run used)',
              'unknown_run',
            );
          run = found;
          await store.setRunStatus(run.id, 'running');
        } else {
          const resolved = await resolveRun(cmd, flags, runFile);
          opened = resolved.datasets;
          try {
            const { createRun } = await import('../../runs/create.ts');
            run = await createRun(store, resolved.spec, resolved.scenariosBySuite, resolved.name);
          } catch (err) {
            for (const ds of opened.values()) ds.close();
            throw err;
          }
        }
        // An interrupted run says so (and can be resumed); a killed one says so through its
        // heartbeat going quiet (store/rows.ts effectiveRunStatus).
        const interrupted = () => {
          void store.setRunStatus(run.id, 'interrupted').finally(() => process.exit(130));
        };
        process.once('SIGINT', interrupted);
        process.once('SIGTERM', interrupted);
        const stopBeating = keepRunAlive(store, run.id);
        try {
          if (flags.queue) {
            for (const ds of opened.values()) ds.close();
            const { runOnQueue } = await import('../../runs/queue.ts');
            await runOnQueue(store, run, flags.queue, makeRunProgress(`run ${run.name ?? run.id}`));
          } else {
            await runHere(store, run, opened);
          }
        } catch (err) {
          throw await stoppedByStore(store, run, err);
        } finally {
          stopBeating();
          process.off('SIGINT', interrupted);
          process.off('SIGTERM', interrupted);
        }
        const counts = await store.counts(run.id);
        // Every attempt ran; if the infrastructure failed some, the run is not finished.
        if (counts.done === counts.total)
          await store.setRunStatus(
            run.id,
            counts.infra > 0 ? 'incomplete' : 'finished',
            new Date().toISOString(),
          );
        const summary = await summarizeRun(store, (await store.findRun(run.id)) as RunRow);
        const scored = await storedScores(store, run.id);
        const scores = scored.length ? scoreRun(scored) : null;
        const pairs = runPairAgreement(await store.scenarios(run.id), scored);
        if (flags.out) await (await import('../../runs/export.ts')).exportRun(store, run.id, flags.out);
        const pairText = renderPairAgreements(pairs);
        process.stdout.write(
          flags.json
            ? `${JSON.stringify({ ...summary, scores, ...(pairs.length ? { pairs } : {}) }, null, 2)}\n`
            : `${renderRunSummary(summary)}${scores ? `\n\nScores (evidence; add judges with \`assetops score ${run.id} --judge MODEL\`):\n${renderScores(scores)}` : ''}${pairText ? `\n\n${pairText}` : ''}\n`,
        );
      } finally {
        await store.close();
      }
    });
}
