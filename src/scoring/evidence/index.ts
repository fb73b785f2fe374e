// Evidence scoring: the six dimensions, tool accuracy and knowledge use, decided from ground
// truth, the tool server's log and the answer's own claims, with no model. Each concern is a
// module of its own; this file runs them and guarantees the contract: whatever the trajectory
// (ours, imported, half-written), scoreEvidence returns a verdict for every dimension and never
// throws. A scorer that fails on a strange input reports that in its rationale instead.
import {
  DIMENSIONS,
  type Dimension,
  type DimensionVerdict,
  type EvidenceVerdicts,
  type KnowledgeUse,
  type ScoreInput,
  type ToolAccuracy,
} from '../types.ts';
import type { Claim } from './claims.ts';
import { scoreClarity } from './clarity.ts';
import { type Context, contextOf } from './context.ts';
import { checkClaims, scoreHallucination } from './hallucination.ts';
import { scoreKnowledge } from './knowledge.ts';
import { scoreRetrieval } from './retrieval.ts';
import { scoreSequence } from './sequence.ts';
import { scoreTaskCompletion } from './task-completion.ts';
import { scoreToolAccuracy } from './tool-accuracy.ts';
import { clip, notApplicable } from './util.ts';
import { scoreVerification } from './verification.ts';

export { type Call, callsOf } from './calls.ts';
export { CLAIM_KINDS, type Claim, type ClaimKind, extractClaims } from './claims.ts';
export { buildSources, groundClaims, type Sources } from './grounding.ts';

export interface EvidenceScore {
  dimensions: EvidenceVerdicts;
  toolAccuracy: ToolAccuracy;
  knowledgeUse: KnowledgeUse;
  /** The answer's claims, each marked grounded or not (with where it was found). */
  claims: Claim[];
}

function guarded<T>(fallback: (why: string) => T, run: () => T): T {
  try {
    return run();
  } catch (err) {
    return fallback(clip(err instanceof Error ? err.message : String(err), 160));
  }
}

const broken = (why: string): DimensionVerdict => notApplicable(`Could not be assessed: ${why}`);

export function scoreEvidence(input: ScoreInput): EvidenceScore {
  const ctx = guarded<Context | null>(
    () => null,
    () => contextOf(input),
  );
  if (ctx === null) {
    const dimensions = Object.fromEntries(
      DIMENSIONS.map((d) => [d, broken('the input is not a trajectory')]),
    ) as EvidenceVerdicts;
    return {
      dimensions,
      toolAccuracy: { calls: 0, wellFormed: 0, novel: 0, onTarget: 0, share: null },
      knowledgeUse: { retrieved: false, used: null, evidence: [] },
      claims: [],
    };
  }
  const claims = guarded<Claim[]>(
    () => [],
    () => checkClaims(ctx),
  );
  const scorers: Record<Dimension, () => DimensionVerdict> = {
    task_completion: () => scoreTaskCompletion(ctx),
    retrieval_accuracy: () => scoreRetrieval(ctx),
    result_verification: () => scoreVerification(ctx),
    sequence_correctness: () => scoreSequence(ctx),
    clarity_justification: () => scoreClarity(ctx, claims),
    hallucination: () => scoreHallucination(ctx, claims),
  };
  const dimensions = Object.fromEntries(
    DIMENSIONS.map((d) => [d, guarded(broken, scorers[d])]),
  ) as EvidenceVerdicts;
  return {
    dimensions,
    toolAccuracy: guarded(
      (): ToolAccuracy => ({ calls: ctx.calls.length, wellFormed: 0, novel: 0, onTarget: 0, share: null }),
      () => scoreToolAccuracy(ctx),
    ),
    knowledgeUse: guarded(
      () => ({ retrieved: false, used: null, evidence: [] }),
      () => scoreKnowledge(ctx),
    ),
    claims,
  };
}
