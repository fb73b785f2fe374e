// Distributed runs: the runner puts each unfinished attempt on a BullMQ queue in Redis, and
// `assetops worker` processes on any number of machines take them, run them with the same
// engine, and record them in the shared store (PostgreSQL for several machines). A worker
// that dies mid-attempt stops renewing its job lock; BullMQ hands the job to another worker.
// The store records an attempt only once, so a late finish of the dead one changes nothing.
import { hostname } from 'node:os';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { UserError } from '../util/errors.ts';
import { closeRunContext, executeAttempt, openRunContext, type RunContext } from './engine.ts';
import type { AttemptRecord, AttemptRow, RunRow, RunStore } from './store/types.ts';

export const QUEUE_NAME = 'attempts';
const PREFIX = 'assetops';

interface AttemptJob {
  runId: string;
  attemptId: string;
  /** The store the run lives in: a worker connected to another store refuses the job. */
  store: string;
}

/** Connects to Redis and checks it answers, so a wrong URL fails at once with the fix. */
export async function connectRedis(url: string): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid://');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UserError(`--queue ${url} is not a Redis URL`, 'Use redis://HOST:PORT', 'bad_queue');
  }
  // maxRetriesPerRequest null: BullMQ's blocking commands must wait, not fail.
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    retryStrategy: (times) => (times > 20 ? null : Math.min(200 * times, 2000)),
  });
  redis.on('error', () => {
    // Reported through the ping below or BullMQ's own retries; without a listener ioredis logs noise.
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new UserError(
      `cannot reach Redis at ${parsed.host} (${(err as Error).message})`,
      'Start redis-server there, or pass the right --queue redis://HOST:PORT',
      'queue_unavailable',
    );
  }
  return redis;
}

export interface QueueProgress {
  start(total: number, alreadyDone: number): void;
  set?(done: number, failed: number, running: number, costUsd: number): void;
  stop(): void;
}

/**
 * Enqueues the run's unfinished attempts and waits until every one is recorded (by any
 * worker) or has failed in the workers for good. The job id is the attempt id, so
 * resubmitting a run never queues an attempt twice.
 */
export async function runOnQueue(
  store: RunStore,
  run: RunRow,
  queueUrl: string,
  progress: QueueProgress,
  pollMs = 500,
): Promise<void> {
  const redis = await connectRedis(queueUrl);
  const queue = new Queue<AttemptJob>(QUEUE_NAME, { connection: redis, prefix: PREFIX });
  const events = new QueueEvents(QUEUE_NAME, { connection: redis.duplicate(), prefix: PREFIX });
  const failedForGood = new Map<string, string>();
  try {
    await events.waitUntilReady();
    events.on('failed', ({ jobId, failedReason }) => {
      // A job that will be retried moves back to waiting; only a final failure stays "failed".
      void queue.getJob(jobId).then(async (job) => {
        if (job && (await job.getState()) === 'failed') failedForGood.set(jobId, failedReason);
      });
    });
    await store.resetUnfinished(run.id);
    const unfinished = (await store.attempts(run.id)).filter((a) => a.status !== 'done');
    await queue.addBulk(
      unfinished.map((a) => ({
        name: 'attempt',
        data: { runId: run.id, attemptId: a.id, store: store.location },
        opts: {
          jobId: a.id,
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
    const first = await store.counts(run.id);
    progress.start(first.total, first.done);
    process.stderr.write(
      `queued ${unfinished.length} attempts on ${queueUrl}; workers record them in ${store.location}\n` +
        `(start workers with \`assetops worker --queue ${queueUrl} --store <this store>\`)\n`,
    );
    for (;;) {
      const c = await store.counts(run.id);
      progress.set?.(c.done, c.errors, c.running, c.costUsd);
      if (c.done + failedForGood.size >= c.total) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    if (failedForGood.size > 0) {
      const [id, reason] = [...failedForGood][0];
      process.stderr.write(
        `${failedForGood.size} attempts failed in the workers (e.g. ${id}: ${reason}); resume the run to retry them\n`,
      );
    }
  } finally {
    progress.stop();
    await events.close();
    await queue.close();
    redis.disconnect();
  }
}

export interface WorkerOptions {
  queueUrl: string;
  store: RunStore;
  concurrency?: number;
  /** This machine's copy of the generated world, when its folder differs from the runner's. */
  worldOverride?: string;
  /** How long a job stays locked without a renewal before another worker may take it. */
  lockMs?: number;
  id?: string;
  /** Builds the model layer for a run's spec (response cache, prices, rate limits). */
  modelLayer?: (ctx: RunContext) => Promise<{ close(): Promise<void> } | null>;
  onAttempt?(attemptId: string, outcome: string): void;
  /** Called after an attempt is recorded by this worker (e.g. to store its scorecard). */
  afterRecord?(ctx: RunContext, row: AttemptRow, rec: AttemptRecord): Promise<void>;
}

export interface RunningWorker {
  id: string;
  close(): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const redis = await connectRedis(opts.queueUrl);
  const id = opts.id ?? `${hostname()}-${process.pid}`;
  const contexts = new Map<string, Promise<RunContext>>();
  const layers: Array<{ close(): Promise<void> }> = [];
  const contextFor = (runId: string): Promise<RunContext> => {
    let ctx = contexts.get(runId);
    if (!ctx) {
      ctx = (async () => {
        const run = await opts.store.findRun(runId);
        if (!run) throw new Error(`run ${runId} is not in ${opts.store.location}`);
        const c = await openRunContext(opts.store, run, { worker: id, worldOverride: opts.worldOverride });
        const layer = await opts.modelLayer?.(c);
        if (layer) layers.push(layer);
        return c;
      })();
      // A failed open is not cached: the next job tries again.
      ctx.catch(() => contexts.delete(runId));
      contexts.set(runId, ctx);
    }
    return ctx;
  };
  const lockMs = opts.lockMs ?? 30_000;
  const worker = new Worker<AttemptJob>(
    QUEUE_NAME,
    async (job: Job<AttemptJob>) => {
      const { runId, attemptId, store } = job.data;
      if (store !== opts.store.location)
        throw new Error(
          `job ${attemptId} belongs to the store ${store}; this worker records in ${opts.store.location}`,
        );
      const row = await opts.store.attempt(attemptId);
      if (!row) throw new Error(`attempt ${attemptId} is not in ${opts.store.location}`);
      if (row.status === 'done') return 'already recorded';
      const ctx = await contextFor(runId);
      await opts.store.claimAttempt(attemptId, id);
      const rec = await executeAttempt(ctx, row);
      const stored = await opts.store.recordAttempt(rec);
      if (stored) await opts.afterRecord?.(ctx, row, rec);
      opts.onAttempt?.(attemptId, stored ? rec.outcome : 'already recorded');
      return stored ? 'recorded' : 'already recorded';
    },
    {
      connection: redis,
      prefix: PREFIX,
      concurrency: opts.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on('error', (err) => process.stderr.write(`worker ${id}: ${err.message}\n`));
  await worker.waitUntilReady();
  return {
    id,
    async close() {
      await worker.close();
      for (const ctx of contexts.values()) await ctx.then(closeRunContext, () => undefined);
      for (const l of layers) await l.close();
      redis.disconnect();
    },
  };
}
