// Turns failure descriptions into vectors. Three embedders share one interface:
//
// - tfidf (the default): offline and deterministic. TF-IDF over word unigrams, word
//   bigrams and character 3-5-grams, reduced to `dims` by a seeded randomized truncated
//   SVD (latent semantic analysis) and L2-normalised. It is FITTED ON THE TEXTS OF ONE
//   CALL: vocabulary, IDF weights and the projection all come from that call, so vectors
//   are comparable only within one embed() call (one analysis). Whoever needs to compare
//   new texts with stored ones (the taxonomy mapping) embeds both in the same call.
// - openai / base-url: any OpenAI-compatible /v1/embeddings endpoint through the AI SDK.
// - local: transformers.js on a model folder the user supplies (never downloads).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { embedMany } from 'ai';
import { UserError } from '../../util/errors.ts';
import { Rng } from '../../util/rng.ts';
import { CONCEPTS } from './lexicon.ts';

export interface Embedder {
  /** A spec-like name ("tfidf:64", "openai:text-embedding-3-small", ...), stored with centroids. */
  name: string;
  /** Vector length; null until known (remote and local models report it after the first call). */
  dimensions: number | null;
  /**
   * True when the embedder is fitted on each call's texts (tfidf): vectors from two calls
   * are not comparable, so callers must embed everything they compare in one call.
   */
  fittedPerCall?: boolean;
  embed(texts: string[]): Promise<number[][]>;
}

// ---------------------------------------------------------------------------------------
// Text features

const STOP_WORDS = new Set(
  (
    'a about above after against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most ' +
    'my myself no nor not now of off on once only or other our ours ourselves out over own she should ' +
    'so some such than that the their theirs them themselves then there these they this those through to ' +
    'too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves also yet via per upon whether within onto'
  ).split(' '),
);

// Ordered suffix rules: [suffix, replacement]. The first that leaves a stem of at least
// three letters wins. A light stemmer: it only has to bring inflections of one word together.
const SUFFIXES: [string, string][] = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['fulness', 'ful'],
  ['iveness', 'ive'],
  ['ations', 'ate'],
  ['ation', 'ate'],
  ['ments', ''],
  ['ment', ''],
  ['nesses', ''],
  ['ness', ''],
  ['ingly', ''],
  ['edly', ''],
  ['ities', ''],
  ['ity', ''],
  ['ings', ''],
  ['ing', ''],
  ['ies', 'y'],
  ['ied', 'y'],
  ['ions', ''],
  ['ion', ''],
  ['ers', ''],
  ['er', ''],
  ['ed', ''],
  ['es', ''],
  ['ly', ''],
  ['s', ''],
];

/** Light stemming of common English suffixes ("retried", "retries", "retrying" → "retry"). */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let w = word;
  for (const [suffix, repl] of SUFFIXES) {
    if (!w.endsWith(suffix)) continue;
    const base = w.slice(0, w.length - suffix.length);
    if (base.length < 3) continue;
    // "-s" only as a plural: not "class", "status", "analysis".
    if (suffix === 's' && /(ss|us|is)$/.test(w)) break;
    w = base + repl;
    break;
  }
  // "stopp" → "stop", "formatt" → "format" (not "fill", "pass", "buzz").
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !/[lsz]/.test(w[w.length - 1])) {
    w = w.slice(0, -1);
  }
  // A final silent e: "complete"/"completed" → "complet", "ignore"/"ignoring" → "ignor".
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** Lower-cased word tokens without stop words and bare numbers. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const t of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (t.length < 2 || STOP_WORDS.has(t) || /^\d+$/.test(t)) continue;
    out.push(t);
  }
  return out;
}

/** Feature groups and their share of a vector's squared norm. */
export interface FeatureWeights {
  words: number;
  bigrams: number;
  chars: number;
  concepts: number;
}
export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = {
  words: 0.15,
  bigrams: 0.05,
  chars: 0.1,
  concepts: 0.7,
};
const PREFIXES = ['w:', 'b:', 'c:', 'k:'] as const;

/** Stemmed word (or "stem stem" pair) → the concept groups it belongs to. */
const CONCEPT_INDEX: Map<string, string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const [concept, entries] of Object.entries(CONCEPTS)) {
    for (const entry of entries) {
      const stems = tokenize(entry).map(stem);
      if (stems.length === 0 || stems.length > 2) continue;
      const key = stems.join(' ');
      const list = index.get(key) ?? [];
      if (!list.includes(concept)) list.push(concept);
      index.set(key, list);
    }
  }
  return index;
})();

/**
 * Term counts per feature group: stemmed words, stemmed bigrams, character 3-5-grams of
 * words (with word boundaries), and concept groups of the thesaurus (./lexicon.ts).
 */
function features(text: string): Map<string, number>[] {
  const words = tokenize(text);
  const stems = words.map(stem);
  const groups = [
    new Map<string, number>(),
    new Map<string, number>(),
    new Map<string, number>(),
    new Map<string, number>(),
  ];
  const add = (g: number, key: string) => groups[g].set(key, (groups[g].get(key) ?? 0) + 1);
  for (const s of stems) {
    add(0, s);
    for (const c of CONCEPT_INDEX.get(s) ?? []) add(3, c);
  }
  for (let i = 0; i + 1 < stems.length; i++) {
    const pair = `${stems[i]} ${stems[i + 1]}`;
    add(1, pair);
    for (const c of CONCEPT_INDEX.get(pair) ?? []) add(3, c);
  }
  for (const w of words) {
    const padded = ` ${w} `;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(2, padded.slice(i, i + n));
    }
  }
  return groups;
}

interface SparseRow {
  idx: Int32Array;
  val: Float64Array;
}

export interface TfidfOptions {
  /** Output length (default 64). */
  dims?: number;
  /** Seeds the random projection of the truncated SVD (default 0). */
  seed?: number;
  /** At most this many features (by document frequency) are kept (default 65,536). */
  maxFeatures?: number;
  /** Share of each feature group in a vector (default DEFAULT_FEATURE_WEIGHTS). */
  weights?: Partial<FeatureWeights>;
}

/**
 * Sparse TF-IDF rows (sublinear tf, smooth idf, each group L2-normalised and weighted) over
 * the corpus given. Features seen in a single document are dropped once the corpus has 20
 * or more texts (they cannot make two texts similar, only add noise to the projection).
 */
function tfidfRows(
  texts: string[],
  maxFeatures: number,
  weights: FeatureWeights,
): { rows: SparseRow[]; vocabSize: number } {
  const groupWeights = [weights.words, weights.bigrams, weights.chars, weights.concepts];
  const n = texts.length;
  const docs = texts.map(features);
  const df = new Map<string, number>();
  for (const groups of docs) {
    for (let g = 0; g < groups.length; g++) {
      for (const key of groups[g].keys()) {
        const k = PREFIXES[g] + key;
        df.set(k, (df.get(k) ?? 0) + 1);
      }
    }
  }
  const minDf = n >= 20 ? 2 : 1;
  let kept = [...df.entries()].filter(([, d]) => d >= minDf);
  if (kept.length > maxFeatures) {
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    kept = kept.slice(0, maxFeatures);
  }
  // Vocabulary order is made independent of input order by sorting the keys.
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const vocab = new Map<string, number>();
  const idf: number[] = [];
  for (const [k, d] of kept) {
    vocab.set(k, idf.length);
    idf.push(Math.log((1 + n) / (1 + d)) + 1);
  }
  const rows: SparseRow[] = docs.map((groups) => {
    const entries: [number, number][] = [];
    for (let g = 0; g < groups.length; g++) {
      const part: [number, number][] = [];
      let norm = 0;
      for (const [key, tf] of groups[g]) {
        const j = vocab.get(PREFIXES[g] + key);
        if (j === undefined) continue;
        const v = (1 + Math.log(tf)) * idf[j];
        part.push([j, v]);
        norm += v * v;
      }
      if (norm === 0) continue;
      const scale = Math.sqrt(groupWeights[g] / norm);
      for (const [j, v] of part) entries.push([j, v * scale]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    return {
      idx: Int32Array.from(entries, (e) => e[0]),
      val: Float64Array.from(entries, (e) => e[1]),
    };
  });
  return { rows, vocabSize: idf.length };
}

/** Orthonormalises the columns of a row-major rows×cols matrix in place (modified Gram-Schmidt). */
function orthonormalizeColumns(m: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * cols + c] * m[r * cols + p];
      if (dot === 0) continue;
      for (let r = 0; r < rows; r++) m[r * cols + c] -= dot * m[r * cols + p];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * cols + c] ** 2;
    norm = Math.sqrt(norm);
    // A dependent column (rank below cols) becomes zero and yields a zero singular value.
    const inv = norm > 1e-10 ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) m[r * cols + c] *= inv;
  }
}

/** Eigen-decomposition of a symmetric l×l matrix (cyclic Jacobi). Returns values and column vectors. */
export function symmetricEigen(a: Float64Array, l: number): { values: number[]; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += m[p * l + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = m[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * l + q] - m[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const mkp = m[k * l + p];
          const mkq = m[k * l + q];
          m[k * l + p] = c * mkp - s * mkq;
          m[k * l + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < l; k++) {
          const mpk = m[p * l + k];
          const mqk = m[q * l + k];
          m[p * l + k] = c * mpk - s * mqk;
          m[q * l + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: l }, (_, i) => m[i * l + i]);
  return { values, vectors: v };
}

/**
 * Rank-`dims` LSA of sparse rows: randomized truncated SVD (Halko, Martinsson & Tropp) with
 * a seeded Gaussian test matrix and two power iterations. Returns U_k·Σ_k, one row per text.
 */
function truncatedSvd(rows: SparseRow[], vocabSize: number, dims: number, seed: number): Float64Array[] {
  const n = rows.length;
  const l = Math.min(dims + 10, n, vocabSize);
  if (l === 0) return rows.map(() => new Float64Array(dims));
  const rng = new Rng(seed, 'tfidf/projection');
  const omega = new Float64Array(vocabSize * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  // Y = A·Ω (n×l)
  const multiplyA = (right: Float64Array): Float64Array => {
    const y = new Float64Array(n * l);
    for (let i = 0; i < n; i++) {
      const { idx, val } = rows[i];
      const base = i * l;
      for (let t = 0; t < idx.length; t++) {
        const off = idx[t] * l;
        const v = val[t];
        for (let c = 0; c < l; c++) y[base + c] += v * right[off + c];
      }
    }
    return y;
  };
  // Z = Aᵀ·Q (V×l)
  const multiplyAt = (q: Float64Array): Float64Array => {
    const z = new Float64Array(vocabSize * l);
    for (let i = 0; i < n; i++) {
      const { idx, val } = rows[i];
      const base = i * l;
      for (let t = 0; t < idx.length; t++) {
        const off = idx[t] * l;
        const v = val[t];
        for (let c = 0; c < l; c++) z[off + c] += v * q[base + c];
      }
    }
    return z;
  };
  let q = multiplyA(omega);
  orthonormalizeColumns(q, n, l);
  for (let it = 0; it < 2; it++) {
    const z = multiplyAt(q);
    orthonormalizeColumns(z, vocabSize, l);
    q = multiplyA(z);
    orthonormalizeColumns(q, n, l);
  }
  // B = Qᵀ·A; B·Bᵀ = Zᵀ·Z with Z = Aᵀ·Q.
  const z = multiplyAt(q);
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < vocabSize; r++) {
    const off = r * l;
    for (let a = 0; a < l; a++) {
      const za = z[off + a];
      if (za === 0) continue;
      for (let b = a; b < l; b++) bbt[a * l + b] += za * z[off + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) bbt[a * l + b] = bbt[b * l + a];
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const k = Math.min(dims, l);
  const out = rows.map(() => new Float64Array(dims));
  for (let d = 0; d < k; d++) {
    const e = order[d];
    const sigma = Math.sqrt(Math.max(0, values[e]));
    if (sigma < 1e-12) continue;
    // U column = Q·w; sign fixed so the column sums to a non-negative value.
    const col = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < l; c++) s += q[i * l + c] * vectors[c * l + e];
      col[i] = s;
      sum += s;
    }
    const sign = sum < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) out[i][d] = sign * col[i] * sigma;
  }
  return out;
}

export function l2normalize(v: ArrayLike<number>): number[] {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = norm > 0 ? v[i] / norm : 0;
  return out;
}

/**
 * The offline default: TF-IDF + seeded truncated SVD, fitted on the texts of each call
 * (vectors of different calls are not comparable). Deterministic for a given seed and
 * corpus; texts without any kept feature get the zero vector.
 */
export function tfidfEmbedder(opts: TfidfOptions = {}): Embedder {
  const dims = opts.dims ?? 64;
  const seed = opts.seed ?? 0;
  const maxFeatures = opts.maxFeatures ?? 65_536;
  const weights = { ...DEFAULT_FEATURE_WEIGHTS, ...opts.weights };
  if (!Number.isInteger(dims) || dims < 2) throw new Error(`tfidf dims must be an integer ≥ 2, got ${dims}`);
  return {
    name: `tfidf:${dims}`,
    dimensions: dims,
    fittedPerCall: true,
    async embed(texts: string[]): Promise<number[][]> {
      if (texts.length === 0) return [];
      const { rows, vocabSize } = tfidfRows(texts, maxFeatures, weights);
      return truncatedSvd(rows, vocabSize, dims, seed).map(l2normalize);
    },
  };
}

// ---------------------------------------------------------------------------------------
// OpenAI-compatible endpoint

export interface OpenAIEmbedderOptions {
  model: string;
  /** An OpenAI-compatible server ("http://127.0.0.1:8080/v1"); default api.openai.com. */
  baseUrl?: string;
  /** Default: OPENAI_API_KEY (required for api.openai.com); for a base URL, ASSETOPS_API_KEY or OPENAI_API_KEY or a placeholder. */
  apiKey?: string;
  /** Texts per request (default 256). */
  batchSize?: number;
  /** Requests in flight at once (default 2). */
  maxParallelCalls?: number;
  /** Retries per request on 429/5xx (default 2). */
  maxRetries?: number;
}

export function openaiEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const model = opts.model.trim();
  if (!model) throw new UserError('embedder needs a model name', EMBEDDER_FORMS, 'bad_embedder_spec');
  let apiKey = opts.apiKey;
  if (!opts.baseUrl) {
    apiKey ??= process.env.OPENAI_API_KEY;
    if (!apiKey) {
      throw new UserError(
        `embedder openai:${model} needs an API key`,
        'Set OPENAI_API_KEY in the environment',
        'missing_api_key',
      );
    }
  } else {
    apiKey ??= process.env.ASSETOPS_API_KEY || process.env.OPENAI_API_KEY || 'no-key';
  }
  const provider = createOpenAI({
    apiKey,
    ...(opts.baseUrl ? { baseURL: opts.baseUrl, name: 'openai-compatible' } : {}),
  });
  const embeddingModel = provider.embedding(model);
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const embedder: Embedder = {
    name: opts.baseUrl ? `base-url:${opts.baseUrl}#${model}` : `openai:${model}`,
    dimensions: null,
    async embed(texts: string[]): Promise<number[][]> {
      const out: number[][] = [];
      // Our own batches, so one request never carries more than batchSize texts whatever the
      // provider's per-call maximum; embedMany keeps the order within each batch.
      const batches: string[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
      const parallel = Math.max(1, opts.maxParallelCalls ?? 2);
      const results: number[][][] = new Array(batches.length);
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const b = next++;
          const { embeddings } = await embedMany({
            model: embeddingModel,
            values: batches[b],
            maxRetries: opts.maxRetries ?? 2,
          });
          if (embeddings.length !== batches[b].length) {
            throw new Error(
              `${embedder.name} returned ${embeddings.length} vectors for ${batches[b].length} texts`,
            );
          }
          results[b] = embeddings;
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
      for (const r of results) out.push(...r);
      if (out.length > 0) embedder.dimensions = out[0].length;
      return out;
    },
  };
  return embedder;
}

// ---------------------------------------------------------------------------------------
// transformers.js on a local folder

export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
export const TRANSFORMERS_INSTALL = `npm i -E ${TRANSFORMERS_PACKAGE}@4.3.1`;

/** The onnx files of a model folder (in onnx/ as transformers.js expects, or at the top). */
function onnxFiles(dir: string): string[] {
  const found: string[] = [];
  for (const sub of ['onnx', '.']) {
    const d = join(dir, sub);
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) if (f.endsWith('.onnx')) found.push(sub === '.' ? f : `${sub}/${f}`);
  }
  return found;
}

/** Which weights transformers.js should load, from the onnx file names present. */
function dtypeFor(files: string[]): string | undefined {
  const names = new Set(files.map((f) => basename(f)));
  if (names.has('model.onnx')) return 'fp32';
  for (const [file, dtype] of [
    ['model_fp16.onnx', 'fp16'],
    ['model_quantized.onnx', 'q8'],
    ['model_int8.onnx', 'int8'],
    ['model_uint8.onnx', 'uint8'],
    ['model_q4.onnx', 'q4'],
  ]) {
    if (names.has(file)) return dtype;
  }
  return undefined;
}

// The slice of transformers.js used here (the package is optional, so no types from it).
interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(
    task: 'feature-extraction',
    model: string,
    opts: Record<string, unknown>,
  ): Promise<
    (texts: string[], o: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): number[][] }>
  >;
}

async function importTransformers(dir: string): Promise<TransformersModule> {
  // A variable specifier: the package is optional and must not be resolved at build time.
  const specifier = TRANSFORMERS_PACKAGE;
  try {
    return (await import(specifier)) as TransformersModule;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const missing =
      e.code === 'ERR_MODULE_NOT_FOUND' ||
      e.code === 'MODULE_NOT_FOUND' ||
      /cannot find (package|module)|failed to (load|resolve)/i.test(e.message ?? '');
    if (!missing || !(e.message ?? '').includes(TRANSFORMERS_PACKAGE)) throw err;
    throw new UserError(
      `embedder local:${dir} needs ${TRANSFORMERS_PACKAGE}, which is not installed`,
      `Install it with \`${TRANSFORMERS_INSTALL}\`; the model is read from ${dir} and nothing is downloaded`,
      'missing_package',
    );
  }
}

export interface LocalEmbedderOptions {
  /** Texts per forward pass (default 32). */
  batchSize?: number;
}

/**
 * Sentence embeddings (mean pooling, L2-normalised) from a transformers.js model folder
 * (config.json, tokenizer files, onnx/model*.onnx). Remote models are disabled: nothing is
 * downloaded. The folder is checked at once; the package is loaded on the first embed().
 */
export function localEmbedder(dir: string, opts: LocalEmbedderOptions = {}): Embedder {
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UserError(
      `embedder local:${dir}: ${folder} is not a folder`,
      'Pass the folder of a transformers.js model (config.json, tokenizer.json, onnx/model.onnx)',
      'bad_model_folder',
    );
  }
  const files = onnxFiles(folder);
  const lacks = [
    ...(existsSync(join(folder, 'config.json')) ? [] : ['config.json']),
    ...(files.length > 0 ? [] : ['onnx/*.onnx']),
  ];
  if (lacks.length > 0) {
    throw new UserError(
      `embedder local:${dir}: the model folder ${folder} has no ${lacks.join(' and no ')}`,
      'Export the model for transformers.js (optimum-cli export onnx, or an Xenova/onnx-community copy) into that folder',
      'bad_model_folder',
    );
  }
  const batchSize = Math.max(1, opts.batchSize ?? 32);
  let extractor: Awaited<ReturnType<TransformersModule['pipeline']>> | null = null;
  const embedder: Embedder = {
    name: `local:${folder}`,
    dimensions: null,
    async embed(texts: string[]): Promise<number[][]> {
      if (!extractor) {
        const t = await importTransformers(dir);
        t.env.allowRemoteModels = false;
        t.env.allowLocalModels = true;
        // transformers.js joins localModelPath and the model id.
        t.env.localModelPath = `${dirname(folder)}/`;
        const dtype = dtypeFor(files);
        extractor = await t.pipeline('feature-extraction', basename(folder), {
          local_files_only: true,
          ...(dtype ? { dtype } : {}),
        });
      }
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const result = await extractor(texts.slice(i, i + batchSize), { pooling: 'mean', normalize: true });
        out.push(...result.tolist());
      }
      if (out.length > 0) embedder.dimensions = out[0].length;
      return out;
    },
  };
  return embedder;
}

// ---------------------------------------------------------------------------------------
// Specs

export const EMBEDDER_FORMS =
  'Use tfidf (default, offline) or tfidf:DIMS, openai:MODEL (OPENAI_API_KEY), ' +
  'base-url:URL#MODEL for an OpenAI-compatible server (e.g. base-url:http://127.0.0.1:8080/v1#nomic-embed-text), ' +
  'or local:DIR for a transformers.js model folder';

export interface EmbedderSpecOptions {
  /** Seed of the tfidf projection. */
  seed?: number;
  apiKey?: string;
}

/**
 * Parses an embedder spec:
 * - `tfidf` (also the empty spec) or `tfidf:DIMS`: the offline default;
 * - `openai:MODEL`: api.openai.com with OPENAI_API_KEY;
 * - `base-url:URL#MODEL` (or just `URL#MODEL` for an http(s) URL): an OpenAI-compatible
 *   server; the model name comes after the last "#", so URLs with colons and ports work;
 * - `local:DIR`: transformers.js on a local model folder.
 */
export function embedderFromSpec(spec: string | undefined, opts: EmbedderSpecOptions = {}): Embedder {
  const s = (spec ?? '').trim();
  const bad = () =>
    new UserError(`embedder "${spec}" is not an embedder spec`, EMBEDDER_FORMS, 'bad_embedder_spec');
  if (s === '' || s === 'tfidf') return tfidfEmbedder({ seed: opts.seed });
  if (s.startsWith('tfidf:')) {
    const dims = Number(s.slice('tfidf:'.length));
    if (!Number.isInteger(dims) || dims < 2 || dims > 4096) throw bad();
    return tfidfEmbedder({ dims, seed: opts.seed });
  }
  if (s.startsWith('openai:')) {
    const model = s.slice('openai:'.length).trim();
    if (!model) throw bad();
    return openaiEmbedder({ model, apiKey: opts.apiKey });
  }
  const urlForm = s.startsWith('base-url:') ? s.slice('base-url:'.length) : /^https?:\/\//.test(s) ? s : null;
  if (urlForm !== null) {
    const hash = urlForm.lastIndexOf('#');
    if (hash < 0) throw bad();
    const baseUrl = urlForm.slice(0, hash).trim();
    const model = urlForm.slice(hash + 1).trim();
    if (!/^https?:\/\/\S+$/.test(baseUrl) || !model) throw bad();
    return openaiEmbedder({ model, baseUrl, apiKey: opts.apiKey });
  }
  if (s.startsWith('local:')) {
    const dir = s.slice('local:'.length).trim();
    if (!dir) throw bad();
    return localEmbedder(dir);
  }
  throw bad();
}
