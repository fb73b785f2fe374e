// Failure analysis benchmark: time and peak memory to analyse 10,000 trajectories offline
// (detectors, TF-IDF embeddings, k-means by silhouette, the 2-D map, the summary).
// Target: under 60 s. The trajectories are baseline attempts on the tiny world under hostile
// tool faults, repeated with fresh ids up to 10,000.
// Writes docs/BENCHMARKS.md. Usage: npm run bench:trajfm
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineAgent } from '../src/agents/baseline/index.ts';
import { openDataset } from '../src/dataset/open.ts';
import { runAttempt } from '../src/runs/attempt.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { analyzeTrajectories } from '../src/trajfm/analyze.ts';
import { tfidfEmbedder } from '../src/trajfm/cluster/embedders.ts';
import { baseTaxonomy } from '../src/trajfm/cluster/taxonomy.ts';
import { scenarioEntities } from '../src/trajfm/inputs.ts';
import type { AnalysisInput } from '../src/trajfm/types.ts';
import { presetConfig } from '../src/world/config.ts';
import { generateWorld } from '../src/world/generate.ts';
import { machine, writeSection } from './support.ts';

const N = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'assetops-bench-trajfm-'));
process.stderr.write('generating the tiny world and running the baseline under hostile faults\n');
await generateWorld(presetConfig('tiny', 7), { out: join(dir, 'world') });
const ds = await openDataset(join(dir, 'world'));
const scenarios = await generatedSuite(ds, { split: 'default', seed: 0 });
const base: AnalysisInput[] = [];
for (let seed = 1; seed <= 3; seed++) {
  for (const s of scenarios) {
    const r = await runAttempt(ds, s, baselineAgent, { faults: 'hostile', seed });
    base.push({
      trajectory: r.trajectory,
      passed: r.grade.needsJudge ? null : r.grade.pass,
      traps: s.traps.map((t) => t.kind),
      entities: scenarioEntities(s),
      answerFormat: s.answerFormat.description,
    });
  }
}
ds.close();
const inputs: AnalysisInput[] = Array.from({ length: N }, (_, i) => {
  const x = base[i % base.length];
  return { ...x, trajectory: { ...x.trajectory, id: `t-${i}` } };
});

const rss0 = process.memoryUsage().rss;
let peak = rss0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const t0 = performance.now();
const { report } = await analyzeTrajectories(inputs, {
  embedder: tfidfEmbedder(),
  method: 'kmeans',
  seed: 7,
  taxonomy: baseTaxonomy(),
});
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);

writeSection(
  'trajfm',
  `## Failure analysis (\`npm run bench:trajfm\`)

Machine: ${machine()}. ${N.toLocaleString('en')} trajectories (${base.length} distinct baseline attempts on
the tiny world under hostile tool faults, repeated with fresh ids), offline: ten detectors,
TF-IDF embeddings of the distinct failure descriptions, k-means with k by silhouette, the
2-D map, the category summary.

- **${seconds.toFixed(1)} s** for ${N.toLocaleString('en')} trajectories (target under 60 s — ${seconds < 60 ? 'met' : 'NOT met'}).
- Peak resident memory ${(peak / 2 ** 20).toFixed(0)} MB (the process held ${(rss0 / 2 ** 20).toFixed(0)} MB before the analysis).
- ${report.events.length.toLocaleString('en')} failure events in ${report.withFailures.toLocaleString('en')} trajectories; ${report.clusters.points.length} distinct descriptions clustered into k = ${report.clusters.k}.`,
);
process.stderr.write(
  `${seconds.toFixed(1)} s, peak ${(peak / 2 ** 20).toFixed(0)} MB, ${report.events.length} events\n`,
);
