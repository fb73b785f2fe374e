// `assetops score`: re-scores stored trajectories on the six dimensions without rerunning any
// agent (evidence always; a judge panel with --judge), or scores AssetOpsBench trajectory
// files against the published scenarios.
import { type Command, Option } from 'commander';
import type { Trajectory } from '../../agents/trajectory.ts';
import { runOrNewest } from '../../runs/store/lookup.ts';
import { scenarioIndex, scenarioKey } from '../../runs/store/scenarios.ts';
import type { RunStore } from '../../runs/store/types.ts';
import { gradeScenarioAnswer } from '../../scenarios/aob/answer.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { type AttemptScore, scoreRun } from '../../scoring/aggregate.ts';
import type { PanelJudge } from '../../scoring/judge/panel.ts';
import { judgeRequest, type Scorecard, scoreTrajectory } from '../../scoring/scorecard.ts';
import { attemptScore, EVIDENCE_SCORER, PANEL_SCORER } from '../../scoring/stored.ts';
import type { ScoreInput } from '../../scoring/types.ts';
import { UserError } from '../../util/errors.ts';
import { renderPairAgreements, runPairAgreement } from '../pair-render.ts';
import { assetopsHome, defaultWorldDir } from '../paths.ts';
import { renderScores } from '../score-render.ts';
import { withProjectStore } from '../store.ts';
import { renderTable } from '../table.ts';
import { loadSuiteWithWorld } from './scenarios.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function positiveInt(flag: string, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new UserError(`${flag} ${v} is not a whole number from 1 to ${max}`, `e.g. ${flag} 3`);
    return n;
  };
}

interface ScoreFlags {
  judge: string[];
  judgeAll: boolean;
  samples: number;
  baseUrl?: string;
  readiness: number;
  store?: string;
  import?: string;
  format: 'aob';
  aobData?: string;
  cache: boolean;
  injection: boolean;
  json: boolean;
}

interface Judging {
  judges: PanelJudge[];
  all: boolean;
  close(): Promise<void>;
}

/** Judge models, wrapped with the response cache and prices like any model of a run. */
async function openJudges(flags: ScoreFlags): Promise<Judging | null> {
  if (flags.judge.length === 0) return null;
  if (new Set(flags.judge).size !== flags.judge.length)
    throw new UserError('the same --judge is given twice', 'Give each judge model once');
  const { resolveModel } = await import('../../agents/providers/model.ts');
  const { openModelLayer } = await import('../../runs/model-layer.ts');
  const judges = flags.judge.map((spec) => ({ spec, model: resolveModel(spec, { baseUrl: flags.baseUrl }) }));
  const layer = await openModelLayer({
    home: assetopsHome(),
    cache: flags.cache,
    baseUrl: flags.baseUrl,
    models: flags.judge,
  });
  return {
    judges: judges.map((j) => ({ model: layer.wrap(j.model, j.spec), modelSpec: j.spec })),
    all: flags.judgeAll,
    close: () => layer.close(),
  };
}

/** Scores inputs a few at a time (judge calls wait on the model; evidence alone is instant). */
async function scoreAll<T>(
  items: T[],
  toInput: (item: T) => Promise<ScoreInput | null>,
  judging: Judging | null,
  samples: number,
  onCard: (item: T, card: Scorecard) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const judgeFailures: string[] = [];
  const { judgePanel } = judging ? await import('../../scoring/judge/panel.ts') : { judgePanel: null };
  const { panelView } = await import('../../scoring/scorecard.ts');
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const input = await toInput(item);
      if (!input) continue;
      const fromEvidence = scoreTrajectory(input);
      if (!judging || !judgePanel) {
        await onCard(item, fromEvidence);
        continue;
      }
      const panel = await judgePanel(input, judging.judges, samples, judgeRequest(fromEvidence, judging.all));
      if (panel.errors.length > 0) judgeFailures.push(panel.errors[0]);
      await onCard(item, scoreTrajectory(input, panelView(panel)));
    }
  };
  await Promise.all(Array.from({ length: judging ? 4 : 1 }, worker));
  // A judge that failed must say so: its attempts keep only what evidence could decide (free
  // text stays ungraded), and the command ends with an error status.
  if (judgeFailures.length > 0) {
    process.stderr.write(
      `the judge failed on ${judgeFailures.length} of ${items.length} attempts (${judgeFailures[0]}); those verdicts are missing, not passed: free-text answers among them stay ungraded. Fix the judge (--judge, --base-url) and score again\n`,
    );
    process.exitCode = 1;
  }
}

function cardJson(a: AttemptScore) {
  const { scenarioId: _same, ...card } = a.card;
  return {
    attemptId: a.attemptId,
    suite: a.suite,
    scenarioId: a.scenarioId,
    agent: a.agent,
    model: a.model,
    trial: a.trial,
    ...card,
  };
}

async function scoreStoredRun(store: RunStore, idOrName: string | undefined, flags: ScoreFlags) {
  const run = await runOrNewest(store, idOrName);
  const scenarios = await scenarioIndex(store, run.id);
  const all = (await store.attempts(run.id)).filter((a) => a.status === 'done');
  // Infrastructure failures are not results: they are rerun by --resume, never scored.
  const attempts = all.filter((a) => a.outcome !== 'infra_error');
  if (attempts.length < all.length)
    process.stderr.write(
      `${all.length - attempts.length} attempts of run ${run.id} hit infrastructure failures and are not scored; rerun them with \`assetops run --resume ${run.id}\`\n`,
    );
  if (attempts.length === 0)
    throw new UserError(
      `run ${run.id} has no finished attempts to score`,
      `Resume it: assetops run --resume ${run.id}`,
    );
  const judging = await openJudges(flags);
  const rows: AttemptScore[] = [];
  try {
    await scoreAll(
      attempts,
      async (a) => {
        const scenario = scenarios.get(scenarioKey(a.suite, a.scenarioId));
        const trajectory = await store.trajectory(a.id);
        if (!scenario || !trajectory || !a.grade) return null;
        return { scenario, trajectory, grade: a.grade };
      },
      judging,
      flags.samples,
      async (a, card) => {
        rows.push(attemptScore(a, card));
        await store.putScorecard({
          attemptId: a.id,
          scorer: judging ? PANEL_SCORER : EVIDENCE_SCORER,
          body: card,
          createdAt: new Date().toISOString(),
        });
      },
    );
  } finally {
    await judging?.close();
  }
  const order = new Map(attempts.map((a, i) => [a.id, i]));
  rows.sort((x, y) => (order.get(x.attemptId) ?? 0) - (order.get(y.attemptId) ?? 0));
  return {
    title: `Run ${run.id}${run.name ? ` (${run.name})` : ''}`,
    rows,
    scenarios: await store.scenarios(run.id),
  };
}

/** Scores every attempt as it is and with a plea to the grader; reports how each scorer's totals rise. */
async function injectionCheck(store: RunStore, idOrName: string | undefined, flags: ScoreFlags) {
  const { INJECTIONS, cardPair, injectedCopy, judgeOnlyTotal, riseOf } = await import(
    '../../scoring/injection.ts'
  );
  const { panelView } = await import('../../scoring/scorecard.ts');
  const run = await runOrNewest(store, idOrName);
  const scenarios = await scenarioIndex(store, run.id);
  const judging = await openJudges(flags);
  const { judgePanel } = await import('../../scoring/judge/panel.ts');
  const evidence: Array<NonNullable<ReturnType<typeof cardPair>>> = [];
  const combined: Array<NonNullable<ReturnType<typeof cardPair>>> = [];
  const judgeOnly: Array<NonNullable<ReturnType<typeof cardPair>>> = [];
  let i = 0;
  try {
    for (const a of await store.attempts(run.id)) {
      const scenario = scenarios.get(scenarioKey(a.suite, a.scenarioId));
      const trajectory = a.status === 'done' ? await store.trajectory(a.id) : null;
      if (!scenario || !trajectory || !a.grade) continue;
      const pleaded = injectedCopy(trajectory, INJECTIONS[i++ % INJECTIONS.length]);
      const before: ScoreInput = { scenario, trajectory, grade: a.grade };
      const after: ScoreInput = {
        scenario,
        trajectory: pleaded,
        // The plea changes the answer's text, so the answer is graded again.
        grade:
          scenario.expected.type === 'free_text'
            ? a.grade
            : gradeScenarioAnswer(scenario, pleaded.finalAnswer),
      };
      const ev = cardPair(scoreTrajectory(before), scoreTrajectory(after));
      if (ev) evidence.push(ev);
      if (!judging) continue;
      const [pb, pa] = await Promise.all(
        [before, after].map((x) => judgePanel(x, judging.judges, flags.samples).then(panelView)),
      );
      const both = cardPair(scoreTrajectory(before, pb), scoreTrajectory(after, pa));
      if (both) combined.push(both);
      const jb = judgeOnlyTotal(pb);
      const ja = judgeOnlyTotal(pa);
      if (jb !== null && ja !== null)
        judgeOnly.push({ before: jb, after: ja, passBefore: jb >= 100, passAfter: ja >= 100 });
    }
  } finally {
    await judging?.close();
  }
  return [
    riseOf('evidence', evidence),
    ...(judging ? [riseOf('judge panel alone', judgeOnly), riseOf('evidence + judge', combined)] : []),
  ];
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

async function scoreImported(file: string, flags: ScoreFlags) {
  const { readAobTrajectoryFile } = await import('../../agents/aob-import.ts');
  let trajectories: Trajectory[];
  try {
    trajectories = readAobTrajectoryFile(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(
      e.code ? `cannot read ${file} (${e.code})` : `${file}: ${e.message}`,
      'Pass an AssetOpsBench trajectory file (.json or .jsonl)',
      'bad_import',
    );
  }
  const loaded = await loadSuiteWithWorld({
    suite: 'aob',
    seed: 0,
    world: defaultWorldDir(),
    aobData: flags.aobData,
  });
  loaded.ds.close();
  const byId = new Map(loaded.scenarios.map((s) => [s.id, s]));
  const byText = new Map(loaded.scenarios.map((s) => [normalise(s.utterance), s]));
  const find = (t: Trajectory): Scenario | undefined =>
    byId.get(t.scenarioId) ??
    byId.get(`aob-${t.scenarioId}`) ??
    (t.task ? byText.get(normalise(t.task)) : undefined);
  const unmatched = trajectories.filter((t) => !find(t));
  if (unmatched.length === trajectories.length)
    throw new UserError(
      `none of the ${trajectories.length} trajectories in ${file} matches an AssetOpsBench scenario (by id or question)`,
      'Check that the file holds AssetOpsBench runs, or pass --aob-data with the scenarios they answer',
      'no_match',
    );
  if (unmatched.length > 0)
    process.stderr.write(
      `${unmatched.length} trajectories matched no AssetOpsBench scenario and were skipped\n`,
    );
  const judging = await openJudges(flags);
  const rows: AttemptScore[] = [];
  try {
    await scoreAll(
      trajectories,
      async (t) => {
        const scenario = find(t);
        if (!scenario) return null;
        const g =
          scenario.expected.type === 'free_text'
            ? { pass: false, score: 0, detail: 'free text: graded by the judge', needsJudge: true }
            : gradeScenarioAnswer(scenario, t.finalAnswer);
        return { scenario, trajectory: t, grade: g };
      },
      judging,
      flags.samples,
      async (t, card) => {
        rows.push({
          attemptId: t.id,
          agent: t.agent,
          model: t.model,
          suite: 'aob',
          scenarioId: card.scenarioId,
          trial: 1,
          costUsd: t.usage.costUsd,
          card,
        });
      },
    );
  } finally {
    await judging?.close();
  }
  return { title: `${file} (${rows.length} AssetOpsBench trajectories)`, rows };
}

export function registerScore(program: Command): void {
  program
    .command('score')
    .description('score stored trajectories on six dimensions (evidence; a judge panel with --judge)')
    .argument('[run]', 'run id or name (default: the newest run)')
    .option('--judge <spec>', 'judge model (repeat for a panel), e.g. openai:gpt-4.1', collect, [])
    .option('--judge-all', 'ask the judges all six dimensions, not only those evidence cannot settle', false)
    .option('--samples <n>', 'judge samples per trajectory, majority vote', positiveInt('--samples', 15), 3)
    .option('--base-url <url>', 'an OpenAI-compatible server for the judges')
    .option(
      '--readiness <points>',
      'deployment-readiness threshold for the lower end of the total 95% CI',
      (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 100)
          throw new UserError(`--readiness ${v} is not a number from 0 to 100`, 'e.g. --readiness 85');
        return n;
      },
      85,
    )
    .option('--store <url>', 'run store: postgres://... or a SQLite file')
    .option('--import <file>', 'score AssetOpsBench trajectory files instead of a stored run')
    .addOption(new Option('--format <f>', 'format of --import').choices(['aob']).default('aob'))
    .option('--aob-data <dir>', 'AssetOpsBench data (first time only) for --import')
    .option('--no-cache', 'do not use the model response cache for judge calls')
    .option('--injection', 'check how much pleas to the grader inside answers lift each scorer', false)
    .option('--json', 'print one scorecard per attempt as JSON', false)
    .action(async (idOrName: string | undefined, flags: ScoreFlags) => {
      if (flags.injection) {
        await withProjectStore(flags.store, async (store) => {
          const rises = await injectionCheck(store, idOrName, flags);
          process.stdout.write(
            flags.json
              ? `${JSON.stringify(rises, null, 2)}\n`
              : `${renderTable(
                  ['scorer', 'attempts', 'mean before', 'mean after', 'mean rise', 'rose', 'fail->pass'],
                  rises.map((r) => [
                    r.scorer,
                    r.attempts,
                    r.meanBefore.toFixed(2),
                    r.meanAfter.toFixed(2),
                    r.meanRise.toFixed(2),
                    r.rose,
                    r.flippedToPass,
                  ]),
                )}\n`,
          );
        });
        return;
      }
      let result: {
        title: string;
        rows: AttemptScore[];
        scenarios?: Array<{ suite: string; scenario: import('../../scenarios/schema.ts').Scenario }>;
      };
      if (flags.import) {
        result = await scoreImported(flags.import, flags);
      } else {
        result = await withProjectStore(flags.store, (store) => scoreStoredRun(store, idOrName, flags));
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result.rows.map(cardJson), null, 2)}\n`);
        return;
      }
      const scores = scoreRun(result.rows, { readiness: flags.readiness });
      const pairs = renderPairAgreements(runPairAgreement(result.scenarios ?? [], result.rows));
      process.stdout.write(`${result.title}\n${renderScores(scores)}\n${pairs ? `\n${pairs}\n` : ''}`);
    });
}
