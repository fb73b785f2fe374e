// The failure taxonomy as a versioned JSON file. Version 1 holds the 14 base codes and the
// detector kinds; each accepted round of discovery adds "discovered" categories (clusters
// of descriptions that fitted nothing known) and bumps the version. A taxonomy object is
// never changed in place: acceptProposals returns a new one.
//
// Mapping new descriptions compares them with the discovered categories only (base and
// detector categories are assigned by the detectors and the judge, not by similarity).
// Embeddings fitted per call (tfidf) are not comparable across calls, so mapping embeds the
// categories' examples together with the new descriptions in ONE call and recomputes each
// centroid from its examples; a stored centroid is used as is only for a fixed embedder
// (openai, base-url, local) with the same name as the one that stored it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../util/errors.ts';
import { BASE_CODES, type BaseCode, DETECTOR_KINDS, type DetectorKind } from '../types.ts';
import { type ClusterSettings, clusterVectors } from './cluster.ts';
import { type Embedder, l2normalize, stem, tokenize } from './embedders.ts';

const CategorySchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  definition: z.string(),
  kind: z.enum(['base', 'detector', 'discovered']),
  examples: z.array(z.string()),
  /** Discovered categories: the mean of their examples' vectors, in `embedder`'s space. */
  centroid: z.array(z.number().finite()).optional(),
  embedder: z.string().min(1).optional(),
  /** Discovered categories: the cosine similarity of their least typical example to the centroid. */
  minSimilarity: z.number().min(-1).max(1).optional(),
  count: z.number().int().min(0),
});

export const TaxonomySchema = z
  .object({
    version: z.number().int().min(1),
    createdAt: z.iso.datetime({ offset: true }),
    categories: z.array(CategorySchema),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.categories.forEach((c, i) => {
      if (seen.has(c.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['categories', i, 'id'],
          message: `duplicate category id "${c.id}"`,
        });
      }
      seen.add(c.id);
      if (c.centroid && !c.embedder) {
        ctx.addIssue({
          code: 'custom',
          path: ['categories', i, 'embedder'],
          message: 'a category with a centroid must name the embedder of that centroid',
        });
      }
    });
  });

export type Taxonomy = z.infer<typeof TaxonomySchema>;
export type TaxonomyCategory = z.infer<typeof CategorySchema>;

const BASE_DEFINITIONS: Record<BaseCode, string> = {
  '1.1': 'Breaks a stated constraint or requirement of the task (scope, limits, required format or tools).',
  '1.2': 'Takes on work or decisions that belong to another agent or lie outside its assigned role.',
  '1.3': 'Redoes steps or tool calls that were already completed, without any new reason to.',
  '1.4': 'Forgets or contradicts earlier context and falls back to an older state of the conversation.',
  '1.5': 'Does not recognise when the task is finished or when it should stop, and keeps going.',
  '2.1': 'Restarts the conversation or the task without reason, losing the progress made.',
  '2.2': 'Proceeds on an ambiguous or underspecified request by guessing instead of asking.',
  '2.3': 'Drifts away from the objective of the task into unrelated work.',
  '2.4': 'Holds relevant information but does not pass it on to the user or the other agents.',
  '2.5': 'Disregards recommendations, corrections or results coming from other agents.',
  '2.6': 'Takes an action that differs from what its own reasoning said it would do.',
  '3.1': 'Ends before the objective is met or before the information it needs has been gathered.',
  '3.2': 'Does not check its results, or checks them against the wrong thing.',
  '3.3': 'Checks its results, but too superficially to catch the errors that are there.',
};

const DETECTOR_DEFINITIONS: Record<DetectorKind, string> = {
  ineffective_error_recovery:
    'After a tool error, retries the same failing call or otherwise does not change its approach.',
  overstated_completion: 'The final answer claims work done or succeeded that the trajectory does not show.',
  formatting_issue: 'The final answer does not follow the answer format the task asked for.',
  unhandled_tool_error:
    'A tool returned an error the agent neither noticed nor handled; it went on as if the call had worked.',
  ignored_feedback: 'Feedback or corrections from the user, a reviewer or another agent were not acted on.',
  step_repetition: 'The same step or tool call is repeated without new information.',
  premature_termination:
    'Stops before the task is answered: gives up, runs out of steps or answers too early.',
  missing_clarification:
    'An ambiguous request (which asset, which period) was answered by guessing instead of asking.',
  wrong_entity: 'Works on an asset, site or sensor other than the one the task is about.',
  no_verification: 'Reports results without checking them against the data.',
  leaked_prompt: 'The answer carries prompt or instruction text the model echoed back.',
  ran_past_termination:
    'Acts again after it had finished (after Finish, after its answer, or after saying it was done), or replays its finished plan.',
  duplicated_answer: 'The final answer repeats itself, or is given twice.',
  non_argument_text: 'A tool argument holds planning prose, a heading or a ReAct keyword instead of a value.',
};

function nowIso(now: Date): string {
  return now.toISOString();
}

/** Version 1: the 14 base codes and the detector kinds, without examples. */
export function baseTaxonomy(now: Date = new Date()): Taxonomy {
  const base: TaxonomyCategory[] = (Object.keys(BASE_CODES) as BaseCode[]).map((code) => ({
    id: code,
    title: BASE_CODES[code],
    definition: BASE_DEFINITIONS[code],
    kind: 'base',
    examples: [],
    count: 0,
  }));
  const detectors: TaxonomyCategory[] = DETECTOR_KINDS.map((kind) => ({
    id: kind,
    title: kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' '),
    definition: DETECTOR_DEFINITIONS[kind],
    kind: 'detector',
    examples: [],
    count: 0,
  }));
  return { version: 1, createdAt: nowIso(now), categories: [...base, ...detectors] };
}

const HINT = 'Fix the file, or write a fresh one from the base taxonomy';

/** Reads and validates a taxonomy file; any problem is a UserError naming the file. */
export function loadTaxonomy(path: string): Taxonomy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read the taxonomy file ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      HINT,
      'bad_taxonomy',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(
      `the taxonomy file ${path} is not valid JSON: ${(err as Error).message.split('\n')[0]}`,
      HINT,
      'bad_taxonomy',
    );
  }
  const r = TaxonomySchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 4)
      .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
      .join('; ');
    throw new UserError(`the taxonomy file ${path} is not a valid taxonomy: ${issues}`, HINT, 'bad_taxonomy');
  }
  return r.data;
}

/** Writes a taxonomy atomically (a temporary file in the same folder, then a rename). */
export function saveTaxonomy(path: string, taxonomy: Taxonomy): void {
  const r = TaxonomySchema.safeParse(taxonomy);
  if (!r.success) {
    throw new Error(`refusing to save an invalid taxonomy: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  const body = JSON.stringify(
    r.data,
    (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v),
    2,
  );
  try {
    writeFileSync(temp, `${body}\n`, 'utf8');
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

export interface MapOptions extends ClusterSettings {
  /**
   * Cosine similarity to a discovered category's centroid that assigns a description to it
   * (default 0.5). A category whose own examples sit less close to their centroid has its bar
   * lowered to its least typical example's similarity, but never below `floor`.
   */
  threshold?: number;
  /** The lowest bar any category can have (default 0.4). */
  floor?: number;
  /** Examples kept per proposal, nearest its centroid first (default 20). */
  maxExamples?: number;
  /** Clusters of unassigned descriptions smaller than this are not proposed (default 2). */
  minProposalSize?: number;
}

export interface Assignment {
  index: number;
  description: string;
  /** The discovered category assigned, or null. */
  categoryId: string | null;
  /** Cosine similarity to the nearest discovered category (0 when there is none), assigned or not. */
  similarity: number;
  /** Index in `proposals` of the proposal this unassigned description belongs to, if any. */
  proposal: number | null;
}

export interface Proposal {
  /** The id the category gets when accepted ("cluster:..."). */
  id: string;
  title: string;
  /** The description nearest the cluster's centroid. */
  definition: string;
  /** Distinctive words of the cluster (most frequent within it, relative to the other unassigned). */
  keywords: string[];
  examples: string[];
  centroid: number[];
  embedder: string;
  /** Cosine similarity of the least typical example to the centroid. */
  minSimilarity: number;
  size: number;
  /** Indices of the descriptions in the cluster. */
  members: number[];
}

export interface MappingResult {
  embedder: string;
  threshold: number;
  assignments: Assignment[];
  /** Per description: the assigned discovered category id, or null (same as assignments[i].categoryId). */
  categoryOf: (string | null)[];
  /** Per description: the index of its proposal, or null (same as assignments[i].proposal). */
  proposalOf: (number | null)[];
  proposals: Proposal[];
  /** Discovered categories that could not be compared (no examples, and no usable centroid). */
  skipped: string[];
}

function mean(vectors: number[][]): number[] {
  const out = new Array<number>(vectors[0].length).fill(0);
  for (const v of vectors) for (let d = 0; d < out.length; d++) out[d] += v[d];
  return out.map((x) => x / vectors.length);
}

function cosine(a: number[], b: number[]): number {
  const na = l2normalize(a);
  const nb = l2normalize(b);
  let s = 0;
  for (let i = 0; i < na.length; i++) s += na[i] * nb[i];
  // Rounding can carry a unit vector's self-similarity a hair past 1.
  return Math.max(-1, Math.min(1, s));
}

/**
 * Assigns each description to the nearest discovered category when the cosine similarity
 * reaches the threshold; clusters the rest into proposals for new categories.
 */
export async function mapToTaxonomy(
  descriptions: string[],
  taxonomy: Taxonomy,
  embedder: Embedder,
  opts: MapOptions = {},
): Promise<MappingResult> {
  const threshold = opts.threshold ?? 0.5;
  const discovered = taxonomy.categories.filter((c) => c.kind === 'discovered');
  const stored = new Map<string, number[]>();
  const fromExamples: TaxonomyCategory[] = [];
  const skipped: string[] = [];
  for (const c of discovered) {
    const usable =
      !embedder.fittedPerCall && c.centroid && c.embedder === embedder.name && c.centroid.length > 0;
    if (usable) stored.set(c.id, c.centroid!);
    else if (c.examples.length > 0) fromExamples.push(c);
    else skipped.push(c.id);
  }
  // One call for the examples and the descriptions (required for per-call embedders).
  const exampleTexts = fromExamples.flatMap((c) => c.examples);
  const vectors = await embedder.embed([...exampleTexts, ...descriptions]);
  if (vectors.length !== exampleTexts.length + descriptions.length) {
    throw new Error(
      `${embedder.name} returned ${vectors.length} vectors for ${exampleTexts.length + descriptions.length} texts`,
    );
  }
  const floor = opts.floor ?? 0.4;
  const bar = (typical: number | undefined) => Math.max(floor, Math.min(threshold, typical ?? threshold));
  const centroids: { id: string; vector: number[]; bar: number }[] = [];
  let offset = 0;
  for (const c of fromExamples) {
    const own = vectors.slice(offset, offset + c.examples.length);
    const vector = mean(own);
    centroids.push({ id: c.id, vector, bar: bar(Math.min(...own.map((v) => cosine(v, vector)))) });
    offset += c.examples.length;
  }
  for (const c of discovered) {
    if (stored.has(c.id)) centroids.push({ id: c.id, vector: stored.get(c.id)!, bar: bar(c.minSimilarity) });
  }
  const descVectors = vectors.slice(exampleTexts.length);
  for (const { id, vector } of centroids) {
    if (descVectors.length > 0 && vector.length !== descVectors[0].length) {
      throw new UserError(
        `category ${id} has a ${vector.length}-dimensional centroid but ${embedder.name} gives ${descVectors[0].length} dimensions`,
        'Map with the embedder that built the taxonomy, or drop the centroid so it is recomputed from the examples',
        'embedder_mismatch',
      );
    }
  }

  const assignments: Assignment[] = descriptions.map((description, index) => {
    let nearest = 0;
    let chosen: { id: string; sim: number } | null = null;
    for (const c of centroids) {
      const sim = cosine(descVectors[index], c.vector);
      nearest = Math.max(nearest, sim);
      // (1e-6: the file keeps six decimals.)
      if (sim >= c.bar - 1e-6 && (!chosen || sim > chosen.sim)) chosen = { id: c.id, sim };
    }
    return { index, description, categoryId: chosen?.id ?? null, similarity: nearest, proposal: null };
  });

  const unassigned = assignments.filter((a) => a.categoryId === null).map((a) => a.index);
  const proposals: Proposal[] = [];
  if (unassigned.length >= 3) {
    const result = clusterVectors(
      unassigned.map((i) => descVectors[i]),
      unassigned.map((i) => descriptions[i]),
      { ...opts, map: 'none', embedderName: embedder.name },
    );
    const takenIds = new Set(taxonomy.categories.map((c) => c.id));
    const groups = Array.from({ length: result.k }, (_, c) =>
      result.labels.flatMap((l, p) => (l === c ? [unassigned[p]] : [])),
    );
    for (let c = 0; c < result.k; c++) {
      const members = groups[c];
      if (members.length < (opts.minProposalSize ?? 2)) continue;
      const centroid = result.centroids[c];
      const ranked = [...members].sort(
        (a, b) => cosine(descVectors[b], centroid) - cosine(descVectors[a], centroid) || a - b,
      );
      const examples = ranked.slice(0, opts.maxExamples ?? 20);
      const others = unassigned.filter((i) => !members.includes(i));
      const keywords = distinctiveWords(
        members.map((i) => descriptions[i]),
        others.map((i) => descriptions[i]),
      );
      const id = uniqueId(`cluster:${keywords.slice(0, 3).join('-') || 'unnamed'}`, takenIds);
      takenIds.add(id);
      const definition = result.names[c];
      proposals.push({
        id,
        title: titleFrom(definition),
        definition,
        keywords,
        examples: examples.map((i) => descriptions[i]),
        centroid,
        embedder: embedder.name,
        minSimilarity: cosine(descVectors[examples[examples.length - 1]], centroid),
        size: members.length,
        members: [...members].sort((a, b) => a - b),
      });
      for (const i of members) assignments[i].proposal = proposals.length - 1;
    }
  }
  return {
    embedder: embedder.name,
    threshold,
    assignments,
    categoryOf: assignments.map((a) => a.categoryId),
    proposalOf: assignments.map((a) => a.proposal),
    proposals,
    skipped,
  };
}

/** The first words of a description, as a short title. */
function titleFrom(text: string, words = 8): string {
  const parts = text
    .trim()
    .replace(/[.:;]+$/, '')
    .split(/\s+/);
  return parts.length <= words ? parts.join(' ') : `${parts.slice(0, words).join(' ')}…`;
}

/** Words frequent in `inside` and rarer in `outside` (document frequency ratio), as they are written. */
function distinctiveWords(inside: string[], outside: string[], count = 5): string[] {
  const docFreq = (texts: string[]) => {
    const df = new Map<string, number>();
    const surface = new Map<string, Map<string, number>>();
    for (const t of texts) {
      const seen = new Set<string>();
      for (const w of tokenize(t)) {
        const s = stem(w);
        const forms = surface.get(s) ?? new Map<string, number>();
        forms.set(w, (forms.get(w) ?? 0) + 1);
        surface.set(s, forms);
        if (seen.has(s)) continue;
        seen.add(s);
        df.set(s, (df.get(s) ?? 0) + 1);
      }
    }
    return { df, surface };
  };
  const a = docFreq(inside);
  const b = docFreq(outside);
  const scored = [...a.df.entries()]
    .filter(([s]) => s.length > 2)
    .map(([s, d]) => {
      const pin = d / inside.length;
      const pout = ((b.df.get(s) ?? 0) + 0.5) / (outside.length + 1);
      return { s, score: pin * Math.log(1 + pin / pout), d };
    })
    .filter((x) => x.d >= Math.min(2, inside.length))
    .sort((x, y) => y.score - x.score || (x.s < y.s ? -1 : 1));
  return scored.slice(0, count).map(({ s }) => {
    const forms = [...a.surface.get(s)!.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    return forms[0][0];
  });
}

function uniqueId(base: string, taken: Set<string>): string {
  const slug = base
    .toLowerCase()
    .replace(/[^a-z0-9:]+/g, '-')
    .replace(/-+$/, '');
  if (!taken.has(slug)) return slug;
  for (let i = 2; ; i++) if (!taken.has(`${slug}-${i}`)) return `${slug}-${i}`;
}

/**
 * A new taxonomy (version + 1) with the proposals accepted as discovered categories: all
 * of them, or those whose ids are given. The taxonomy passed in is not changed.
 */
export function acceptProposals(
  taxonomy: Taxonomy,
  proposals: Proposal[],
  ids?: string[],
  now: Date = new Date(),
): Taxonomy {
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const chosen = ids ?? proposals.map((p) => p.id);
  const unknown = chosen.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `no proposal with id ${unknown.map((id) => `"${id}"`).join(', ')}`,
      `Proposals: ${proposals.map((p) => p.id).join(', ') || '(none)'}`,
      'unknown_proposal',
    );
  }
  const taken = new Set(taxonomy.categories.map((c) => c.id));
  const added: TaxonomyCategory[] = [...new Set(chosen)].map((id) => {
    const p = byId.get(id)!;
    const newId = uniqueId(p.id, taken);
    taken.add(newId);
    return {
      id: newId,
      title: p.title,
      definition: p.definition,
      kind: 'discovered',
      examples: [...p.examples],
      centroid: [...p.centroid],
      embedder: p.embedder,
      minSimilarity: p.minSimilarity,
      count: p.size,
    };
  });
  return {
    version: taxonomy.version + 1,
    createdAt: nowIso(now),
    categories: [...structuredClone(taxonomy.categories), ...added],
  };
}
