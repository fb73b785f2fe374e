// The run report's comparison when it holds more than one entry: the first entry (the first
// run named) against each other one, with the scenarios whose verdict changed and a
// significance hint, and a scenario-by-entry matrix of verdicts. The matrix filters (failures,
// passes, ungraded, differences) are radio buttons and CSS, so the file needs no script.
import type { AttemptScore, RunScores } from '../scoring/aggregate.ts';
import { compareEntries, groupLabel, rowsOfGroup, verdictMatrix } from '../scoring/compare.ts';
import { esc, table } from './html.ts';

const MAX_CHANGED = 60;

const FILTER_STYLE = `
.mx-filters label{margin-right:12px;font-size:13px}
.mx td.v-pass{background:#e8f5ec}.mx td.v-fail{background:#fbe9e7}.mx td.v-mixed{background:#fff4d6}
.mx td.v-ungraded,.mx td.v-absent{color:#5f6b7a}
#mx-fail:checked~table tbody tr:not(.has-fail),#mx-pass:checked~table tbody tr:not(.has-pass),
#mx-ungraded:checked~table tbody tr:not(.has-ungraded),#mx-diff:checked~table tbody tr:not(.differs){display:none}
`;

export function compareSection(scores: RunScores, rows: AttemptScore[]): string {
  const groups = scores.groups;
  if (groups.length < 2) return '';
  const parts: string[] = ['<h2>Comparison</h2>'];
  const first = { group: groups[0], rows: rowsOfGroup(rows, groups[0]) };
  parts.push(
    `<p>Each entry against <b>A = ${esc(groupLabel(groups[0]))}</b>. Entries are never pooled: each keeps its own scenarios, trials and faults.</p>`,
  );
  for (const g of groups.slice(1)) {
    const c = compareEntries(first, { group: g, rows: rowsOfGroup(rows, g) }, scores.minDetectableDifference);
    parts.push(`<h3>A vs B = ${esc(c.b)}</h3>`);
    parts.push(
      `<p>${c.shared} scenarios in common${c.onlyA || c.onlyB ? ` (${c.onlyA} only in A, ${c.onlyB} only in B)` : ''}; ${c.changed.length} changed verdict. ${esc(c.hint)}</p>`,
    );
    if (c.changed.length > 0)
      parts.push(
        table(
          ['scenario', 'A', 'B'],
          c.changed.slice(0, MAX_CHANGED).map((x) => [esc(x.scenarioId), esc(x.a), esc(x.b)]),
        ) +
          (c.changed.length > MAX_CHANGED
            ? `<p class="muted">and ${c.changed.length - MAX_CHANGED} more</p>`
            : ''),
      );
  }
  parts.push(matrix(scores, rows));
  return parts.join('\n');
}

function matrix(scores: RunScores, rows: AttemptScore[]): string {
  const body = verdictMatrix(scores.groups.map((g) => rowsOfGroup(rows, g)))
    .map(({ scenarioId: id, verdicts: cells }) => {
      const present = cells.filter((v) => v !== 'absent');
      const cls = [
        cells.some((v) => v === 'fail' || v === 'mixed') ? 'has-fail' : '',
        cells.some((v) => v === 'pass') ? 'has-pass' : '',
        cells.some((v) => v === 'ungraded' || v === 'absent') ? 'has-ungraded' : '',
        new Set(present).size > 1 || present.length < cells.length ? 'differs' : '',
      ]
        .filter(Boolean)
        .join(' ');
      return `<tr class="${cls}"><td>${esc(id)}</td>${cells.map((v) => `<td class="v-${v}">${v}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const radio = (id: string, label: string, checked = false) =>
    `<input type="radio" name="mx" id="${id}"${checked ? ' checked' : ''}><label for="${id}">${label}</label>`;
  return [
    `<style>${FILTER_STYLE}</style>`,
    '<h3>Scenarios by entry</h3>',
    '<div class="mx-filters">',
    radio('mx-all', 'all', true),
    radio('mx-fail', 'with a failure'),
    radio('mx-pass', 'with a pass'),
    radio('mx-ungraded', 'ungraded or missing'),
    radio('mx-diff', 'different across entries'),
    `<table class="mx"><thead><tr><th>scenario</th>${scores.groups.map((g) => `<th>${esc(groupLabel(g))}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`,
    '</div>',
  ].join('\n');
}
