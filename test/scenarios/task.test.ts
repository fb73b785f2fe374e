// What an agent is given gives nothing away: the answer contract states types only, from one
// shared vocabulary, and the scenario's id (which names its template) never reaches an agent,
// built-in or external, while the stored trajectory still names the real scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, AgentTask } from '../../src/agents/agent.ts';
import { createCommandAgent } from '../../src/agents/external/command.ts';
import { finish, newTrajectory } from '../../src/agents/trajectory.ts';
import { type Dataset, openDataset } from '../../src/dataset/open.ts';
import { runAttempt } from '../../src/runs/attempt.ts';
import { CONTRACT_DESCRIPTION, contractKeys, RECORD_PARTS } from '../../src/scenarios/contract.ts';
import type { Scenario } from '../../src/scenarios/schema.ts';
import { buildSuite } from '../../src/scenarios/suite.ts';
import { TEMPLATES } from '../../src/scenarios/templates/index.ts';
import { tinyWorld } from '../support/worlds.ts';

let ds: Dataset;
let scenarios: Scenario[];

beforeAll(async () => {
  ds = await openDataset((await tinyWorld(7)).dir);
  ({ scenarios } = await buildSuite(ds, { templates: TEMPLATES, count: 120, seed: 0, split: 'default' }));
});

afterAll(() => ds?.close());

/** Every object key anywhere in a JSON value. */
function allKeys(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) for (const v of x) allKeys(v, out);
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      out.push(k);
      allKeys(v, out);
    }
  return out;
}

describe('the answer contract', () => {
  it('states types only: a generic description, no descriptions, enums or examples in the schema', () => {
    expect(scenarios.length).toBeGreaterThan(80);
    for (const s of scenarios) {
      expect(s.answerFormat.description, s.id).toBe(CONTRACT_DESCRIPTION);
      const keys = allKeys(s.answerFormat.jsonShape);
      for (const banned of ['description', 'enum', 'examples', 'default', 'title', 'const'])
        expect(keys, `${s.id} uses ${banned}`).not.toContain(banned);
    }
  });

  it('uses the shared vocabulary, and no key identifies a template', () => {
    const templatesOf = new Map<string, Set<string>>();
    const scenariosOf = new Map<string, Scenario[]>();
    for (const s of scenarios) {
      for (const k of contractKeys(s.answerFormat.jsonShape)) {
        expect(Object.hasOwn(RECORD_PARTS, k), `${s.id}: key ${k}`).toBe(true);
        templatesOf.set(k, (templatesOf.get(k) ?? new Set()).add(s.template));
        scenariosOf.set(k, [...(scenariosOf.get(k) ?? []), s]);
      }
    }
    for (const [k, ts] of templatesOf) {
      if (ts.size >= 2) continue;
      // A key only one template uses must be a word its question says anyway ("how many work
      // orders, alerts and anomalies"): then it tells an agent nothing the utterance does not.
      const words = k.replace(/_/g, ' ');
      for (const s of scenariosOf.get(k) ?? [])
        expect(s.utterance.toLowerCase(), `key ${k} names template ${[...ts][0]}`).toContain(words);
    }
  });

  it('is the same for every instance of a template, whatever the outcome', () => {
    const byTemplate = new Map<string, string>();
    for (const s of scenarios) {
      const shape = JSON.stringify(s.answerFormat.jsonShape);
      const seen = byTemplate.get(s.template);
      if (seen !== undefined) expect(shape, s.id).toBe(seen);
      else byTemplate.set(s.template, shape);
    }
  });
});

describe('the task an agent gets', () => {
  it('carries a fresh opaque id; the trajectory keeps the real scenario id', async () => {
    const seen: AgentTask[] = [];
    const spy: Agent = {
      name: 'spy',
      model: null,
      async run(task) {
        seen.push(task);
        const t = newTrajectory({
          id: `spy-${task.taskId}`,
          scenarioId: task.taskId,
          agent: 'spy',
          model: null,
        });
        return finish(t, 'completed', { answer: null });
      },
    };
    const s = scenarios[0];
    const [a, b] = [await runAttempt(ds, s, spy), await runAttempt(ds, s, spy)];
    for (const task of seen) {
      expect(task.taskId).toMatch(/^task-[0-9a-f]{16}$/);
      expect(JSON.stringify(task)).not.toContain(s.template);
      expect(JSON.stringify(task)).not.toContain(s.id);
    }
    expect(seen[0].taskId).not.toBe(seen[1].taskId);
    expect(a.trajectory.scenarioId).toBe(s.id);
    expect(b.trajectory.scenarioId).toBe(s.id);
    expect(a.scenarioId).toBe(s.id);
  });

  it('reaches a command agent without the scenario or template id', async () => {
    // The agent answers with the task it was given, so the test sees exactly what it saw.
    const agent = createCommandAgent({ ds, cmd: 'printf "%s\\n" "$ASSETOPS_TASK"', timeoutMs: 30_000 });
    const s = scenarios.find((x) => x.template === 'iot-offline-window') ?? scenarios[0];
    const r = await runAttempt(ds, s, agent);
    const payload = r.trajectory.finalAnswer as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['answerFormat', 'now', 'taskId', 'track', 'utterance']);
    expect(payload.taskId).toMatch(/^task-[0-9a-f]{16}$/);
    const text = JSON.stringify(payload);
    expect(text).not.toContain(s.template);
    expect(text).not.toContain(s.id);
    expect(r.trajectory.scenarioId).toBe(s.id);
  });
});
