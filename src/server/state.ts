// What the server holds for its lifetime: the run store (the caller's), the world opened on
// first use, named suites drawn from it, tokens and rate limits, competitions, and the
// caches behind the leaderboard, the trajectory viewer and failure analysis.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, openDataset } from '../dataset/open.ts';
import type { RunStore } from '../runs/store/types.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { generatedSuite } from '../scenarios/suites.ts';
import { RateLimiter, Tokens } from './auth.ts';
import { Competitions } from './competitions.ts';
import { ApiError } from './errors.ts';
import { FailureCache } from './failures.ts';
import type { Listen } from './host-guard.ts';
import { Playground } from './playground.ts';
import { ScoreBoard } from './scores.ts';
import { TrajectoryCache } from './trajectory-view.ts';

export interface ServerLimits {
  /** Largest request body for an upload. */
  maxUploadBytes: number;
  /** Zip uploads: total uncompressed size, ratio per entry, entries. */
  maxUncompressedBytes: number;
  maxZipRatio: number;
  maxZipEntries: number;
  /** Trajectories per submission. */
  maxLines: number;
  /** Per token: requests at once, and the steady rate. */
  rateBurst: number;
  ratePerMinute: number;
  /** Playground attempts running at once, and kept for replay. */
  playgroundConcurrency: number;
  playgroundKept: number;
  /** Decoded trajectories kept for the viewer. */
  trajectoryCache: number;
  /** Points per series before it is resampled. */
  maxSeriesPoints: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxUploadBytes: 20 * 1024 * 1024,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxZipRatio: 100,
  maxZipEntries: 16,
  maxLines: 10_000,
  rateBurst: 10,
  ratePerMinute: 30,
  playgroundConcurrency: 2,
  playgroundKept: 100,
  trajectoryCache: 16,
  maxSeriesPoints: 20_000,
};

export interface AppDeps {
  store: RunStore;
  /** The generated world: suites, the world explorer and the playground use it. */
  worldDir: string;
  /** Where the server keeps its files (competitions, cached suites, the taxonomy). */
  home: string;
  adminToken?: string;
  submitTokens?: string[];
  limits?: Partial<ServerLimits>;
  /** The built web app (default: web/dist of this package, when it exists). */
  staticDir?: string;
  /** An OpenAI-compatible server for model-backed agents in the playground (else provider keys). */
  modelBaseUrl?: string;
  /** Where the server listens, for the Host and Origin checks (default: loopback, any port). */
  listen?: Listen;
}

export class ServerState {
  readonly store: RunStore;
  readonly limits: ServerLimits;
  readonly tokens: Tokens;
  readonly limiter: RateLimiter;
  readonly competitions: Competitions;
  readonly scores: ScoreBoard;
  readonly trajectories: TrajectoryCache;
  readonly failures: FailureCache;
  readonly playground: Playground;
  readonly modelBaseUrl: string | undefined;
  private worldOpen: Promise<Dataset> | null = null;
  private readonly suites = new Map<string, Promise<Scenario[]>>();

  constructor(readonly deps: AppDeps) {
    this.store = deps.store;
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.tokens = new Tokens(deps.adminToken, deps.submitTokens ?? []);
    this.limiter = new RateLimiter(this.limits.rateBurst, this.limits.ratePerMinute);
    mkdirSync(deps.home, { recursive: true });
    this.competitions = new Competitions(join(deps.home, 'competitions.json'));
    this.scores = new ScoreBoard(this.store, this.competitions);
    this.trajectories = new TrajectoryCache(this.store, this.limits.trajectoryCache);
    this.failures = new FailureCache(this.store, this.competitions, deps.home);
    this.playground = new Playground(this.limits.playgroundConcurrency, this.limits.playgroundKept);
    this.modelBaseUrl = deps.modelBaseUrl;
  }

  /** The world, opened (and verified) once; a failed open is retried on the next request. */
  world(): Promise<Dataset> {
    if (!this.worldOpen) {
      this.worldOpen = openDataset(this.deps.worldDir);
      this.worldOpen.catch(() => {
        this.worldOpen = null;
      });
    }
    return this.worldOpen;
  }

  /** A named suite of the world: `default`, or `private-sN` (the private split with seed N). */
  suite(name: string): Promise<Scenario[]> {
    const m = /^(default|private-s(\d{1,9}))$/.exec(name);
    if (!m)
      return Promise.reject(
        new ApiError(
          400,
          `unknown suite "${name}"`,
          'Use "default" or "private-sN" (the private split, seed N)',
        ),
      );
    let p = this.suites.get(name);
    if (!p) {
      p = this.world().then((ds) =>
        generatedSuite(ds, {
          split: m[2] ? 'private' : 'default',
          seed: m[2] ? Number(m[2]) : 0,
          cacheDir: join(this.deps.home, 'suites'),
        }),
      );
      this.suites.set(name, p);
      p.catch(() => this.suites.delete(name));
    }
    return p;
  }

  async scenario(suite: string, id: string): Promise<Scenario> {
    const s = (await this.suite(suite)).find((x) => x.id === id);
    if (!s)
      throw new ApiError(404, `no scenario "${id}" in suite ${suite}`, 'List them with GET /api/scenarios');
    return s;
  }

  private layer: Promise<import('../runs/model-layer.ts').ModelLayer> | null = null;

  /**
   * The model layer for playground agents (response cache, prices, rate limits), opened on
   * first use: a server that never runs a model never loads the model SDKs.
   */
  async modelLayer(spec: string): Promise<import('../runs/model-layer.ts').ModelLayer> {
    this.layer ??= import('../runs/model-layer.ts').then((m) =>
      m.openModelLayer({
        home: this.deps.home,
        cache: true,
        baseUrl: this.modelBaseUrl,
        models: spec ? [spec] : [],
      }),
    );
    return this.layer;
  }

  async close(): Promise<void> {
    if (this.layer) await (await this.layer.catch(() => null))?.close();
    const w = this.worldOpen;
    this.worldOpen = null;
    if (w) (await w.catch(() => null))?.close();
  }
}
