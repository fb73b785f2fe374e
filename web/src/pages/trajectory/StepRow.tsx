// One step of a trajectory: index, kind, agent, tool, marks (evidence, failures), and its
// content — text, tool arguments and results as collapsible pretty JSON, handoffs.
import { Highlight } from '../../components/Highlight.tsx';
import { JsonView, PREVIEW_CHARS } from '../../components/JsonView.tsx';
import { dimensionLabel } from '../../lib/format.ts';
import type { TrajectoryStep } from '../../lib/types.ts';
import type { StepMarks } from './annotations.ts';

interface Props {
  index: number;
  step: TrajectoryStep | null;
  marks: StepMarks | undefined;
  current: boolean;
  term: string;
  isOpen: (key: string) => boolean;
  onToggle: (key: string) => void;
  /** The step this tool call's result (or this result's call) is at, and how to go there. */
  partner?: number | null;
  onJump?: (index: number) => void;
}

const KIND_LABEL: Record<string, string> = {
  tool_call: 'tool call',
  tool_result: 'tool result',
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const matchAt = (s: string, term: string) => s.toLowerCase().indexOf(term.toLowerCase());
const around = (s: string, at: number) => s.slice(Math.max(0, at - 80), at + 160);

export function StepRow({ index, step, marks, current, term, isOpen, onToggle, partner, onJump }: Props) {
  if (!step) {
    return (
      <article className="step step-loading" aria-label={`Step ${index}`} aria-busy="true">
        <header className="step-head">
          <span className="step-index">#{index}</span>
          <span className="muted">loading…</span>
        </header>
      </article>
    );
  }
  const key = (part: string) => `${index}:${part}`;
  const failed = step.tool?.ok === false || Boolean(step.tool?.error);
  return (
    <article
      className={`step kind-${step.kind}${current ? ' step-current' : ''}${marks?.failures.length ? ' step-failure' : ''}`}
      aria-label={`Step ${index}`}
      aria-current={current ? 'true' : undefined}
      data-step={index}
    >
      <header className="step-head">
        <span className="step-index">#{index}</span>
        <span className={`kind kind-tag-${step.kind}`}>{KIND_LABEL[step.kind] ?? step.kind}</span>
        <span className="agent">{step.agent}</span>
        {step.tool ? <code className="tool-name">{step.tool.name}</code> : null}
        {step.kind === 'tool_result' ? (
          <span className={failed ? 'badge badge-fail' : 'badge badge-pass'}>{failed ? 'error' : 'ok'}</span>
        ) : null}
        {partner !== null && partner !== undefined && onJump ? (
          <button type="button" className="link-button" onClick={() => onJump(partner)}>
            {step.kind === 'tool_call' ? `result: #${partner}` : `call: #${partner}`}
          </button>
        ) : null}
        {step.latencyMs !== undefined ? <span className="muted">{step.latencyMs} ms</span> : null}
        {step.tokens ? (
          <span className="muted">
            {step.tokens.input}/{step.tokens.output} tok
          </span>
        ) : null}
        {marks?.evidence.map((e) => (
          <span
            key={`${e.dimension}:${e.note}`}
            className={`mark mark-evidence ${e.pass ? 'mark-pass' : 'mark-fail'}`}
            title={e.note}
          >
            evidence: {dimensionLabel(e.dimension)}
          </span>
        ))}
        {marks?.failures.map((f) => (
          <span key={`${f.category}:${f.span.from}`} className="mark mark-failure" title={f.evidence}>
            failure: {f.title}
            {f.span.to > f.span.from ? ` (steps ${f.span.from}–${f.span.to})` : ''}
          </span>
        ))}
      </header>
      {step.handoff ? (
        <p className="handoff">
          Handoff <strong>{step.handoff.from}</strong> → <strong>{step.handoff.to}</strong>:{' '}
          <Highlight text={step.handoff.request} term={term} />
        </p>
      ) : null}
      {step.kind === 'tool_call' && step.tool ? (
        <JsonView
          label="Arguments"
          value={step.tool.args}
          open={isOpen(key('args'))}
          onToggle={() => onToggle(key('args'))}
          term={term}
        />
      ) : null}
      {step.kind === 'tool_result' ? (
        <JsonView
          label="Result"
          value={step.content}
          open={isOpen(key('result'))}
          onToggle={() => onToggle(key('result'))}
          term={term}
        />
      ) : null}
      {step.kind !== 'tool_call' && step.kind !== 'tool_result' ? (
        <p className="step-content">
          <Highlight text={clip(step.content, isOpen(key('text')) ? 20_000 : 600)} term={term} />
          {step.content.length > 600 ? (
            <button type="button" className="link-button" onClick={() => onToggle(key('text'))}>
              {isOpen(key('text')) ? 'less' : 'more'}
            </button>
          ) : null}
        </p>
      ) : null}
      {step.kind === 'tool_result' && term && matchAt(step.content, term) > PREVIEW_CHARS - term.length ? (
        <p className="step-match">
          …<Highlight text={around(step.content, matchAt(step.content, term))} term={term} />…
        </p>
      ) : null}
      {step.tool?.error ? <p className="step-error">{step.tool.error}</p> : null}
    </article>
  );
}
