// The trajectory viewer: every step in a virtualised list (pages fetched as you scroll),
// search, and the scorecard's evidence and failure events linked to their steps.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorBox } from '../../components/ErrorBox.tsx';
import { Loading } from '../../components/Loading.tsx';
import { VirtualList, type VirtualListHandle } from '../../components/VirtualList.tsx';
import { apiGet } from '../../lib/api.ts';
import { modelName } from '../../lib/format.ts';
import { href } from '../../lib/route.ts';
import type { AttemptDetail } from '../../lib/types.ts';
import { useApi } from '../../lib/useApi.ts';
import { AnnotationsPanel } from './AnnotationsPanel.tsx';
import { stepMarks } from './annotations.ts';
import { StepRow } from './StepRow.tsx';
import { TrajectorySearch } from './TrajectorySearch.tsx';
import { useStepPages } from './useStepPages.ts';

const ROW_ESTIMATE = 46;

export function TrajectoryPage({
  attemptId,
  initialStep,
}: {
  attemptId: string;
  initialStep: number | null;
}) {
  const detail = useApi<AttemptDetail>(`/api/attempts/${encodeURIComponent(attemptId)}`);
  const pages = useStepPages(attemptId);
  const list = useRef<VirtualListHandle>(null);
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const [current, setCurrent] = useState<number | null>(initialStep);
  const [term, setTerm] = useState('');
  const [analysing, setAnalysing] = useState(false);
  const [analyseError, setAnalyseError] = useState<Error | null>(null);

  const jump = useCallback((i: number) => {
    setCurrent(i);
    list.current?.scrollToIndex(i, 'center');
  }, []);

  // A link to a step (?step=N) jumps there once the list exists.
  const total = pages.total;
  useEffect(() => {
    if (total !== null && initialStep !== null) {
      const t = setTimeout(() => jump(initialStep), 0);
      return () => clearTimeout(t);
    }
  }, [total, initialStep, jump]);

  const marks = useMemo(
    () => stepMarks(detail.data?.scorecard ?? null, pages.failures?.events ?? []),
    [detail.data, pages.failures],
  );

  const toggle = useCallback((key: string) => {
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  const isOpen = useCallback((key: string) => open.has(key), [open]);

  const { step, want, partner } = pages;
  const renderRow = useCallback(
    (i: number) => (
      <StepRow
        index={i}
        step={step(i)}
        partner={partner(i)}
        onJump={jump}
        marks={marks.get(i)}
        current={current === i}
        term={term}
        isOpen={isOpen}
        onToggle={toggle}
      />
    ),
    [step, partner, jump, marks, current, term, isOpen, toggle],
  );

  async function analyse() {
    const runId = detail.data?.run.id;
    if (!runId) return;
    setAnalysing(true);
    setAnalyseError(null);
    try {
      await apiGet(`/api/runs/${encodeURIComponent(runId)}/failures`);
      await pages.refreshFailures();
    } catch (err) {
      setAnalyseError(err as Error);
    } finally {
      setAnalysing(false);
    }
  }

  const t = detail.data?.trajectory;
  return (
    <section className="page page-trajectory" aria-labelledby="trajectory-title">
      <nav className="crumbs" aria-label="Breadcrumbs">
        {detail.data ? (
          <>
            <a href={href('runs', detail.data.run.id)}>{detail.data.run.name ?? detail.data.run.id}</a> ›{' '}
            <a href={href('attempts', attemptId)}>{detail.data.attempt.scenarioId}</a> › trajectory
          </>
        ) : (
          <a href={href('attempts', attemptId)}>attempt {attemptId}</a>
        )}
      </nav>
      <h1 id="trajectory-title">Trajectory</h1>
      <p className="meta">
        {t ? (
          <>
            <strong>{t.agent}</strong> · model {modelName(t.model)} · {t.track} track · {t.status} ·{' '}
          </>
        ) : null}
        {total !== null ? <span className="step-total">{total.toLocaleString('en')} steps</span> : null}
      </p>
      <TrajectorySearch attemptId={attemptId} onJump={jump} onTerm={setTerm} />
      <ErrorBox error={pages.error ?? analyseError} />
      <div className="trajectory-layout">
        {total === null ? (
          pages.error ? null : (
            <Loading what="steps" />
          )
        ) : (
          <VirtualList
            ref={list}
            className="steps"
            label="Trajectory steps"
            count={total}
            estimate={ROW_ESTIMATE}
            renderRow={renderRow}
            onRangeChange={want}
          />
        )}
        <AnnotationsPanel
          detail={detail.data}
          failures={pages.failures}
          onJump={jump}
          onAnalyse={analyse}
          analysing={analysing}
        />
      </div>
    </section>
  );
}
