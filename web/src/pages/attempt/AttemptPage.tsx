// One attempt: the scenario, the answer beside the expected one, the grade, the six verdicts
// with rationale and evidence, the cost, and the way into its trajectory.
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Loading } from '../../components/Loading.tsx';
import { PassBadge } from '../../components/PassBadge.tsx';
import { modelName, ms, num, pretty, usd, when } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import type { AttemptDetail } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { ForecastChart } from './ForecastChart.tsx';
import { VerdictCard } from './VerdictCard.tsx';

export function AttemptPage({ attemptId }: { attemptId: string }) {
  const a = useApi<AttemptDetail>(`/api/attempts/${encodeURIComponent(attemptId)}`);
  const d = a.data;
  const trajectoryHref = href('attempts', attemptId, 'trajectory');
  return (
    <section className="page" aria-labelledby="attempt-title">
      <nav className="crumbs" aria-label="Breadcrumbs">
        <a href="#/runs">Runs</a> › {d ? <a href={href('runs', d.run.id)}>{d.run.name ?? d.run.id}</a> : '…'}{' '}
        › attempt
      </nav>
      <h1 id="attempt-title">Attempt {d?.attempt.scenarioId ?? attemptId}</h1>
      <ErrorBox error={a.error} />
      {a.loading && !d ? <Loading what="the attempt" /> : null}
      {d ? (
        <>
          <p className="meta">
            <strong>{d.attempt.agent}</strong> · model {modelName(d.attempt.model)} · suite {d.attempt.suite}{' '}
            · trial {d.attempt.trial} · {d.attempt.outcome ?? d.attempt.status}
          </p>
          {d.trajectory ? (
            <p>
              <a className="button-link" href={trajectoryHref}>
                Open trajectory ({d.trajectory.steps.toLocaleString('en')} steps)
              </a>
            </p>
          ) : null}
          <section aria-labelledby="scenario-h">
            <h2 id="scenario-h">Scenario</h2>
            {d.scenario ? (
              <>
                <blockquote className="utterance">{d.scenario.utterance}</blockquote>
                <p className="muted small">
                  {d.scenario.family} · {d.scenario.difficulty} · site {d.scenario.site ?? '—'} · now{' '}
                  {when(d.scenario.now)}
                </p>
                {d.scenario.traps.length ? (
                  <>
                    <h3>Traps</h3>
                    <ul className="traps">
                      {d.scenario.traps.map((t) => (
                        <li key={`${t.kind}|${t.description}`}>
                          <strong>{t.kind.replace(/_/g, ' ')}</strong>: {t.description}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                <p className="small">Answer format: {d.scenario.answerFormat.description}</p>
              </>
            ) : (
              <p className="muted">The scenario is not stored with this run.</p>
            )}
          </section>
          {d.faults ? (
            <section aria-labelledby="faults-h">
              <h2 id="faults-h">Injected faults</h2>
              {d.faults.injected.length === 0 ? (
                <p className="muted">
                  {d.faults.profile === 'none'
                    ? 'The run injected no tool faults.'
                    : `Profile ${d.faults.profile}: no fault fell on this attempt's calls.`}
                </p>
              ) : (
                <>
                  <p className="muted small">
                    Profile {d.faults.profile}: {d.faults.injected.length} of this attempt's tool calls were
                    hit.
                  </p>
                  <ul>
                    {d.faults.injected.map((f) => (
                      <li key={f.seq}>
                        call {f.seq} ({f.tool}): <strong>{f.kind}</strong>, {f.detail}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          ) : null}
          <div className="two-col">
            <section aria-labelledby="answer-h">
              <h2 id="answer-h">Answer</h2>
              <pre className="json-body">{d.answer === null ? '(no answer)' : pretty(d.answer)}</pre>
            </section>
            <section aria-labelledby="expected-h">
              <h2 id="expected-h">Expected answer</h2>
              {d.scenario?.expectedInWords?.length ? (
                <ul className="expected-words">
                  {d.scenario.expectedInWords.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
              {d.scenario ? (
                <details>
                  <summary>As the grader stores it</summary>
                  <pre className="json-body">{pretty(d.scenario.expected)}</pre>
                </details>
              ) : (
                <p className="muted">—</p>
              )}
            </section>
          </div>
          {d.forecast ? <ForecastChart forecast={d.forecast} /> : null}
          <section aria-labelledby="grade-h">
            <h2 id="grade-h">
              Grade <PassBadge pass={d.grade && !d.grade.needsJudge ? d.grade.pass : null} />
            </h2>
            <p>{d.grade?.detail ?? 'Not graded.'}</p>
          </section>
          <section aria-labelledby="verdicts-h">
            <h2 id="verdicts-h">
              Verdicts {d.scorecard ? <span className="muted">· total {num(d.scorecard.total)}</span> : null}
            </h2>
            {d.scorecard ? (
              <div className="verdicts">
                {Object.entries(d.scorecard.dimensions).map(([dim, v]) => (
                  <VerdictCard key={dim} dimension={dim} verdict={v} trajectoryHref={trajectoryHref} />
                ))}
              </div>
            ) : (
              <p className="muted">No scorecard for this attempt.</p>
            )}
          </section>
          <section aria-labelledby="cost-h">
            <h2 id="cost-h">Cost</h2>
            <dl className="facts">
              <dt>Cost</dt>
              <dd>{usd(d.cost.usd)}</dd>
              <dt>Model calls</dt>
              <dd>
                {d.cost.calls} ({d.cost.cachedCalls} cached)
              </dd>
              <dt>Tokens</dt>
              <dd>
                {d.cost.inputTokens.toLocaleString('en')} in / {d.cost.outputTokens.toLocaleString('en')} out
              </dd>
              <dt>Time</dt>
              <dd>{ms(d.attempt.durationMs)}</dd>
              <dt>Tool calls</dt>
              <dd>{d.trajectory?.toolCalls ?? '—'}</dd>
            </dl>
          </section>
          {d.failures && d.failures.length > 0 ? (
            <section aria-labelledby="failures-h">
              <h2 id="failures-h">Failure events</h2>
              <ul>
                {d.failures.map((f) => (
                  <li key={`${f.category}:${f.span.from}`}>
                    <strong>{f.title}</strong>: {f.evidence}{' '}
                    <a href={`${trajectoryHref}?step=${f.span.from}`}>
                      steps {f.span.from}–{f.span.to}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
