// The leaderboard: one row per run, agent, model and suite, sortable by any score column,
// with the total's CI drawn against the readiness line and a compare box per row.
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

export function LeaderboardTable({
  entries,
  dimensions,
  readiness,
  sort,
  onSort,
  compared,
  onCompare,
}: Props) {
  const h = (label: string, column: Sort['key'], title?: string) => (
    <SortHeader label={label} column={column} sort={sort} onSort={onSort} title={title} />
  );
  return (
    <div className="table-wrap">
      <table className="leaderboard">
        <caption className="sr-only">Leaderboard entries</caption>
        <thead>
          <tr>
            <th scope="col">Compare</th>
            <th scope="col">#</th>
            {h('Agent', 'agent')}
            {h('Model', 'model')}
            {h('Suite', 'suite')}
            {h('Total [95% CI]', 'total', 'mean total, 0–100, with its 95% bootstrap CI')}
            <th scope="col">Readiness</th>
            {dimensions.map((d) => (
              <SortHeader
                key={d}
                label={SHORT[d] ?? dimensionLabel(d)}
                column={`dim:${d}`}
                sort={sort}
                onSort={onSort}
                title={`${dimensionLabel(d)}: pass rate`}
              />
            ))}
            {h('Pass rate', 'passRate')}
            {h('pass^k', 'passHatK', 'all k trials of a scenario pass')}
            {h('Cost / scenario', 'cost')}
            {h('Attempts', 'attempts')}
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => {
            const key = entryKey(e);
            const who = `${e.agent} ${modelName(e.model)} ${e.suite} (${e.runName ?? e.runId})`;
            return (
              <tr key={key} className={e.ready ? 'row-ready' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare ${who}`}
                    checked={compared.includes(key)}
                    onChange={() => onCompare(key)}
                  />
                </td>
                <td>{i + 1}</td>
                <td>
                  <a href={href('runs', e.runId)} title={`run ${e.runName ?? e.runId}`}>
                    {e.agent}
                  </a>
                  {e.submission ? <span className="badge badge-sub">submission</span> : null}
                  <div className="muted small">{e.runName ?? e.runId}</div>
                </td>
                <td>{modelName(e.model)}</td>
                <td>{e.suite}</td>
                <td className="total-cell">
                  <span className="total-value">
                    {e.total.mean === null ? 'ungraded' : num(e.total.mean)}
                  </span>{' '}
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
                <td>
                  {e.ready ? (
                    <span className="badge badge-pass">ready</span>
                  ) : e.readiness === 'not ready' ? (
                    <span className="badge badge-fail">not ready</span>
                  ) : (
                    <span className="badge">{readinessLabel(e)}</span>
                  )}
                </td>
                {dimensions.map((d) => (
                  <td key={d}>{pct(e.dimensions[d]?.passRate)}</td>
                ))}
                <td>{pct(e.passRate)}</td>
                <td>{e.passHatK ? `${pct(e.passHatK.value)} (k=${e.passHatK.k})` : '—'}</td>
                <td>{usd(e.costPerScenario)}</td>
                <td>{e.attempts}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
