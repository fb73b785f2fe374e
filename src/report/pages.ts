// The two HTML reports: the failure analysis (`assetops analyze`) and the run report
// (`assetops report`: leaderboard with the six dimensions, confidence intervals, the
// readiness line, costs, and the failure analysis). Both are single self-contained files.
import type { Trajectory } from '../agents/trajectory.ts';
import type { AttemptScore, RunScores } from '../scoring/aggregate.ts';
import { groupLabel } from '../scoring/compare.ts';
import { readinessText, totalText } from '../scoring/describe.ts';
import { DIMENSIONS } from '../scoring/types.ts';
import type { RunRates } from '../trajfm/by-run.ts';
import type { FailureReport } from '../trajfm/types.ts';
import { barChart, heatMap, leaderboardChart, scatterMap } from './charts.ts';
import { compareSection } from './compare-section.ts';
import { esc, page, table } from './html.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const usd = (x: number) => (x === 0 ? '$0' : x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);

/** Steps of a trajectory around a span, the span highlighted. */
function excerpt(t: Trajectory, span: { from: number; to: number }): string {
  const from = Math.max(0, span.from - 2);
  const to = Math.min(t.steps.length - 1, span.to + 2);
  return t.steps
    .slice(from, to + 1)
    .map((s) => {
      const hl = s.index >= span.from && s.index <= span.to ? ' hl' : '';
      const tool = s.tool ? ` ${s.tool.name}(${JSON.stringify(s.tool.args ?? {}).slice(0, 160)})` : '';
      return `<div class="step${hl}">#${s.index} [${esc(s.agent)}] ${esc(s.kind)}${esc(tool)} ${esc(s.content.slice(0, 400))}</div>`;
    })
    .join('');
}

export function failureSection(
  r: FailureReport,
  trajectories: Map<string, Trajectory>,
  examplesPer = 3,
): string {
  if (r.events.length === 0) {
    return `<h2>Failure analysis</h2><p>No failure events in ${r.trajectories} trajectories.</p>`;
  }
  const cats = r.categories.filter((c) => c.count > 0);
  const models = r.byAgentModel.map((g) => `${g.agent}${g.model ? ` · ${g.model}` : ''}`);
  const parts: string[] = [
    '<h2>Failure analysis</h2>',
    `<p>${r.events.length} failure events in ${r.withFailures} of ${r.trajectories} trajectories; taxonomy version ${r.taxonomyVersion}; clusters by ${esc(r.clusters.method)} over ${esc(r.clusters.embedder)} embeddings (k = ${r.clusters.k}${r.clusters.stability === null ? '' : `, stability ${r.clusters.stability.toFixed(2)} ARI`}).</p>`,
    `<div class="chart">${barChart(
      'Failure events by category',
      cats.map((c) => ({ label: c.title, value: c.count })),
    )}</div>`,
  ];
  if (models.length > 0 && cats.length > 0) {
    // A rate per trajectory (at most 100%), not events per trajectory: one trajectory can
    // hold many events of a category.
    const cells = cats.map((c) =>
      r.byAgentModel.map((g) =>
        g.trajectories ? Math.round((100 * (g.withCategory[c.id] ?? 0)) / g.trajectories) : 0,
      ),
    );
    parts.push(
      `<div class="chart">${heatMap(
        'Share of each agent and model’s trajectories showing the category',
        cats.map((c) => c.title),
        models,
        cells,
        100,
      )}</div>`,
    );
  }
  if (r.clusters.points.length > 0) {
    const points = r.clusters.points.map((p) => ({
      x: p.x,
      y: p.y,
      group: r.clusters.names[p.cluster] ?? 'noise',
    }));
    parts.push(`<div class="chart">${scatterMap('Failure descriptions, coloured by cluster', points)}</div>`);
  }
  parts.push(
    table(
      ['category', 'kind', 'events', 'share of events', 'trajectories', 'of all trajectories', 'definition'],
      cats.map((c) => [
        `<a href="#cat-${esc(c.id)}">${esc(c.title)}</a>`,
        esc(c.kind),
        c.count,
        pct(c.share),
        c.trajectories,
        pct(c.rate),
        esc(c.definition),
      ]),
      [false, false, true, true, true, true, false],
    ),
  );
  for (const c of cats) {
    const examples = c.examples
      .slice(0, examplesPer)
      .map((e) => {
        const t = trajectories.get(e.trajectoryId);
        return `<details><summary>${esc(e.trajectoryId)} · ${esc(t?.scenarioId ?? '')} · steps ${e.span.from}–${e.span.to}</summary>${t ? excerpt(t, e.span) : '<p class="muted">trajectory not loaded</p>'}</details>`;
      })
      .join('');
    parts.push(
      `<h3 id="cat-${esc(c.id)}">${esc(c.title)} <span class="muted">(${c.count}, ${pct(c.share)})</span></h3><p>${esc(c.definition)}</p>${examples}`,
    );
  }
  if (r.proposals.length > 0) {
    parts.push(
      '<h3>Proposed new categories</h3>',
      table(
        ['title', 'size', 'definition'],
        r.proposals.map((p) => [esc(p.title), p.size, esc(p.definition)]),
        [false, true, false],
      ),
    );
  }
  if (r.errors.length > 0) parts.push(`<p class="bad">${r.errors.map(esc).join('<br>')}</p>`);
  return parts.join('\n');
}

/** Category rates run by run (several runs analysed together, compared, not pooled). */
export function byRunSection(rates: RunRates | null): string {
  if (!rates || rates.runs.length < 2) return '';
  return [
    '<h2>Failures by run</h2>',
    '<p>Share of each run’s trajectories showing each category (a trajectory counts once per category).</p>',
    table(
      ['category', ...rates.runs.map((r) => `${r.run} (${r.trajectories} trajectories)`)],
      [
        [
          'any failure',
          ...rates.runs.map(
            (r) => `${pct(r.trajectories ? r.withFailures / r.trajectories : 0)} (${r.withFailures})`,
          ),
        ],
        ...rates.categories.map((c) => [
          esc(c.title),
          ...c.rates.map((x, i) => `${pct(x)} (${c.trajectories[i]})`),
        ]),
      ],
      [false, ...rates.runs.map(() => true)],
    ),
  ].join('\n');
}

export function failureReportPage(
  title: string,
  r: FailureReport,
  trajectories: Map<string, Trajectory>,
  byRun: RunRates | null = null,
): string {
  return page(title, `<h1>${esc(title)}</h1>${byRunSection(byRun)}${failureSection(r, trajectories, 5)}`);
}

export function runReportPage(
  title: string,
  scores: RunScores,
  failures: FailureReport | null,
  trajectories: Map<string, Trajectory>,
  rows: AttemptScore[] = [],
  byRun: RunRates | null = null,
): string {
  // The run is named only when the report holds several.
  const manyRuns = new Set(scores.groups.map((g) => g.run)).size > 1;
  const label = (g: RunScores['groups'][number]) => groupLabel(manyRuns ? g : { ...g, run: null });
  const sorted = [...scores.groups].sort((a, b) => (b.meanTotal ?? -1) - (a.meanTotal ?? -1));
  const lines = sorted.map((g, i) => [
    i + 1,
    esc(label(g)),
    `${g.scenarios} × ${g.trials}`,
    g.attempts,
    esc(totalText(g)),
    g.ready ? '<span class="ok">ready</span>' : `<span class="bad">${esc(readinessText(g))}</span>`,
    g.graded ? `${pct(g.passRate)} <span class="muted">(${g.passed}/${g.graded})</span>` : '–',
    g.ungraded,
    g.passHatK ? `${pct(g.passHatK.value)} (k=${g.passHatK.k})` : '–',
    ...DIMENSIONS.map((d) => (g.dimensions[d].applicable ? pct(g.dimensions[d].passRate) : '–')),
    g.toolAccuracy === null ? '–' : pct(g.toolAccuracy),
    usd(g.costPerScenario),
  ]);
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p>Deployment readiness: the lower end of the 95% confidence interval of the total must reach ${scores.readiness}.${
      scores.minDetectableDifference === null
        ? ''
        : ` Differences in mean total under ${scores.minDetectableDifference.toFixed(1)} points are within this run's noise.`
    }</p>`,
    `<div class="chart">${leaderboardChart(
      sorted.flatMap((g) =>
        g.meanTotal === null
          ? []
          : [
              {
                label: label(g),
                mean: g.meanTotal,
                lower: g.ci?.lower ?? g.meanTotal,
                upper: g.ci?.upper ?? g.meanTotal,
              },
            ],
      ),
      scores.readiness,
    )}</div>`,
    '<h2>Leaderboard</h2>',
    table(
      [
        '#',
        manyRuns ? 'run: agent · model · suite' : 'agent · model · suite',
        'scenarios × trials',
        'n',
        'total [95% CI]',
        `readiness ${scores.readiness}`,
        'pass',
        'ungraded',
        'pass^k',
        ...DIMENSIONS,
        'tool accuracy',
        'cost / scenario',
      ],
      lines,
      [true, false, true, true, false, false, true, true, true, ...DIMENSIONS.map(() => true), true, true],
    ),
    compareSection(scores, rows),
    byRunSection(byRun),
    failures ? failureSection(failures, trajectories) : '',
  ].join('\n');
  return page(title, body);
}
