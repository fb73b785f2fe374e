// The behaviour every run store back-end must share (SQLite and PostgreSQL run the same
// checks): idempotent plans, attempts recorded exactly once, compressed trajectories that
// come back intact, names that find runs, counts that add up.
import { describe, expect, it } from 'vitest';
import { finish, newTrajectory, type Trajectory } from '../../src/agents/trajectory.ts';
import { attemptId } from '../../src/runs/store/rows.ts';
import type { AttemptKey, AttemptRecord, NewRun, RunStore } from '../../src/runs/store/types.ts';
import type { Scenario } from '../../src/scenarios/schema.ts';

let counter = 0;

function fakeScenario(id: string): Scenario {
  // The store keeps scenarios as JSON; it does not validate them.
  return { id, utterance: `question ${id}` } as unknown as Scenario;
}

export function sampleRun(name: string | null, scenarioIds: string[], trials = 1): NewRun {
  counter++;
  const id = `run-contract-${Date.now()}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const attempts: AttemptKey[] = [];
  for (const sid of scenarioIds)
    for (let trial = 1; trial <= trials; trial++)
      attempts.push({ runId: id, suite: 'default', scenarioId: sid, agent: 'baseline', model: null, trial });
  return {
    id,
    name,
    createdAt: new Date(Date.now() + counter).toISOString(),
    spec: { agents: ['baseline'], note: 'contract' },
    scenarios: scenarioIds.map((s) => ({ suite: 'default', scenario: fakeScenario(s) })),
    attempts,
  };
}

export function sampleRecord(key: AttemptKey, pass: boolean, answer: string): AttemptRecord {
  const t: Trajectory = newTrajectory({
    id: `t-${key.scenarioId}-${key.trial}`,
    scenarioId: key.scenarioId,
    agent: key.agent,
  });
  t.steps.push({ index: 0, agent: key.agent, kind: 'final', content: answer });
  finish(t, 'completed', answer);
  const now = new Date().toISOString();
  return {
    attemptId: attemptId(key),
    outcome: 'completed',
    grade: { pass, score: pass ? 1 : 0, detail: pass ? 'right' : 'wrong' },
    cost: { calls: 2, cachedCalls: 1, inputTokens: 100, outputTokens: 20, usd: 0.0125 },
    durationMs: 12.5,
    retries: 0,
    worker: 'test',
    startedAt: now,
    finishedAt: now,
    trajectory: t,
  };
}

/** Registers the contract tests for a store made by `open` (a fresh, empty store each call). */
export function storeContract(label: string, open: () => Promise<RunStore>): void {
  describe(`run store contract: ${label}`, () => {
    it('creates a run with its scenarios and planned attempts, idempotently per attempt key', async () => {
      const store = await open();
      try {
        const run = sampleRun('nightly', ['s1', 's2', 's3'], 2);
        // A duplicated key in the plan is stored once.
        run.attempts.push({ ...run.attempts[0] });
        await store.createRun(run);
        const attempts = await store.attempts(run.id);
        expect(attempts).toHaveLength(6);
        expect(attempts.map((a) => `${a.scenarioId}#${a.trial}`)).toEqual([
          's1#1',
          's1#2',
          's2#1',
          's2#2',
          's3#1',
          's3#2',
        ]);
        expect(attempts.every((a) => a.status === 'pending' && a.model === null)).toBe(true);
        expect((await store.scenarios(run.id)).map((s) => s.scenario.id)).toEqual(['s1', 's2', 's3']);
        const c = await store.counts(run.id);
        expect(c).toMatchObject({ total: 6, done: 0, pending: 6, running: 0, answerCorrect: 0, infra: 0 });
      } finally {
        await store.close();
      }
    });

    it('records an attempt exactly once and keeps the first record', async () => {
      const store = await open();
      try {
        const run = sampleRun(null, ['a', 'b']);
        await store.createRun(run);
        const key = run.attempts[0];
        expect(await store.claimAttempt(attemptId(key), 'w1')).toBe(true);
        expect((await store.attempt(attemptId(key)))?.status).toBe('running');
        expect(await store.recordAttempt(sampleRecord(key, true, 'first'))).toBe(true);
        // A second worker finishing the same attempt late changes nothing.
        expect(await store.recordAttempt(sampleRecord(key, false, 'second'))).toBe(false);
        expect(await store.claimAttempt(attemptId(key), 'w2')).toBe(false);
        const row = await store.attempt(attemptId(key));
        expect(row).toMatchObject({ status: 'done', outcome: 'completed', worker: 'test' });
        expect(row?.grade?.pass).toBe(true);
        expect(row?.cost).toEqual({
          calls: 2,
          cachedCalls: 1,
          inputTokens: 100,
          outputTokens: 20,
          usd: 0.0125,
        });
        const t = await store.trajectory(attemptId(key));
        expect(t?.finalAnswer).toBe('first');
        expect(t?.steps).toHaveLength(1);
        expect(await store.trajectory(attemptId(run.attempts[1]))).toBeNull();
        const c = await store.counts(run.id);
        expect(c).toMatchObject({ total: 2, done: 1, pending: 1, answerCorrect: 1, errors: 0, infra: 0 });
        expect(c.costUsd).toBeCloseTo(0.0125, 6);
      } finally {
        await store.close();
      }
    });

    it('puts running attempts back to pending on resume, never done ones', async () => {
      const store = await open();
      try {
        const run = sampleRun(null, ['a', 'b', 'c']);
        await store.createRun(run);
        const [a, b] = run.attempts;
        await store.claimAttempt(attemptId(a), 'w');
        await store.claimAttempt(attemptId(b), 'w');
        await store.recordAttempt(sampleRecord(a, false, 'x'));
        expect(await store.resetUnfinished(run.id)).toBe(1);
        const statuses = (await store.attempts(run.id)).map((r) => r.status);
        expect(statuses).toEqual(['done', 'pending', 'pending']);
      } finally {
        await store.close();
      }
    });

    it('counts infrastructure failures apart and forgets them on resume, results kept', async () => {
      const store = await open();
      try {
        const run = sampleRun(null, ['a', 'b', 'c']);
        await store.createRun(run);
        const [a, b] = run.attempts;
        await store.recordAttempt(sampleRecord(a, true, 'kept'));
        const outage = sampleRecord(b, false, 'x');
        outage.outcome = 'infra_error';
        outage.trajectory.status = 'infra_error';
        await store.recordAttempt(outage);
        await store.putScorecard({
          attemptId: attemptId(b),
          scorer: 'evidence',
          body: {},
          createdAt: outage.finishedAt,
        });
        expect(await store.counts(run.id)).toMatchObject({ done: 2, infra: 1, errors: 0, answerCorrect: 1 });
        expect(await store.resetUnfinished(run.id)).toBe(1);
        const rows = await store.attempts(run.id);
        expect(rows.map((r) => r.status)).toEqual(['done', 'pending', 'pending']);
        expect(rows[1]).toMatchObject({ outcome: null, grade: null, retries: 0 });
        expect(await store.trajectory(attemptId(b))).toBeNull();
        expect((await store.scorecards(run.id)).map((c) => c.attemptId)).not.toContain(attemptId(b));
        expect((await store.trajectory(attemptId(a)))?.finalAnswer).toBe('kept');
        // The rerun records normally.
        expect(await store.recordAttempt(sampleRecord(b, true, 'rerun'))).toBe(true);
        expect(await store.counts(run.id)).toMatchObject({ done: 2, infra: 0, answerCorrect: 2 });
      } finally {
        await store.close();
      }
    });

    it('finds runs by id or by name (the newest of that name) and lists them newest first', async () => {
      const store = await open();
      try {
        const older = sampleRun('same-name', ['a']);
        const newer = sampleRun('same-name', ['a', 'b']);
        await store.createRun(older);
        await store.createRun(newer);
        expect((await store.findRun(older.id))?.id).toBe(older.id);
        expect((await store.findRun('same-name'))?.id).toBe(newer.id);
        expect(await store.findRun('no-such-run')).toBeNull();
        await store.setRunStatus(newer.id, 'finished', new Date().toISOString());
        const found = await store.findRun(newer.id);
        expect(found?.status).toBe('finished');
        expect(found?.spec).toEqual({ agents: ['baseline'], note: 'contract' });
        const listed = await store.listRuns();
        const ids = listed.map((r) => r.id);
        expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
        expect(listed.find((r) => r.id === newer.id)?.counts.total).toBe(2);
      } finally {
        await store.close();
      }
    });

    it('keeps a heartbeat: a run just created or resumed is running, a finished one stays finished', async () => {
      const store = await open();
      try {
        const run = sampleRun('pulse', ['s1']);
        await store.createRun(run);
        const created = await store.findRun(run.id);
        expect(created?.status).toBe('running');
        expect(created?.heartbeatAt).toBe(run.createdAt);
        // (sampleRun's createdAt runs a few ms ahead of the clock: compare with the clock.)
        const before = Date.now();
        await store.heartbeat(run.id);
        const beat = (await store.findRun(run.id))?.heartbeatAt ?? '';
        expect(Date.parse(beat)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(beat)).toBeLessThanOrEqual(Date.now());
        expect((await store.listRuns()).find((r) => r.id === run.id)?.heartbeatAt).toBe(beat);
        await store.setRunStatus(run.id, 'finished', new Date().toISOString());
        expect((await store.findRun(run.id))?.status).toBe('finished');
        // Resuming stamps the heartbeat again.
        await store.setRunStatus(run.id, 'running');
        const resumed = await store.findRun(run.id);
        expect(resumed?.status).toBe('running');
        expect(Date.parse(resumed?.heartbeatAt ?? '')).toBeGreaterThanOrEqual(Date.parse(beat));
      } finally {
        await store.close();
      }
    });

    it('keeps scorecards per attempt and scorer, replacing a re-score', async () => {
      const store = await open();
      try {
        const run = sampleRun(null, ['a']);
        await store.createRun(run);
        const id = attemptId(run.attempts[0]);
        await store.putScorecard({
          attemptId: id,
          scorer: 'evidence',
          body: { total: 40 },
          createdAt: new Date().toISOString(),
        });
        await store.putScorecard({
          attemptId: id,
          scorer: 'evidence',
          body: { total: 55 },
          createdAt: new Date().toISOString(),
        });
        const cards = await store.scorecards(run.id);
        expect(cards).toHaveLength(1);
        expect(cards[0].body).toEqual({ total: 55 });
      } finally {
        await store.close();
      }
    });

    it('deletes a run with everything recorded for it, and nothing else', async () => {
      const store = await open();
      try {
        const gone = sampleRun('gone', ['a', 'b']);
        const kept = sampleRun('kept', ['a']);
        await store.createRun(gone);
        await store.createRun(kept);
        await store.recordAttempt(sampleRecord(gone.attempts[0], true, 'x'));
        await store.recordAttempt(sampleRecord(kept.attempts[0], true, 'y'));
        await store.putScorecard({
          attemptId: attemptId(gone.attempts[0]),
          scorer: 'evidence',
          body: {},
          createdAt: new Date().toISOString(),
        });
        expect(await store.deleteRun(gone.id)).toBe(true);
        expect(await store.deleteRun(gone.id)).toBe(false);
        expect(await store.findRun(gone.id)).toBeNull();
        expect(await store.attempts(gone.id)).toEqual([]);
        expect(await store.scenarios(gone.id)).toEqual([]);
        expect(await store.trajectory(attemptId(gone.attempts[0]))).toBeNull();
        expect(await store.scorecards(gone.id)).toEqual([]);
        expect((await store.trajectory(attemptId(kept.attempts[0])))?.finalAnswer).toBe('y');
      } finally {
        await store.close();
      }
    });

    it('lets two recorders race on the same attempts without storing any twice', async () => {
      const storeA = await open();
      try {
        const run = sampleRun(
          null,
          Array.from({ length: 20 }, (_, i) => `s${i}`),
        );
        await storeA.createRun(run);
        const results = await Promise.all(
          run.attempts.flatMap((k) => [
            storeA.recordAttempt(sampleRecord(k, true, 'one')),
            storeA.recordAttempt(sampleRecord(k, false, 'two')),
          ]),
        );
        expect(results.filter(Boolean)).toHaveLength(20);
        expect((await storeA.counts(run.id)).done).toBe(20);
      } finally {
        await storeA.close();
      }
    });
  });
}
