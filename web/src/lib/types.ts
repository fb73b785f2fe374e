// The API's response shapes, as far as the pages read them (src/server/routes/*.ts).

export const DIMENSIONS = [
  'task_completion',
  'retrieval_accuracy',
  'result_verification',
  'sequence_correctness',
  'clarity_justification',
  'hallucination',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type Track = 'execution' | 'planning';

export interface LeaderboardEntry {
  runId: string;
  runName: string | null;
  createdAt: string;
  submission: boolean;
  track: Track;
  agent: string;
  model: string | null;
  suite: string;
  /** The tool faults profile the run injected. */
  faults: string;
  attempts: number;
  scenarios: number;
  trials: number;
  /** By coverage, then total; fixed whatever the table is sorted by. */
  rank: number;
  /** Fewer scenarios than the largest entry of its suite (suiteScenarios). */
  partial: boolean;
  suiteScenarios: number;
  /** Runs of this configuration, newest first; the entry shows the first. */
  runs: Array<{ runId: string; runName: string | null; createdAt: string; total: number | null }>;
  /** Attempts with a total, and attempts nobody graded (free text, no judge). */
  graded: number;
  ungraded: number;
  /** Mean total of the graded attempts (null: none) and its CI (null: too few to say). */
  total: { mean: number | null; ci: { lower: number; upper: number } | null };
  readiness: 'ready' | 'not ready' | 'incomplete' | 'insufficient data';
  ready: boolean;
  /** Attempts that passed the pass rule, of the graded ones. */
  passed: number;
  passRate: number;
  passHatK: { k: number; value: number } | null;
  flipRate: number | null;
  dimensions: Record<string, { passRate: number; applicable: number }>;
  toolAccuracy: number | null;
  aobCompetition: number;
  costPerScenario: number;
  sealedAttempts: number;
}

export interface Leaderboard {
  track: Track;
  view: 'configurations' | 'runs';
  /** How entries are formed, in words. */
  rule: string;
  readiness: { threshold: number; rule: string };
  dimensions: string[];
  entries: LeaderboardEntry[];
}

export interface RunListItem {
  id: string;
  name: string | null;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  submission: boolean;
  suites: string[];
  counts: {
    total: number;
    done: number;
    answerCorrect: number;
    errors: number;
    infra: number;
    costUsd: number;
  };
}

export interface RunDetail {
  run: { id: string; name: string | null; status: string; createdAt: string; finishedAt: string | null };
  spec: Record<string, unknown> | null;
  summary: {
    counts: {
      total: number;
      done: number;
      pending: number;
      running: number;
      answerCorrect: number;
      errors: number;
      infra: number;
      costUsd: number;
    };
    /** Typed answers the grader found correct, of those given (not the scoring pass rule). */
    answerCorrectRate: number;
    byFamily: Record<string, { typedAnswers: number; answerCorrect: number }>;
  };
  entries: LeaderboardEntry[];
  sealedAttempts: number;
}

export interface AttemptListItem {
  id: string;
  suite: string;
  scenarioId: string;
  agent: string;
  model: string | null;
  trial: number;
  status: string;
  outcome: string | null;
  answerCorrect: boolean | null;
  detail: string | null;
  costUsd: number;
  durationMs: number | null;
  total: number | null;
  scorePass: boolean | null;
  family?: string | null;
  kind?: string | null;
  traps?: string[];
}

export type AttemptView = 'all' | 'failed' | 'passed' | 'ungraded' | 'infra' | 'errors' | 'differs';

export interface AttemptPage {
  runId: string;
  total: number;
  matching: number;
  sealed: number;
  offset: number;
  limit: number;
  facets: { families: string[]; kinds: string[]; traps: string[] };
  attempts: AttemptListItem[];
}

export interface EvidencePointer {
  step?: number;
  call?: number;
  claim?: string;
  note: string;
}

export interface Verdict {
  pass: boolean;
  score: number;
  rationale: string;
  evidence: EvidencePointer[];
  applicable: boolean;
  source?: string;
}

export interface Scorecard {
  total: number;
  pass: boolean;
  dimensions: Record<string, Verdict>;
}

export interface FailureEvent {
  trajectoryId: string;
  scenarioId: string;
  agent: string;
  model: string | null;
  category: string;
  source: string;
  title: string;
  description: string;
  span: { from: number; to: number };
  evidence: string;
  blamedAgent: string | null;
  handoff: { from: string; to: string; step: number } | null;
}

export interface AttemptDetail {
  attempt: AttemptListItem & {
    inputTokens: number;
    outputTokens: number;
    modelCalls: number;
    cachedCalls: number;
    retries: number;
    score: number | null;
  };
  run: { id: string; name: string | null };
  scenario: {
    id: string;
    family: string;
    difficulty: string;
    utterance: string;
    now: string;
    site: string | null;
    answerFormat: { description: string };
    expected: unknown;
    expectedInWords?: string[];
    traps: Array<{ kind: string; description: string }>;
  } | null;
  answer: unknown;
  grade: { pass: boolean; score: number; detail: string; needsJudge?: boolean } | null;
  scorecard: Scorecard | null;
  cost: { calls: number; cachedCalls: number; inputTokens: number; outputTokens: number; usd: number };
  trajectory: {
    id: string;
    agent: string;
    model: string | null;
    track: Track;
    status: string;
    steps: number;
    toolCalls: number;
    errors: Array<{ kind: string; message: string; step?: number }>;
  } | null;
  failures: FailureEvent[] | null;
  /** For a forecast scenario: the real future and the answer's points as the grader read them. */
  forecast?: {
    asset: string;
    sensor: string;
    now: string;
    actual: Array<{ ts: string; value: number }>;
    predicted: Array<{ ts: string; value: number }> | null;
  } | null;
  /** The run's tool-fault profile and the faults injected into this attempt's calls. */
  faults?: { profile: string; injected: Array<{ seq: number; tool: string; kind: string; detail: string }> };
}

export interface TrajectoryStep {
  index: number;
  agent: string;
  kind: string;
  content: string;
  tool?: { name: string; args: unknown; callId: string; ok?: boolean; error?: string };
  handoff?: { from: string; to: string; request: string };
  tokens?: { input: number; output: number };
  latencyMs?: number;
  at?: string;
}

export interface StepPage {
  attemptId: string;
  total: number;
  offset: number;
  limit: number;
  steps: TrajectoryStep[];
  /** Per step: the step its tool call id pairs it with (a call's result, a result's call). */
  partners: Array<number | null>;
  query: {
    q: string | null;
    kind: string | null;
    errors: boolean;
    matched: number;
    indices: number[];
  } | null;
  failures: { analysed: boolean; events: FailureEvent[]; hint?: string };
}

export interface CategorySummary {
  id: string;
  title: string;
  definition: string;
  kind: string;
  count: number;
  /** Share of all failure events. */
  share: number;
  /** Trajectories with at least one event of it, and that as a share of all trajectories. */
  trajectories: number;
  rate: number;
  examples: Array<{ trajectoryId: string; span: { from: number; to: number } }>;
}

export interface FailureReport {
  trajectories: number;
  withFailures: number;
  events: FailureEvent[];
  categories: CategorySummary[];
  byAgentModel: Array<{
    agent: string;
    model: string | null;
    trajectories: number;
    counts: Record<string, number>;
    /** Trajectories with at least one event per category. */
    withCategory: Record<string, number>;
  }>;
  clusters: {
    method: string;
    embedder: string;
    k: number;
    names: string[];
    points: Array<{ x: number; y: number; cluster: number; text: string }>;
    stability: number | null;
  };
  errors: string[];
}

export interface Asset {
  asset_id: string;
  name: string;
  asset_class: string;
  description: string;
  site: string;
}

export interface Sensor {
  sensor: string;
  label: string;
  unit: string;
  interval_minutes?: number;
}

export interface WorldEvent {
  event_id: string;
  event_group: string;
  event_category: string | null;
  event_type: string | null;
  description: string | null;
  event_time: string;
}

export interface Series {
  asset: string;
  sensor: Sensor | { sensor: string };
  start: string;
  end: string;
  resample: string | null;
  points: number;
  t: string[];
  v: number[];
  gaps: Array<{ from: string; to: string; missing_readings?: number }>;
  events: WorldEvent[];
  eventCounts: Record<string, number>;
}

export interface ScenarioOption {
  id: string;
  family: string;
  difficulty: string;
  utterance: string;
}
