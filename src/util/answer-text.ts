// A model's message read as an answer: a JSON object when there is one (bare, in
// a ```json fence, or wrapped in a sentence), else the text as it is.

const FENCE = /```(?:json)?\s*\n?([\s\S]*?)```/i;

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function parseFinalAnswer(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const whole = tryJson(trimmed);
  if (whole.ok) return whole.value;
  const fenced = FENCE.exec(trimmed);
  if (fenced) {
    const r = tryJson(fenced[1].trim());
    if (r.ok) return r.value;
  }
  // Small models often say "Here is the answer: {...}"; only an object counts there, since
  // a number inside a sentence is not an answer object.
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) {
    const r = tryJson(trimmed.slice(first, last + 1));
    if (r.ok && r.value !== null && typeof r.value === 'object') return r.value;
  }
  return trimmed;
}
