// A run's attempts: scenario, agent, whether the typed answer was correct, whether the attempt
// passed the scoring rule, its total (or "ungraded"), cost and time, each opening the attempt page.
import { PassBadge } from '../../components/PassBadge.tsx';
import { modelName, ms, num, usd } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import type { AttemptListItem } from '../../lib/types.ts';

export function AttemptsTable({ attempts }: { attempts: AttemptListItem[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Attempts</caption>
        <thead>
          <tr>
            <th scope="col">Scenario</th>
            <th scope="col">Family</th>
            <th scope="col">Agent</th>
            <th scope="col">Model</th>
            <th scope="col">Trial</th>
            <th scope="col">Status</th>
            <th scope="col">Answer</th>
            <th scope="col">Pass</th>
            <th scope="col">Total</th>
            <th scope="col">Cost</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id}>
              <td>
                <a
                  href={href('attempts', a.id)}
                  aria-label={`Open attempt ${a.scenarioId} (${a.agent}, trial ${a.trial})`}
                >
                  {a.scenarioId}
                </a>
                {a.traps?.length ? <div className="muted small">trap: {a.traps.join(', ')}</div> : null}
              </td>
              <td>{a.family ?? '—'}</td>
              <td>{a.agent}</td>
              <td>{modelName(a.model)}</td>
              <td>{a.trial}</td>
              <td>{a.outcome ?? a.status}</td>
              <td>{a.answerCorrect === null ? '—' : a.answerCorrect ? 'correct' : 'wrong'}</td>
              <td>
                {a.scorePass === null && a.status === 'done' ? (
                  <span className="muted">—</span>
                ) : (
                  <PassBadge pass={a.scorePass} />
                )}
              </td>
              <td>
                {a.total === null && a.status === 'done' && a.outcome !== 'infra_error'
                  ? 'ungraded'
                  : num(a.total)}
              </td>
              <td>{usd(a.costUsd)}</td>
              <td>{ms(a.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
