// A run's stored scenarios by suite and id: attempts name their scenario by both, since two
// suites of one run may hold scenarios with the same id.
import type { Scenario } from '../../scenarios/schema.ts';
import type { RunStore } from './types.ts';

export function scenarioKey(suite: string, scenarioId: string): string {
  return `${suite}|${scenarioId}`;
}

export async function scenarioIndex(store: RunStore, runId: string): Promise<Map<string, Scenario>> {
  return new Map(
    (await store.scenarios(runId)).map((x) => [scenarioKey(x.suite, x.scenario.id), x.scenario]),
  );
}
