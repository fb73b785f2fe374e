// A trajectory's steps, fetched from the API a page at a time as the list needs them. The
// first page brings the total and the failure events; later pages are requested for the
// rows the list renders, at most every THROTTLE_MS for the range shown at that moment (a
// fast scroll does not fetch every page it passes), with the next page fetched ahead when
// the rows near a page's edge.
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiGet, query } from '../../lib/api.ts';
import type { StepPage, TrajectoryStep } from '../../lib/types.ts';

export const PAGE_SIZE = 200;
const THROTTLE_MS = 50;
const AHEAD = 40;

export interface StepPages {
  total: number | null;
  failures: StepPage['failures'] | null;
  error: Error | null;
  step: (index: number) => TrajectoryStep | null;
  /** The step a tool call or result pairs with, once its page has arrived. */
  partner: (index: number) => number | null;
  /** Rows first..last are wanted. */
  want: (first: number, last: number) => void;
  /** Fetches the failure events again (after the run was analysed). */
  refreshFailures: () => Promise<void>;
  /** Changes whenever a page arrives. */
  version: number;
}

export function useStepPages(attemptId: string): StepPages {
  const base = `/api/attempts/${encodeURIComponent(attemptId)}/trajectory`;
  const pages = useRef(new Map<number, TrajectoryStep[]>());
  const partners = useRef(new Map<number, Array<number | null>>());
  const pending = useRef(new Set<number>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const range = useRef<[number, number]>([0, 0]);
  const known = useRef<number | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [failures, setFailures] = useState<StepPage['failures'] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [version, setVersion] = useState(0);

  const load = useCallback(
    (p: number) => {
      if (pages.current.has(p) || pending.current.has(p)) return;
      if (p < 0 || (known.current !== null && p * PAGE_SIZE >= known.current)) return;
      pending.current.add(p);
      apiGet<StepPage>(`${base}${query({ offset: p * PAGE_SIZE, limit: PAGE_SIZE })}`).then(
        (page) => {
          pending.current.delete(p);
          pages.current.set(p, page.steps);
          partners.current.set(p, page.partners ?? []);
          if (p === 0) {
            known.current = page.total;
            setTotal(page.total);
            setFailures(page.failures);
          }
          setVersion((v) => v + 1);
        },
        (err: Error) => {
          pending.current.delete(p);
          setError(err);
        },
      );
    },
    [base],
  );

  useEffect(() => {
    pages.current = new Map();
    partners.current = new Map();
    pending.current = new Set();
    known.current = null;
    setTotal(null);
    setFailures(null);
    setError(null);
    load(0);
    return () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [load]);

  const want = useCallback(
    (first: number, last: number) => {
      range.current = [first, last];
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        const [a, b] = range.current;
        for (let p = Math.floor(a / PAGE_SIZE); p <= Math.floor(b / PAGE_SIZE); p++) load(p);
        // Near a page's edge: the next one (either way) before it is needed.
        if (b % PAGE_SIZE >= PAGE_SIZE - AHEAD) load(Math.floor(b / PAGE_SIZE) + 1);
        if (a % PAGE_SIZE < AHEAD && a >= PAGE_SIZE) load(Math.floor(a / PAGE_SIZE) - 1);
      }, THROTTLE_MS);
    },
    [load],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version means new pages to read from
  const step = useCallback(
    (i: number) => pages.current.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE] ?? null,
    [version],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version means new pages to read from
  const partner = useCallback(
    (i: number) => partners.current.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE] ?? null,
    [version],
  );

  const refreshFailures = useCallback(async () => {
    const page = await apiGet<StepPage>(`${base}${query({ offset: 0, limit: 1 })}`);
    setFailures(page.failures);
  }, [base]);

  return { total, failures, error, step, partner, want, refreshFailures, version };
}
