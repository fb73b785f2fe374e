// Drawing the default suite (168 scenarios) on the default world: wall time and how many
// queries the reference solver sends, in all and over Parquet (views; small tables may be
// held in memory). Queries are counted by wrapping the dataset's query method, so the script
// runs unchanged against older versions of the code. Writes docs/BENCHMARKS.md unless
// --no-write. Usage: npm run bench:suite [-- --world DIR] [-- --no-write]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDataset } from '../src/dataset/open.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { sha256Hex } from '../src/util/hash.ts';
import { presetConfig } from '../src/world/config.ts';
import { generateWorld } from '../src/world/generate.ts';
import { machine, REPO, writeSection } from './support.ts';

const worldArg = process.argv.indexOf('--world');
const world = worldArg > 0 ? process.argv[worldArg + 1] : join(REPO, '.assetops/world');
if (!existsSync(join(world, 'manifest.json'))) {
  process.stderr.write(`generating the default world into ${world}\n`);
  await generateWorld(presetConfig('default', 7), { out: world });
}

const t0 = performance.now();
const ds = await openDataset(world);
const opened = performance.now() - t0;
const views = (
  await ds.query<{ view_name: string }>('select view_name from duckdb_views() where not internal')
).map((r) => r.view_name);
const overParquet = new RegExp(`\\b(${views.join('|') || '$^'})\\b`);
let queries = 0;
let parquet = 0;
const query = ds.query.bind(ds);
ds.query = ((sql: string, params?: never) => {
  queries++;
  if (overParquet.test(sql)) parquet++;
  return query(sql, params);
}) as typeof ds.query;
const t1 = performance.now();
const scenarios = await generatedSuite(ds, { split: 'default', seed: 0 });
const drawn = performance.now() - t1;
ds.close();
const digest = sha256Hex(JSON.stringify(scenarios)).slice(0, 16);

const body = `
## Drawing the default suite (\`bench/suite.ts\`)

Default world (seed 7), default split (seed 0), no suite cache: ${scenarios.length} scenarios
(digest ${digest}, the same before and after a change that keeps the suite). Machine: ${machine()}.
Measured ${new Date().toISOString().slice(0, 10)}.

- opening the dataset (checksums verified): ${opened.toFixed(0)} ms;
- drawing the suite: ${(drawn / 1000).toFixed(2)} s, ${queries} queries, ${parquet} of them over Parquet files
  (${views.join(', ') || 'none'}).
`;
if (!process.argv.includes('--no-write')) writeSection('suite', body);
process.stdout.write(body);
