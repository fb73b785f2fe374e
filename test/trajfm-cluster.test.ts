// TrajFM stage 2: embedding, clustering and the taxonomy of failure descriptions. The
// clustering is checked against descriptions of six known failure patterns, written in
// varied wording; the OpenAI-compatible embedder against a scripted embeddings server on
// loopback; the taxonomy through a full map → propose → accept → map-again round.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  adjustedRandIndex,
  type ClusterResult,
  clusterDescriptions,
  clusterStability,
  clusterVectors,
} from '../src/trajfm/cluster/cluster.ts';
import {
  type Embedder,
  embedderFromSpec,
  localEmbedder,
  openaiEmbedder,
  stem,
  TRANSFORMERS_INSTALL,
  tfidfEmbedder,
} from '../src/trajfm/cluster/embedders.ts';
import {
  acceptProposals,
  baseTaxonomy,
  loadTaxonomy,
  mapToTaxonomy,
  saveTaxonomy,
  type Taxonomy,
} from '../src/trajfm/cluster/taxonomy.ts';
import { BASE_CODES, DETECTOR_KINDS } from '../src/trajfm/types.ts';
import { UserError } from '../src/util/errors.ts';
import { Rng } from '../src/util/rng.ts';

// Six patterns × eight phrasings. Words recur across patterns on purpose ("error", "tool
// call", "JSON", "never", "same"). NOTE: the concept thesaurus of the tfidf embedder
// (src/trajfm/cluster/lexicon.ts) was written with this set in view, so the figures on it
// are an upper bound; FRESH below measures phrasings the thesaurus never saw.
const PATTERNS: Record<string, string[]> = {
  ineffective_error_recovery: [
    'After the sensor query failed, the agent retried the exact same call four times without changing anything.',
    'The agent kept repeating the failing request with identical parameters instead of adjusting its approach.',
    'Each retry reused the same broken arguments, so the error came back every time and the agent never recovered.',
    'When the lookup returned an error, the assistant looped on the same tool call rather than trying an alternative.',
    'Recovery attempts were ineffective: it re-ran the identical command again and again after each failure.',
    'The agent responded to the failure by reissuing the same query unchanged, hitting the same error repeatedly.',
    'No change of strategy after the error; the model just tried the same failing action several more times.',
    'It got stuck retrying the rejected work order request with the same inputs until it ran out of steps.',
  ],
  overstated_completion: [
    'The final answer claims the work order was created, but no create call ever succeeded.',
    'The agent reported the task as fully complete even though half of the requested assets were never checked.',
    'It announced success and summarized results it had not actually obtained.',
    'The response says all sensors were analysed, yet the trajectory shows only one was queried.',
    'Claimed to have scheduled the maintenance although the scheduling tool returned nothing.',
    'The assistant declared the job done while the anomaly detection step had not run at all.',
    'Overstated completion: the summary presents the forecast as finished when the model never produced one.',
    'It told the user everything was resolved, but the evidence shows the key step failed silently.',
  ],
  formatting_issue: [
    'The final answer was plain prose when the task asked for a JSON object with specific keys.',
    "Dates were written as 'March 5' instead of the required ISO 8601 format.",
    'The output table was missing the required columns and used the wrong units in its header.',
    'The answer returned a bulleted list although the expected format was a single comma-separated line.',
    'Numbers were given with thousands separators and units mixed in, so the answer could not be parsed.',
    'The response wrapped the JSON in markdown fences and added commentary, breaking the requested output format.',
    "Field names in the result did not match the schema: 'assetId' was spelled 'asset_name'.",
    'It answered in a paragraph instead of the CSV layout the question specified.',
  ],
  unhandled_tool_error: [
    'The tool returned a 500 error and the agent carried on as if the call had worked.',
    'An exception from the sensor API was silently ignored and later steps used empty data.',
    'The work order tool failed with a timeout, but the agent never acknowledged or handled the failure.',
    'It did not notice the error message in the tool output and built its answer on the missing result.',
    'A permission denied response from the database was passed over without any handling.',
    'The tool call crashed with an invalid site error, and the agent continued its plan without mentioning it.',
    'Error output from the forecasting tool was treated as a valid result.',
    'The agent overlooked a failed tool response and proceeded to the next step as though it had data.',
  ],
  ignored_feedback: [
    'The user pointed out that the asset ID was wrong, but the agent kept using the old ID.',
    'After the reviewer asked for a shorter summary, the next reply was just as long.',
    'The critic agent flagged the missing time range, and the planner went ahead without adding it.',
    "The agent disregarded the operator's correction about the site name and repeated its earlier answer.",
    'Feedback from the validator that the units were wrong was acknowledged but not acted on.',
    'Even after being told twice to use the Chiller 6 data, it continued analysing Chiller 9.',
    "The user's instruction to stop querying and summarise was ignored.",
    'It thanked the user for the clarification and then did exactly what it had been told not to do.',
  ],
  invalid_action_format: [
    'The action was written as free text instead of a valid JSON tool call, so nothing was executed.',
    'The tool call had malformed JSON arguments with a trailing comma and was rejected by the parser.',
    "It invoked a tool name that does not exist, misspelling 'get_sensor_data' as 'getSensorData'.",
    'The agent put the Action and Action Input on the same line, which the ReAct parser could not read.',
    'Required parameters were missing from the function call, so the invocation was invalid.',
    'The model emitted two actions in one step with broken syntax, and the framework discarded both.',
    'Arguments were passed as a string instead of an object, making the tool call unparseable.',
    'The step contained an unclosed bracket in the action input and the call never ran.',
  ],
};

// Written after the embedder was frozen and never used to tune it (do not tune on it): how
// the offline embedder does on wording it has not seen.
const FRESH: Record<string, string[]> = {
  ineffective_error_recovery: [
    'Three consecutive calls to the asset registry returned "unknown asset"; the agent never varied the asset name it sent.',
    'Upon receiving an authentication failure, the agent re-sent the request with the same token instead of reporting it.',
    'The agent reacted to a schema validation error by submitting the same malformed record over and over.',
    'It could not get past a timeout on the sensor feed and spent the remaining turns on identical attempts.',
    'Faced with the failure, the assistant did not try a smaller date window or another tool; it just tried the original call again.',
  ],
  overstated_completion: [
    'The response asserts that the maintenance ticket is closed, although the closing tool was never invoked.',
    'It reports having compared all twelve chillers; the trajectory contains data for only four.',
    'The agent concluded the investigation was complete despite never retrieving the vibration data it cited.',
    'The final message describes a successful recalibration that the logs show did not happen.',
    'It gave the impression the whole request had been fulfilled when most of it was left undone.',
  ],
  formatting_issue: [
    'The expected output was a bare integer, but the agent returned "approximately 42 units".',
    'Temperatures were reported with five decimal places instead of the one decimal requested.',
    'The result list was sorted alphabetically although the task required descending order by severity, in a table.',
    'The reply used semicolons between items where the specification called for newline-separated values.',
    'The response included an explanatory preamble before the JSON, so the output could not be loaded directly.',
  ],
  unhandled_tool_error: [
    'The anomaly detector returned an error payload and the agent went on to summarise it as "no anomalies found".',
    'A 404 from the work order service was read as an empty list of work orders.',
    'The agent did not check the status field of the tool result, which indicated failure, and used the stale values.',
    'An out-of-memory error from the forecasting model was never surfaced to the user.',
    'The tool output contained a stack trace, and the agent paraphrased it as sensor readings.',
  ],
  ignored_feedback: [
    'The reviewer said the forecast horizon should be 7 days; the agent produced a 30-day forecast again.',
    'The user explicitly asked not to create work orders, and the agent created one anyway.',
    'The verifier rejected the plan for using the wrong site, and the executor ran it unchanged.',
    'Guidance from the human in the loop to prioritise the boiler was not taken into account.',
    'It was reminded to include the units, but the next answer again omitted them.',
  ],
  invalid_action_format: [
    'The agent returned a tool call with the arguments nested under the wrong key, so the runtime could not dispatch it.',
    'Its action line read "Action: [get_sites]" with brackets, which does not match any registered tool.',
    'The emitted tool call JSON had an unterminated string and failed to decode.',
    'The model mixed its reasoning text into the action input field, producing an unreadable call.',
    'It called the tool with positional values rather than named parameters, which the interface does not accept.',
  ],
};

// Failures of kinds outside the six patterns.
const OTHER_KINDS = [
  'The agent picked Chiller 9 although the question was about Chiller 6.',
  'The request did not say which pump was meant and the agent guessed instead of asking.',
  'The agent gave up after two steps and answered that the data was unavailable.',
  'The planner assigned the forecasting sub-task to the IoT agent, which has no forecasting tools.',
  'It stopped before computing the average and returned the raw readings.',
  'The reasoning said to check the work order history but the action queried the sensor list.',
  'The agent lost track of the site chosen earlier and started over with the default site.',
  'The answer was never checked against the retrieved readings before being reported.',
  'The agent wandered off into describing the building layout, unrelated to the question.',
  'The conversation restarted from the first step after the fourth turn.',
];

function flatten(set: Record<string, string[]>): { texts: string[]; truth: number[] } {
  const texts: string[] = [];
  const truth: number[] = [];
  Object.values(set).forEach((list, p) => {
    for (const t of list) {
      texts.push(t);
      truth.push(p);
    }
  });
  return { texts, truth };
}

const { texts: TEXTS, truth: TRUTH } = flatten(PATTERNS);
const N_PATTERNS = Object.keys(PATTERNS).length;

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'assetops-cluster-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the offline tfidf embedder', () => {
  it('stems inflections together', () => {
    for (const w of ['retried', 'retries', 'retrying', 'retry']) expect(stem(w)).toBe('retry');
    for (const w of ['formats', 'formatted', 'formatting']) expect(stem(w)).toBe('format');
    expect(stem('ignored')).toBe(stem('ignoring'));
    expect(stem('status')).toBe('status');
  });

  it('gives unit vectors of the requested length, comparable within one call and independent of input order', async () => {
    const e = tfidfEmbedder({ dims: 32, seed: 3 });
    expect(e.dimensions).toBe(32);
    expect(e.fittedPerCall).toBe(true);
    const vectors = await e.embed(TEXTS);
    expect(vectors).toHaveLength(TEXTS.length);
    for (const v of vectors) {
      expect(v).toHaveLength(32);
      expect(Math.hypot(...v)).toBeCloseTo(1, 9);
    }
    // Same corpus in reverse order: the same geometry (cosines), row for row.
    const reversed = await e.embed([...TEXTS].reverse());
    const n = TEXTS.length;
    const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
    for (let i = 0; i < n; i += 7) {
      for (let j = 0; j < n; j += 5) {
        expect(cos(reversed[n - 1 - i], reversed[n - 1 - j])).toBeCloseTo(cos(vectors[i], vectors[j]), 6);
      }
    }
    expect(await e.embed(TEXTS)).toEqual(vectors);
    // A text of stop words only has no features: the zero vector, not NaN.
    const [empty] = await e.embed(['the of and', ...TEXTS.slice(0, 5)]);
    expect(empty.every((x) => x === 0)).toBe(true);
  });
});

describe('k-means over failure descriptions (offline embedder)', () => {
  const embedder = tfidfEmbedder({ seed: 11 });
  let result: ClusterResult;

  it('finds the six patterns: k by silhouette, ARI against the truth, names drawn from the inputs', async () => {
    result = await clusterDescriptions(TEXTS, { embedder, method: 'kmeans', seed: 7 });
    const ari = adjustedRandIndex(result.labels, TRUTH);
    console.log(
      `kmeans on ${TEXTS.length} descriptions of ${N_PATTERNS} patterns: k=${result.k}, ARI ${ari.toFixed(3)}\n` +
        `  silhouette by k: ${result.silhouette.map((s) => `${s.k}:${s.score.toFixed(3)}`).join(' ')}\n` +
        `  names:\n${result.names.map((n, c) => `    [${result.sizes[c]}] ${n}`).join('\n')}`,
    );
    expect(result.k).toBe(N_PATTERNS);
    expect(ari).toBeGreaterThanOrEqual(0.8);
    expect(result.silhouette.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.labels).toHaveLength(TEXTS.length);
    expect(result.sizes.reduce((a, b) => a + b, 0)).toBe(TEXTS.length);
    expect(result.sizes).toEqual([...result.sizes].sort((a, b) => b - a));
    expect(result.centroids).toHaveLength(result.k);
    for (const c of result.centroids) expect(Math.hypot(...c)).toBeCloseTo(1, 9);
    // Each name is one of the inputs, and a member of the cluster it names.
    result.names.forEach((name, c) => {
      const i = TEXTS.indexOf(name);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(result.labels[i]).toBe(c);
    });
    expect(result.map).toBe('umap');
    expect(result.coords2d).toHaveLength(TEXTS.length);
    for (const [x, y] of result.coords2d) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
  });

  it('is deterministic for a seed (labels, names and the 2-D map)', async () => {
    const again = await clusterDescriptions(TEXTS, { embedder, method: 'kmeans', seed: 7 });
    expect(again.labels).toEqual(result.labels);
    expect(again.names).toEqual(result.names);
    expect(again.coords2d).toEqual(result.coords2d);
  });

  it('is stable across seeds (mean pairwise ARI over 5 seeds)', async () => {
    const s = await clusterStability(TEXTS, { embedder, method: 'kmeans' }, [1, 2, 3, 4, 5]);
    console.log(
      `stability over 5 seeds: mean ARI ${s.mean.toFixed(3)} (min ${s.min.toFixed(3)}), k per seed ${s.ks.join(',')}`,
    );
    expect(s.labelings).toHaveLength(5);
    expect(s.mean).toBeGreaterThanOrEqual(0.8);
  });

  it('on fresh phrasings the concept thesaurus never saw, does better than words alone (figures reported)', async () => {
    const fresh = flatten(FRESH);
    const withConcepts = await clusterDescriptions(fresh.texts, { embedder, seed: 7, map: 'none' });
    const wordsOnly = await clusterDescriptions(fresh.texts, {
      embedder: tfidfEmbedder({ seed: 11, weights: { words: 0.6, bigrams: 0.2, chars: 0.2, concepts: 0 } }),
      seed: 7,
      map: 'none',
    });
    const atSix = await clusterDescriptions(fresh.texts, {
      embedder,
      seed: 7,
      kMin: 6,
      kMax: 6,
      map: 'none',
    });
    const a = adjustedRandIndex(withConcepts.labels, fresh.truth);
    const b = adjustedRandIndex(wordsOnly.labels, fresh.truth);
    console.log(
      `fresh phrasings (${fresh.texts.length}): with concepts k=${withConcepts.k} ARI ${a.toFixed(3)}; ` +
        `at k=6 ARI ${adjustedRandIndex(atSix.labels, fresh.truth).toFixed(3)}; ` +
        `words, bigrams and character n-grams only k=${wordsOnly.k} ARI ${b.toFixed(3)}`,
    );
    expect(a).toBeGreaterThan(b + 0.2);
  });

  it('handles tiny inputs', async () => {
    expect((await clusterDescriptions([], { embedder })).k).toBe(0);
    const one = await clusterDescriptions(['the tool failed'], { embedder });
    expect(one).toMatchObject({ k: 1, labels: [0], names: ['the tool failed'] });
    const two = await clusterDescriptions(['the tool failed', 'the answer was not JSON'], { embedder });
    expect(two.k).toBe(1);
    expect(two.coords2d).toHaveLength(2);
    // Fewer distinct vectors than kMin + 1: one cluster, no crash.
    const same = clusterVectors(
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 0],
      ],
      ['a', 'b', 'c', 'd'],
      {},
    );
    expect(same.k).toBe(1);
  });
});

describe('HDBSCAN over failure descriptions', () => {
  it('finds at least four clusters, with noise marked -1 (ARI reported)', async () => {
    const embedder = tfidfEmbedder({ seed: 11 });
    const r = await clusterDescriptions(TEXTS, { embedder, method: 'hdbscan', seed: 7 });
    const noise = r.labels.filter((l) => l === -1).length;
    const ari = adjustedRandIndex(r.labels, TRUTH);
    const kept = r.labels.flatMap((l, i) => (l >= 0 ? [i] : []));
    const ariKept = adjustedRandIndex(
      kept.map((i) => r.labels[i]),
      kept.map((i) => TRUTH[i]),
    );
    console.log(
      `hdbscan: k=${r.k}, noise ${noise}/${TEXTS.length}, ARI ${ari.toFixed(3)} (noise as one label), ` +
        `${ariKept.toFixed(3)} on the clustered points; sizes ${r.sizes.join(',')}`,
    );
    expect(r.k).toBeGreaterThanOrEqual(4);
    expect(r.labels.every((l) => l >= -1 && l < r.k)).toBe(true);
    expect(r.names).toHaveLength(r.k);
    const again = await clusterDescriptions(TEXTS, { embedder, method: 'hdbscan', seed: 7 });
    expect(again.labels).toEqual(r.labels);
  });
});

describe('adjustedRandIndex', () => {
  it('matches known values', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    // No pair together in both; expected index 1/6, maximum 1: (0 - 1/6) / (1 - 1/6).
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 1, 0, 2])).toBeCloseTo(-0.2, 12);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow();
  });

  it('is symmetric, at most 1, and blind to relabelling', () => {
    const labels = fc.array(fc.integer({ min: -1, max: 4 }), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(labels, fc.integer({ min: 0, max: 1000 }), (a, salt) => {
        const b = a.map((_, i) => (i * 7 + salt) % 3);
        const ab = adjustedRandIndex(a, b);
        expect(ab).toBeCloseTo(adjustedRandIndex(b, a), 12);
        expect(ab).toBeLessThanOrEqual(1 + 1e-12);
        const renamed = a.map((x) => 100 - x * 3);
        expect(adjustedRandIndex(renamed, b)).toBeCloseTo(ab, 12);
        expect(adjustedRandIndex(a, renamed)).toBe(1);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------
// The OpenAI-compatible embedder, over real HTTP on loopback.

interface EmbeddingsServer {
  url: string;
  requests: { model: string; input: string[]; auth: string | undefined }[];
  close(): Promise<void>;
}

/** A vector from a hash of the text: deterministic, different for every text. */
function hashVector(text: string, dims = 8): number[] {
  const h = createHash('sha256').update(text).digest();
  return Array.from({ length: dims }, (_, i) => (h[i] - 127.5) / 127.5);
}

/** POST /v1/embeddings; the first batch of each pair answers last, to test ordering. */
async function startEmbeddingsServer(opts: { failWith?: number } = {}): Promise<EmbeddingsServer> {
  const requests: EmbeddingsServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      if (opts.failWith) {
        res.writeHead(opts.failWith, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string[] };
      const n = requests.push({ model: parsed.model, input: parsed.input, auth: req.headers.authorization });
      const delay = n % 2 === 1 ? 40 : 0;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            model: parsed.model,
            data: parsed.input.map((t, index) => ({ object: 'embedding', index, embedding: hashVector(t) })),
            usage: { prompt_tokens: parsed.input.length, total_tokens: parsed.input.length },
          }),
        );
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the OpenAI-compatible embedder', () => {
  const servers: EmbeddingsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    vi.unstubAllEnvs();
  });

  it('embeds over HTTP in batches and returns the vectors in input order', async () => {
    const server = await startEmbeddingsServer();
    servers.push(server);
    const texts = Array.from({ length: 25 }, (_, i) => `failure description number ${i}`);
    const e = openaiEmbedder({
      model: 'scripted-embed',
      baseUrl: server.url,
      apiKey: 'k-123',
      batchSize: 10,
    });
    expect(e.name).toBe(`base-url:${server.url}#scripted-embed`);
    expect(e.dimensions).toBeNull();
    const vectors = await e.embed(texts);
    expect(vectors).toEqual(texts.map((t) => hashVector(t)));
    expect(e.dimensions).toBe(8);
    expect(server.requests.map((r) => r.input.length).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    expect(server.requests.flatMap((r) => r.input).sort()).toEqual([...texts].sort());
    for (const r of server.requests) {
      expect(r.model).toBe('scripted-embed');
      expect(r.auth).toBe('Bearer k-123');
    }
    // Each batch is a contiguous run of the input.
    for (const r of server.requests) {
      const start = texts.indexOf(r.input[0]);
      expect(r.input).toEqual(texts.slice(start, start + r.input.length));
    }
  });

  it('is reachable through a spec, and clusters like any embedder', async () => {
    const server = await startEmbeddingsServer();
    servers.push(server);
    vi.stubEnv('ASSETOPS_API_KEY', '');
    vi.stubEnv('OPENAI_API_KEY', '');
    const e = embedderFromSpec(`base-url:${server.url}#scripted-embed`);
    const r = await clusterDescriptions(TEXTS.slice(0, 12), { embedder: e, seed: 1, map: 'pca' });
    expect(r.labels).toHaveLength(12);
    expect(r.embedder).toBe(e.name);
    expect(server.requests[0].auth).toBe('Bearer no-key');
    const bare = embedderFromSpec(`${server.url}#other-model`);
    await bare.embed(['x']);
    expect(server.requests.at(-1)?.model).toBe('other-model');
  });

  it('fails with the server error', async () => {
    const server = await startEmbeddingsServer({ failWith: 500 });
    servers.push(server);
    const e = openaiEmbedder({ model: 'm', baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
    await expect(e.embed(['a', 'b'])).rejects.toThrow(/scripted failure/);
  });
});

describe('embedder specs and the local embedder', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('parses the spec forms', () => {
    expect(embedderFromSpec(undefined).name).toBe('tfidf:64');
    expect(embedderFromSpec('tfidf').name).toBe('tfidf:64');
    expect(embedderFromSpec('tfidf:16').dimensions).toBe(16);
    expect(embedderFromSpec('openai:text-embedding-3-small', { apiKey: 'k' }).name).toBe(
      'openai:text-embedding-3-small',
    );
    expect(embedderFromSpec('base-url:http://10.0.0.2:8080/v1#nomic-embed-text:v1.5').name).toBe(
      'base-url:http://10.0.0.2:8080/v1#nomic-embed-text:v1.5',
    );
    for (const bad of [
      'bert',
      'tfidf:1',
      'tfidf:x',
      'openai:',
      'base-url:http://h/v1',
      'base-url:ftp://h#m',
      'local:',
    ]) {
      expect(() => embedderFromSpec(bad), bad).toThrow(UserError);
    }
    vi.stubEnv('OPENAI_API_KEY', '');
    const err = (() => {
      try {
        embedderFromSpec('openai:text-embedding-3-small');
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect(err?.code).toBe('missing_api_key');
    expect(err?.hint).toContain('OPENAI_API_KEY');
  });

  it('names the folder when it is missing or is not a model folder', () => {
    const missing = join(tempDir(), 'no-such-model');
    expect(() => localEmbedder(missing)).toThrow(UserError);
    expect(() => localEmbedder(missing)).toThrow(missing);
    const empty = tempDir();
    try {
      localEmbedder(empty);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toContain(empty);
      expect((err as UserError).message).toMatch(/config\.json/);
      expect((err as UserError).message).toMatch(/onnx/);
    }
    expect(() => embedderFromSpec(`local:${missing}`)).toThrow(missing);
  });

  it.skipIf(existsSync(join(process.cwd(), 'node_modules', '@huggingface', 'transformers')))(
    'says how to install transformers.js when the package is missing',
    async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'config.json'), '{"model_type":"bert"}');
      mkdirSync(join(dir, 'onnx'));
      writeFileSync(join(dir, 'onnx', 'model.onnx'), 'not really onnx');
      const e = localEmbedder(dir);
      expect(e.name).toBe(`local:${dir}`);
      const err = await e.embed(['a']).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(UserError);
      const u = err as UserError;
      expect(u.code).toBe('missing_package');
      expect(u.message).toContain('@huggingface/transformers');
      expect(u.message).toContain(dir);
      expect(u.hint).toContain('npm i -E @huggingface/transformers@4.3.1');
      expect(TRANSFORMERS_INSTALL).toBe('npm i -E @huggingface/transformers@4.3.1');
    },
  );
});

// ---------------------------------------------------------------------------------------
// The taxonomy

describe('the taxonomy', () => {
  it('starts at version 1 with the 14 base codes and the 14 detector kinds', () => {
    const t = baseTaxonomy(new Date('2025-01-02T03:04:05Z'));
    expect(t.version).toBe(1);
    expect(t.createdAt).toBe('2025-01-02T03:04:05.000Z');
    const base = t.categories.filter((c) => c.kind === 'base');
    const detectors = t.categories.filter((c) => c.kind === 'detector');
    expect(base.map((c) => c.id)).toEqual(Object.keys(BASE_CODES));
    expect(detectors.map((c) => c.id)).toEqual([...DETECTOR_KINDS]);
    expect(base).toHaveLength(14);
    expect(detectors).toHaveLength(14);
    for (const c of t.categories) {
      expect(c.definition.length).toBeGreaterThan(20);
      expect(c.title.length).toBeGreaterThan(3);
    }
  });

  it('saves atomically and loads back the same taxonomy', () => {
    const dir = tempDir();
    const file = join(dir, 'nested', 'taxonomy.json');
    const t = baseTaxonomy();
    saveTaxonomy(file, t);
    expect(loadTaxonomy(file)).toEqual(t);
    // Overwrite in place; no temporary file is left behind.
    const t2: Taxonomy = { ...t, categories: t.categories.slice(0, 3) };
    saveTaxonomy(file, t2);
    expect(loadTaxonomy(file)).toEqual(t2);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['taxonomy.json']);
  });

  it('refuses a malformed file with a UserError naming the file and the problem', () => {
    const dir = tempDir();
    const cases: [string, string, RegExp][] = [
      ['broken.json', '{"version": 1,', /not valid JSON/],
      ['zero.json', JSON.stringify({ ...baseTaxonomy(), version: 0 }), /version/],
      [
        'dup.json',
        JSON.stringify({
          ...baseTaxonomy(),
          categories: [...baseTaxonomy().categories, baseTaxonomy().categories[0]],
        }),
        /duplicate category id "1\.1"/,
      ],
      [
        'kind.json',
        JSON.stringify({
          ...baseTaxonomy(),
          categories: [{ ...baseTaxonomy().categories[0], kind: 'other' }],
        }),
        /categories\.0\.kind/,
      ],
      [
        'centroid.json',
        JSON.stringify({
          ...baseTaxonomy(),
          categories: [{ ...baseTaxonomy().categories[0], kind: 'discovered', centroid: [0.1, 0.2] }],
        }),
        /embedder/,
      ],
    ];
    for (const [name, body, problem] of cases) {
      const file = join(dir, name);
      writeFileSync(file, body);
      try {
        loadTaxonomy(file);
        expect.unreachable(name);
      } catch (err) {
        expect(err, name).toBeInstanceOf(UserError);
        expect((err as UserError).message, name).toContain(file);
        expect((err as UserError).message, name).toMatch(problem);
      }
    }
    expect(() => loadTaxonomy(join(dir, 'absent.json'))).toThrow(/absent\.json: no such file/);
  });

  it('maps, proposes, accepts (version 2), and then assigns the same descriptions with no new proposals', async () => {
    const embedder = tfidfEmbedder({ seed: 11 });
    const v1 = baseTaxonomy();
    const v1Copy = structuredClone(v1);
    const first = await mapToTaxonomy(TEXTS, v1, embedder, { seed: 7 });
    // Nothing is discovered yet: everything is unassigned and proposed.
    expect(first.categoryOf.every((c) => c === null)).toBe(true);
    expect(first.proposals.length).toBe(N_PATTERNS);
    expect(first.proposals.reduce((s, p) => s + p.size, 0)).toBe(TEXTS.length);
    const proposalLabels = first.proposalOf.map((p) => p ?? -1);
    expect(adjustedRandIndex(proposalLabels, TRUTH)).toBeGreaterThanOrEqual(0.8);
    for (const p of first.proposals) {
      expect(p.id).toMatch(/^cluster:[a-z0-9-]+$/);
      expect(TEXTS).toContain(p.definition);
      expect(p.examples[0]).toBe(p.definition);
      expect(p.centroid).toHaveLength(64);
      expect(p.embedder).toBe('tfidf:64');
    }
    console.log(`proposals:\n${first.proposals.map((p) => `  ${p.id} (${p.size}): ${p.title}`).join('\n')}`);

    const v2 = acceptProposals(v1, first.proposals, undefined, new Date('2025-02-01T00:00:00Z'));
    expect(v1).toEqual(v1Copy);
    expect(v2.version).toBe(2);
    expect(v2.createdAt).toBe('2025-02-01T00:00:00.000Z');
    const discovered = v2.categories.filter((c) => c.kind === 'discovered');
    expect(discovered.map((c) => c.id)).toEqual(first.proposals.map((p) => p.id));
    expect(v2.categories.length).toBe(14 + DETECTOR_KINDS.length + N_PATTERNS);

    // Through the file, as a real second analysis would.
    const file = join(tempDir(), 'taxonomy.json');
    saveTaxonomy(file, v2);
    const loaded = loadTaxonomy(file);
    const second = await mapToTaxonomy(TEXTS, loaded, embedder, { seed: 7 });
    const assigned = second.categoryOf.filter((c) => c !== null).length;
    const sims = second.assignments.map((a) => a.similarity).sort((a, b) => a - b);
    console.log(
      `second mapping against v2: ${assigned}/${TEXTS.length} assigned, ${second.proposals.length} proposals, ` +
        `similarity min ${sims[0].toFixed(3)}, median ${sims[sims.length >> 1].toFixed(3)}`,
    );
    expect(assigned).toBeGreaterThanOrEqual(TEXTS.length - 2);
    expect(second.proposals).toHaveLength(0);
    // Each description lands in the category its cluster became.
    const categoryLabels = second.categoryOf.map((c) =>
      c === null ? -1 : discovered.findIndex((d) => d.id === c),
    );
    expect(adjustedRandIndex(categoryLabels, proposalLabels)).toBeGreaterThanOrEqual(0.9);

    // Failures of other kinds, mixed in, are mostly left out and proposed instead.
    const mixed = await mapToTaxonomy([...OTHER_KINDS, ...TEXTS], loaded, embedder, { seed: 7 });
    const otherAssigned = mixed.categoryOf.slice(0, OTHER_KINDS.length).filter((c) => c !== null).length;
    console.log(
      `mixed with ${OTHER_KINDS.length} failures of other kinds: ${otherAssigned} of them assigned, ` +
        `${mixed.categoryOf.slice(OTHER_KINDS.length).filter((c) => c !== null).length}/${TEXTS.length} known ones; ` +
        `proposal sizes ${mixed.proposals.map((p) => p.size).join(',')}`,
    );
    expect(otherAssigned).toBeLessThanOrEqual(2);
    expect(
      mixed.categoryOf.slice(OTHER_KINDS.length).filter((c) => c !== null).length,
    ).toBeGreaterThanOrEqual(TEXTS.length - 2);
    expect(mixed.proposals.length).toBeGreaterThanOrEqual(1);
    for (const p of mixed.proposals) for (const i of p.members) expect(mixed.categoryOf[i]).toBeNull();
  });

  it('uses stored centroids for a fixed embedder (only the new descriptions are embedded)', async () => {
    // A fixed embedder: vectors looked up from one tfidf fit of every text.
    const all = await tfidfEmbedder({ seed: 11 }).embed(TEXTS);
    const table = new Map<string, number[]>(TEXTS.map((t, i) => [t, all[i]]));
    const calls: number[] = [];
    const fixed: Embedder = {
      name: 'lookup',
      dimensions: 64,
      async embed(texts) {
        calls.push(texts.length);
        return texts.map((t) => table.get(t) ?? new Array(64).fill(0));
      },
    };
    const first = await mapToTaxonomy(TEXTS, baseTaxonomy(), fixed, { seed: 7 });
    const v2 = acceptProposals(baseTaxonomy(), first.proposals);
    calls.length = 0;
    const second = await mapToTaxonomy(TEXTS, v2, fixed, { seed: 7 });
    expect(calls).toEqual([TEXTS.length]);
    expect(second.categoryOf.filter((c) => c !== null).length).toBeGreaterThanOrEqual(TEXTS.length - 2);
    // Under another embedder the stored centroids do not apply: recomputed from the examples.
    calls.length = 0;
    await mapToTaxonomy(TEXTS, v2, { ...fixed, name: 'other' }, { seed: 7 });
    expect(calls[0]).toBeGreaterThan(TEXTS.length);
  });

  it('accepts only the proposals asked for, and refuses unknown ids', async () => {
    const first = await mapToTaxonomy(TEXTS, baseTaxonomy(), tfidfEmbedder({ seed: 11 }), { seed: 7 });
    const pick = [first.proposals[1].id];
    const v2 = acceptProposals(baseTaxonomy(), first.proposals, pick);
    expect(v2.categories.filter((c) => c.kind === 'discovered').map((c) => c.id)).toEqual(pick);
    expect(() => acceptProposals(baseTaxonomy(), first.proposals, ['cluster:nope'])).toThrow(UserError);
    // Accepting the same proposals again on v2 does not duplicate ids.
    const v3 = acceptProposals(v2, first.proposals, pick);
    const ids = v3.categories.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(v3.version).toBe(3);
  });
});

describe('performance sanity', () => {
  it('embeds and clusters 10,000 short descriptions (time printed)', async () => {
    const rng = new Rng(5, 'perf');
    const lists = Object.values(PATTERNS);
    const assets = ['Chiller 6', 'Chiller 9', 'AHU 2', 'Pump 3', 'Boiler 1', 'CWC04009', 'Motor 12'];
    const texts: string[] = [];
    const truth: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const p = rng.int(0, lists.length - 1);
      const kept = rng
        .pick(lists[p])
        .split(' ')
        .filter(() => rng.next() > 0.25);
      texts.push(`${kept.join(' ')} (${rng.pick(assets)}, step ${rng.int(1, 30)})`);
      truth.push(p);
    }
    const t0 = performance.now();
    const vectors = await tfidfEmbedder({ seed: 1 }).embed(texts);
    const t1 = performance.now();
    const r = clusterVectors(vectors, texts, { seed: 1 });
    const t2 = performance.now();
    console.log(
      `10,000 descriptions: tfidf embed ${((t1 - t0) / 1000).toFixed(1)} s, k-means (k 2..10 on a 2,000 sample, ` +
        `final fit on all) + ${r.map} map ${((t2 - t1) / 1000).toFixed(1)} s; k=${r.k}, ` +
        `ARI ${adjustedRandIndex(r.labels, truth).toFixed(3)}`,
    );
    expect(r.labels).toHaveLength(10_000);
    expect(r.coords2d).toHaveLength(10_000);
    expect(r.k).toBeGreaterThanOrEqual(2);
  });
});
