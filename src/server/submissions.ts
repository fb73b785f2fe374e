// Submissions: a bundle of trajectories (JSONL, or a zip holding one .jsonl) for a suite or a
// competition. Every line is validated as a Trajectory, matched to a scenario of the suite
// (by id, else by its question), graded, scored from evidence and stored as a run named
// `submission:<name>`, so it lands on the leaderboard like any run. All or nothing: one bad
// line rejects the upload, naming the line. Uploaded content is parsed, never executed.
import { createHash } from 'node:crypto';
import { parseTrajectory, type Trajectory } from '../agents/trajectory.ts';
import { newRunId } from '../runs/create.ts';
import { attemptId } from '../runs/store/rows.ts';
import type { AttemptKey } from '../runs/store/types.ts';
import { gradeScenarioAnswer } from '../scenarios/aob/answer.ts';
import type { GradeResult } from '../scenarios/graders.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { scoreTrajectory } from '../scoring/scorecard.ts';
import { EVIDENCE_SCORER } from '../scoring/stored.ts';
import { DEFAULT_READINESS } from '../scoring/total.ts';
import { type Competition, scoresFor } from './competitions.ts';
import { ApiError } from './errors.ts';
import type { ServerState } from './state.ts';
import { SUBMISSION_PREFIX, type SubmissionSpec } from './submission-spec.ts';
import { jsonlFromZip, ZipError } from './zip.ts';

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface Upload {
  bytes: Buffer;
  name: string;
  suite: string | null;
  competition: string | null;
}

interface Problem {
  line: number;
  problem: string;
}

/** Distinct problems reported at most; each names every line it was found on. */
const MAX_PROBLEMS = 20;

/** "line 3, 7, 12" (the first ten, then how many more). */
function linesText(lines: number[]): string {
  const shown = lines.slice(0, 10).join(', ');
  return `line${lines.length > 1 ? 's' : ''} ${shown}${lines.length > 10 ? ` and ${lines.length - 10} more` : ''}`;
}

/**
 * One bad upload, one message per distinct problem with its lines: a file that repeats a
 * mistake on every line reads as that mistake once ("lines 1, 2, 3: ..."), not twenty times.
 */
function reject(problems: Problem[], where: string): never {
  const grouped = new Map<string, number[]>();
  for (const p of problems) grouped.set(p.problem, [...(grouped.get(p.problem) ?? []), p.line]);
  const distinct = [...grouped].map(([problem, lines]) => ({ line: lines[0], lines, problem }));
  const [first, ...rest] = distinct;
  throw new ApiError(
    400,
    `${where} ${linesText(first.lines)}: ${first.problem}${rest.length ? ` (and ${rest.length} other problem${rest.length > 1 ? 's' : ''})` : ''}`,
    'Each line must be one trajectory (schemaVersion 1, see `assetops trajectories schema`) answering a scenario of the suite; `assetops runs export RUN --format submission` writes them',
    { problems: distinct.slice(0, MAX_PROBLEMS) },
  );
}

/** A line `runs export --format jsonl` writes: an attempt with its grade, the trajectory inside. */
function isAttemptExport(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    'trajectory' in v &&
    'grade' in v &&
    typeof (v as { trajectory: unknown }).trajectory === 'object'
  );
}

const isZip = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);

/** The text of the upload: the JSONL itself, or the one .jsonl inside a zip. */
function uploadText(
  state: ServerState,
  bytes: Buffer,
): { text: string; source: 'jsonl' | 'zip'; where: string } {
  let raw = bytes;
  let source: 'jsonl' | 'zip' = 'jsonl';
  let where = 'upload';
  if (isZip(bytes)) {
    try {
      const entry = jsonlFromZip(bytes, {
        maxEntries: state.limits.maxZipEntries,
        maxUncompressedBytes: state.limits.maxUncompressedBytes,
        maxRatio: state.limits.maxZipRatio,
      });
      raw = entry.text;
      where = entry.name;
    } catch (err) {
      if (err instanceof ZipError)
        throw new ApiError(
          400,
          `the zip was rejected: ${err.message}`,
          'Upload a zip holding one .jsonl file',
        );
      throw err;
    }
    source = 'zip';
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(raw), source, where };
  } catch {
    throw new ApiError(400, `${where} is not UTF-8 text`, 'Upload JSON Lines (one trajectory per line)');
  }
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

interface Matched {
  line: number;
  trajectory: Trajectory;
  scenario: Scenario;
}

export async function acceptSubmission(state: ServerState, up: Upload) {
  if (!NAME_RE.test(up.name))
    throw new ApiError(
      400,
      `invalid submission name "${up.name}"`,
      'Use 1-64 letters, digits, dots, dashes or underscores',
    );
  let competition: Competition | null = null;
  if (up.competition) {
    competition = state.competitions.get(up.competition);
    if (!competition)
      throw new ApiError(
        404,
        `competition "${up.competition}" not found`,
        'List them with GET /api/competitions',
      );
    if (up.suite && up.suite !== competition.suite)
      throw new ApiError(
        400,
        `competition ${competition.id} uses suite ${competition.suite}, not ${up.suite}`,
        'Leave suite out',
      );
  }
  const suiteName = competition?.suite ?? up.suite;
  if (!suiteName) throw new ApiError(400, 'no suite given', 'Pass suite (e.g. default) or competition');
  if (up.bytes.length === 0) throw new ApiError(400, 'the upload is empty', 'Send JSON Lines or a zip');

  const { text, source, where } = uploadText(state, up.bytes);
  const lines = text.split(/\r?\n/);
  const filled = lines.filter((l) => l.trim() !== '').length;
  if (filled === 0) throw new ApiError(400, `${where} holds no trajectories`, 'One trajectory per line');
  if (filled > state.limits.maxLines)
    throw new ApiError(
      400,
      `${where} holds ${filled} trajectories; at most ${state.limits.maxLines} are accepted`,
      'Split it',
    );

  const scenarios = (await state.suite(suiteName)).filter(
    (s) => !competition || Object.values(competition.splits).some((ids) => ids.includes(s.id)),
  );
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const byText = new Map(scenarios.map((s) => [normalise(s.utterance), s]));
  const problems: Problem[] = [];
  const matched: Matched[] = [];
  // Every line is checked (the count is capped above), so each problem lists all its lines.
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch (err) {
      // Without the position, the same mistake on many lines reads as one problem.
      const why = (err as Error).message.replace(/ (?:at position \d+|\(line \d+ column \d+\))/g, '');
      problems.push({ line, problem: `not JSON (${why})` });
      return;
    }
    if (isAttemptExport(value)) {
      problems.push({
        line,
        problem:
          'this is an attempt from `assetops runs export --format jsonl` (grade and trajectory), not a trajectory; export the run with `--format submission`',
      });
      return;
    }
    let t: Trajectory;
    try {
      t = parseTrajectory(value, 'it');
    } catch (err) {
      problems.push({ line, problem: (err as Error).message });
      return;
    }
    const scenario = byId.get(t.scenarioId) ?? (t.task ? byText.get(normalise(t.task)) : undefined);
    if (!scenario) {
      problems.push({
        line,
        problem: `scenario "${t.scenarioId}" is not in ${competition ? `competition ${competition.id}` : `suite ${suiteName}`} (matched by scenarioId, else by task)`,
      });
      return;
    }
    if (matched.length > 0 && matched[0].trajectory.track !== t.track) {
      problems.push({
        line,
        problem: `track ${t.track} differs from line ${matched[0].line}'s ${matched[0].trajectory.track}`,
      });
      return;
    }
    matched.push({ line, trajectory: t, scenario });
  });
  if (problems.length > 0) reject(problems, where);

  return storeSubmission(state, up, {
    suiteName,
    competition,
    source,
    matched,
    sha256: createHash('sha256').update(up.bytes).digest('hex'),
  });
}

async function storeSubmission(
  state: ServerState,
  up: Upload,
  x: {
    suiteName: string;
    competition: Competition | null;
    source: 'jsonl' | 'zip';
    matched: Matched[];
    sha256: string;
  },
) {
  const runId = newRunId();
  const createdAt = new Date().toISOString();
  const spec: SubmissionSpec = {
    kind: 'submission',
    version: 1,
    team: up.name,
    suite: x.suiteName,
    competition: x.competition?.id ?? null,
    track: x.matched[0].trajectory.track,
    source: x.source,
    sha256: x.sha256,
    lines: x.matched.length,
    submittedAt: createdAt,
  };
  // Repeated answers to a scenario by the same agent and model are trials.
  const trials = new Map<string, number>();
  const planned = x.matched.map((m) => {
    const k = `${m.scenario.id}|${m.trajectory.agent}|${m.trajectory.model ?? ''}`;
    const trial = (trials.get(k) ?? 0) + 1;
    trials.set(k, trial);
    const key: AttemptKey = {
      runId,
      suite: x.suiteName,
      scenarioId: m.scenario.id,
      agent: m.trajectory.agent,
      model: m.trajectory.model,
      trial,
    };
    return { ...m, key, id: attemptId(key) };
  });
  const unique = [...new Map(planned.map((p) => [p.scenario.id, p.scenario])).values()];
  await state.store.createRun({
    id: runId,
    name: `${SUBMISSION_PREFIX}${up.name}`,
    createdAt,
    spec,
    scenarios: unique.map((scenario) => ({ suite: x.suiteName, scenario })),
    attempts: planned.map((p) => p.key),
  });
  const rows = [];
  for (const p of planned) {
    const t = p.trajectory;
    const original = t.id;
    t.id = p.id;
    t.provenance = { ...t.provenance, importedFrom: `submission ${up.name}, line ${p.line}, id ${original}` };
    const g: GradeResult =
      p.scenario.expected.type === 'free_text'
        ? { pass: false, score: 0, detail: 'free text: graded by the judge', needsJudge: true }
        : gradeScenarioAnswer(p.scenario, t.finalAnswer);
    const finishedAt = t.finishedAt ?? createdAt;
    await state.store.recordAttempt({
      attemptId: p.id,
      outcome: t.status,
      grade: g,
      cost: {
        calls: t.usage.calls,
        cachedCalls: 0,
        inputTokens: t.usage.inputTokens,
        outputTokens: t.usage.outputTokens,
        usd: t.usage.costUsd,
      },
      durationMs: t.usage.latencyMs,
      retries: 0,
      worker: 'submission',
      startedAt: t.startedAt,
      finishedAt,
      trajectory: t,
    });
    const card = scoreTrajectory({ scenario: p.scenario, trajectory: t, grade: g });
    await state.store.putScorecard({ attemptId: p.id, scorer: EVIDENCE_SCORER, body: card, createdAt });
    rows.push({
      attemptId: p.id,
      agent: t.agent,
      model: t.model,
      suite: x.suiteName,
      scenarioId: p.scenario.id,
      trial: p.key.trial,
      costUsd: t.usage.costUsd,
      card,
    });
  }
  await state.store.setRunStatus(runId, 'finished', new Date().toISOString());
  const run = await state.store.findRun(runId);
  if (!run) throw new Error(`submission run ${runId} vanished from the store`);
  const scored = await state.scores.forRun(run, await state.store.counts(runId), {
    readiness: DEFAULT_READINESS,
  });
  return {
    runId,
    name: run.name,
    suite: x.suiteName,
    track: spec.track,
    attempts: planned.length,
    scenarios: unique.length,
    entries: state.scores.entries(run, scored),
    competition: x.competition ? { id: x.competition.id, scores: scoresFor(x.competition, rows) } : null,
    note: 'Scored from evidence; the tool log is as submitted (not replayed against the world).',
  };
}
