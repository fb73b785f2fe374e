// Knowledge use: whether the agent consulted the failure-mode knowledge base (FMSR: failure
// modes, which sensors reveal which mode) and whether that knowledge shows in its answer, by
// naming a failure mode or sensor those results returned. Retrieval without use is a wasted
// lookup; use without retrieval is not knowledge use (the answer may still be right).
import type { EvidencePointer, KnowledgeUse } from '../types.ts';
import { type Call, pointTo } from './calls.ts';
import type { Context } from './context.ts';
import { containsWords, isObj, norm } from './util.ts';

export const KNOWLEDGE_TOOLS = new Set(['get_failure_modes', 'get_failure_mode_sensor_mapping']);

const TERM_RE = /"(?:name|id|failure_mode|sensor)"\s*:\s*"([^"]{3,80})"/g;
// Keys of maps from a mode to its sensors (fm2sensor) or back (sensor2fm).
const MAP_KEY_RE = /"([^"]{3,80})"\s*:\s*\[/g;
const NOT_TERMS = new Set([
  'failure modes',
  'relevancy',
  'influencing factors',
  'alert rules',
  'fm2sensor',
  'sensor2fm',
]);

/** Failure-mode names and ids and sensor names a knowledge result returned. */
function termsOf(call: Call): string[] {
  const terms: string[] = [];
  const r = call.result;
  if (isObj(r)) {
    for (const fm of Array.isArray(r.failure_modes) ? r.failure_modes : [])
      if (isObj(fm)) for (const v of [fm.name, fm.id]) if (typeof v === 'string') terms.push(v);
    for (const map of [r.fm2sensor, r.sensor2fm])
      if (isObj(map))
        for (const [k, v] of Object.entries(map)) {
          terms.push(k);
          if (Array.isArray(v)) terms.push(...v.filter((x): x is string => typeof x === 'string'));
        }
    for (const rel of Array.isArray(r.relevancy) ? r.relevancy : [])
      if (isObj(rel))
        for (const v of [rel.failure_mode, rel.sensor]) if (typeof v === 'string') terms.push(v);
  } else if (call.resultText) {
    // Clipped or foreign results: read the names out of the text.
    for (const m of call.resultText.matchAll(TERM_RE)) terms.push(m[1]);
    for (const m of call.resultText.matchAll(MAP_KEY_RE)) terms.push(m[1]);
  }
  return [...new Set(terms.map(norm))].filter((t) => t.length >= 3 && !NOT_TERMS.has(t));
}

export function scoreKnowledge(ctx: Context): KnowledgeUse {
  const retrievedBy = ctx.calls.filter((c) => c.ok && KNOWLEDGE_TOOLS.has(c.tool));
  if (retrievedBy.length === 0) return { retrieved: false, used: null, evidence: [] };
  const answer = norm(ctx.answerText);
  const evidence: EvidencePointer[] = [];
  for (const call of retrievedBy) {
    const term = termsOf(call).find((t) => containsWords(answer, t));
    if (term)
      evidence.push({ ...pointTo(call, `the answer names "${term}" from ${call.tool}`), claim: term });
  }
  if (evidence.length > 0) return { retrieved: true, used: true, evidence };
  return {
    retrieved: true,
    used: false,
    evidence: retrievedBy.slice(0, 5).map((c) => pointTo(c, `${c.tool} results are not named in the answer`)),
  };
}
