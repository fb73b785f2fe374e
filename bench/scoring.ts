// Scoring benchmark. (1) Trajectories scored per second by evidence alone. (2) Judge tokens
// per trajectory: our protocol (the judge asked only what evidence cannot settle, from the
// answer alone when that suffices, 3 samples) against a judge-only protocol like
// AssetOpsBench's (all six dimensions on the whole trajectory, 5 samples). Target: at least
// 5 times fewer. Tokens are estimated from the prompts we would send (4 characters a token)
// plus a reply allowance per dimension; no model is called.
// Writes docs/BENCHMARKS.md. Usage: npm run bench:scoring
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineAgent } from '../src/agents/baseline/index.ts';
import { openDataset } from '../src/dataset/open.ts';
import { runAttempt } from '../src/runs/attempt.ts';
import { generatedSuite } from '../src/scenarios/suites.ts';
import { buildJudgePrompt } from '../src/scoring/judge/rubrics.ts';
import { judgeRequest, scoreTrajectory } from '../src/scoring/scorecard.ts';
import { DIMENSIONS, type Dimension, type ScoreInput } from '../src/scoring/types.ts';
import { presetConfig } from '../src/world/config.ts';
import { generateWorld } from '../src/world/generate.ts';
import { machine, writeSection } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'assetops-bench-scoring-'));
process.stderr.write('generating the tiny world and running the baseline\n');
await generateWorld(presetConfig('tiny', 7), { out: join(dir, 'world') });
const ds = await openDataset(join(dir, 'world'));
const scenarios = await generatedSuite(ds, { split: 'default', seed: 0 });
const inputs: ScoreInput[] = [];
for (const s of scenarios) {
  const r = await runAttempt(ds, s, baselineAgent, { faults: 'flaky', seed: 1 });
  inputs.push({ scenario: s, trajectory: r.trajectory, grade: r.grade });
}
ds.close();

// (1) Evidence throughput: every trajectory scored repeatedly, after a warm-up.
for (const x of inputs) scoreTrajectory(x);
const ROUNDS = 10;
const t0 = performance.now();
for (let r = 0; r < ROUNDS; r++) for (const x of inputs) scoreTrajectory(x);
const seconds = (performance.now() - t0) / 1000;
const perSecond = (ROUNDS * inputs.length) / seconds;

// (2) Judge tokens per trajectory.
const REPLY_TOKENS_PER_DIMENSION = 60;
const tokensOf = (x: ScoreInput, dims: Dimension[], focus: 'full' | 'answer') => {
  const p = buildJudgePrompt(x, { dimensions: dims, focus });
  return Math.ceil((p.system.length + p.user.length) / 4) + REPLY_TOKENS_PER_DIMENSION * (dims.length + 1);
};
let judgeOnly = 0;
let ours = 0;
let answerFocused = 0;
for (const x of inputs) {
  judgeOnly += 5 * tokensOf(x, [...DIMENSIONS], 'full');
  const card = scoreTrajectory(x);
  const { dimensions: dims, focus } = judgeRequest(card);
  if (focus === 'answer') answerFocused++;
  ours += 3 * tokensOf(x, dims, focus);
}
const ratio = judgeOnly / ours;

writeSection(
  'scoring',
  `## Scoring (\`npm run bench:scoring\`)

Machine: ${machine()}. ${inputs.length} baseline trajectories on the tiny world's default suite
(flaky tool faults, so some trajectories hold errors to verify).

**Evidence scoring** (all six dimensions, tool accuracy, knowledge use, claim grounding, no
model): **${perSecond.toFixed(0)} trajectories per second** on one core
(${ROUNDS} rounds of ${inputs.length}).

**Judge tokens per trajectory** (estimated from the prompts, 4 characters a token, plus
${REPLY_TOKENS_PER_DIMENSION} reply tokens per dimension asked):

| protocol | samples | dimensions asked | tokens per trajectory |
|---|---:|---|---:|
| judge only (AssetOpsBench's protocol) | 5 | all six, whole trajectory | ${Math.round(judgeOnly / inputs.length)} |
| ours (\`assetops score --judge\`) | 3 | what evidence cannot settle; answer only for ${answerFocused} of ${inputs.length} | ${Math.round(ours / inputs.length)} |

Ours uses **${ratio.toFixed(1)} times fewer** judge tokens. Target: at least 5 times — ${ratio >= 5 ? 'met' : 'NOT met'}.`,
);
process.stderr.write(`${perSecond.toFixed(0)} trajectories/s; judge tokens ${ratio.toFixed(1)}x fewer\n`);
