// A run: one agent over a list of scenarios. Results are written as they come (JSON Lines
// under the run folder), so a long run leaves a usable record even if it stops early.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Agent } from '../agents/agent.ts';
import type { Dataset } from '../dataset/open.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { FaultProfile } from '../tools/faults.ts';
import { type AttemptResult, runAttempt } from './attempt.ts';

export interface RunSpec {
  agent: Agent;
  scenarios: Scenario[];
  suite: string;
  faults?: FaultProfile;
  /** Folder that holds run folders (a run writes <runsDir>/<runId>/). */
  runsDir: string;
  name?: string;
  /** Attempts run at once (default 1). */
  concurrency?: number;
  onProgress?: (done: number, total: number, last: AttemptResult) => void;
}

export interface RunSummary {
  runId: string;
  name: string | null;
  dir: string;
  agent: string;
  model: string | null;
  suite: string;
  world: string;
  startedAt: string;
  finishedAt: string;
  total: number;
  /** Scenarios with a typed answer (free text waits for the judge). */
  graded: number;
  passed: number;
  passRate: number;
  byFamily: Record<string, { graded: number; passed: number }>;
  errors: number;
}

export async function startRun(ds: Dataset, spec: RunSpec): Promise<RunSummary> {
  const runId = `run-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
  const dir = join(spec.runsDir, runId);
  await mkdir(dir, { recursive: true });
  const startedAt = new Date().toISOString();
  const results: AttemptResult[] = [];
  // Writes are serialised through one promise chain, so lines never interleave.
  let writing: Promise<void> = Promise.resolve();
  const record = (r: AttemptResult) => {
    results.push(r);
    const row = {
      scenarioId: r.scenarioId,
      family: r.family,
      agent: r.agent,
      model: r.model,
      status: r.status,
      grade: r.grade,
    };
    writing = writing.then(async () => {
      await appendFile(join(dir, 'trajectories.jsonl'), `${JSON.stringify(r.trajectory)}\n`);
      await appendFile(join(dir, 'results.jsonl'), `${JSON.stringify(row)}\n`);
    });
    spec.onProgress?.(results.length, spec.scenarios.length, r);
  };
  // A pool of workers takes scenarios in order; model-backed agents spend their time
  // waiting on the model, so attempts overlap well.
  const queue = [...spec.scenarios];
  const workers = Array.from(
    { length: Math.max(1, Math.min(spec.concurrency ?? 1, queue.length)) },
    async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        record(await runAttempt(ds, s, spec.agent, { faults: spec.faults }));
      }
    },
  );
  await Promise.all(workers);
  await writing;
  // Stable order for the summary and for readers of results (completion order varies).
  const order = new Map(spec.scenarios.map((s, i) => [s.id, i]));
  results.sort((a, b) => (order.get(a.scenarioId) ?? 0) - (order.get(b.scenarioId) ?? 0));
  const graded = results.filter((r) => !r.grade.needsJudge);
  const byFamily: RunSummary['byFamily'] = {};
  for (const r of graded) {
    byFamily[r.family] ??= { graded: 0, passed: 0 };
    const f = byFamily[r.family];
    f.graded++;
    if (r.grade.pass) f.passed++;
  }
  const passed = graded.filter((r) => r.grade.pass).length;
  const summary: RunSummary = {
    runId,
    name: spec.name ?? null,
    dir,
    agent: spec.agent.name,
    model: spec.agent.model,
    suite: spec.suite,
    world: ds.manifest.checksum,
    startedAt,
    finishedAt: new Date().toISOString(),
    total: results.length,
    graded: graded.length,
    passed,
    passRate: graded.length ? passed / graded.length : 0,
    byFamily,
    errors: results.filter((r) => r.status === 'error').length,
  };
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
