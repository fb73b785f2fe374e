// Groups failure descriptions by meaning. Vectors come from an Embedder and are
// L2-normalised, so squared Euclidean distance (what k-means and HDBSCAN use) ranks pairs
// exactly as cosine distance does; silhouettes are computed with cosine distance.
//
// k-means: every k in [kMin, kMax] is tried with k-means++ restarts (seeds derived from
// `seed`, the lowest inertia kept), and the smallest k whose mean silhouette is within
// kTolerance of the best wins. Above `sampleSize` points, k is chosen on a seeded sample
// and the chosen k is then fitted on all points. HDBSCAN: density clusters with noise
// (label -1) on a seeded UMAP reduction (5-D, as in BERTopic), on a subsample when n is
// large (the library is quadratic-to-cubic in n), the rest joining the cluster of their
// nearest sampled neighbour. Everything is deterministic for a given seed.
import { HDBSCAN } from 'hdbscan-ts';
import { kmeans } from 'ml-kmeans';
import { PCA } from 'ml-pca';
import { UMAP } from 'umap-js';
import { Rng } from '../../util/rng.ts';
import { type Embedder, l2normalize } from './embedders.ts';

export type ClusterMethod = 'kmeans' | 'hdbscan';
export type MapMethod = 'auto' | 'pca' | 'umap' | 'none';

export interface ClusterSettings {
  method?: ClusterMethod;
  /** Range of k tried by k-means (defaults 2 and 10; capped at n-1 and the distinct vectors). */
  kMin?: number;
  kMax?: number;
  seed?: number;
  /** k-means++ restarts per k, the best inertia kept (default clamp(3000 / n, 3, 50)). */
  restarts?: number;
  /**
   * k-means picks the smallest k whose mean silhouette is within this much of the best
   * (default 0.01): smaller differences are within the noise of the restarts (on small
   * corpora the curve is often flat near its top), and the simpler partition is preferred.
   */
  kTolerance?: number;
  /** HDBSCAN: smallest cluster (default a tenth of the points clustered, within [4, 50]). */
  minClusterSize?: number;
  /** HDBSCAN: neighbours for the core distance (default minClusterSize). */
  minSamples?: number;
  /** HDBSCAN: at most this many points are clustered directly (default 400); the rest join their nearest. */
  hdbscanMaxPoints?: number;
  /** HDBSCAN: reduce to 5-D with UMAP first (default true when n ≥ 15). */
  hdbscanUmap?: boolean;
  /** k is chosen, and silhouettes computed, on a seeded sample of this many points when n is larger (default 2000). */
  sampleSize?: number;
  /**
   * The 2-D map: 'auto' is UMAP for 15 ≤ n ≤ umapMaxPoints and PCA otherwise; 'none'
   * leaves coords2d empty (default 'auto').
   */
  map?: MapMethod;
  /** Largest n mapped with UMAP under 'auto' (default 5000; UMAP's cost grows fast). */
  umapMaxPoints?: number;
}

export interface ClusterOptions extends ClusterSettings {
  embedder: Embedder;
}

export interface ClusterResult {
  method: ClusterMethod;
  embedder: string;
  /** Cluster per text, 0..k-1 numbered by size (largest first); -1 is HDBSCAN noise. */
  labels: number[];
  k: number;
  /**
   * Mean silhouette (cosine) per k tried, with its standard error: a chart of how k was
   * chosen. For HDBSCAN, the one k found (noise left out).
   */
  silhouette: { k: number; score: number; se: number }[];
  /** L2-normalised mean vector of each cluster, in the embedder's space. */
  centroids: number[][];
  /** Each cluster's name: the description nearest its centroid. */
  names: string[];
  sizes: number[];
  /** A 2-D map of the texts (PCA or UMAP), seeded. Empty when map is 'none'. */
  coords2d: [number, number][];
  map: Exclude<MapMethod, 'auto'>;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function sqDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

/** Embeds the texts (one call) and clusters them. */
export async function clusterDescriptions(texts: string[], opts: ClusterOptions): Promise<ClusterResult> {
  const vectors = await opts.embedder.embed(texts);
  if (vectors.length !== texts.length) {
    throw new Error(`${opts.embedder.name} returned ${vectors.length} vectors for ${texts.length} texts`);
  }
  return clusterVectors(vectors, texts, { ...opts, embedderName: opts.embedder.name });
}

/** Clusters vectors already embedded (one per text); the texts name the clusters. */
export function clusterVectors(
  vectors: number[][],
  texts: string[],
  opts: ClusterSettings & { embedderName?: string },
): ClusterResult {
  const n = vectors.length;
  if (texts.length !== n) throw new Error(`clusterVectors: ${n} vectors but ${texts.length} texts`);
  const method = opts.method ?? 'kmeans';
  const seed = opts.seed ?? 0;
  const data = vectors.map(l2normalize);
  const sample = seededSample(n, opts.sampleSize ?? 2000, seed, 'sample');
  const distances = cosineDistances(data, sample);

  let raw: number[];
  let silhouette: { k: number; score: number; se: number }[] = [];
  if (n === 0) {
    raw = [];
  } else if (method === 'kmeans') {
    const sampleData = sample.map((i) => data[i]);
    const distinct = new Set(sampleData.map((v) => v.map((x) => x.toFixed(9)).join(','))).size;
    const kMin = Math.max(2, opts.kMin ?? 2);
    const kMax = Math.min(opts.kMax ?? 10, sample.length - 1, distinct);
    if (kMax < kMin) {
      raw = new Array(n).fill(0);
    } else {
      const restarts = (m: number) => opts.restarts ?? Math.min(50, Math.max(3, Math.round(3000 / m)));
      const runs: number[][] = [];
      for (let k = kMin; k <= kMax; k++) {
        const labels = bestKmeans(sampleData, k, seed, restarts(sampleData.length), 'select');
        runs.push(labels);
        silhouette.push({ k, ...silhouetteStats(distances, labels) });
      }
      const best = silhouette.reduce((a, b) => (b.score > a.score ? b : a));
      const chosen = silhouette.findIndex((x) => x.score >= best.score - (opts.kTolerance ?? 0.01));
      raw =
        sample.length === n ? runs[chosen] : bestKmeans(data, silhouette[chosen].k, seed, restarts(n), 'all');
    }
  } else {
    raw = hdbscanLabels(data, opts, seed);
    const kFound = new Set(raw.filter((l) => l >= 0)).size;
    if (kFound >= 2) {
      const kept = sample.flatMap((i, p) => (raw[i] >= 0 ? [p] : []));
      const sub = subMatrix(distances, sample.length, kept);
      silhouette = [
        {
          k: kFound,
          ...silhouetteStats(
            sub,
            kept.map((p) => raw[sample[p]]),
          ),
        },
      ];
    }
  }

  const labels = renumberBySize(raw);
  const k = labels.reduce((m, l) => Math.max(m, l + 1), 0);
  const centroids: number[][] = [];
  const names: string[] = [];
  const sizes: number[] = [];
  for (let c = 0; c < k; c++) {
    const members = labels.flatMap((l, i) => (l === c ? [i] : []));
    const sum = new Array<number>(data[0].length).fill(0);
    for (const i of members) for (let d = 0; d < sum.length; d++) sum[d] += data[i][d];
    const centroid = l2normalize(sum);
    let nearest = members[0];
    let bestSim = -Infinity;
    for (const i of members) {
      const s = dot(data[i], centroid);
      if (s > bestSim + 1e-12) {
        bestSim = s;
        nearest = i;
      }
    }
    centroids.push(centroid);
    names.push(texts[nearest]);
    sizes.push(members.length);
  }
  const { coords, map } = project(data, opts.map ?? 'auto', opts.umapMaxPoints ?? 5000, seed);
  return {
    method,
    embedder: opts.embedderName ?? 'vectors',
    labels,
    k,
    silhouette,
    centroids,
    names,
    sizes,
    coords2d: coords,
    map,
  };
}

/** The best of `restarts` seeded k-means++ runs (lowest inertia). */
function bestKmeans(data: number[][], k: number, seed: number, restarts: number, stage: string): number[] {
  let best: { labels: number[]; inertia: number } | null = null;
  for (let r = 0; r < Math.max(1, restarts); r++) {
    const runSeed = new Rng(seed, `kmeans/${stage}/${k}/${r}`).int(1, 2 ** 31 - 1);
    const result = kmeans(data, k, { seed: runSeed, initialization: 'kmeans++', maxIterations: 300 });
    let inertia = 0;
    for (let i = 0; i < data.length; i++) inertia += sqDist(data[i], result.centroids[result.clusters[i]]);
    if (!best || inertia < best.inertia - 1e-9) best = { labels: result.clusters.slice(), inertia };
  }
  return best!.labels;
}

/** All indices when n ≤ size, else a seeded sample of `size` of them (in index order). */
function seededSample(n: number, size: number, seed: number, label: string): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  return new Rng(seed, label)
    .shuffle(all)
    .slice(0, size)
    .sort((a, b) => a - b);
}

/** Cosine distances (1 - cos) among the sampled (normalised) vectors, row-major. */
function cosineDistances(data: number[][], sample: number[]): Float64Array {
  const m = sample.length;
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const d = 1 - dot(data[sample[a]], data[sample[b]]);
      out[a * m + b] = d;
      out[b * m + a] = d;
    }
  }
  return out;
}

function subMatrix(dist: Float64Array, m: number, keep: number[]): Float64Array {
  const s = keep.length;
  const out = new Float64Array(s * s);
  for (let a = 0; a < s; a++) for (let b = 0; b < s; b++) out[a * s + b] = dist[keep[a] * m + keep[b]];
  return out;
}

/**
 * Mean silhouette of a labelling over a precomputed distance matrix, and the standard error
 * of that mean (singletons score 0).
 */
export function silhouetteStats(dist: Float64Array, labels: number[]): { score: number; se: number } {
  const m = labels.length;
  const ids = [...new Set(labels)];
  if (m < 2 || ids.length < 2) return { score: 0, se: 0 };
  const index = new Map(ids.map((id, i) => [id, i]));
  const of = labels.map((l) => index.get(l)!);
  const sizes = new Array(ids.length).fill(0);
  for (const c of of) sizes[c]++;
  const values = new Float64Array(m);
  const sums = new Float64Array(ids.length);
  for (let i = 0; i < m; i++) {
    sums.fill(0);
    for (let j = 0; j < m; j++) if (j !== i) sums[of[j]] += dist[i * m + j];
    const own = of[i];
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < ids.length; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    const denom = Math.max(a, b);
    values[i] = denom > 0 ? (b - a) / denom : 0;
  }
  let mean = 0;
  for (const v of values) mean += v;
  mean /= m;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { score: mean, se: Math.sqrt(ss / (m - 1) / m) };
}

function hdbscanLabels(data: number[][], opts: ClusterSettings, seed: number): number[] {
  const n = data.length;
  if (n < 3) return new Array(n).fill(-1);
  const sample = seededSample(n, Math.max(10, opts.hdbscanMaxPoints ?? 400), seed, 'hdbscan');
  const m = sample.length;
  let points = sample.map((i) => data[i]);
  if ((opts.hdbscanUmap ?? true) && m >= 15) {
    // Density is easier to find in a few dimensions than in the embedder's many.
    const rng = new Rng(seed, 'hdbscan/umap');
    points = new UMAP({
      nComponents: 5,
      nNeighbors: Math.max(5, Math.min(15, Math.round(m / 6))),
      minDist: 0,
      random: () => rng.next(),
    }).fit(points);
  }
  const minClusterSize = Math.min(
    m,
    Math.max(2, opts.minClusterSize ?? Math.max(4, Math.min(50, Math.round(m / 10)))),
  );
  const minSamples = Math.min(m - 1, Math.max(1, opts.minSamples ?? minClusterSize));
  const fitted = new HDBSCAN({ minClusterSize, minSamples }).fit(points);
  if (m === n) return fitted;
  // The points left out join the cluster (or the noise) of their nearest sampled neighbour.
  const labels = new Array<number>(n).fill(-1);
  sample.forEach((i, p) => {
    labels[i] = fitted[p];
  });
  const inSample = new Set(sample);
  for (let i = 0; i < n; i++) {
    if (inSample.has(i)) continue;
    let best = -Infinity;
    for (let p = 0; p < m; p++) {
      const s = dot(data[i], data[sample[p]]);
      if (s > best) {
        best = s;
        labels[i] = fitted[p];
      }
    }
  }
  return labels;
}

/** Cluster ids 0..k-1 by size (largest first, ties by first appearance); -1 stays -1. */
function renumberBySize(raw: number[]): number[] {
  const stats = new Map<number, { size: number; first: number }>();
  raw.forEach((l, i) => {
    if (l < 0) return;
    const s = stats.get(l);
    if (s) s.size++;
    else stats.set(l, { size: 1, first: i });
  });
  const order = [...stats.entries()].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first);
  const map = new Map(order.map(([l], i) => [l, i]));
  return raw.map((l) => (l < 0 ? -1 : map.get(l)!));
}

function project(
  data: number[][],
  method: MapMethod,
  umapMax: number,
  seed: number,
): { coords: [number, number][]; map: Exclude<MapMethod, 'auto'> } {
  const n = data.length;
  if (method === 'none') return { coords: [], map: 'none' };
  const useUmap = method === 'umap' ? n >= 3 : method === 'auto' && n >= 15 && n <= umapMax;
  if (useUmap) {
    const rng = new Rng(seed, 'umap');
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: Math.min(15, n - 1),
      random: () => rng.next(),
      ...(n > 2000 ? { nEpochs: 200 } : {}),
    });
    const coords = umap.fit(data).map(([x, y]): [number, number] => [x, y]);
    // UMAP can fail on degenerate input (many identical points); the map falls back to PCA.
    if (coords.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))) return { coords, map: 'umap' };
  }
  return { coords: pca2d(data), map: 'pca' };
}

function pca2d(data: number[][]): [number, number][] {
  const n = data.length;
  if (n === 0) return [];
  if (n === 1) return [[0, 0]];
  if (n === 2) {
    const half = Math.sqrt(sqDist(data[0], data[1])) / 2;
    return [
      [-half, 0],
      [half, 0],
    ];
  }
  const pca = new PCA(data, { center: true });
  const out = pca.predict(data, { nComponents: 2 }).to2DArray();
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : 0);
  return out.map((row) => [finite(row[0]), finite(row[1])]);
}

/**
 * Adjusted Rand index of two labellings of the same items (1 = the same partition, ~0 =
 * chance). Noise (-1) counts as one more label. Two trivial partitions that agree give 1.
 */
export function adjustedRandIndex(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`adjustedRandIndex: ${a.length} vs ${b.length} labels`);
  const n = a.length;
  if (n < 2) return 1;
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const c of table.values()) index += pairs(c);
  let sumA = 0;
  for (const c of rows.values()) sumA += pairs(c);
  let sumB = 0;
  for (const c of cols.values()) sumB += pairs(c);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  if (max - expected === 0) return 1;
  return (index - expected) / (max - expected);
}

export interface StabilityResult {
  /** Mean ARI over all pairs of seeds. */
  mean: number;
  min: number;
  /** k found with each seed. */
  ks: number[];
  labelings: number[][];
}

/**
 * How much the clustering depends on its seed: the texts are embedded once, clustered
 * with each seed, and the labellings compared pairwise (adjusted Rand index).
 */
export async function clusterStability(
  texts: string[],
  opts: ClusterOptions,
  seeds: number[],
): Promise<StabilityResult> {
  if (seeds.length < 2) throw new Error('clusterStability needs at least two seeds');
  const vectors = await opts.embedder.embed(texts);
  const runs = seeds.map((seed) =>
    clusterVectors(vectors, texts, { ...opts, seed, map: 'none', embedderName: opts.embedder.name }),
  );
  const aris: number[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) aris.push(adjustedRandIndex(runs[i].labels, runs[j].labels));
  }
  return {
    mean: aris.reduce((s, x) => s + x, 0) / aris.length,
    min: Math.min(...aris),
    ks: runs.map((r) => r.k),
    labelings: runs.map((r) => r.labels),
  };
}
