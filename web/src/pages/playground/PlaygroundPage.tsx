// The playground: pick a scenario or type a question, run the offline baseline agent, and
// watch its tool calls and steps stream in.
import { type FormEvent, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Field } from '../../components/Field.tsx';
import { TokenField } from '../../components/TokenField.tsx';
import { useToken } from '../../lib/token.ts';
import type { ScenarioOption } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { FinalAnswer } from './FinalAnswer.tsx';
import { StreamedSteps } from './StreamedSteps.tsx';
import { usePlaygroundStream } from './usePlaygroundStream.ts';

const STATUS: Record<string, string> = {
  idle: '',
  starting: 'Starting…',
  streaming: 'Running: steps stream in as the agent works…',
  done: 'Finished.',
  failed: 'Failed.',
};

export function PlaygroundPage() {
  const scenarios = useApi<{ suite: string; scenarios: ScenarioOption[] }>('/api/scenarios');
  const [mode, setMode] = useState<'scenario' | 'question'>('scenario');
  const [scenarioId, setScenarioId] = useState('');
  const [question, setQuestion] = useState('');
  const [token, setToken] = useToken();
  const run = usePlaygroundStream();
  const list = scenarios.data?.scenarios ?? [];
  const picked = scenarioId || list[0]?.id || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    void run.start(
      mode === 'scenario'
        ? { agent: 'baseline', scenarioId: picked, suite: scenarios.data?.suite ?? 'default' }
        : { agent: 'baseline', question: question.trim() },
      token,
    );
  }

  return (
    <section className="page" aria-labelledby="pg-title">
      <h1 id="pg-title">Playground</h1>
      <form className="stack" onSubmit={submit}>
        <fieldset className="filters">
          <legend>Task</legend>
          <label className="field field-inline">
            <input
              type="radio"
              name="mode"
              checked={mode === 'scenario'}
              onChange={() => setMode('scenario')}
            />
            <span>A scenario</span>
          </label>
          <label className="field field-inline">
            <input
              type="radio"
              name="mode"
              checked={mode === 'question'}
              onChange={() => setMode('question')}
            />
            <span>My own question</span>
          </label>
        </fieldset>
        {mode === 'scenario' ? (
          <Field label="Scenario">
            {(id) => (
              <select id={id} value={picked} onChange={(e) => setScenarioId(e.target.value)}>
                {list.map((s) => (
                  <option key={s.id} value={s.id}>
                    [{s.family}, {s.difficulty}] {s.utterance}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label="Question">
            {(id) => (
              <textarea
                id={id}
                rows={3}
                value={question}
                maxLength={2000}
                onChange={(e) => setQuestion(e.target.value)}
              />
            )}
          </Field>
        )}
        <div className="row">
          <Field label="Agent" inline>
            {(id) => (
              <select id={id} value="baseline" onChange={() => undefined}>
                <option value="baseline">baseline (offline, no model)</option>
              </select>
            )}
          </Field>
          <TokenField token={token} onChange={setToken} />
          <button
            type="submit"
            disabled={
              run.status === 'starting' ||
              run.status === 'streaming' ||
              (mode === 'question' ? !question.trim() : !picked)
            }
          >
            Run
          </button>
        </div>
        <p className="muted small">
          Model-backed agents run with <code>assetops run</code>; the playground runs the offline baseline.
        </p>
      </form>
      <ErrorBox error={scenarios.error} />
      <p role="status" className="pg-status">
        {STATUS[run.status]}
      </p>
      <ErrorBox error={run.error} />
      {run.status !== 'idle' ? <StreamedSteps calls={run.calls} steps={run.steps} /> : null}
      {run.final ? <FinalAnswer final={run.final} /> : null}
    </section>
  );
}
