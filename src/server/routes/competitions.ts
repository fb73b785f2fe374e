// Competitions: the admin defines a suite's public, hidden and private splits and reveals
// them; anyone may read the standings (public scores until the reveal).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { storedScores } from '../../scoring/stored.ts';
import { requireToken } from '../auth.ts';
import {
  type Competition,
  CompetitionInputSchema,
  SPLITS,
  type Submitted,
  standings,
  TAU_NOTE,
} from '../competitions.ts';
import { ApiError, notFound, parse } from '../errors.ts';
import type { ServerState } from '../state.ts';
import { submissionSpec } from '../submission-spec.ts';

function view(c: Competition) {
  return {
    id: c.id,
    name: c.name,
    suite: c.suite,
    revealed: c.revealed,
    createdAt: c.createdAt,
    revealedAt: c.revealedAt,
    // Which scenarios are public is public; hidden and private ids stay sealed until the reveal.
    splits: {
      public: c.splits.public,
      hidden: c.revealed ? c.splits.hidden : null,
      private: c.revealed ? c.splits.private : null,
    },
    sizes: Object.fromEntries(SPLITS.map((s) => [s, c.splits[s].length])),
  };
}

function find(state: ServerState, id: string): Competition {
  const c = state.competitions.get(id);
  if (!c) throw notFound(`competition "${id}"`, 'List them with GET /api/competitions');
  return c;
}

export function competitionRoutes(state: ServerState): Hono {
  const app = new Hono();
  const admin = requireToken(state.tokens, state.limiter, 'admin');

  app.post('/admin/competitions', admin, async (c) => {
    const input = parse(CompetitionInputSchema, await c.req.json().catch(() => undefined), 'competition');
    const id = input.id ?? `comp-${randomUUID().slice(0, 8)}`;
    if (state.competitions.get(id))
      throw new ApiError(409, `competition "${id}" exists`, 'Choose another id');
    const known = new Set((await state.suite(input.suite)).map((s) => s.id));
    const seen = new Set<string>();
    for (const split of SPLITS) {
      for (const sid of input.splits[split]) {
        if (!known.has(sid))
          throw new ApiError(
            400,
            `${split} split: no scenario "${sid}" in suite ${input.suite}`,
            'Use ids from GET /api/scenarios',
          );
        if (seen.has(sid))
          throw new ApiError(400, `scenario "${sid}" is in more than one split`, 'Splits must not overlap');
        seen.add(sid);
      }
    }
    const comp: Competition = {
      id,
      name: input.name,
      suite: input.suite,
      splits: input.splits,
      revealed: false,
      createdAt: new Date().toISOString(),
      revealedAt: null,
    };
    state.competitions.add(comp);
    return c.json(view(comp), 201);
  });

  app.post('/admin/competitions/:id/reveal', admin, (c) => {
    const comp = find(state, c.req.param('id'));
    state.competitions.reveal(comp.id);
    return c.json(view(comp));
  });

  app.delete('/admin/competitions/:id', admin, (c) => {
    const comp = find(state, c.req.param('id'));
    state.competitions.remove(comp.id);
    return c.json({ removed: comp.id });
  });

  app.get('/competitions', (c) => c.json({ competitions: state.competitions.list().map(view) }));

  app.get('/competitions/:id', async (c) => {
    const comp = find(state, c.req.param('id'));
    const subs: Submitted[] = [];
    for (const r of await state.store.listRuns()) {
      const spec = submissionSpec(r);
      if (spec?.competition !== comp.id) continue;
      subs.push({
        runId: r.id,
        team: spec.team,
        track: spec.track,
        submittedAt: spec.submittedAt,
        rows: await storedScores(state.store, r.id),
      });
    }
    return c.json({
      competition: view(comp),
      standings: standings(comp, subs),
      arithmetic: {
        split: "AssetOpsBench's competition percentage: criteria met of six per scenario, over the split",
        composite: '0.6 public + 0.3 private + 0.1 tau-match, per track',
        final: '0.4 planning + 0.6 execution; ties go to the higher execution composite',
        tauMatch: TAU_NOTE,
      },
    });
  });

  return app;
}
