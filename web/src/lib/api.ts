// The API client: JSON over fetch, with the server's `{error, hint}` as a typed failure.

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint: string | null,
    // `lines`: every line a problem was found on (the server names each problem once).
    readonly problems: Array<{ line: number; lines?: number[]; problem: string }> = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

async function failure(r: Response): Promise<ApiFailure> {
  const text = await r.text();
  try {
    const body = JSON.parse(text) as { error?: string; hint?: string; problems?: ApiFailure['problems'] };
    return new ApiFailure(r.status, body.error ?? `HTTP ${r.status}`, body.hint ?? null, body.problems ?? []);
  } catch {
    return new ApiFailure(r.status, `HTTP ${r.status}: ${text.slice(0, 200)}`, null);
  }
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const r = await fetch(path, { signal, headers: { accept: 'application/json' } });
  if (!r.ok) throw await failure(r);
  return (await r.json()) as T;
}

export async function apiPost<T>(
  path: string,
  body: BodyInit,
  opts: { token?: string; contentType?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.contentType) headers['content-type'] = opts.contentType;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const r = await fetch(path, { method: 'POST', body, headers });
  if (!r.ok) throw await failure(r);
  return (await r.json()) as T;
}

export async function apiDelete<T>(path: string, opts: { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const r = await fetch(path, { method: 'DELETE', headers });
  if (!r.ok) throw await failure(r);
  return (await r.json()) as T;
}

/** A query string from the set values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
