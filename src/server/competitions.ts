// Competitions: a suite split into public, hidden and private scenarios. A submission's
// public score shows at once; hidden and private scenarios stay sealed (their attempts,
// scores and failures are withheld everywhere in the API) until the admin reveals the
// competition. Composite and final scores follow AssetOpsBench's CODS arithmetic
// (scoring/aob.ts): composite = 0.6 public + 0.3 private + 0.1 tau-match, final =
// 0.4 planning + 0.6 execution. Competitions live in a JSON file in the server's home.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { AttemptScore } from '../scoring/aggregate.ts';
import { finalScore, rankTeams, trackComposite } from '../scoring/aob.ts';
import { runSuites } from './submission-spec.ts';

const ScenarioId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

export const CompetitionInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
      .optional(),
    name: z.string().min(1).max(200),
    suite: z.string().min(1),
    splits: z
      .object({
        public: z.array(ScenarioId).min(1),
        hidden: z.array(ScenarioId).default([]),
        private: z.array(ScenarioId).default([]),
      })
      .strict(),
  })
  .strict();
export type CompetitionInput = z.infer<typeof CompetitionInputSchema>;

export const SPLITS = ['public', 'hidden', 'private'] as const;
export type Split = (typeof SPLITS)[number];

export interface Competition {
  id: string;
  name: string;
  suite: string;
  splits: Record<Split, string[]>;
  revealed: boolean;
  createdAt: string;
  revealedAt: string | null;
}

const FileSchema = z.object({
  version: z.literal(1),
  competitions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      suite: z.string(),
      splits: z.object({
        public: z.array(z.string()),
        hidden: z.array(z.string()),
        private: z.array(z.string()),
      }),
      revealed: z.boolean(),
      createdAt: z.string(),
      revealedAt: z.string().nullable(),
    }),
  ),
});

/** τ-match (trajectory similarity to a gold trajectory) is not computed here. */
export const TAU_MATCH = 0;
export const TAU_NOTE =
  'tau-match (similarity to a gold trajectory) is not computed: it counts as 0 in the composite';

export class Competitions {
  private readonly byId = new Map<string, Competition>();
  /** Changes whenever what is sealed changes (caches key on it). */
  version = 0;

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    const parsed = FileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    for (const c of parsed.competitions) this.byId.set(c.id, c);
  }

  list(): Competition[] {
    return [...this.byId.values()];
  }

  get(id: string): Competition | null {
    return this.byId.get(id) ?? null;
  }

  add(c: Competition): void {
    this.byId.set(c.id, c);
    this.version++;
    this.save();
  }

  reveal(id: string, at = new Date().toISOString()): Competition | null {
    const c = this.byId.get(id);
    if (!c) return null;
    if (!c.revealed) {
      c.revealed = true;
      c.revealedAt = at;
      this.version++;
      this.save();
    }
    return c;
  }

  /**
   * Takes a competition away (its submissions stay stored as runs; they are no longer sealed
   * or ranked under it). False when there was no such competition.
   */
  remove(id: string): boolean {
    if (!this.byId.delete(id)) return false;
    this.version++;
    this.save();
    return true;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, competitions: this.list() }, null, 2)}\n`);
    renameSync(tmp, this.file);
  }

  /** A scenario of a suite is sealed while a competition that hides it is not revealed. */
  sealed(suite: string, scenarioId: string): boolean {
    for (const c of this.byId.values()) {
      if (c.revealed || c.suite !== suite) continue;
      if (c.splits.hidden.includes(scenarioId) || c.splits.private.includes(scenarioId)) return true;
    }
    return false;
  }

  /** Whether any of a run's suites has sealed scenarios. */
  touches(run: { spec: unknown }): boolean {
    const suites = runSuites(run);
    return this.list().some((c) => !c.revealed && suites.includes(c.suite));
  }
}

export function splitOf(c: Competition, scenarioId: string): Split | null {
  return SPLITS.find((s) => c.splits[s].includes(scenarioId)) ?? null;
}

/**
 * A split's score, AssetOpsBench's competition percentage: criteria met (of six) per
 * scenario over six per scenario of the split, times 100. Trials of a scenario are averaged;
 * a scenario the submission did not answer earns nothing.
 */
export function splitScore(ids: string[], rows: AttemptScore[]): number | null {
  if (ids.length === 0) return null;
  const byScenario = new Map<string, number[]>();
  for (const r of rows) {
    const list = byScenario.get(r.scenarioId) ?? [];
    list.push(r.card.aob.points);
    byScenario.set(r.scenarioId, list);
  }
  let points = 0;
  for (const id of ids) {
    const p = byScenario.get(id);
    if (p?.length) points += p.reduce((s, x) => s + x, 0) / p.length;
  }
  return Math.round((10000 * points) / (6 * ids.length)) / 100;
}

export interface SplitScores {
  public: number | null;
  /** null while sealed (see `sealed`). */
  hidden: number | null;
  private: number | null;
  sealed: boolean;
}

export function scoresFor(c: Competition, rows: AttemptScore[]): SplitScores {
  const own = rows.filter((r) => r.suite === c.suite);
  return {
    public: splitScore(c.splits.public, own),
    hidden: c.revealed ? splitScore(c.splits.hidden, own) : null,
    private: c.revealed ? splitScore(c.splits.private, own) : null,
    sealed: !c.revealed,
  };
}

export interface Submitted {
  runId: string;
  team: string;
  track: 'execution' | 'planning';
  submittedAt: string;
  rows: AttemptScore[];
}

export interface TrackStanding extends SplitScores {
  runId: string;
  submittedAt: string;
  submissions: number;
  composite: number | null;
  /** What the composite is made of (after the reveal): each part, its weight, and whether it is missing. */
  compositeParts: CompositePart[] | null;
}

/** One weighted part of a composite; a missing part counts 0 and says why. */
export interface CompositePart {
  name: string;
  weight: number;
  value: number | null;
  missing: string | null;
}

/** The parts of a track composite (AssetOpsBench's 0.6 public + 0.3 private + 0.1 tau-match). */
function compositeParts(scores: SplitScores, hasPrivate: boolean): CompositePart[] {
  return [
    { name: 'public', weight: 0.6, value: scores.public, missing: null },
    {
      name: 'private',
      weight: 0.3,
      value: hasPrivate ? scores.private : null,
      missing: hasPrivate ? null : 'the competition has no private split: counts 0',
    },
    { name: 'tau-match', weight: 0.1, value: null, missing: TAU_NOTE },
  ];
}

/** The parts of the final: both track composites, a track the team did not enter shown as missing. */
function finalParts(tracks: Partial<Record<'execution' | 'planning', TrackStanding>>): CompositePart[] {
  return (
    [
      ['planning', 0.4],
      ['execution', 0.6],
    ] as const
  ).map(([t, weight]) => ({
    name: `${t} composite`,
    weight,
    value: tracks[t]?.composite ?? null,
    missing: tracks[t] ? null : `no ${t}-track submission: counts 0`,
  }));
}

/**
 * Standings: each team's best public submission per track (AssetOpsBench freezes the best
 * public one for the private run), its composite, and the final over both tracks, ranked.
 * Before the reveal only public scores are shown, and no composite, final or rank.
 */
export function standings(c: Competition, subs: Submitted[]) {
  const teams = new Map<string, Partial<Record<'execution' | 'planning', TrackStanding>>>();
  const counts = new Map<string, number>();
  for (const s of [...subs].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))) {
    const key = `${s.team}|${s.track}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const scores = scoresFor(c, s.rows);
    const entry = teams.get(s.team) ?? {};
    const best = entry[s.track];
    if (!best || (scores.public ?? 0) > (best.public ?? 0)) {
      entry[s.track] = {
        ...scores,
        runId: s.runId,
        submittedAt: s.submittedAt,
        submissions: 0,
        composite: c.revealed ? trackComposite(scores.public ?? 0, scores.private ?? 0, TAU_MATCH) : null,
        compositeParts: c.revealed ? compositeParts(scores, c.splits.private.length > 0) : null,
      };
    }
    teams.set(s.team, entry);
  }
  const rows = [...teams].map(([team, tracks]) => {
    for (const t of ['execution', 'planning'] as const) {
      const x = tracks[t];
      if (x) x.submissions = counts.get(`${team}|${t}`) ?? 0;
    }
    const execution = tracks.execution?.composite ?? 0;
    const planning = tracks.planning?.composite ?? 0;
    return {
      team,
      tracks,
      execution,
      final: c.revealed ? finalScore(planning, execution) : 0,
      finalParts: finalParts(tracks),
    };
  });
  if (!c.revealed) {
    return rows
      .map(({ team, tracks }) => ({ team, tracks, final: null, finalParts: null, rank: null }))
      .sort(
        (a, b) =>
          (b.tracks.execution?.public ?? 0) - (a.tracks.execution?.public ?? 0) ||
          (b.tracks.planning?.public ?? 0) - (a.tracks.planning?.public ?? 0),
      );
  }
  return rankTeams(rows).map(({ team, tracks, final, finalParts, rank }) => ({
    team,
    tracks,
    final,
    finalParts,
    rank,
  }));
}
