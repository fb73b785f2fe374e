// Non-argument text as a tool argument: the agent put its own planning or the ReAct scaffold into
// an argument ("site_name=MAIN  ## Step 5: Process the observation"), so the tool was asked about
// a site that does not exist. Markdown headings, step labels and ReAct keywords are never part
// of an asset, site or sensor name; long prose in an identifier argument is not a name either.
// Free-text arguments (a request to a sub-agent, a question, a description) may hold prose, but
// not the scaffold.
import { type Finding, quote, type View } from './view.ts';

const SCAFFOLD =
  /(?:^|\s)#{1,6}\s+\S|\bStep\s+\d+\s*:|\b(?:Thought|Action(?: Input)?|Observation)\s*\d*\s*:|\bProcess the observation\b|\bFinal Answer\s*:/i;
const FREE_TEXT_KEYS =
  /^(?:request|query|question|prompt|message|text|description|task|input_str|content|note|summary|reason)$/i;
/** An identifier of more words than this is prose, not a name. */
const MAX_NAME_WORDS = 8;

function strings(x: unknown, key: string, out: Array<{ key: string; value: string }>, depth = 0): void {
  if (depth > 4) return;
  if (typeof x === 'string') out.push({ key, value: x });
  else if (Array.isArray(x)) for (const y of x) strings(y, key, out, depth + 1);
  else if (x && typeof x === 'object')
    for (const [k, y] of Object.entries(x as Record<string, unknown>)) strings(y, k, out, depth + 1);
}

export function detectNonArgumentText(v: View): Finding[] {
  const out: Finding[] = [];
  for (const c of v.calls) {
    const values: Array<{ key: string; value: string }> = [];
    strings(c.rawArgs ?? c.args, '', values);
    const bad = values.find(
      ({ key, value }) =>
        SCAFFOLD.test(value) ||
        (!FREE_TEXT_KEYS.test(key) && key !== '' && value.trim().split(/\s+/).length > MAX_NAME_WORDS),
    );
    if (!bad) continue;
    out.push({
      from: c.at,
      to: c.end ?? c.at,
      origin: c.at,
      evidence: `${c.tool} got ${bad.key ? `${bad.key}=` : ''}${quote(bad.value, 70)}, which is not an argument but the agent's own text${c.ok ? '' : '; the call failed'}`,
    });
  }
  return out;
}
