// Run engine benchmark. (1) Harness overhead per attempt and per model step with a
// zero-latency scripted model, tools excluded (target: under 5 ms per step). (2) Throughput
// with a simulated 200 ms model latency at concurrency 1, 8 and 32 (target: at least 90% of
// the ideal speed-up at 32). The model is an in-process AI SDK v3 model, so the figures are
// the harness's own: agent loop, tool session, grading, store writes.
// Writes docs/BENCHMARKS.md. Usage: npm run bench:runs

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
} from '@ai-sdk/provider';
import { createReactAgent } from '../src/agents/react/index.ts';
import { openDataset } from '../src/dataset/open.ts';
import { createRun } from '../src/runs/create.ts';
import { closeRunContext, openRunContext, runPending } from '../src/runs/engine.ts';
import { defaultSuiteSpec } from '../src/runs/spec.ts';
import { SqliteRunStore } from '../src/runs/store/sqlite.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { presetConfig } from '../src/world/config.ts';
import { generateWorld } from '../src/world/generate.ts';
import { machine, writeSection } from './support.ts';

const MODEL = 'bench:scripted';

/** A scripted model: `toolSteps` tool calls, then an answer; each reply after `latencyMs`. */
function scriptedModel(latencyMs: number, toolSteps: number): LanguageModelV3 {
  const usage = {
    inputTokens: { total: 800, noCache: 800, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 40, text: 40, reasoning: 0 },
  };
  let ids = 0;
  return {
    specificationVersion: 'v3',
    provider: 'bench',
    modelId: 'scripted',
    supportedUrls: {},
    async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const toolTurns = options.prompt.filter((m) => m.role === 'tool').length;
      const content: LanguageModelV3GenerateResult['content'] =
        toolTurns < toolSteps
          ? [
              {
                type: 'tool-call',
                toolCallId: `call-${++ids}`,
                toolName: toolTurns % 2 === 0 ? 'current_date_time' : 'sites',
                input: '{}',
              },
            ]
          : [{ type: 'text', text: '{"answer": 1}' }];
      return {
        content,
        finishReason: { unified: toolTurns < toolSteps ? 'tool-calls' : 'stop', raw: undefined },
        usage,
        warnings: [],
      };
    },
    async doStream() {
      throw new Error('the bench model does not stream');
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'assetops-bench-runs-'));
const worldDir = join(dir, 'world');
process.stderr.write('generating the tiny world\n');
await generateWorld(presetConfig('tiny', 7), { out: worldDir });
const probe = await openDataset(worldDir);
const scenarios = await generatedSuite(probe, { split: 'default', seed: 0 });
const checksum = probe.manifest.checksum;
probe.close();

interface Measured {
  attempts: number;
  wallMs: number;
  perAttemptMs: number;
  perStepMs: number;
  toolMsPerAttempt: number;
}

async function measure(opts: {
  latencyMs: number;
  toolSteps: number;
  concurrency: number;
  attempts: number;
}): Promise<Measured> {
  const store = new SqliteRunStore(join(dir, `runs-${Math.random().toString(36).slice(2)}.sqlite`));
  const trials = Math.ceil(opts.attempts / scenarios.length);
  const spec = defaultSuiteSpec(
    { dir: worldDir, checksum },
    scenarios.length,
    [{ agent: 'react', model: MODEL }],
    {
      trials,
      concurrency: opts.concurrency,
      cache: false,
    },
  );
  const chosen = scenarios.slice(0, Math.ceil(opts.attempts / trials));
  const run = await createRun(store, spec, new Map([['default', chosen]]), null);
  const ctx = await openRunContext(store, run, { worker: 'bench' });
  // The agent is built here around the scripted model (the registry would resolve a spec).
  ctx.agents.set(
    `react|${MODEL}|default`,
    createReactAgent(scriptedModel(opts.latencyMs, opts.toolSteps), { modelName: MODEL }),
  );
  const t0 = performance.now();
  let toolMs = 0;
  let steps = 0;
  let harnessMs = 0;
  let n = 0;
  await runPending(ctx, opts.concurrency, {
    onDone: (_row, rec) => {
      n++;
      const tools = rec.trajectory.toolLog.reduce((s, c) => s + c.latencyMs, 0);
      toolMs += tools;
      steps += rec.trajectory.usage.calls || opts.toolSteps + 1;
      harnessMs += rec.durationMs - tools - (opts.toolSteps + 1) * opts.latencyMs;
    },
  });
  const wallMs = performance.now() - t0;
  closeRunContext(ctx);
  await store.close();
  return {
    attempts: n,
    wallMs,
    perAttemptMs: harnessMs / n,
    perStepMs: harnessMs / steps,
    toolMsPerAttempt: toolMs / n,
  };
}

// Warm-up: module loading and the first tool calls should not count.
await measure({ latencyMs: 0, toolSteps: 2, concurrency: 1, attempts: 20 });
const overhead = await measure({ latencyMs: 0, toolSteps: 4, concurrency: 1, attempts: 300 });
process.stderr.write(`overhead: ${overhead.perStepMs.toFixed(2)} ms per step\n`);

const LATENCY = 200;
const rows: Array<{ c: number; m: Measured; idealMs: number; speedup: number }> = [];
let base = 0;
for (const c of [1, 8, 32]) {
  const attempts = c === 1 ? 10 : c * 6;
  const m = await measure({ latencyMs: LATENCY, toolSteps: 1, concurrency: c, attempts });
  const perSecond = (m.attempts / m.wallMs) * 1000;
  if (c === 1) base = perSecond;
  const idealMs = Math.ceil(attempts / c) * 2 * LATENCY;
  rows.push({ c, m, idealMs, speedup: perSecond / base });
  process.stderr.write(`concurrency ${c}: ${m.attempts} attempts in ${m.wallMs.toFixed(0)} ms\n`);
}
const at32 = rows.find((r) => r.c === 32) as (typeof rows)[number];
const efficiency = at32.speedup / 32;

writeSection(
  'runs',
  `## Run engine (\`npm run bench:runs\`)

Machine: ${machine()}. Tiny world, default suite, the react agent on an in-process scripted
model (AI SDK v3 model object), SQLite run store, response cache off.

**Harness overhead** with a zero-latency model (4 tool calls and an answer per attempt,
${overhead.attempts} attempts, concurrency 1): ${overhead.perAttemptMs.toFixed(2)} ms per attempt,
**${overhead.perStepMs.toFixed(2)} ms per model step** excluding the tools (tools took
${overhead.toolMsPerAttempt.toFixed(2)} ms per attempt). Target: under 5 ms per step —
${overhead.perStepMs < 5 ? 'met' : 'NOT met'}.

**Throughput** with ${LATENCY} ms per model reply (one tool call and an answer per attempt):

| concurrency | attempts | wall time | ideal | attempts/s | speed-up |
|---:|---:|---:|---:|---:|---:|
${rows
  .map(
    (r) =>
      `| ${r.c} | ${r.m.attempts} | ${(r.m.wallMs / 1000).toFixed(2)} s | ${(r.idealMs / 1000).toFixed(2)} s | ${((r.m.attempts / r.m.wallMs) * 1000).toFixed(1)} | ${r.speedup.toFixed(1)}× |`,
  )
  .join('\n')}

At concurrency 32 the speed-up is ${at32.speedup.toFixed(1)}×, ${(100 * efficiency).toFixed(0)}% of the ideal 32×.
Target: at least 90% — ${efficiency >= 0.9 ? 'met' : 'NOT met'}.`,
);
process.stderr.write(`efficiency at 32: ${(100 * efficiency).toFixed(0)}%\n`);
