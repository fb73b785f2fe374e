// The playground: pick a scenario or type a question, pick an agent (the offline baseline, or
// a model-backed one with a model the server can reach), and watch its tool calls and steps
// stream in.
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
  const [agent, setAgent] = useState('baseline');
  const [model, setModel] = useState('');
  const agents = useApi<{ agents: Array<{ agent: string; needsModel: boolean }>; hint: string }>(
    '/api/playground/agents',
  );
  const needsModel = agent !== 'baseline';
  const [token, setToken] = useToken();
  const run = usePlaygroundStream();
  const list = scenarios.data?.scenarios ?? [];
  const picked = scenarioId || list[0]?.id || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    const who = needsModel ? { agent, model: model.trim() } : { agent };
    void run.start(
      mode === 'scenario'
        ? { ...who, scenarioId: picked, suite: scenarios.data?.suite ?? 'default' }
        : { ...who, question: question.trim() },
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
              <select id={id} value={agent} onChange={(e) => setAgent(e.target.value)}>
                {(agents.data?.agents ?? [{ agent: 'baseline', needsModel: false }]).map((a) => (
                  <option key={a.agent} value={a.agent}>
                    {a.needsModel ? a.agent : `${a.agent} (offline, no model)`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {needsModel ? (
            <Field label="Model" inline>
              {(id) => (
                <input
                  id={id}
                  value={model}
                  placeholder="openai:gpt-4.1"
                  onChange={(e) => setModel(e.target.value)}
                />
              )}
            </Field>
          ) : null}
          <TokenField token={token} onChange={setToken} />
          <button
            type="submit"
            disabled={
              run.status === 'starting' ||
              run.status === 'streaming' ||
              (mode === 'question' ? !question.trim() : !picked) ||
              (needsModel && !model.trim())
            }
          >
            Run
          </button>
        </div>
        <p className="muted small">
          The baseline needs no model. Model-backed agents call the model from the server: a provider key in
          its environment, or <code>assetops serve --base-url URL</code>.
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
