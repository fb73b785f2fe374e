// Runs and attempts: the run list, a run's summary and scores, its attempts, one attempt
// with its scenario and scorecard, and its trajectory paged and searched.

import { Hono } from 'hono';
import { z } from 'zod';
import { STEP_KINDS } from '../../agents/trajectory.ts';
import { scenarioKey } from '../../runs/store/scenarios.ts';
import type { AttemptRow, RunRow } from '../../runs/store/types.ts';
import { attemptListing, summarizeRun } from '../../runs/summary.ts';
import { expectedInWords } from '../../scenarios/describe.ts';
import { forecastPoints } from '../../scenarios/graders.ts';
import { EVIDENCE_SCORER, PANEL_SCORER } from '../../scoring/stored.ts';
import { DEFAULT_READINESS } from '../../scoring/total.ts';
import { AttemptsQuery, triage } from '../attempt-filters.ts';
import { ApiError, notFound, parse } from '../errors.ts';
import { countsOf, faultsOf, visibleSummary } from '../scores.ts';
import type { ServerState } from '../state.ts';
import { runSuites, submissionSpec } from '../submission-spec.ts';
import { pageSteps } from '../trajectory-view.ts';

export async function findRun(state: ServerState, id: string): Promise<RunRow> {
  const run = await state.store.findRun(id);
  if (!run) throw notFound(`run "${id}"`, 'List runs with GET /api/runs');
  return run;
}

/** What a run is, without local paths. */
export function specView(run: RunRow) {
  const sub = submissionSpec(run);
  if (sub) return sub;
  const s = run.spec as Record<string, unknown> | null;
  if (!s || typeof s !== 'object') return null;
  return {
    kind: 'run',
    entries: s.entries,
    suites: runSuites(run),
    trials: s.trials,
    faults: s.faults,
    limits: s.limits,
    scenarioLimit: s.scenarioLimit ?? null,
  };
}

async function visibleAttempt(state: ServerState, id: string): Promise<AttemptRow> {
  const a = await state.store.attempt(id);
  if (!a) throw notFound(`attempt "${id}"`, 'List a run\u2019s attempts with GET /api/runs/RUN/attempts');
  if (state.competitions.sealed(a.suite, a.scenarioId))
    throw new ApiError(
      403,
      `attempt "${id}" answers a scenario that is sealed in a competition`,
      'It becomes visible when the admin reveals the competition',
    );
  return a;
}

const Readiness = z.coerce.number().min(0).max(100).default(DEFAULT_READINESS);
const Scorer = z.enum([EVIDENCE_SCORER, PANEL_SCORER]).default(EVIDENCE_SCORER);

const TrajectoryQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  q: z.string().min(1).max(200).optional(),
  kind: z.enum(STEP_KINDS).optional(),
  errors: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export function runRoutes(state: ServerState): Hono {
  const app = new Hono();

  app.get('/runs', async (c) => {
    const runs = await state.store.listRuns();
    const out = await Promise.all(
      runs.map(async (r) => {
        const counts = state.competitions.touches(r)
          ? countsOf(
              (await state.store.attempts(r.id)).filter(
                (a) => !state.competitions.sealed(a.suite, a.scenarioId),
              ),
            )
          : r.counts;
        return {
          id: r.id,
          name: r.name,
          status: r.status,
          createdAt: r.createdAt,
          finishedAt: r.finishedAt,
          submission: submissionSpec(r) !== null,
          suites: runSuites(r),
          counts,
        };
      }),
    );
    return c.json({ runs: out });
  });

  app.get('/runs/:id', async (c) => {
    const q = parse(z.object({ readiness: Readiness, scorer: Scorer }), c.req.query(), 'query');
    const run = await findRun(state, c.req.param('id'));
    let summary = await summarizeRun(state.store, run);
    if (state.competitions.touches(run)) {
      const attempts = (await state.store.attempts(run.id)).filter(
        (a) => !state.competitions.sealed(a.suite, a.scenarioId),
      );
      const family = new Map(
        (await state.store.scenarios(run.id)).map((s) => [
          scenarioKey(s.suite, s.scenario.id),
          s.scenario.family,
        ]),
      );
      summary = visibleSummary(state.store, run, attempts, family);
    }
    const scored = await state.scores.forRun(run, summary.counts, {
      readiness: q.readiness,
      scorer: q.scorer,
    });
    return c.json({
      run: {
        id: run.id,
        name: run.name,
        status: run.status,
        createdAt: run.createdAt,
        finishedAt: run.finishedAt,
      },
      spec: specView(run),
      // The summary names the store it was read from (a path on the server): left out, as GET
      // /api shows it to the admin only.
      summary: { ...summary, store: undefined },
      scorer: q.scorer,
      scores: scored.scores,
      entries: state.scores.entries(run, scored),
      sealedAttempts: scored.sealedAttempts,
    });
  });

  app.get('/runs/:id/attempts', async (c) => {
    const q = parse(AttemptsQuery, c.req.query(), 'query');
    const run = await findRun(state, c.req.param('id'));
    const [all, cardRows, scenarios] = await Promise.all([
      state.store.attempts(run.id),
      state.store.scorecards(run.id),
      state.store.scenarios(run.id),
    ]);
    const visible = all.filter((a) => !state.competitions.sealed(a.suite, a.scenarioId));
    const cards = new Map(
      cardRows
        .filter((s) => s.scorer === EVIDENCE_SCORER)
        .map((s) => [s.attemptId, s.body as { total: number | null; pass: boolean }]),
    );
    const byKey = new Map(scenarios.map((s) => [scenarioKey(s.suite, s.scenario.id), s.scenario]));
    const found = triage(
      visible.map((a) => {
        const card = cards.get(a.id);
        return {
          attempt: a,
          total: card?.total ?? null,
          scorePass: card ? (card.total === null ? null : card.pass) : null,
          scenario: byKey.get(scenarioKey(a.suite, a.scenarioId)),
        };
      }),
      q,
    );
    return c.json({
      runId: run.id,
      /** Visible attempts of the run, and how many of them match the filters. */
      total: visible.length,
      matching: found.matching,
      sealed: all.length - visible.length,
      offset: q.offset,
      limit: q.limit,
      filters: {
        view: q.view,
        family: q.family ?? null,
        kind: q.kind ?? null,
        trap: q.trap ?? null,
        q: q.q ?? null,
      },
      facets: found.facets,
      attempts: found.page.map((r) => ({
        ...attemptListing(r.attempt),
        total: r.total,
        scorePass: r.scorePass,
        family: r.scenario?.family ?? null,
        kind: r.scenario?.expected.type ?? null,
        traps: r.scenario?.traps.map((t) => t.kind) ?? [],
      })),
    });
  });

  app.get('/attempts/:id', async (c) => {
    const a = await visibleAttempt(state, c.req.param('id'));
    const run = await findRun(state, a.runId);
    const [scenarios, cards, viewed] = await Promise.all([
      state.store.scenarios(run.id),
      state.store.scorecards(run.id),
      state.trajectories.get(a.id),
    ]);
    const scenario = scenarios.find((s) => s.suite === a.suite && s.scenario.id === a.scenarioId)?.scenario;
    const card = (scorer: string) =>
      cards.find((s) => s.attemptId === a.id && s.scorer === scorer)?.body ?? null;
    const t = viewed?.trajectory;
    return c.json({
      attempt: attemptListing(a),
      run: { id: run.id, name: run.name },
      scenario: scenario
        ? {
            id: scenario.id,
            family: scenario.family,
            template: scenario.template,
            difficulty: scenario.difficulty,
            utterance: scenario.utterance,
            now: scenario.context.now,
            site: scenario.context.site,
            answerFormat: scenario.answerFormat,
            expected: scenario.expected,
            // What the grader accepts, in words (every accepted spelling and tolerance included).
            expectedInWords: expectedInWords(scenario.expected),
            traps: scenario.traps,
            clarification: scenario.clarification,
            requiredEvidence: scenario.requiredEvidence,
            referencePlan: scenario.referencePlan,
          }
        : null,
      answer: t ? t.finalAnswer : null,
      grade: a.grade,
      scorecard: card(EVIDENCE_SCORER),
      panelScorecard: card(PANEL_SCORER),
      cost: a.cost,
      trajectory: t
        ? {
            id: t.id,
            agent: t.agent,
            model: t.model,
            track: t.track,
            status: t.status,
            steps: t.steps.length,
            toolCalls: t.toolLog.length,
            usage: t.usage,
            errors: t.errors,
            startedAt: t.startedAt,
            finishedAt: t.finishedAt,
            provenance: t.provenance,
          }
        : null,
      // A forecast as the grader read it, beside the real future, for the attempt page's chart.
      forecast:
        scenario?.expected.type === 'forecast'
          ? {
              asset: scenario.expected.asset,
              sensor: scenario.expected.sensor,
              now: scenario.context.now,
              actual: scenario.expected.actual,
              predicted: t?.finalAnswer ? forecastPoints(t.finalAnswer) : null,
            }
          : null,
      // The faults the run's tool server injected into this attempt's calls, as they happened.
      faults: {
        profile: faultsOf(run),
        injected: (t?.toolLog ?? []).flatMap((c) =>
          c.fault ? [{ seq: c.seq, tool: c.tool, kind: c.fault.kind, detail: c.fault.detail }] : [],
        ),
      },
      failures: state.failures.eventsOf(run.id, a.id),
    });
  });

  app.get('/attempts/:id/trajectory', async (c) => {
    const q = parse(TrajectoryQuery, c.req.query(), 'query');
    const a = await visibleAttempt(state, c.req.param('id'));
    const viewed = await state.trajectories.get(a.id);
    if (!viewed)
      throw notFound(
        `the trajectory of attempt "${a.id}"`,
        `The attempt is ${a.status}; it has no trajectory yet`,
      );
    const page = pageSteps(viewed, q.offset, q.limit, { q: q.q, kind: q.kind, errors: q.errors });
    const events = state.failures.eventsOf(a.runId, a.id);
    return c.json({
      attemptId: a.id,
      ...page,
      failures: events
        ? { analysed: true, events }
        : { analysed: false, events: [], hint: `GET /api/runs/${a.runId}/failures analyses the run` },
    });
  });

  return app;
}
