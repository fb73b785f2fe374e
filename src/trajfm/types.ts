// What failure analysis speaks in. A failure event is one thing that went wrong in one
// trajectory, with the steps that show it; its category is a base taxonomy code (the
// MAST-style list), a detector's own kind, or a discovered cluster.
import type { Trajectory } from '../agents/trajectory.ts';

/** The 14 base codes (MAST-style; AssetOpsBench's TrajFM uses the same list). */
export const BASE_CODES = {
  '1.1': 'ignores task constraints',
  '1.2': 'acts outside its role',
  '1.3': 'repeats finished steps',
  '1.4': 'loses conversation history',
  '1.5': 'misses termination conditions',
  '2.1': 'conversation reset',
  '2.2': 'no clarification asked',
  '2.3': 'task derailment',
  '2.4': 'withholds information',
  '2.5': 'ignores other agents\u2019 input',
  '2.6': 'action contradicts reasoning',
  '3.1': 'premature termination',
  '3.2': 'no or incorrect verification',
  '3.3': 'weak verification',
} as const;
export type BaseCode = keyof typeof BASE_CODES;

/** What the offline detectors look for (each maps onto a base code where one fits). */
export const DETECTOR_KINDS = [
  'ineffective_error_recovery',
  'overstated_completion',
  'formatting_issue',
  'unhandled_tool_error',
  'ignored_feedback',
  'step_repetition',
  'premature_termination',
  'missing_clarification',
  'wrong_entity',
  'no_verification',
  // Found first by a reader of the published AssetOpsBench traces.
  'leaked_prompt',
  'ran_past_termination',
  'duplicated_answer',
  'non_argument_text',
] as const;
export type DetectorKind = (typeof DETECTOR_KINDS)[number];

export interface FailureEvent {
  /** The trajectory's id (an attempt id for stored runs). */
  trajectoryId: string;
  scenarioId: string;
  agent: string;
  model: string | null;
  /** A detector kind, a base code ("3.2"), or a discovered category id ("cluster:..."). */
  category: string;
  /** Where it came from. */
  source: 'detector' | 'llm';
  /** A short title and a sentence or two (for discovered failures, the model's own words). */
  title: string;
  description: string;
  /** First and last step index (inclusive) that show it. */
  span: { from: number; to: number };
  evidence: string;
  /** In the planning track: the (sub-)agent where it began, and the handoff it followed, if any. */
  blamedAgent: string | null;
  handoff: { from: string; to: string; step: number } | null;
}

/** What extraction reads: the trajectory and, when known, what the scenario expected. */
export interface AnalysisInput {
  trajectory: Trajectory;
  /** The typed grade's verdict, when the trajectory was graded. */
  passed: boolean | null;
  /** Traps of the scenario (ambiguous_asset, unanswerable, ...), when known. */
  traps: string[];
  /** Entities the scenario is about (asset names, sites, sensors), when known. */
  entities: string[];
  /** The answer format's description, when known. */
  answerFormat: string | null;
}

/** A category as a report shows it. */
export interface CategorySummary {
  id: string;
  title: string;
  definition: string;
  kind: 'base' | 'detector' | 'discovered' | 'proposed';
  count: number;
  /** Share of all failure events. */
  share: number;
  /** Trajectories with at least one event of it. */
  trajectories: number;
  /** trajectories / all trajectories analysed: a rate per trajectory, at most 1. */
  rate: number;
  /** Trajectories showing it (ids), with the span to highlight. */
  examples: Array<{ trajectoryId: string; span: { from: number; to: number } }>;
}

/** What `analyze` produces: every event, the categories, per-agent/model counts, the clusters. */
export interface FailureReport {
  version: 1;
  createdAt: string;
  trajectories: number;
  /** Trajectories with at least one failure event. */
  withFailures: number;
  events: FailureEvent[];
  categories: CategorySummary[];
  byAgentModel: Array<{
    agent: string;
    model: string | null;
    trajectories: number;
    /** Failure events per category (a trajectory can have several). */
    counts: Record<string, number>;
    /** Trajectories with at least one event per category: divide by `trajectories` for a rate (at most 1). */
    withCategory: Record<string, number>;
  }>;
  clusters: {
    method: string;
    embedder: string;
    k: number;
    silhouette: Array<{ k: number; score: number }>;
    names: string[];
    /** The 2-D map of the clustered descriptions. */
    /** One per distinct description; count is how often it occurs (each occurrence was clustered). */
    points: Array<{ x: number; y: number; cluster: number; text: string; count?: number }>;
    /** Mean adjusted Rand index between clusterings with different seeds (1 = stable). */
    stability: number | null;
  };
  /** New categories the analysis proposes (accept them to grow the taxonomy). */
  proposals: Array<{ title: string; definition: string; size: number; examples: string[] }>;
  taxonomyVersion: number;
  errors: string[];
}
