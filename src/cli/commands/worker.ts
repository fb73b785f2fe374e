import type { Command } from 'commander';
import { scoreQuietly } from '../../scoring/stored.ts';
import { UserError } from '../../util/errors.ts';
import { assetopsHome } from '../paths.ts';
import { openProjectStore } from '../store.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run attempts from a queue (see `assetops run --queue`) and record them in the store')
    .requiredOption('--queue <url>', 'Redis the runner queues attempts on, redis://HOST:PORT')
    .option('--store <url>', 'the run store the runner uses (postgres://... for several machines)')
    .option('--world <dir>', "this machine's copy of the generated world, if not in the runner's folder")
    .option(
      '--concurrency <n>',
      'attempts at once',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 256)
          throw new UserError(
            `--concurrency ${v} is not a whole number from 1 to 256`,
            'e.g. --concurrency 4',
          );
        return n;
      },
      1,
    )
    .option('--lock-ms <ms>', 'how long a silent worker keeps its attempt before another takes it', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1000)
        throw new UserError(`--lock-ms ${v} is not a whole number of at least 1000`, 'e.g. --lock-ms 30000');
      return n;
    })
    .action(
      async (opts: {
        queue: string;
        store?: string;
        world?: string;
        concurrency: number;
        lockMs?: number;
      }) => {
        const home = assetopsHome();
        const store = await openProjectStore(opts.store);
        const { startWorker } = await import('../../runs/queue.ts');
        const { openModelLayer, layerOptionsFor } = await import('../../runs/model-layer.ts');
        let worker: Awaited<ReturnType<typeof startWorker>>;
        try {
          worker = await startWorker({
            queueUrl: opts.queue,
            store,
            concurrency: opts.concurrency,
            worldOverride: opts.world,
            lockMs: opts.lockMs,
            modelLayer: async (ctx) => {
              if (!ctx.spec.entries.some((e) => e.model !== null)) return null;
              // Rate limits are the run's, for all its workers together: kept in the queue's Redis.
              const layer = await openModelLayer({
                ...layerOptionsFor(home, ctx.spec),
                sharedLimits: opts.queue,
              });
              ctx.wrapModel = layer.wrap;
              return layer;
            },
            onAttempt: (id, outcome) => process.stderr.write(`${id}: ${outcome}\n`),
            afterRecord: (ctx, row, rec) => scoreQuietly(store, ctx, row, rec),
          });
        } catch (err) {
          await store.close();
          throw err;
        }
        process.stderr.write(
          `worker ${worker.id} waiting for attempts on ${opts.queue} (store ${store.location})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await worker.close();
        await store.close();
      },
    );
}
