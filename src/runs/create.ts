// Starting a run: give it an id, copy its scenarios, plan its attempts, store all of it in
// one transaction. From then on the store alone says what is left to do.
import { randomUUID } from 'node:crypto';
import type { Scenario } from '../scenarios/schema.ts';
import { planAttempts, type ResolvedRunSpec } from './spec.ts';
import { thisRunner } from './store/rows.ts';
import type { RunRow, RunStore } from './store/types.ts';

export function newRunId(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
}

export async function createRun(
  store: RunStore,
  spec: ResolvedRunSpec,
  scenariosBySuite: Map<string, Scenario[]>,
  name: string | null,
): Promise<RunRow> {
  const id = newRunId();
  const createdAt = new Date().toISOString();
  const scenarios = [...scenariosBySuite].flatMap(([suite, list]) =>
    list.map((scenario) => ({ suite, scenario })),
  );
  const attempts = planAttempts(
    id,
    spec,
    scenarios.map((s) => ({ suite: s.suite, scenarioId: s.scenario.id })),
  );
  await store.createRun({ id, name, createdAt, spec, scenarios, attempts });
  return {
    id,
    name,
    status: 'running',
    createdAt,
    finishedAt: null,
    heartbeatAt: createdAt,
    runner: thisRunner(),
    spec,
  };
}
