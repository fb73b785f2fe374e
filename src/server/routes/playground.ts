// The playground: pick a scenario (or type a question), run the offline baseline, and watch
// the tool calls and steps arrive as server-sent events, ending with the answer and grade.
// Starting a run is a write (a submit token); following one needs only its id.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { type Agent, MODEL_FREE_AGENTS, PLAYGROUND_AGENT_NAMES } from '../../agents/agent.ts';
import { agentByName } from '../../agents/registry.ts';
import { isUserError } from '../../util/errors.ts';
import { requireToken } from '../auth.ts';
import { ApiError, notFound, parse } from '../errors.ts';
import type { ServerState } from '../state.ts';

/** Built-in agents the playground can run: the offline baseline, and the model-backed ones. */
export const PLAYGROUND_AGENTS = PLAYGROUND_AGENT_NAMES as [string, ...string[]];

const StartBody = z
  .object({
    scenarioId: z.string().min(1).max(200).optional(),
    suite: z.string().min(1).default('default'),
    question: z.string().trim().min(1).max(2000).optional(),
    agent: z.enum(PLAYGROUND_AGENTS, {
      error: `the playground runs one of: ${PLAYGROUND_AGENTS.join(', ')} (your own agents run with \`assetops run\`)`,
    }),
    model: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => (b.scenarioId === undefined) !== (b.question === undefined), {
    message: 'give either scenarioId or question',
  });

const ScenariosQuery = z.object({ suite: z.string().min(1).default('default') });

export function playgroundRoutes(state: ServerState): Hono {
  const app = new Hono();

  // The scenarios a playground (or a submitter) may pick: no expected answers, nothing sealed.
  app.get('/scenarios', async (c) => {
    const q = parse(ScenariosQuery, c.req.query(), 'query');
    const list = (await state.suite(q.suite)).filter((s) => !state.competitions.sealed(q.suite, s.id));
    return c.json({
      suite: q.suite,
      scenarios: list.map((s) => ({
        id: s.id,
        family: s.family,
        difficulty: s.difficulty,
        tracks: s.tracks,
        utterance: s.utterance,
        now: s.context.now,
        answerFormat: s.answerFormat,
      })),
    });
  });

  app.post('/playground/runs', requireToken(state.tokens, state.limiter, 'submit'), async (c) => {
    const body = parse(StartBody, await c.req.json().catch(() => undefined), 'request body');
    // The library's own checks: the baseline takes no model, the others need one (and its key).
    // A model-backed agent goes through the model layer like a run's (response cache, prices).
    let agent: Agent | undefined;
    try {
      if (MODEL_FREE_AGENTS.has(body.agent)) agentByName(body.agent, { model: body.model });
      else {
        const layer = await state.modelLayer(body.model ?? '');
        agent = agentByName(body.agent, {
          model: body.model,
          baseUrl: state.modelBaseUrl,
          wrapModel: layer.wrap,
        });
      }
    } catch (err) {
      if (isUserError(err)) throw new ApiError(400, err.message, err.hint);
      throw err;
    }
    if (state.playground.busy)
      throw new ApiError(
        429,
        'the playground is busy',
        'Try again in a few seconds',
        {},
        { 'Retry-After': '2' },
      );
    let scenario = null;
    if (body.scenarioId) {
      if (state.competitions.sealed(body.suite, body.scenarioId))
        throw new ApiError(
          403,
          `scenario "${body.scenarioId}" is sealed in a competition`,
          'Pick a public scenario',
        );
      scenario = { ...(await state.scenario(body.suite, body.scenarioId)), suite: body.suite };
    }
    const run = state.playground.start(await state.world(), {
      scenario,
      question: body.question ?? null,
      agent,
    });
    return c.json({ id: run.id, events: `/api/playground/runs/${run.id}/events` }, 202);
  });

  app.get('/playground/agents', (c) =>
    c.json({
      agents: PLAYGROUND_AGENTS.map((a) => ({ agent: a, needsModel: !MODEL_FREE_AGENTS.has(a) })),
      modelBaseUrl: state.modelBaseUrl ?? null,
      hint: 'Model-backed agents need --model reachable from the server: a provider key in its environment, or serve --base-url URL',
    }),
  );

  app.get('/playground/runs/:id', (c) => {
    const run = state.playground.get(c.req.param('id'));
    if (!run)
      throw notFound(`playground run "${c.req.param('id')}"`, 'Start one with POST /api/playground/runs');
    return c.json({ id: run.id, createdAt: run.createdAt, done: run.done, events: run.events });
  });

  app.get('/playground/runs/:id/events', (c) => {
    const run = state.playground.get(c.req.param('id'));
    if (!run)
      throw notFound(`playground run "${c.req.param('id')}"`, 'Start one with POST /api/playground/runs');
    const last = Number(c.req.header('last-event-id'));
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        run.wake();
      });
      let i = Number.isInteger(last) && last >= 0 ? last + 1 : 0;
      while (!closed) {
        while (i < run.events.length && !closed) {
          const e = run.events[i++];
          await stream.writeSSE({ id: String(e.id), event: e.event, data: JSON.stringify(e.data) });
        }
        if (run.done && i >= run.events.length) break;
        await run.next();
      }
    });
  });

  return app;
}
