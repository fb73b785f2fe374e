// Leaked prompt: the answer carries prompt or instruction text the model echoed back ("You are a
// helpful assistant...", "## Task ...", "Here is the task: ...", a dangling "Thought"). It is the
// first thing a reader sees in the published AgentHive answers: the worker's output ran on into
// a new prompt and the whole of it became the answer. The recogniser is scoring's own
// (scenarios/aob/answer.ts), so clarity's format check and this detector agree on what a leak is. The
// failure begins at the first step whose text carries the leak (a worker's answer handed back,
// or the final itself), and it is blamed on the agent who wrote it.
import { leakedPrompt } from '../../scenarios/aob/answer.ts';
import type { Finding, View } from './view.ts';

export function detectLeakedPrompt(v: View): Finding[] {
  const leak = leakedPrompt(v.answerText);
  if (!leak || v.finalAt === null) return [];
  // The same leaked words in an earlier step (a sub-agent's answer) show where they came from.
  const probe = leak.text.slice(0, 40);
  let origin = v.finalAt;
  for (let i = 0; i < v.finalAt; i++) {
    const s = v.steps[i];
    if (
      (s.kind === 'tool_result' || s.kind === 'message') &&
      typeof s.content === 'string' &&
      s.content.includes(probe)
    ) {
      origin = i;
      break;
    }
  }
  return [
    { from: origin, to: v.finalAt, origin, evidence: `the answer carries prompt text: "${leak.text}"` },
  ];
}
