// World generation benchmark: time and peak memory to generate `default`, and peak
// memory for `large` (streamed asset by asset). Targets: default under 20 s and
// 1.5 GB on 2 cores; large under 1.5 GB. Writes docs/BENCHMARKS.md.
// Usage: npm run bench:world [-- --skip-large]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, REPO, writeSection } from './support.ts';

interface Result {
  scale: string;
  seconds: number;
  peakMb: number;
  points: number;
  workOrders: number;
}

function measure(scale: string): Result {
  const dir = mkdtempSync(join(tmpdir(), 'assetops-bench-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', resolve(REPO, 'bench/world-child.ts'), scale, join(dir, 'w')],
      {
        cwd: REPO,
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (r.status !== 0) throw new Error(`generation of ${scale} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skipLarge = process.argv.includes('--skip-large');
const runs = [measure('default'), measure('default'), measure('default')];
const best = runs.reduce((a, b) => (a.seconds < b.seconds ? a : b));
const rows = [
  `| default (best of 3) | ${best.points.toLocaleString('en-US')} | ${best.workOrders.toLocaleString('en-US')} | ${best.seconds.toFixed(1)} s | ${best.peakMb.toFixed(0)} MB | under 20 s, under 1,500 MB |`,
];
if (!skipLarge) {
  const large = measure('large');
  rows.push(
    `| large | ${large.points.toLocaleString('en-US')} | ${large.workOrders.toLocaleString('en-US')} | ${large.seconds.toFixed(1)} s | ${large.peakMb.toFixed(0)} MB | under 1,500 MB |`,
  );
}
const body = `
## World generation (\`bench/world.ts\`)

Generated with seed 7 into a fresh folder, one process per run; peak memory is the
process's maximum resident set (JavaScript and DuckDB together). Machine: ${machine()}.
Measured ${new Date().toISOString().slice(0, 10)}.

| scale | readings | work orders | time | peak memory | target |
|---|---|---|---|---|---|
${rows.join('\n')}

All default runs: ${runs.map((r) => `${r.seconds.toFixed(1)} s / ${r.peakMb.toFixed(0)} MB`).join(', ')}.
`;
writeSection('world', body);
process.stdout.write(body);
