// A scripted judge's side of the wire: which dimensions a judge request asks about (the
// properties of its structured-output schema) and a reply that gives each one a verdict.
import type { RecordedRequest, ScriptTurn } from './scripted-llm.ts';

export function askedDimensions(req: RecordedRequest): string[] {
  const format = req.body.response_format as {
    json_schema?: { schema?: { properties?: Record<string, unknown> } };
  };
  return Object.keys(format?.json_schema?.schema?.properties ?? {}).filter((k) => k !== 'suggestions');
}

/** The judge's reply: every dimension asked about gets this verdict and rationale. */
export function judgeReply(req: RecordedRequest, pass: boolean, rationale: string): ScriptTurn {
  const verdicts = Object.fromEntries(askedDimensions(req).map((d) => [d, { pass, rationale }]));
  return { content: JSON.stringify({ ...verdicts, suggestions: '' }) };
}
