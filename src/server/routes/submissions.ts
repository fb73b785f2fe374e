// Uploads of trajectory bundles (submit token), and the list of submissions.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { requireToken } from '../auth.ts';
import { ApiError, parse } from '../errors.ts';
import { countsOf } from '../scores.ts';
import type { ServerState } from '../state.ts';
import { submissionSpec } from '../submission-spec.ts';
import { acceptSubmission } from '../submissions.ts';

const Fields = z.object({
  name: z.string().min(1, 'name is required').max(64),
  suite: z.string().min(1).optional(),
  competition: z.string().min(1).optional(),
});

export function submissionRoutes(state: ServerState): Hono {
  const app = new Hono();

  app.post(
    '/submissions',
    requireToken(state.tokens, state.limiter, 'submit'),
    bodyLimit({
      maxSize: state.limits.maxUploadBytes,
      onError: (c) =>
        c.json(
          {
            error: `the upload is larger than ${state.limits.maxUploadBytes} bytes`,
            hint: 'Split the trajectories over several submissions, or zip them',
          },
          413,
        ),
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      let bytes: Buffer;
      let fields: Record<string, unknown> = c.req.query();
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.parseBody();
        const file = form.file;
        if (!(file instanceof File))
          throw new ApiError(400, 'the form has no file field', 'Send the bundle as the "file" field');
        bytes = Buffer.from(await file.arrayBuffer());
        fields = { ...fields, ...Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'file')) };
      } else {
        bytes = Buffer.from(await c.req.arrayBuffer());
      }
      const f = parse(Fields, fields, 'submission fields');
      const result = await acceptSubmission(state, {
        bytes,
        name: f.name,
        suite: f.suite ?? null,
        competition: f.competition ?? null,
      });
      return c.json(result, 201);
    },
  );

  // The admin manages entries: a submission can be taken off the leaderboard (and out of the
  // store). Only submissions: runs made with `assetops run` belong to whoever made them.
  app.delete('/admin/submissions/:runId', requireToken(state.tokens, state.limiter, 'admin'), async (c) => {
    const run = await state.store.findRun(c.req.param('runId'));
    if (!run || !submissionSpec(run))
      throw new ApiError(
        404,
        `submission "${c.req.param('runId')}" not found`,
        'List them with GET /api/submissions',
      );
    await state.store.deleteRun(run.id);
    return c.json({ deleted: run.id, name: run.name });
  });

  app.get('/submissions', async (c) => {
    const out = [];
    for (const r of await state.store.listRuns()) {
      const spec = submissionSpec(r);
      if (!spec) continue;
      const counts = state.competitions.touches(r)
        ? countsOf(
            (await state.store.attempts(r.id)).filter(
              (a) => !state.competitions.sealed(a.suite, a.scenarioId),
            ),
          )
        : r.counts;
      out.push({ runId: r.id, name: r.name, status: r.status, createdAt: r.createdAt, ...spec, counts });
    }
    return c.json({ submissions: out });
  });

  return app;
}
