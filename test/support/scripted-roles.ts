// Scripts for the planning agents, whose requests come from several roles: a structured-output
// request by its response_format name (plan, verdict), a domain agent by the name its system
// prompt gives it, the summariser as the one request without tools, and the meta agent.
import type { RecordedRequest, ScriptTurn } from './scripted-llm.ts';

export function systemOf(req: RecordedRequest): string {
  const m = req.messages.find((x) => x.role === 'system');
  return typeof m?.content === 'string' ? m.content : '';
}

/** Which part of an agent sent the request. */
export function roleOf(req: RecordedRequest): string {
  const format = req.body.response_format as { json_schema?: { name?: string } } | undefined;
  if (format?.json_schema?.name) return format.json_schema.name;
  const named = /^You are (\w+_agent)\b/.exec(systemOf(req));
  if (named) return named[1];
  return req.tools.length === 0 ? 'summariser' : 'meta';
}

/** A script of as many turns as the queues hold, each taken from the queue of its role. */
export function routed(queues: Record<string, ScriptTurn[]>): ScriptTurn[] {
  const total = Object.values(queues).reduce((n, q) => n + q.length, 0);
  const take = (req: RecordedRequest): ScriptTurn =>
    queues[roleOf(req)]?.shift() ?? { content: `no scripted turn left for ${roleOf(req)}` };
  return Array.from({ length: total }, () => take);
}

export const json = (value: unknown): ScriptTurn => ({ content: JSON.stringify(value) });
export const call = (name: string, args: Record<string, unknown>): ScriptTurn => ({
  toolCalls: [{ name, arguments: args }],
});
export const ok = json({ ok: true, reason: 'The answer has what was expected.' });

/**
 * A model that looks at the clock, then gives this answer, whatever the question: one tool
 * call and one reply per attempt, the same for identical requests (as a cache must assume).
 */
export const clockThenAnswer =
  (answer: unknown) =>
  (req: RecordedRequest): ScriptTurn =>
    req.messages.some((m) => m.role === 'tool')
      ? { content: JSON.stringify(answer) }
      : { toolCalls: [{ name: 'current_date_time', arguments: {} }] };
