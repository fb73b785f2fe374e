// What failure analysis and reports read from the run store: each finished attempt's
// trajectory with its grade and the scenario facts detectors use (traps, entities, format),
// and the run's scorecards.
import type { Trajectory } from '../agents/trajectory.ts';
import { findRunOrFail, runOrNewest } from '../runs/store/lookup.ts';
import { scenarioIndex, scenarioKey } from '../runs/store/scenarios.ts';
import type { RunRow, RunStore } from '../runs/store/types.ts';
import { isAobScenario } from '../scenarios/aob/answer.ts';
import type { Scenario } from '../scenarios/schema.ts';
import type { AttemptScore } from '../scoring/aggregate.ts';
import { EVIDENCE_SCORER, storedScores } from '../scoring/stored.ts';
import type { AnalysisInput } from './types.ts';

/** Entities a scenario is about: assets, sites and sensors named in its evidence and plan. */
export function scenarioEntities(s: Scenario): string[] {
  const out = new Set<string>();
  if (s.context.site) out.add(s.context.site);
  for (const e of s.requiredEvidence) {
    if (e.asset) out.add(e.asset);
    if (e.site) out.add(e.site);
    for (const x of e.sensors ?? []) out.add(x);
  }
  for (const p of s.referencePlan) {
    for (const k of ['asset', 'site', 'asset_id', 'equipment_id']) {
      const v = p.args[k];
      if (typeof v === 'string') out.add(v);
    }
  }
  return [...out];
}

/**
 * The answer format as the format detector reads it: the description, and the JSON shape when
 * one is required. AssetOpsBench scenarios accept prose, so their shape is not a requirement.
 */
export function answerFormatText(s: Scenario): string {
  const shape = s.answerFormat.jsonShape && !isAobScenario(s) ? s.answerFormat.jsonShape : null;
  return `${s.answerFormat.description}${shape ? ` JSON: ${JSON.stringify(shape)}` : ''}`;
}

export interface LoadedRuns {
  runs: RunRow[];
  inputs: AnalysisInput[];
  trajectories: Map<string, Trajectory>;
  scores: AttemptScore[];
  /** The run label (runLabel) of each trajectory id, when loaded from stored runs. */
  runOf?: Map<string, string>;
}

/** A run's name, or its id when it has none or shares the name with another loaded run. */
export function runLabel(run: RunRow, all: RunRow[]): string {
  if (!run.name) return run.id;
  return all.filter((r) => r.name === run.name).length > 1 ? run.id : run.name;
}

export async function loadRuns(store: RunStore, ids: string[]): Promise<LoadedRuns> {
  const runs: RunRow[] =
    ids.length === 0
      ? [await runOrNewest(store, undefined)]
      : await Promise.all(ids.map((id) => findRunOrFail(store, id)));
  const inputs: AnalysisInput[] = [];
  const trajectories = new Map<string, Trajectory>();
  const scores: AttemptScore[] = [];
  const runOf = new Map<string, string>();
  for (const run of runs) {
    const label = runLabel(run, runs);
    const scenarios = await scenarioIndex(store, run.id);
    for (const a of await store.attempts(run.id)) {
      if (a.status !== 'done') continue;
      const t = await store.trajectory(a.id);
      if (!t) continue;
      const s = scenarios.get(scenarioKey(a.suite, a.scenarioId));
      trajectories.set(t.id, t);
      runOf.set(t.id, label);
      inputs.push({
        trajectory: t,
        passed: a.grade && !a.grade.needsJudge ? a.grade.pass : null,
        traps: s?.traps.map((x) => x.kind) ?? [],
        entities: s ? scenarioEntities(s) : [],
        // The shape travels with the description so the format detector can check keys.
        answerFormat: s ? answerFormatText(s) : null,
      });
    }
    // Each row says its run, so aggregating several runs compares them instead of pooling.
    scores.push(...(await storedScores(store, run.id, EVIDENCE_SCORER)).map((r) => ({ ...r, run: label })));
  }
  return { runs, inputs, trajectories, scores, runOf };
}
