// Duplicated answer: the final answer says the same thing twice or more ("The failure modes are:
// 1. ... 7. ...  The final answer is: ## Step 1: ... The failure modes are: 1. ... Final Answer:
// The failure modes are: 1. ..."), or the run ends with two finals of the same content. A reader
// has to check the copies agree; an agent that repeats its answer did not see it had finished.
import { norm } from '../../scoring/evidence/util.ts';
import { type Finding, quote, type View } from './view.ts';

/** A repeated passage counts when it is at least this long: short phrases repeat by nature. */
const MIN_CHARS = 40;
const MIN_WORDS = 6;

/** Passages of an answer: sentences, lines and the runs of text between double spaces. */
function passages(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z#])|\n+|\s{2,}|(?:The final answer is|Final Answer)\s*:/)
    .map((p) => norm(p).replace(/^[#\s]+/, ''))
    .filter((p) => p.length >= MIN_CHARS && p.split(/\s+/).length >= MIN_WORDS);
}

export function detectDuplicatedAnswer(v: View): Finding[] {
  if (v.finalAt === null) return [];
  const finals = v.steps.map((s, i) => ({ s, i })).filter(({ s }) => s.kind === 'final');
  if (finals.length >= 2) {
    const [a, b] = finals.slice(-2);
    if (norm(a.s.content) !== '' && norm(a.s.content) === norm(b.s.content))
      return [
        {
          from: a.i,
          to: b.i,
          origin: b.i,
          evidence: `the final answer was given twice: ${quote(b.s.content, 60)}`,
        },
      ];
  }
  const counts = new Map<string, number>();
  for (const p of passages(v.answerText)) counts.set(p, (counts.get(p) ?? 0) + 1);
  const repeated = [...counts]
    .filter(([, n]) => n >= 2)
    .sort((x, y) => y[1] - x[1] || y[0].length - x[0].length);
  if (repeated.length === 0) return [];
  const [text, n] = repeated[0];
  return [
    {
      from: v.finalAt,
      to: v.finalAt,
      origin: v.finalAt,
      evidence: `the answer repeats itself (${n} times): ${quote(text, 70)}`,
    },
  ];
}
