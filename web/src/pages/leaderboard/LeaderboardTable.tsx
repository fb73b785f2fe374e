// The leaderboard: one row per configuration (agent, model, suite, faults, scenario set; its
// newest run), sortable by any column. The columns a reader ranks by come first and fit
// at 1024 px; the six dimensions, pass^k, cost and attempts are one click away. The rank is
// the server's (coverage, then total) and stays with its entry whatever the sort.
import { useState } from 'react';
import { dimensionLabel, modelName, num, pct, readinessLabel, usd } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import type { LeaderboardEntry } from '../../lib/types.ts';
import { SortHeader } from './SortHeader.tsx';
import { entryKey, type Sort } from './sortEntries.ts';
import { TotalBar } from './TotalBar.tsx';

interface Props {
  entries: LeaderboardEntry[];
  dimensions: string[];
  readiness: number;
  sort: Sort;
  onSort: (s: Sort) => void;
  compared: string[];
  onCompare: (key: string) => void;
}

const SHORT: Record<string, string> = {
  task_completion: 'Task',
  retrieval_accuracy: 'Retrieval',
  result_verification: 'Verification',
  sequence_correctness: 'Sequence',
  clarity_justification: 'Clarity',
  hallucination: 'No halluc.',
};

/** A file suite by its file name (the whole path is in the cell's title). */
function shortSuite(suite: string): string {
  const m = /^file:(?:.*[\\/])?([^\\/]+)$/.exec(suite);
  return m ? `file:${m[1]}` : suite;
}

function Total({ e, readiness }: { e: LeaderboardEntry; readiness: number }) {
  return (
    <td className="total-cell">
      <span className="total-value">{e.total.mean === null ? 'ungraded' : num(e.total.mean)}</span>{' '}
      <span className="muted">
        {e.total.ci
          ? `[${num(e.total.ci.lower)}–${num(e.total.ci.upper)}]`
          : e.total.mean === null
            ? ''
            : '(no CI)'}
      </span>
      {e.total.mean !== null && e.total.ci ? (
        <TotalBar
          mean={e.total.mean}
          lower={e.total.ci.lower}
          upper={e.total.ci.upper}
          readiness={readiness}
        />
      ) : null}
    </td>
  );
}

function Readiness({ e }: { e: LeaderboardEntry }) {
  return (
    <td>
      {e.ready ? (
        <span className="badge badge-pass">ready</span>
      ) : e.readiness === 'not ready' ? (
        <span className="badge badge-fail">not ready</span>
      ) : (
        <span className="badge">{readinessLabel(e)}</span>
      )}
    </td>
  );
}

export function LeaderboardTable({
  entries,
  dimensions,
  readiness,
  sort,
  onSort,
  compared,
  onCompare,
}: Props) {
  const [more, setMore] = useState(false);
  const h = (label: string, column: Sort['key'], title?: string) => (
    <SortHeader label={label} column={column} sort={sort} onSort={onSort} title={title} />
  );
  return (
    <>
      <p className="table-tools">
        <button type="button" aria-pressed={more} onClick={() => setMore((m) => !m)}>
          {more ? 'Fewer columns' : 'More columns: dimensions, pass^k, cost, attempts'}
        </button>
      </p>
      <div className="table-wrap">
        <table className="leaderboard">
          <caption className="sr-only">Leaderboard entries</caption>
          <thead>
            <tr>
              {h(
                '#',
                'rank',
                'rank by coverage, then total; it does not change when you sort by another column. Tick two entries to compare them',
              )}
              {h('Agent', 'agent')}
              {h('Model', 'model')}
              {h('Suite', 'suite')}
              {h('Scenarios', 'scenarios', 'scenarios the entry covers × trials of each')}
              {h('Faults', 'faults', 'tool faults injected during the run')}
              {h('Total [95% CI]', 'total', 'mean total, 0–100, with its 95% bootstrap CI')}
              <th scope="col">Readiness</th>
              {h('Pass rate', 'passRate')}
              {h('Date', 'date', 'when the newest run of this configuration started (UTC)')}
              {more
                ? dimensions.map((d) => (
                    <SortHeader
                      key={d}
                      label={SHORT[d] ?? dimensionLabel(d)}
                      column={`dim:${d}`}
                      sort={sort}
                      onSort={onSort}
                      title={`${dimensionLabel(d)}: pass rate`}
                    />
                  ))
                : null}
              {more ? h('pass^k', 'passHatK', 'all k trials of a scenario pass') : null}
              {more ? h('Cost / scenario', 'cost') : null}
              {more ? h('Attempts', 'attempts') : null}
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const key = entryKey(e);
              const who = `${e.agent} ${modelName(e.model)} ${e.suite} (${e.runName ?? e.runId})`;
              const older = e.runs.length - 1;
              return (
                <tr key={key} className={e.ready ? 'row-ready' : undefined}>
                  <td className="rank">
                    <input
                      type="checkbox"
                      aria-label={`Compare ${who}`}
                      checked={compared.includes(key)}
                      onChange={() => onCompare(key)}
                    />{' '}
                    <span className="rank-value">{e.rank}</span>
                  </td>
                  <td>
                    <a href={href('runs', e.runId)} title={`run ${e.runName ?? e.runId}`}>
                      {e.agent}
                    </a>
                    {e.submission ? <span className="badge badge-sub">submission</span> : null}
                    <div className="muted small">
                      {e.runName ?? e.runId}
                      {older > 0 ? ` (newest of ${e.runs.length} runs)` : ''}
                    </div>
                  </td>
                  <td>{modelName(e.model)}</td>
                  <td title={e.suite}>
                    <span className="cell-clip">{shortSuite(e.suite)}</span>
                  </td>
                  <td>
                    {e.scenarios} × {e.trials}
                    {e.partial ? (
                      <div
                        className="badge"
                        title={`covers ${e.scenarios} of the ${e.suiteScenarios} scenarios other entries of this suite cover`}
                      >
                        partial: {e.scenarios} of {e.suiteScenarios}
                      </div>
                    ) : null}
                  </td>
                  <td>{e.faults}</td>
                  <Total e={e} readiness={readiness} />
                  <Readiness e={e} />
                  <td>{pct(e.passRate)}</td>
                  <td className="nowrap">{e.createdAt.slice(0, 10)}</td>
                  {more ? dimensions.map((d) => <td key={d}>{pct(e.dimensions[d]?.passRate)}</td>) : null}
                  {more ? <td>{e.passHatK ? `${pct(e.passHatK.value)} (k=${e.passHatK.k})` : '—'}</td> : null}
                  {more ? <td>{usd(e.costPerScenario)}</td> : null}
                  {more ? <td>{e.attempts}</td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
