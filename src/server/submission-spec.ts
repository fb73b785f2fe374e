// What the store keeps as the spec of a run made from an uploaded submission (runs made by
// the engine keep their resolved run spec instead), and how to tell the two apart.
import { z } from 'zod';
import type { RunRow } from '../runs/store/types.ts';

export const SUBMISSION_PREFIX = 'submission:';

export const SubmissionSpecSchema = z.object({
  kind: z.literal('submission'),
  version: z.literal(1),
  /** The submitter's name (a team, in a competition). */
  team: z.string(),
  suite: z.string(),
  competition: z.string().nullable(),
  track: z.enum(['execution', 'planning']),
  source: z.enum(['jsonl', 'zip']),
  /** sha256 of the uploaded bytes. */
  sha256: z.string(),
  lines: z.number().int(),
  submittedAt: z.string(),
});
export type SubmissionSpec = z.infer<typeof SubmissionSpecSchema>;

export function submissionSpec(run: Pick<RunRow, 'spec'>): SubmissionSpec | null {
  const r = SubmissionSpecSchema.safeParse(run.spec);
  return r.success ? r.data : null;
}

/** The suite labels a run's attempts use. */
export function runSuites(run: Pick<RunRow, 'spec'>): string[] {
  const sub = submissionSpec(run);
  if (sub) return [sub.suite];
  const suites = (run.spec as { suites?: Array<{ label?: unknown }> } | null)?.suites;
  return Array.isArray(suites) ? suites.flatMap((s) => (typeof s?.label === 'string' ? [s.label] : [])) : [];
}
