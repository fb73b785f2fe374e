// TrajFM stage 1: offline detectors. Each detector is a small deterministic rule over one
// trajectory (no model), in a module of its own; this file names them, maps each onto the base
// taxonomy where one fits, and turns what they find into failure events. The contract: whatever
// the input (ours, imported with an empty tool log, half written, not a trajectory at all),
// detectFailures returns a list and never throws. A detector that trips over a strange input
// finds nothing; the others still run.
import type { TrajectoryStep } from '../../agents/trajectory.ts';
import { clip } from '../../scoring/evidence/util.ts';
import {
  type AnalysisInput,
  type BaseCode,
  DETECTOR_KINDS,
  type DetectorKind,
  type FailureEvent,
} from '../types.ts';
import { detectDuplicatedAnswer } from './duplicated-answer.ts';
import { detectFormatting } from './formatting.ts';
import { detectIgnoredFeedback } from './ignored-feedback.ts';
import { detectIneffectiveRecovery } from './ineffective-recovery.ts';
import { detectLeakedPrompt } from './leaked-prompt.ts';
import { detectMissingClarification } from './missing-clarification.ts';
import { detectNoVerification } from './no-verification.ts';
import { detectNonArgumentText } from './non-argument-text.ts';
import { detectOverstatedCompletion } from './overstated-completion.ts';
import { detectPrematureTermination } from './premature-termination.ts';
import { detectRanPastTermination } from './ran-past-termination.ts';
import { detectStepRepetition } from './step-repetition.ts';
import { detectUnhandledError } from './unhandled-error.ts';
import { type Finding, type View, viewOf } from './view.ts';
import { detectWrongEntity } from './wrong-entity.ts';

export interface DetectorInfo {
  title: string;
  definition: string;
  /** The base code it is an instance of, or null for failures the base list has no place for. */
  baseCode: BaseCode | null;
}

// The four kinds with no base code are the ones AssetOpsBench found beyond the MAST list
// (error recovery, overstated completion, tool errors, ignored feedback): they stay their own.
export const DETECTORS: Record<DetectorKind, DetectorInfo> = {
  ineffective_error_recovery: {
    title: 'Ineffective error recovery',
    definition:
      'A tool call failed and the agent tried again, at least twice more, without a single attempt succeeding.',
    baseCode: null,
  },
  overstated_completion: {
    title: 'Overstated completion',
    definition:
      'The answer claims the task (or a write such as a work order) was done while the calls that would do it failed or were never made, the run did not complete, or every data call failed.',
    baseCode: null,
  },
  formatting_issue: {
    title: 'Formatting issue',
    definition:
      'The answer is not in the requested shape (prose or broken JSON where JSON was asked for, or required keys missing), or tool arguments were malformed.',
    baseCode: '1.1',
  },
  unhandled_tool_error: {
    title: 'Unhandled tool error',
    definition:
      'A tool call failed (an error or a timeout) and the agent neither retried it nor mentioned the failure afterwards.',
    baseCode: null,
  },
  ignored_feedback: {
    title: 'Ignored feedback',
    definition:
      'After a tool error that said what was wrong with the call, the agent sent the same call again, unchanged.',
    baseCode: null,
  },
  step_repetition: {
    title: 'Step repetition',
    definition:
      'The agent repeated an identical call that had already succeeded, two or more times, or wrote the same thought three or more times.',
    baseCode: '1.3',
  },
  premature_termination: {
    title: 'Premature termination',
    definition:
      'The agent stopped before it had the data it needed: the run hit a limit or an error, it answered without any data call, or it gave up right after a tool error without retrying.',
    baseCode: '3.1',
  },
  missing_clarification: {
    title: 'Missing clarification',
    definition:
      'The request was ambiguous about the asset, and the agent neither asked the operator nor said so in its answer.',
    baseCode: '2.2',
  },
  wrong_entity: {
    title: 'Wrong entity',
    definition:
      'The agent worked on assets, sites or sensors other than the ones the task is about, and never on the right one.',
    baseCode: '2.3',
  },
  no_verification: {
    title: 'No verification',
    definition:
      'A result that signalled trouble (partial, stale, empty, or with gaps) went into the answer without a re-query or a caveat.',
    baseCode: '3.2',
  },
  leaked_prompt: {
    title: 'Leaked prompt text',
    definition:
      'The answer carries prompt or instruction text the model echoed back ("You are a helpful assistant...", "## Task", a dangling "Thought"), so the answer is not in the shape the task asked for.',
    baseCode: '1.1',
  },
  ran_past_termination: {
    title: 'Ran past termination',
    definition:
      'The agent had finished (it wrote Finish, gave its answer, or said it had what it needed) and acted again, or replayed its finished plan after answering.',
    baseCode: '1.5',
  },
  duplicated_answer: {
    title: 'Duplicated answer',
    definition:
      'The final answer says the same thing two or more times, or the run gave the same final answer twice.',
    baseCode: '1.3',
  },
  non_argument_text: {
    title: 'Non-argument text as an argument',
    definition:
      'A tool argument holds the agent\u2019s own text (planning prose, a heading, a step label or a ReAct keyword) instead of a value.',
    baseCode: '1.1',
  },
};

const RULES: Record<DetectorKind, (v: View) => Finding[]> = {
  ineffective_error_recovery: detectIneffectiveRecovery,
  overstated_completion: detectOverstatedCompletion,
  formatting_issue: detectFormatting,
  unhandled_tool_error: detectUnhandledError,
  ignored_feedback: detectIgnoredFeedback,
  step_repetition: detectStepRepetition,
  premature_termination: detectPrematureTermination,
  missing_clarification: detectMissingClarification,
  wrong_entity: detectWrongEntity,
  no_verification: detectNoVerification,
  leaked_prompt: detectLeakedPrompt,
  ran_past_termination: detectRanPastTermination,
  duplicated_answer: detectDuplicatedAnswer,
  non_argument_text: detectNonArgumentText,
};

/** A runaway trajectory (a thousand failing retries) is one failure, not a thousand events. */
const MAX_EVENTS_PER_KIND = 20;

/** A step's own index when it has one, else its position. */
function indexAt(steps: TrajectoryStep[], pos: number): number {
  const i = steps[pos]?.index;
  return typeof i === 'number' && Number.isInteger(i) && i >= 0 ? i : pos;
}

/** Positions to step indices; steps numbered out of order still give from <= to. */
function spanOf(steps: TrajectoryStep[], from: number, to: number): FailureEvent['span'] {
  if (steps.length === 0) return { from: 0, to: 0 };
  const a = indexAt(steps, Math.min(from, steps.length - 1));
  const b = indexAt(steps, Math.min(to, steps.length - 1));
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

function toEvent(v: View, kind: DetectorKind, f: Finding): FailureEvent {
  const t = v.trajectory;
  // A finding with no step (a call only in the server's log) points at the end of the run.
  const fallback = v.finalAt ?? 0;
  const origin = f.origin ?? f.from ?? fallback;
  const from = Math.min(f.from ?? origin, origin);
  const to = Math.max(f.to ?? from, from);
  let handoff: FailureEvent['handoff'] = null;
  for (let i = Math.min(origin, v.steps.length - 1); i >= 0; i--) {
    const h = v.steps[i].handoff;
    if (v.steps[i].kind === 'handoff' && h && typeof h.from === 'string' && typeof h.to === 'string') {
      handoff = { from: h.from, to: h.to, step: indexAt(v.steps, i) };
      break;
    }
  }
  const blamed = v.steps[origin]?.agent;
  return {
    trajectoryId: typeof t.id === 'string' ? t.id : '',
    scenarioId: typeof t.scenarioId === 'string' ? t.scenarioId : '',
    agent: typeof t.agent === 'string' ? t.agent : '',
    model: typeof t.model === 'string' ? t.model : null,
    category: kind,
    source: 'detector',
    title: DETECTORS[kind].title,
    description: DETECTORS[kind].definition,
    span: spanOf(v.steps, from, to),
    evidence: clip(f.evidence.replace(/\s+/g, ' ').trim(), 240),
    blamedAgent: typeof blamed === 'string' ? blamed : typeof t.agent === 'string' ? t.agent : null,
    handoff,
  };
}

/** Every failure the offline detectors find in one trajectory, in detector order. Never throws. */
export function detectFailures(input: AnalysisInput): FailureEvent[] {
  let view: View;
  try {
    view = viewOf(input);
  } catch {
    return [];
  }
  const out: FailureEvent[] = [];
  for (const kind of DETECTOR_KINDS) {
    try {
      for (const f of RULES[kind](view).slice(0, MAX_EVENTS_PER_KIND)) out.push(toEvent(view, kind, f));
    } catch {
      // This detector cannot read this input; the others still report.
    }
  }
  return out;
}
