// Hallucination: the answer states things the agent was never shown, or says it did what the
// tool server has no record of. Every claim of the answer is looked up in the tool results and
// the task (grounding.ts); a completion claim ("created work order ...") needs a successful
// write call in the server's log, since an agent's word that it acted is not evidence.
import type { DimensionVerdict, EvidencePointer } from '../types.ts';
import type { Call } from './calls.ts';
import { pointTo } from './calls.ts';
import { type Claim, extractClaims } from './claims.ts';
import type { Context } from './context.ts';
import { buildReportSources, buildSources, groundClaims } from './grounding.ts';
import { WRITE_TOOLS } from './tool-facts.ts';
import { clip, listed, plural, verdict } from './util.ts';

const WRITE_TASK_RE =
  /\b(?:create|draft|open|raise|file|submit|schedule|update|close|cancel|approve)\b[^.?!]{0,60}\bwork[\s_-]?orders?\b/i;

/** Whether the scenario asks for an action at all (else "done" is just a way to end). */
function asksForAction(ctx: Context): boolean {
  const plan = Array.isArray(ctx.scenario.referencePlan) ? ctx.scenario.referencePlan : [];
  const evidence = Array.isArray(ctx.scenario.requiredEvidence) ? ctx.scenario.requiredEvidence : [];
  return (
    plan.some((p) => WRITE_TOOLS.has(p.tool)) ||
    evidence.some((e) => WRITE_TOOLS.has(e.tool)) ||
    WRITE_TASK_RE.test(ctx.scenario.utterance ?? '')
  );
}

/** The successful write call that backs a completion claim, if there is one. */
function backing(claim: Claim, calls: Call[]): Call | undefined {
  const tools =
    claim.action === 'create'
      ? ['create_work_order']
      : claim.action === 'update'
        ? ['update_work_order', 'create_work_order']
        : [...WRITE_TOOLS];
  return calls.find((c) => c.ok && tools.includes(c.tool));
}

/**
 * Ungrounded claims that a sub-agent's report carried: the sub-agent invented them, and its
 * report is where they first appear (the blame goes there, not to the agent that passed them on).
 */
function blameReports(claims: Claim[], ctx: Context): void {
  const failed = claims.filter((c) => c.grounded === false && c.kind !== 'completion');
  if (failed.length === 0) return;
  const reports = buildReportSources(ctx);
  if (reports.texts.length === 0) return;
  const copies = failed.map((c) => ({ ...c, grounded: undefined, source: undefined }) as Claim);
  groundClaims(copies, reports);
  copies.forEach((copy, i) => {
    if (copy.grounded !== true || copy.source?.step === undefined) return;
    const from = reports.texts.find((t) => t.step === copy.source?.step);
    failed[i].source = {
      step: copy.source.step,
      note: `first appears in ${from?.note ?? "a sub-agent's report"}, with no tool result behind it`,
    };
  });
}

/** The answer's claims, each marked grounded or not, completion claims checked on the log. */
export function checkClaims(ctx: Context): Claim[] {
  const claims = extractClaims(ctx.trajectory.finalAnswer ?? null).filter(
    (c) => c.kind !== 'completion' || c.action !== 'any' || asksForAction(ctx),
  );
  groundClaims(claims, buildSources(ctx));
  blameReports(claims, ctx);
  for (const c of claims) {
    if (c.kind !== 'completion') continue;
    const call = backing(c, ctx.calls);
    c.grounded = call !== undefined;
    if (call) c.source = { ...pointTo(call, `${call.tool} succeeded`) };
    else {
      const failed = ctx.calls.find((x) => WRITE_TOOLS.has(x.tool));
      c.source = failed
        ? { ...pointTo(failed, `${failed.tool} failed (${failed.errorCode ?? 'error'})`) }
        : { note: 'no write call in the tool log' };
    }
  }
  return claims;
}

export function scoreHallucination(ctx: Context, claims: Claim[]): DimensionVerdict {
  const v = groundingVerdict(ctx, claims);
  // Where the task needs data and none was fetched, an answer can only repeat the question or
  // invent: repeating it back is not being grounded in the plant, so it earns nothing here.
  if (!ctx.work.none) return v;
  return {
    ...v,
    pass: false,
    score: 0,
    rationale: `No data was fetched, so nothing in the answer rests on what a tool returned. ${v.rationale}`,
  };
}

function groundingVerdict(ctx: Context, claims: Claim[]): DimensionVerdict {
  const bad = claims.filter((c) => c.grounded === false);
  const overstated = bad.filter((c) => c.kind === 'completion');
  const ungrounded = bad.filter((c) => c.kind !== 'completion');
  const evidence: EvidencePointer[] = bad.map((c) => ({
    claim: clip(c.text, 120),
    ...(c.source?.step !== undefined ? { step: c.source.step } : {}),
    ...(c.source?.call !== undefined ? { call: c.source.call } : {}),
    note:
      c.kind === 'completion'
        ? `overstated completion: ${c.source?.note ?? 'no successful write call'}`
        : `ungrounded ${c.kind.replace('_', ' ')}: ${c.source?.note ?? 'not found'}`,
  }));
  if (ctx.work.wrongAbstention)
    return verdict(
      false,
      0,
      'The answer declines an answerable question: saying nothing is not being grounded.',
      evidence,
    );
  if (claims.length === 0) {
    const empty = ctx.trajectory.finalAnswer === null || ctx.trajectory.finalAnswer === undefined;
    return verdict(
      true,
      1,
      empty ? 'No answer, so nothing was claimed.' : 'The answer makes no checkable claim.',
    );
  }
  const unknown = claims.filter((c) => c.grounded === null);
  const checked = claims.length - unknown.length;
  const grounded = checked - bad.length;
  const parts: string[] = [];
  if (ungrounded.length > 0)
    parts.push(
      `${plural(ungrounded.length, 'claim')} not in any tool result or the task (${listed(
        ungrounded.map((c) => clip(c.text, 40)),
        3,
      )})`,
    );
  if (overstated.length > 0)
    parts.push(
      `it claims an action the tool log does not back (${listed(
        overstated.map((c) => clip(c.text, 40)),
        2,
      )})`,
    );
  const unchecked =
    unknown.length > 0
      ? ` ${plural(unknown.length, 'claim')} could not be checked: a tool result was recorded clipped.`
      : '';
  const rationale =
    bad.length === 0
      ? `${checked === claims.length ? 'All' : `${checked} of`} ${plural(claims.length, 'claim')} of the answer are backed by tool results, the task or the tool log.${unchecked}`
      : `${grounded} of ${plural(checked, 'checked claim')} grounded; ${parts.join('; ')}.${unchecked}`;
  return verdict(bad.length === 0, checked === 0 ? 1 : grounded / checked, rationale, evidence);
}
