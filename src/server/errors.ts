// Errors as the API speaks them: `{error, hint}` with a status code. Route handlers throw
// ApiError; UserErrors from the library become 400s (404 for unknown things); zod input
// errors name the field; anything else is a 500 whose detail stays in the server log.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
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

export function errorResponse(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json({ error: err.message, hint: err.hint, ...err.extra }, err.status);
  }
  if (isUserError(err)) {
    return c.json({ error: err.message, hint: err.hint }, USER_ERROR_STATUS[err.code] ?? 400);
  }
  // A bug: keep the detail in the server's log, not in the response.
  process.stderr.write(`error in ${c.req.method} ${c.req.path}: ${(err as Error)?.stack ?? String(err)}\n`);
  return c.json({ error: 'internal error', hint: 'The server log has the details; please report it' }, 500);
}
