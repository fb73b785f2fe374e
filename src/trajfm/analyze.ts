// The TrajFM pipeline over many trajectories:
//   1. extraction: the offline detectors on every trajectory and, with a model, the model's
//      base-code findings and new failure descriptions;
//   2. clustering of the failure descriptions (the model's new ones, or with no model the
//      detectors' own), the clusters named by the description nearest their centroid, and
//      the new ones mapped onto the taxonomy's discovered categories or proposed as new;
//   3. the summary a report draws: categories with shares and examples, counts per agent
//      and model, the 2-D map.
import { type ClusterMethod, clusterStability, clusterVectors } from './cluster/cluster.ts';
import type { Embedder } from './cluster/embedders.ts';
import { mapToTaxonomy, type Proposal, type Taxonomy } from './cluster/taxonomy.ts';
import { DETECTORS, detectFailures } from './detect/index.ts';
import { extractWithModel, type LlmExtractor } from './extract-llm.ts';
import {
  type AnalysisInput,
  BASE_CODES,
  type BaseCode,
  type CategorySummary,
  type DetectorKind,
  type FailureEvent,
  type FailureReport,
} from './types.ts';

export interface AnalyzeOptions {
  embedder: Embedder;
  method?: ClusterMethod;
  seed?: number;
  taxonomy: Taxonomy;
  /** Similarity needed to put a new description into an existing discovered category. */
  threshold?: number;
  extractor?: LlmExtractor;
  /** Model calls at once (extraction). */
  concurrency?: number;
  /** At most this many distinct descriptions are clustered (a seeded-order sample beyond it). */
  maxClustered?: number;
  /** Seeds for the stability check (none: skipped). */
  stabilitySeeds?: number[];
  onProgress?: (done: number, total: number) => void;
}

const EXAMPLES_PER_CATEGORY = 5;

/** The text clustered: a model's own description, or a detector's title with its specific evidence. */
function describe(e: FailureEvent): string {
  return e.source === 'llm' ? `${e.title}: ${e.description}` : `${e.title}: ${e.evidence}`;
}

async function extractAll(
  inputs: AnalysisInput[],
  opts: AnalyzeOptions,
  errors: string[],
): Promise<FailureEvent[]> {
  const events: FailureEvent[] = [];
  let done = 0;
  if (!opts.extractor) {
    for (const x of inputs) {
      events.push(...detectFailures(x));
      opts.onProgress?.(++done, inputs.length);
    }
    return events;
  }
  const extractor = opts.extractor;
  const queue = inputs.map((x, i) => [x, i] as const);
  const byInput: FailureEvent[][] = inputs.map(() => []);
  await Promise.all(
    Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [x, i] = item;
        const r = await extractWithModel(x, extractor);
        if (r.error) errors.push(r.error);
        byInput[i] = [...detectFailures(x), ...r.events];
        opts.onProgress?.(++done, inputs.length);
      }
    }),
  );
  for (const list of byInput) events.push(...list);
  return events;
}

export interface Analysis {
  report: FailureReport;
  /** The proposals as the taxonomy needs them to accept them (centroids and all). */
  proposals: Proposal[];
}

export async function analyzeTrajectories(inputs: AnalysisInput[], opts: AnalyzeOptions): Promise<Analysis> {
  const errors: string[] = [];
  const events = await extractAll(inputs, opts, errors);

  // What is clustered: the model's new descriptions when there are any, else every event's.
  const fresh = events.filter((e) => e.category === 'new');
  const pool = fresh.length > 0 ? fresh : events;
  // How often each description occurs: IBM's clustering embedded every entry (513 entries, 449
  // distinct titles), so a failure written down forty times weighs forty times when k is chosen
  // and the clusters are formed. Each distinct text is embedded once; its vector is repeated.
  const frequency = new Map<string, number>();
  for (const e of pool) frequency.set(describe(e), (frequency.get(describe(e)) ?? 0) + 1);
  const maxClustered = opts.maxClustered ?? 3000;
  const distinct = [...frequency.keys()].slice(0, maxClustered);
  const clusters: FailureReport['clusters'] = {
    method: opts.method ?? 'kmeans',
    embedder: opts.embedder.name,
    k: 0,
    silhouette: [],
    names: [],
    points: [],
    stability: null,
  };
  if (distinct.length >= 3) {
    const vectors = await opts.embedder.embed(distinct);
    if (vectors.length !== distinct.length) {
      throw new Error(
        `${opts.embedder.name} returned ${vectors.length} vectors for ${distinct.length} texts`,
      );
    }
    // Row r of the clustered data is an occurrence of distinct[rows[r]] (capped at maxClustered).
    const rows: number[] = [];
    distinct.forEach((d, i) => {
      for (let r = 0; r < (frequency.get(d) ?? 1) && rows.length < maxClustered; r++) rows.push(i);
    });
    const firstRow = distinct.map((_, i) => rows.indexOf(i));
    const c = clusterVectors(
      rows.map((i) => vectors[i]),
      rows.map((i) => distinct[i]),
      { method: opts.method ?? 'kmeans', seed: opts.seed ?? 0, embedderName: opts.embedder.name },
    );
    clusters.k = c.k;
    clusters.silhouette = c.silhouette.map((s) => ({ k: s.k, score: s.score }));
    clusters.names = c.names;
    // One point per distinct description on the map, with how often it occurs.
    clusters.points = distinct.flatMap((text, i) => {
      const r = firstRow[i];
      if (r < 0 || !c.coords2d[r]) return [];
      const [x, y] = c.coords2d[r];
      return [{ x, y, cluster: c.labels[r], text, count: frequency.get(text) ?? 1 }];
    });
    if (opts.stabilitySeeds && opts.stabilitySeeds.length >= 2) {
      const s = await clusterStability(
        distinct,
        { embedder: opts.embedder, method: opts.method ?? 'kmeans' },
        opts.stabilitySeeds,
      );
      clusters.stability = s.mean;
    }
  }

  // New descriptions join discovered categories of the taxonomy, or become proposals.
  let proposals: FailureReport['proposals'] = [];
  let full: Proposal[] = [];
  if (fresh.length > 0) {
    const mapped = await mapToTaxonomy(fresh.map(describe), opts.taxonomy, opts.embedder, {
      ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
      seed: opts.seed,
    });
    fresh.forEach((e, i) => {
      const id = mapped.categoryOf[i];
      const proposal = mapped.proposalOf[i];
      // Too small to propose and too far from every category: it stays a new, unsorted failure.
      e.category = id ?? (proposal === null ? 'unsorted' : `proposed:${proposal}`);
    });
    full = mapped.proposals;
    proposals = mapped.proposals.map((p) => ({
      title: p.title,
      definition: p.definition,
      size: p.size,
      examples: p.examples.slice(0, EXAMPLES_PER_CATEGORY),
    }));
  }

  const report: FailureReport = {
    version: 1,
    createdAt: new Date().toISOString(),
    trajectories: inputs.length,
    withFailures: new Set(events.map((e) => e.trajectoryId)).size,
    events,
    categories: summarize(events, opts.taxonomy, proposals, inputs.length),
    byAgentModel: countsByAgentModel(inputs, events),
    clusters,
    proposals,
    taxonomyVersion: opts.taxonomy.version,
    errors: [...new Set(errors)].slice(0, 20),
  };
  return { report, proposals: full };
}

function categoryInfo(
  id: string,
  taxonomy: Taxonomy,
  proposals: FailureReport['proposals'],
): Pick<CategorySummary, 'title' | 'definition' | 'kind'> {
  if (id in DETECTORS) {
    const d = DETECTORS[id as DetectorKind];
    return { title: d.title, definition: d.definition, kind: 'detector' };
  }
  if (id in BASE_CODES)
    return {
      title: `${id} ${BASE_CODES[id as BaseCode]}`,
      definition: BASE_CODES[id as BaseCode],
      kind: 'base',
    };
  if (id === 'unsorted')
    return {
      title: 'Other new failures',
      definition: 'New failures too few and too far from the rest to group.',
      kind: 'proposed',
    };
  if (id.startsWith('proposed:')) {
    const p = proposals[Number(id.slice('proposed:'.length))];
    return { title: p?.title ?? id, definition: p?.definition ?? '', kind: 'proposed' };
  }
  const c = taxonomy.categories.find((x) => x.id === id);
  return { title: c?.title ?? id, definition: c?.definition ?? '', kind: 'discovered' };
}

function summarize(
  events: FailureEvent[],
  taxonomy: Taxonomy,
  proposals: FailureReport['proposals'],
  trajectories: number,
): CategorySummary[] {
  const byCategory = new Map<string, FailureEvent[]>();
  for (const e of events) {
    const list = byCategory.get(e.category) ?? [];
    list.push(e);
    byCategory.set(e.category, list);
  }
  return [...byCategory]
    .map(([id, list]) => ({
      id,
      ...categoryInfo(id, taxonomy, proposals),
      count: list.length,
      share: list.length / Math.max(1, events.length),
      trajectories: new Set(list.map((e) => e.trajectoryId)).size,
      rate: new Set(list.map((e) => e.trajectoryId)).size / Math.max(1, trajectories),
      examples: list
        .slice(0, EXAMPLES_PER_CATEGORY)
        .map((e) => ({ trajectoryId: e.trajectoryId, span: e.span })),
    }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

function countsByAgentModel(inputs: AnalysisInput[], events: FailureEvent[]): FailureReport['byAgentModel'] {
  const groups = new Map<string, FailureReport['byAgentModel'][number]>();
  const key = (agent: string, model: string | null) => `${agent}|${model ?? ''}`;
  for (const x of inputs) {
    const k = key(x.trajectory.agent, x.trajectory.model);
    const g = groups.get(k) ?? {
      agent: x.trajectory.agent,
      model: x.trajectory.model,
      trajectories: 0,
      counts: {},
      withCategory: {},
    };
    g.trajectories++;
    groups.set(k, g);
  }
  const seen = new Set<string>();
  for (const e of events) {
    const g = groups.get(key(e.agent, e.model));
    if (!g) continue;
    g.counts[e.category] = (g.counts[e.category] ?? 0) + 1;
    const once = `${e.trajectoryId}|${e.category}`;
    if (seen.has(once)) continue;
    seen.add(once);
    g.withCategory[e.category] = (g.withCategory[e.category] ?? 0) + 1;
  }
  return [...groups.values()];
}
