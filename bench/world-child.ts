// Generates one world in this process and prints time and peak memory as JSON.
// Run by bench/world.ts, so that each measurement has a fresh process.
import { presetConfig, type Scale } from '../src/world/config.ts';
import { generateWorld } from '../src/world/generate.ts';

const [scale, out] = process.argv.slice(2) as [Scale, string];
const t0 = performance.now();
const manifest = await generateWorld(presetConfig(scale, 7), { out, force: true });
const seconds = (performance.now() - t0) / 1000;
// maxRSS is in kilobytes and includes DuckDB's native memory.
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  JSON.stringify({
    scale,
    seconds,
    peakMb,
    points: manifest.tables.telemetry.rows,
    workOrders: manifest.counts.workOrders,
  }),
);
