// The public entry: the published items as scenarios over the imported dataset, and the report.
import { resolve } from 'node:path';
import type { Dataset } from '../../dataset/open.ts';
import { epochFromIso } from '../../util/time.ts';
import {
  FAMILIES,
  SCENARIO_SCHEMA_VERSION,
  type Scenario,
  type ScenarioInput,
  ScenarioSchema,
} from '../schema.ts';
import type { Family } from '../template.ts';
import { dateDefect, spanDefect, unknownSites } from './defects.ts';
import { alertsAnomaliesRecipe, dailyEventsRecipe, eventGroupsRecipe } from './events.ts';
import { difficultyOf, familyOf, scenarioNow, tracksOf } from './families.ts';
import { failureModesRecipe, sensorsRecipe } from './fmsr.ts';
import { assetDetailsRecipe, assetsRecipe, readingsRecipe, sitesRecipe } from './iot.ts';
import { type Item, readAobFile, readItems, type Sources } from './published.ts';
import type { Outcome, Recipe, RecipeCtx } from './recipe.ts';
import { tsfmRegression1024Recipe, tsfmSupportRecipe, tsfmTasksRecipe } from './tsfm.ts';
import { bundlesRecipe, woCountRecipe, woDistributionRecipe, woNextRecipe } from './workorders.ts';
import { loadWorld } from './world.ts';

export interface AobReport {
  total: number;
  byFamily: Record<Family, number>;
  /** Scenarios with a typed (computed) answer. */
  deterministic: number;
  /** Scenarios graded by the judge against the characteristic form. */
  freeText: number;
  /** Defects of the published items (also in each scenario's provenance.aob.defects). */
  defects: Array<{ id: string; defect: string }>;
  /** Where the published answer is right for IBM's tools but ours differ (not a defect of the item). */
  divergences: Array<{ id: string; note: string }>;
  /** Questions the data decides but the tools cannot show (after the last exposed moment). */
  unreachable: Array<{ id: string; reason: string }>;
  /** The files read (competition file: null when absent). */
  sources: Sources;
}

/** First match wins: specific questions before general ones. */
const RECIPES: Recipe[] = [
  tsfmTasksRecipe,
  tsfmRegression1024Recipe,
  tsfmSupportRecipe,
  failureModesRecipe,
  sensorsRecipe,
  woNextRecipe,
  woDistributionRecipe,
  bundlesRecipe,
  dailyEventsRecipe,
  alertsAnomaliesRecipe,
  eventGroupsRecipe,
  woCountRecipe,
  assetDetailsRecipe,
  sitesRecipe,
  assetsRecipe,
  readingsRecipe,
];

const NO_FORM =
  'No characteristic answer was published: judge whether the agent completed the task with data from the tools, ' +
  'said so when the data does not exist, and fabricated nothing.';

/**
 * Loads the published AssetOpsBench scenarios from `dir` (the folder holding scenarios/, or a
 * checkout of the public repository) as scenarios over the imported dataset `ds`. `phaseFiles`
 * adds competition phase files; `only` (an AssetOpsBench scenario file of any shape) keeps just
 * its items: a phase file's items with the twin of each paired one (so the pairs can be
 * compared), or a per-agent or all_utterance file's own items (texts and forms as it has them).
 */
export async function loadAobScenarios(
  dir: string,
  ds: Dataset,
  opts: { phaseFiles?: string[]; only?: string } = {},
): Promise<{ scenarios: Scenario[]; report: AobReport }> {
  const only = opts.only ? readAobFile(opts.only) : null;
  if (only && only.kind !== 'competition') {
    // The file's own items (its texts and forms), not the published ones with the same ids.
    const file = resolve(opts.only as string);
    return aobScenariosFromItems(only.items, { utterances: file, competition: null, phases: [] }, ds);
  }
  const phaseFiles = [...(opts.phaseFiles ?? []), ...(opts.only ? [opts.only] : [])];
  const { items, sources } = readItems(dir, phaseFiles);
  if (!opts.only) return aobScenariosFromItems(items, sources, ds);
  const file = resolve(opts.only);
  const keep = new Set<string>();
  for (const it of items) {
    if (it.file !== file) continue;
    keep.add(it.id);
    if (it.pairedWith) keep.add(it.pairedWith);
  }
  return aobScenariosFromItems(
    items.filter((it) => keep.has(it.id)),
    sources,
    ds,
    items,
  );
}

/**
 * The given published items (read by published.ts) as scenarios over the imported dataset `ds`.
 * `all` holds the originals competition items take their difficulty from (default: `items`).
 */
export async function aobScenariosFromItems(
  items: Item[],
  sources: Sources,
  ds: Dataset,
  all: Item[] = items,
): Promise<{ scenarios: Scenario[]; report: AobReport }> {
  const world = await loadWorld(ds);
  const originals = new Map(all.filter((i) => i.source === 'utterances').map((i) => [i.num, i]));
  const site = world.sites.length === 1 ? world.sites[0].site_id : 'MAIN';
  const report: AobReport = {
    total: 0,
    byFamily: Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>,
    deterministic: 0,
    freeText: 0,
    defects: [],
    divergences: [],
    unreachable: [],
    sources,
  };
  const scenarios: Scenario[] = [];
  for (const it of items) {
    const id = `aob-${it.id}`;
    const family = familyOf(it);
    const multi = family === 'e2e';
    const tracks = tracksOf(multi);
    const now = scenarioNow(it, family, world);
    const ctx: RecipeCtx = { world, it, now: Math.min(epochFromIso(now), world.exposedUntil) };
    let outcome: Outcome = null;
    for (const recipe of RECIPES) {
      outcome = await recipe(ctx);
      if (outcome) break;
    }
    const built = outcome?.kind === 'typed' ? outcome.built : null;
    const defects = [
      dateDefect(it.text, it.form),
      spanDefect(it.text),
      ...unknownSites(world, it.text).map((s) => `the text names site ${s}, which the data does not have`),
      it.form === null ? 'no characteristic_form was published' : null,
      ...(built?.defects ?? []),
    ].filter((d): d is string => d !== null);
    let characteristic = it.form ?? NO_FORM;
    if (outcome?.kind === 'unreachable') {
      report.unreachable.push({ id, reason: outcome.reason });
      characteristic += ` (On this dataset the question ${outcome.reason}: an answer that says the tools show no data for it is correct.)`;
    }
    const scenario = ScenarioSchema.parse({
      schemaVersion: SCENARIO_SCHEMA_VERSION,
      id,
      family,
      template: built?.template ?? 'aob-free-text',
      tracks,
      difficulty: difficultyOf(it, it.source === 'competition' ? originals.get(it.num) : undefined, multi),
      utterance: it.text,
      context: { now, site },
      expected: built?.expected ?? { type: 'free_text', characteristic },
      answerFormat: built?.answerFormat ?? {
        description:
          'Answer in prose, grounded in what the tools returned; a judge compares it with the expected behaviour.',
        jsonShape: null,
      },
      requiredEvidence: built?.requiredEvidence ?? [],
      referencePlan: built?.referencePlan ?? [],
      provenance: {
        source: 'aob',
        world: ds.manifest.checksum,
        aob: {
          id: it.id,
          type: it.type,
          category: it.category,
          characteristicForm: it.form,
          deterministic: it.deterministic,
          defects,
          phase: it.phase,
          pairedWith: it.pairedWith ? `aob-${it.pairedWith}` : null,
        },
      },
    } satisfies ScenarioInput);
    scenarios.push(scenario);
    report.total++;
    report.byFamily[family]++;
    if (built) report.deterministic++;
    else report.freeText++;
    for (const d of defects) report.defects.push({ id, defect: d });
    for (const note of built?.divergences ?? []) report.divergences.push({ id, note });
  }
  return { scenarios, report };
}
