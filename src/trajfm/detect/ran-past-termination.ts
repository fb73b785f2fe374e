// Running past termination (MAST 1.5, the commonest failure of the published AssetOpsBench
// runs): the agent had what it needed, or had said it was finishing, and went on.
//  - The model wrote Finish and the run went on to another action (the importer records this
//    as a ran_past_finish error when the raw model output shows it).
//  - A tool call after the agent's own final answer.
//  - A thought that says the work is done ("I now know the final answer", "I now have the list
//    of sites.") followed at once by another tool call of the same agent.
//  - The answer replays the finished plan after answering: two or more "Step N:" headings
//    ("## Step 1: Understand the task ... ## Step 5: Provide the final answer").
import { type Finding, quote, type View } from './view.ts';

// Said when the agent believes it is done; "next", "need", "then" mean it is not.
const DONE_THOUGHT =
  /^(?:I now know the final answer|I (?:now )?have (?:all|everything) (?:the information |that )?(?:I need|needed)|I can now (?:answer|finish|provide the final answer)|The task is (?:now )?(?:complete|done)|I now have the (?:list|answer|result)s?\b[^.;]*)\.?$/i;
const CONTINUES = /\b(?:next|need|then|but|however|still|also|verify|check|should|will)\b/i;
const STEP_HEADING = /(?:^|\s)(?:#{1,6}\s*)?Step\s+\d+\s*:/gi;
const REPLAY_MIN_HEADINGS = 2;

export function detectRanPastTermination(v: View): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<number>();
  const add = (f: Finding) => {
    const key = f.origin ?? -1;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(f);
  };
  for (const e of v.trajectory.errors ?? []) {
    if (e?.kind !== 'ran_past_finish' || typeof e.step !== 'number') continue;
    const pos = v.steps.findIndex((s) => s.index === e.step);
    const at = pos >= 0 ? pos : null;
    const call = v.calls.find((c) => c.at === at);
    add({
      from: at,
      to: call?.end ?? at,
      origin: at,
      evidence: `the model wrote Finish, then acted again: ${quote(e.message.replace(/^the model wrote Finish, then /, ''), 90)}`,
    });
  }
  // A call after the agent's own final (a later final by another agent is a different run).
  const firstFinal = v.steps.findIndex((s) => s.kind === 'final');
  if (firstFinal >= 0) {
    const after = v.calls.find(
      (c) => c.at !== null && c.at > firstFinal && c.agent === v.steps[firstFinal].agent,
    );
    if (after && after.at !== null)
      add({
        from: firstFinal,
        to: after.end ?? after.at,
        origin: after.at,
        evidence: `after its final answer the agent called ${after.tool} again`,
      });
  }
  for (const t of v.texts) {
    if (t.kind !== 'thought' || !DONE_THOUGHT.test(t.text.trim()) || CONTINUES.test(t.text)) continue;
    const next = v.steps[t.at + 1];
    if (next?.kind !== 'tool_call' || next.agent !== t.agent) continue;
    const call = v.calls.find((c) => c.at === t.at + 1);
    add({
      from: t.at,
      to: call?.end ?? t.at + 1,
      origin: t.at + 1,
      evidence: `the agent said ${quote(t.text, 60)} and went on to call ${next.tool?.name ?? 'a tool'}`,
    });
  }
  const headings = [...v.answerText.matchAll(STEP_HEADING)];
  if (headings.length >= REPLAY_MIN_HEADINGS && headings[0].index > 0 && v.finalAt !== null) {
    add({
      from: v.finalAt,
      to: v.finalAt,
      origin: v.finalAt,
      evidence: `after answering, the answer replays its plan in ${headings.length} steps: ${quote(v.answerText.slice(headings[0].index), 70)}`,
    });
  }
  return out;
}
