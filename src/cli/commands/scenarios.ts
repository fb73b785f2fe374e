// `assetops scenarios ...`: list, show, validate, generate and export scenario suites.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { importAob } from '../../dataset/aob/import.ts';
import { type Dataset, openDataset } from '../../dataset/open.ts';
import {
  aobAnswerFromPlan,
  aobPairs,
  aobScenariosFromItems,
  formsOf,
  loadAobScenarios,
  readAobFile,
  readItems,
} from '../../scenarios/aob/index.ts';
import { readScenarioFile, toJsonl, writeScenarioFile } from '../../scenarios/io.ts';
import { type Scenario, scenarioJsonSchema } from '../../scenarios/schema.ts';
import { AOB_FILE_SUITE } from '../../scenarios/suite-names.ts';
import {
  DEFAULT_COUNT,
  exactSuite,
  generatedExtractor,
  generatedPredictive,
  generatedSuite,
  SUITES,
  type SuiteName,
} from '../../scenarios/suites.ts';
import { type AnswerExtractor, suiteBalance, validateScenario } from '../../scenarios/validate.ts';
import { UserError } from '../../util/errors.ts';
import { assetopsHome, defaultAobDir, defaultWorldDir, findAobData } from '../paths.ts';
import { renderScenario } from '../scenario-render.ts';
import { renderTable, terminalWidth } from '../table.ts';
import { parseSeed } from './world.ts';

interface SuiteFlags {
  /** default, private, aob, or aob:FILE (the aob suite cut to one AssetOpsBench scenario file). */
  suite: string;
  seed: number;
  world: string;
  aobData?: string;
  /** Competition phase files to add to the aob suite (any phase; paired by paired_with). */
  aobPhase?: string[];
  file?: string;
}

export interface LoadedSuite {
  ds: Dataset;
  scenarios: Scenario[];
  extractor: (s: Scenario) => AnswerExtractor | null;
}

/** A --suite value: one of SUITES, or aob:FILE. */
export function parseSuiteName(v: string): string {
  if ((SUITES as readonly string[]).includes(v) || AOB_FILE_SUITE.test(v)) return v;
  throw new UserError(
    `unknown suite "${v}"`,
    `Use one of: ${SUITES.join(', ')}, aob:FILE (the items of one AssetOpsBench scenario file, e.g. aob:phase2_evaluation.jsonl), or --file <scenarios.jsonl>`,
    'bad_suite',
  );
}

const UTTERANCE_FILES = [
  'scenarios/all_utterance.jsonl',
  'all_utterance.jsonl',
  'src/assetopsbench/scenarios/all_utterance.jsonl',
];

/**
 * The imported AssetOpsBench dataset (imported into .assetops/aob the first time) and the folder
 * with the published scenario texts (null when none is found: `needTexts` makes that an error).
 * The caller closes `ds`.
 */
export async function openAobData(
  flags: { aobData?: string },
  needTexts = true,
): Promise<{ ds: Dataset; texts: string | null }> {
  const dir = defaultAobDir();
  if (!existsSync(join(dir, 'manifest.json'))) {
    const found = findAobData({
      flag: flags.aobData,
      has: (d) =>
        existsSync(join(d, 'sample_data')) ||
        existsSync(join(d, 'src', 'assetopsbench', 'sample_data')) ||
        existsSync(join(d, 'failure_codes.csv')),
    });
    if (!found.dir) {
      throw new UserError(
        `the aob suite needs the published AssetOpsBench data; looked in ${found.looked.join(', ') || 'no folder'}`,
        'Pass --aob-data <folder> (its sample_data folder, a folder holding it, or a checkout) or set ASSETOPS_AOB_DATA; it is imported into .assetops/aob once',
      );
    }
    await importAob(found.dir, dir, {});
  }
  const ds = await openDataset(dir);
  // The scenario texts: found the same way, the folder the data was imported from included.
  const texts = findAobData({
    flag: flags.aobData,
    importedFrom: ds.manifest.source ? dirname(ds.manifest.source) : null,
    has: (d) => UTTERANCE_FILES.some((f) => existsSync(join(d, f))),
  });
  if (!texts.dir && needTexts) {
    ds.close();
    throw new UserError(
      `no AssetOpsBench scenarios (all_utterance.jsonl); looked in ${texts.looked.join(', ')}`,
      'Pass --aob-data <folder> or set ASSETOPS_AOB_DATA to a folder holding scenarios/all_utterance.jsonl (e.g. ../shared/assetopsbench or a checkout)',
    );
  }
  return { ds, texts: texts.dir };
}

/** The dataset a suite runs on and its scenarios. The caller closes `ds`. */
export async function loadSuiteWithWorld(flags: SuiteFlags): Promise<LoadedSuite> {
  const only = AOB_FILE_SUITE.exec(flags.suite)?.[1];
  if (flags.suite === 'aob' || only !== undefined) {
    const { ds, texts } = await openAobData(flags);
    try {
      const { scenarios } = await loadAobScenarios(texts as string, ds, {
        phaseFiles: flags.aobPhase ?? [],
        ...(only !== undefined ? { only } : {}),
      });
      return { ds, scenarios, extractor: () => aobAnswerFromPlan };
    } catch (err) {
      ds.close();
      throw err;
    }
  }
  if (flags.file) {
    const scenarios = readScenarioFile(flags.file);
    // Scenarios imported from AssetOpsBench (`scenarios import`) run on the AssetOpsBench data.
    if (scenarios.length > 0 && scenarios.every((s) => s.provenance.source === 'aob')) {
      const { ds } = await openAobData(flags, false);
      return { ds, scenarios, extractor: () => aobAnswerFromPlan };
    }
    const ds = await openDataset(flags.world);
    return { ds, scenarios, extractor: generatedExtractor };
  }
  const ds = await openDataset(flags.world);
  const scenarios = await generatedSuite(ds, {
    split: flags.suite as SuiteName,
    seed: flags.suite === 'default' ? 0 : flags.seed,
    cacheDir: join(assetopsHome(), 'suites'),
  });
  return { ds, scenarios, extractor: generatedExtractor };
}

function suiteOptions(cmd: Command): Command {
  return cmd
    .option(
      '--suite <name>',
      `suite: ${SUITES.join(', ')}, or aob:FILE (the items of one AssetOpsBench scenario file)`,
      parseSuiteName,
      'default',
    )
    .option('--seed <n>', 'seed of the private split', parseSeed, 1)
    .option('--world <dir>', 'dataset folder of the generated suites', defaultWorldDir())
    .option('--aob-data <dir>', 'AssetOpsBench data (else $ASSETOPS_AOB_DATA, then ../shared/assetopsbench)')
    .option('--aob-phase <file...>', 'AssetOpsBench competition phase files to add to the aob suite')
    .option('--file <jsonl>', 'read scenarios from a JSONL file instead');
}

export function registerScenarios(program: Command): void {
  const sc = program.command('scenarios').description('scenario suites with computed ground truth');

  suiteOptions(sc.command('list').description('list the scenarios of a suite'))
    .option('--json', 'print JSON', false)
    .action(async (opts: SuiteFlags & { json: boolean }) => {
      const { ds, scenarios } = await loadSuiteWithWorld(opts);
      ds.close();
      if (opts.json) {
        const rows = scenarios.map((s) => ({
          id: s.id,
          family: s.family,
          template: s.template,
          tracks: s.tracks,
          difficulty: s.difficulty,
          answerType: s.expected.type,
          traps: s.traps.map((t) => t.kind),
          utterance: s.utterance,
        }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      // The question gets what the other columns leave of the line, cut with '…' past it.
      const rows = scenarios.map((s) => [s.id, s.family, s.difficulty, s.expected.type, s.utterance]);
      const used = ['id', 'family', 'difficulty', 'answer'].reduce(
        (n, h, i) => n + 2 + Math.max(h.length, ...rows.map((r) => r[i].length)),
        0,
      );
      const table = renderTable(['id', 'family', 'difficulty', 'answer', 'question'], rows, {
        maxWidth: { question: Math.max(40, terminalWidth() - used) },
      });
      process.stdout.write(
        `${table}\n${scenarios.length} scenarios (\`assetops scenarios show ID\` for one in full)\n`,
      );
    });

  suiteOptions(sc.command('show').description('show one scenario in full').argument('<id>', 'scenario id'))
    .option('--json', 'print the scenario as stored (JSON, full precision)', false)
    .action(async (id: string, opts: SuiteFlags & { json: boolean }) => {
      const { ds, scenarios } = await loadSuiteWithWorld(opts);
      ds.close();
      const s = scenarios.find((x) => x.id === id);
      if (!s) {
        throw new UserError(
          `no scenario ${id} in the ${opts.suite} suite`,
          'List the ids with `assetops scenarios list`',
        );
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else process.stdout.write(`${renderScenario(s, terminalWidth())}\n`);
    });

  suiteOptions(
    sc
      .command('validate')
      .description('check every expected answer against its reference plan run through the tools'),
  )
    .option('--json', 'print JSON', false)
    .action(async (opts: SuiteFlags & { json: boolean }) => {
      const { ds, scenarios, extractor } = await loadSuiteWithWorld(opts);
      try {
        const results = [];
        for (const s of scenarios)
          results.push(await validateScenario(ds, s, extractor(s), { predictive: generatedPredictive(s) }));
        const failed = results.filter((r) => !r.ok);
        const balance = suiteBalance(scenarios);
        const pct = (n: number) => `${Math.round((100 * n) / Math.max(1, balance.traps.total))}%`;
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ total: results.length, failed, balance }, null, 2)}\n`);
        else {
          for (const f of failed) process.stdout.write(`FAIL ${f.id}: ${f.problems.join('; ')}\n`);
          // A yes/no template that always gets the same answer can be passed without looking.
          for (const t of balance.invariant)
            process.stdout.write(
              `FAIL ${t.template}: the answer is ${t.value ? 'yes' : 'no'} in all ${t.instances} instances\n`,
            );
          const predictive = results.filter((r) => r.predictive);
          process.stdout.write(
            `${results.length - failed.length} of ${results.length} scenarios agree with their reference plan${
              predictive.length
                ? ` (${predictive.length} forecast the real future: the reference forecast met ${predictive.filter((r) => r.grade?.pass).length} of them, and a miss is no fault)`
                : ''
            }\n`,
          );
          const { traps } = balance;
          process.stdout.write(
            `traps: ${traps.total}; answer yes ${traps.yes} (${pct(traps.yes)}), no ${traps.no} (${pct(traps.no)}), other ${traps.other} (${pct(traps.other)})\n`,
          );
          const ps = balance.phrasing.map((p) => `${p.template} ${p.patterns}/${p.instances}`).join(', ');
          process.stdout.write(
            `phrasing patterns per template (distinct/instances): ${ps}\nscenarios in templates with >= 0.8 distinct patterns per instance: ${Math.round(100 * balance.variedShare)}%\n`,
          );
        }
        if (failed.length > 0 || balance.invariant.length > 0) process.exitCode = 1;
      } finally {
        ds.close();
      }
    });

  sc.command('generate')
    .description('draw a fresh private split from a world')
    .option('--seed <n>', 'seed of the split', parseSeed, 1)
    .option(
      '--count <n>',
      `exactly this many scenarios (default: about ${DEFAULT_COUNT}, as many as the world yields)`,
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 5000)
          throw new UserError(`--count ${v} is not a number from 1 to 5000`, 'e.g. --count 150');
        return n;
      },
    )
    .option('--split <name>', 'name of the split', 'private')
    .option('--world <dir>', 'dataset folder', defaultWorldDir())
    .option('--out <file>', 'write JSONL here (default: stdout)')
    .action(async (opts: { seed: number; count?: number; split: string; world: string; out?: string }) => {
      const ds = await openDataset(opts.world);
      try {
        // --count is honoured exactly (or refused with the reason); without it, the suite as drawn.
        const scenarios = opts.count
          ? await exactSuite(ds, { split: opts.split, seed: opts.seed, count: opts.count })
          : await generatedSuite(ds, { split: opts.split, seed: opts.seed });
        if (opts.out) {
          await writeScenarioFile(opts.out, scenarios);
          process.stderr.write(`wrote ${scenarios.length} scenarios to ${opts.out}\n`);
        } else process.stdout.write(toJsonl(scenarios));
      } finally {
        ds.close();
      }
    });

  suiteOptions(sc.command('export').description('export a suite'))
    .addOption(new Option('--format <f>', 'format').choices(['jsonl']).default('jsonl'))
    .option('--out <file>', 'write here (default: stdout)')
    .action(async (opts: SuiteFlags & { out?: string }) => {
      const { ds, scenarios } = await loadSuiteWithWorld(opts);
      ds.close();
      if (opts.out) await writeScenarioFile(opts.out, scenarios);
      else process.stdout.write(toJsonl(scenarios));
    });

  sc.command('import')
    .description(
      'convert an AssetOpsBench scenario file (all_utterance.jsonl, a per-agent file, a competition phase file) to scenario JSONL',
    )
    .argument('<file>', 'the AssetOpsBench scenario file')
    .option('--format <f>', 'source format (aob: IBM AssetOpsBench)', 'aob')
    .option('--out <file>', 'write JSONL here (default: stdout)')
    .option('--aob-data <dir>', 'AssetOpsBench data (else $ASSETOPS_AOB_DATA, then ../shared/assetopsbench)')
    .action(async (file: string, opts: { format: string; out?: string; aobData?: string }) => {
      if (opts.format !== 'aob') {
        throw new UserError(
          `unknown scenario format "${opts.format}"`,
          'Use --format aob (IBM AssetOpsBench scenario files); our own JSONL needs no import (--file or --suite FILE.jsonl)',
          'bad_format',
        );
      }
      // The file is checked before the dataset is opened (or imported): a typo costs nothing.
      readAobFile(file);
      const { ds, texts } = await openAobData(opts, false);
      try {
        // Competition items borrow the characteristic form of the published item of their number.
        const published = texts ? readItems(texts).items : [];
        const { kind, items } = readAobFile(file, formsOf(published));
        const path = resolve(file);
        const { scenarios, report } = await aobScenariosFromItems(
          items,
          { utterances: path, competition: kind === 'competition' ? path : null, phases: [] },
          ds,
          [...published, ...items],
        );
        const pairs = aobPairs(scenarios).length;
        const twinsElsewhere = scenarios.filter((s) => {
          const twin = s.provenance.aob?.pairedWith;
          return twin && !scenarios.some((o) => o.id === twin);
        }).length;
        const kindText = {
          utterances: 'all_utterance form',
          'per-agent': 'per-agent file',
          competition: 'competition phase file',
        }[kind];
        const lines = [
          `imported ${report.total} AssetOpsBench items (${kindText}) from ${file}: ${report.deterministic} with a computed answer, ${report.freeText} free text for a judge, ${report.defects.length} defects flagged`,
          ...(kind === 'competition'
            ? [
                `  ${pairs} pairs with both sides in the file; ${twinsElsewhere} items paired with one elsewhere (run with --suite aob:${file} to bring the twins in)`,
              ]
            : []),
          ...(kind === 'competition' && !texts
            ? [
                '  no all_utterance.jsonl found: competition items have no characteristic form (pass --aob-data)',
              ]
            : []),
        ];
        if (opts.out) {
          await writeScenarioFile(opts.out, scenarios);
          lines.push(
            `wrote ${scenarios.length} scenarios to ${opts.out} (run them with --suite ${opts.out})`,
          );
        } else process.stdout.write(toJsonl(scenarios));
        process.stderr.write(`${lines.join('\n')}\n`);
      } finally {
        ds.close();
      }
    });

  sc.command('schema')
    .description('print the JSON Schema of a scenario')
    .action(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
}
