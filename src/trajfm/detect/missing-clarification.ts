// Missing clarification: the request names an asset that more than one asset could be (the
// scenario's ambiguous_asset trap), and the agent neither asked the operator (an ask step, by
// any agent) nor said in its answer that the request was ambiguous. It began where the agent
// committed to one reading: the first call that names an asset.
import { entityArgs } from '../../scoring/evidence/entities.ts';
import type { Finding, View } from './view.ts';
import { AMBIGUOUS_RE } from './words.ts';

export function detectMissingClarification(v: View): Finding[] {
  if (!v.traps.includes('ambiguous_asset')) return [];
  if (v.steps.some((s) => s.kind === 'ask')) return [];
  if (AMBIGUOUS_RE.test(v.answerText)) return [];
  const committed = v.calls.find((c) => c.at !== null && entityArgs(c.args).assets.length > 0);
  const origin = committed?.at ?? v.finalAt;
  const chosen = committed ? entityArgs(committed.args).assets[0] : undefined;
  return [
    {
      from: origin,
      to: v.finalAt,
      origin,
      evidence: `the request is ambiguous about the asset; the agent did not ask${chosen ? ` and went on with ${chosen}` : ''}, and the answer does not say so`,
    },
  ];
}
