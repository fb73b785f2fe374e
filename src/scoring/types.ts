// The shapes scoring speaks in. Six dimensions (AssetOpsBench's, named our way), each with a
// verdict from evidence (ground truth, the recorded tool calls, the answer's own claims) and,
// where a judge model was asked, the judge's verdict beside it. Scorers never throw on a
// strange trajectory: a dimension they cannot assess says so (applicable: false).
import type { Trajectory } from '../agents/trajectory.ts';
import type { GradeResult } from '../scenarios/graders.ts';
import type { Scenario } from '../scenarios/schema.ts';

export const DIMENSIONS = [
  'task_completion',
  'retrieval_accuracy',
  'result_verification',
  'sequence_correctness',
  'clarity_justification',
  'hallucination',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Where a verdict's evidence is: a step of the trajectory, a call of the tool log, a claim. */
export interface EvidencePointer {
  /** Index into trajectory.steps. */
  step?: number;
  /** seq of a trajectory.toolLog entry. */
  call?: number;
  /** A claim quoted from the final answer. */
  claim?: string;
  note: string;
}

export interface DimensionVerdict {
  /** For hallucination, pass means "no hallucination found". */
  pass: boolean;
  /** 0..1, higher is better (for hallucination: 1 = fully grounded). */
  score: number;
  /** One or two sentences a person can read. */
  rationale: string;
  evidence: EvidencePointer[];
  /** False when the dimension cannot be assessed from evidence (e.g. no reference plan). */
  applicable: boolean;
}

/** What every scorer reads: the scenario (with its ground truth), the trajectory, the typed grade. */
export interface ScoreInput {
  scenario: Scenario;
  trajectory: Trajectory;
  /** The grader's verdict on the final answer (scenarios/graders.ts). */
  grade: GradeResult;
}

export interface ToolAccuracy {
  calls: number;
  /** Accepted by the tool (no invalid-argument / unknown-tool / not-found error). */
  wellFormed: number;
  /** Not an identical repeat of an earlier call. */
  novel: number;
  /** Aimed at an entity (asset, site, sensor) the scenario needs, or entity-free. */
  onTarget: number;
  /** Calls that were well formed, novel and on target, over all calls; null with no calls (undefined, not perfect). */
  share: number | null;
  /** The calls that fell short, and why (evidence scorers fill it; optional for other producers). */
  evidence?: EvidencePointer[];
}

export interface KnowledgeUse {
  /** Failure-mode or sensor-relation knowledge was retrieved. */
  retrieved: boolean;
  /** The answer uses it (names a retrieved failure mode or sensor). null when not retrieved. */
  used: boolean | null;
  evidence: EvidencePointer[];
}

export type EvidenceVerdicts = Record<Dimension, DimensionVerdict>;
