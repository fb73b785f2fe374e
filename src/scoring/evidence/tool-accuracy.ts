// Tool accuracy: how good each call was on its own. A call is well formed when the tool
// accepted it (no invalid-argument, unknown-tool, not-found or out-of-range rejection), novel
// when it is not a repeat of an earlier call that already succeeded cleanly (retrying a failed
// or faulty call is the right thing to do), and on target when the assets, sites and sensors it
// names are ones the scenario needs (an entity kind the scenario never names is not judged:
// the agent may have to look around to find what it needs). Calls the agent tried that never
// reached a tool (refused by its runtime for an unknown name or broken arguments, or by its own
// repeat guard) count like any other: they are its calls. With no call at all the share is
// undefined (null), not perfect: nothing was done well because nothing was done.
import type { EvidencePointer, ToolAccuracy } from '../types.ts';
import { canonicalCall, describeCall, pointTo } from './calls.ts';
import type { Context } from './context.ts';
import { entityArgs, isOneOf, scenarioEntities, sensorIsOneOf } from './entities.ts';

/** Error codes that mean the call itself was wrong, not the environment. */
export const MALFORMED_CODES = new Set([
  'invalid_arguments',
  'invalid_argument',
  'unknown_tool',
  'not_found',
  'out_of_range',
  'bad_request',
  'validation_error',
]);

export function scoreToolAccuracy(ctx: Context): ToolAccuracy {
  const wanted = scenarioEntities(ctx.scenario);
  const clean = new Set<string>();
  const evidence: EvidencePointer[] = [];
  let wellFormed = 0;
  let novel = 0;
  let onTarget = 0;
  let good = 0;
  for (const call of ctx.calls) {
    const faults: string[] = [];
    const refusedRepeat = call.errorCode === 'repeated_call';
    const formed = call.ok || refusedRepeat || !MALFORMED_CODES.has(call.errorCode ?? '');
    if (formed) wellFormed++;
    else faults.push(`rejected (${call.errorCode})`);

    const key = canonicalCall(call.tool, call.args);
    const fresh = !clean.has(key) && !refusedRepeat;
    if (fresh) novel++;
    else faults.push('repeats an earlier call');
    if (call.ok && call.fault === null) clean.add(key);

    const have = entityArgs(call.args);
    const off = [
      ...(wanted.assets.length > 0 ? have.assets.filter((a) => !isOneOf(a, wanted.assets, ctx.aliases)) : []),
      ...(wanted.sites.length > 0 ? have.sites.filter((s) => !isOneOf(s, wanted.sites, ctx.aliases)) : []),
      ...(wanted.sensors.length > 0 ? have.sensors.filter((s) => !sensorIsOneOf(s, wanted.sensors)) : []),
    ];
    if (off.length === 0) onTarget++;
    else faults.push(`off target (${off.slice(0, 3).join(', ')})`);

    if (faults.length === 0) good++;
    else if (evidence.length < 20)
      evidence.push(pointTo(call, `${describeCall(call)}: ${faults.join('; ')}`));
  }
  const calls = ctx.calls.length;
  return { calls, wellFormed, novel, onTarget, share: calls === 0 ? null : good / calls, evidence };
}
