// Errors as the API speaks them: `{error, hint}` with a status code. Route handlers throw
// ApiError; UserErrors from the library become 400s (404 for unknown things); zod input
// errors name the field; anything else is a 500 whose detail stays in the server log.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { isStoreFailure } from '../runs/store/guard.ts';
import { isUserError } from '../util/errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly hint: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, hint: string) => new ApiError(404, `${what} not found`, hint);

/** Parses input with a zod schema; a failure is a 400 naming the fields. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');
  throw new ApiError(
    400,
    `invalid ${where}: ${issues}`,
    'See GET /api for the parameters each endpoint takes',
  );
}

const USER_ERROR_STATUS: Record<string, ContentfulStatusCode> = {
  unknown_run: 404,
  missing: 503,
  missing_manifest: 503,
  store_unavailable: 503,
};

const STORE_FAILURE_TEXT: Record<string, string> = {
  store_full: 'the disk holding the run store is full',
  store_damaged: 'the run store is damaged',
  store_readonly: 'the run store is read-only',
  store_io: 'reading the run store failed (a disk error)',
};

export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json({ error: err.message, hint: err.hint, ...err.extra }, err.status);
  }
  if (isStoreFailure(err)) {
    // The operator needs the file and the detail (the log has them); a visitor needs to know
    // it is the store, not their request, and that nothing they see was lost.
    process.stderr.write(`run store failure in ${c.req.method} ${c.req.path}: ${err.toLine()}\n`);
    return c.json(
      {
        error: STORE_FAILURE_TEXT[err.code] ?? 'the run store cannot be used',
        hint: 'This is the server, not your request: its operator will find the file and the fix in the server log. Nothing already stored was changed.',
      },
      503,
    );
  }
  if (isUserError(err)) {
    return c.json({ error: err.message, hint: err.hint }, USER_ERROR_STATUS[err.code] ?? 400);
  }
  // A bug: keep the detail in the server's log, not in the response.
  process.stderr.write(`error in ${c.req.method} ${c.req.path}: ${(err as Error)?.stack ?? String(err)}\n`);
  return c.json({ error: 'internal error', hint: 'The server log has the details; please report it' }, 500);
}
