// Wrong entity: the agent worked on something other than what it was asked about. Its
// successful calls name assets (or sites, or sensors) that are not among the scenario's
// entities, and no call at all names one that is. Each kind is judged apart and only when the
// scenario names an entity of that kind: a request about a site leaves the agent free to look
// at any of its assets. The entity list is flat, so each entry's kind is read from its shape
// (asset ids such as CWC04001 and names ending in a number such as "Chiller 1" are assets,
// upper-case codes such as MAIN are sites, the rest are sensors) unless a call used it as one
// kind. Names match as written (case, spaces and punctuation aside), through the aliases the
// results teach (an id and its name), and sensors also with or without the asset's name in front.
import { entityArgs } from '../../scoring/evidence/entities.ts';
import { containsWords, norm } from '../../scoring/evidence/util.ts';
import { describe, type Finding, sameName, type View } from './view.ts';

type Kind = 'assets' | 'sites' | 'sensors';
const KINDS: Kind[] = ['assets', 'sites', 'sensors'];

const ASSET_ID_RE = /^[A-Z]{2,5}-?\d{3,8}$/;
const ASSET_NAME_RE = /^[\p{L}][\p{L}\s./&-]*?[\s#-]*\d{1,4}[a-z]?$/u;
const SITE_RE = /^[A-Z][A-Z0-9_-]*$/;

function shapeKind(name: string): Kind {
  const t = name.trim();
  if (ASSET_ID_RE.test(t) || ASSET_NAME_RE.test(t)) return 'assets';
  if (SITE_RE.test(t)) return 'sites';
  return 'sensors';
}

/** Position of the nearest handoff step at or before a position, or null. */
function handoffBefore(v: View, at: number): number | null {
  for (let i = Math.min(at, v.steps.length - 1); i >= 0; i--) if (v.steps[i]?.kind === 'handoff') return i;
  return null;
}

function handoffText(v: View, at: number): string {
  const s = v.steps[at];
  return `${s?.handoff?.request ?? ''} ${typeof s?.content === 'string' ? s.content : ''}`;
}

export function detectWrongEntity(v: View): Finding[] {
  if (v.entities.length === 0) return [];
  const used = v.calls.map((c) => ({ call: c, e: entityArgs(c.args) }));
  const matches = (kind: Kind, name: string, wanted: string[]) =>
    wanted.some((w) => sameName(v, name, w, kind === 'sensors'));
  // An entity a call used as some kind is of that kind, whatever its shape.
  const kindOf = (name: string): Kind =>
    KINDS.find((k) => used.some(({ e }) => e[k].some((n) => sameName(v, n, name, k === 'sensors')))) ??
    shapeKind(name);
  const out: Finding[] = [];
  for (const kind of KINDS) {
    const wanted = v.entities.filter((e) => kindOf(e) === kind);
    if (wanted.length === 0) continue;
    if (used.some(({ e }) => e[kind].some((n) => matches(kind, n, wanted)))) continue;
    const off = used.filter(({ call, e }) => call.ok && e[kind].length > 0);
    if (off.length === 0) continue;
    const first = off[0];
    const names = [...new Set(off.flatMap(({ e }) => e[kind]))];
    // Blame follows cause: when the handoff that started this work already named the wrong
    // entity, the agent that wrote the handoff (a planner, a meta agent) introduced it.
    const handoff = first.call.at === null ? null : handoffBefore(v, first.call.at);
    const fromHandoff =
      handoff !== null && names.some((n) => containsWords(norm(handoffText(v, handoff)), norm(n)));
    out.push({
      from: fromHandoff ? handoff : first.call.at,
      to: off[off.length - 1].call.end ?? first.call.at,
      origin: fromHandoff ? handoff : first.call.at,
      evidence: `${off.length === 1 ? describe(first.call) : `${describe(first.call)} and ${off.length - 1} more call(s)`} used ${kind.slice(0, -1)} ${names.slice(0, 3).join(', ')}; the task is about ${wanted.slice(0, 3).join(', ')}, which no call used`,
    });
  }
  return out;
}
