// Task completion: did the answer reach the expected result? The typed grader already decided
// (scenarios/graders.ts); this turns its verdict into the dimension's. Free text needs a judge,
// so the evidence verdict steps aside (the attempt is then ungraded until a judge is asked). A
// run that stopped without an answer failed the task, whatever the grader made of the missing
// answer. Declining to answer is right only where the question cannot be answered from the
// data or needs a clarification first (work.ts); elsewhere it fails, whatever the grader says.
import type { DimensionVerdict } from '../types.ts';
import type { Context } from './context.ts';
import { clip, isEmptyAnswer, notApplicable, verdict } from './util.ts';
import { AMBIGUOUS_RE, saysUnanswerable } from './verification.ts';
import { expectsAbstention } from './work.ts';

export function scoreTaskCompletion(ctx: Context): DimensionVerdict {
  const { grade, trajectory } = ctx;
  const status = typeof trajectory.status === 'string' ? trajectory.status : 'unknown';
  const finalStep = ctx.steps.findLastIndex((s) => s.kind === 'final');
  const pointer = finalStep >= 0 ? [{ step: finalStep, note: 'the final answer' }] : [];
  if (status !== 'completed' && isEmptyAnswer(trajectory.finalAnswer ?? null)) {
    const why =
      Array.isArray(trajectory.errors) && trajectory.errors[0]
        ? `: ${clip(String(trajectory.errors[0].message), 100)}`
        : '';
    return verdict(false, 0, `The run ended with status ${status} and no answer${why}.`, pointer);
  }
  if (ctx.work.wrongAbstention)
    return verdict(
      false,
      0,
      'The answer declines, but the question can be answered from the data: declining is not an answer here.',
      pointer,
    );
  const expect = expectsAbstention(ctx.scenario);
  if (ctx.work.abstained && expect.unanswerable && grade.pass !== true && saysUnanswerable(ctx))
    return verdict(
      true,
      1,
      'The question cannot be answered from the data, and the answer says so.',
      pointer,
    );
  if (ctx.work.abstained && expect.clarify && grade.pass !== true && AMBIGUOUS_RE.test(ctx.answerText))
    return verdict(true, 1, 'The request is ambiguous, and the answer asks which one is meant.', pointer);
  if (grade.needsJudge) return notApplicable('The expected answer is (partly) free text: the judge decides.');
  const score = typeof grade.score === 'number' ? grade.score : grade.pass ? 1 : 0;
  const detail = typeof grade.detail === 'string' && grade.detail ? grade.detail : 'no detail';
  return verdict(
    grade.pass === true,
    score,
    `${grade.pass ? 'Correct' : 'Not correct'}: ${clip(detail, 240)}`,
    pointer,
  );
}
