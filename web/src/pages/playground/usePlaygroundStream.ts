// Starts a playground run and follows its server-sent events (EventSource): tool calls and
// results as they happen, then the steps, then the final answer (or an error). The stream
// is closed at the end, so the browser does not reconnect.
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiPost } from '../../lib/api.ts';
import type { Scorecard, TrajectoryStep } from '../../lib/types.ts';

export interface CallEvent {
  seq: number;
  tool: string;
  args?: unknown;
  ok?: boolean;
  error?: { code: string; message: string };
  latencyMs?: number;
}

export interface FinalEvent {
  id: string;
  status: string;
  answer: unknown;
  grade: { pass: boolean; score: number; detail: string } | null;
  expected: unknown;
  scorecard: Pick<Scorecard, 'total' | 'pass' | 'dimensions'> | null;
  steps: number;
  toolCalls: number;
}

export type StreamStatus = 'idle' | 'starting' | 'streaming' | 'done' | 'failed';

export interface StartBody {
  agent: string;
  /** For model-backed agents. */
  model?: string;
  scenarioId?: string;
  suite?: string;
  question?: string;
}

export function usePlaygroundStream() {
  const [status, setStatus] = useState<StreamStatus>('idle');
  const [calls, setCalls] = useState<CallEvent[]>([]);
  const [steps, setSteps] = useState<TrajectoryStep[]>([]);
  const [final, setFinal] = useState<FinalEvent | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const source = useRef<EventSource | null>(null);

  const stop = useCallback(() => {
    source.current?.close();
    source.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const start = useCallback(
    async (body: StartBody, token: string) => {
      stop();
      setStatus('starting');
      setCalls([]);
      setSteps([]);
      setFinal(null);
      setError(null);
      let started: { id: string; events: string };
      try {
        started = await apiPost('/api/playground/runs', JSON.stringify(body), {
          token,
          contentType: 'application/json',
        });
      } catch (err) {
        setError(err as Error);
        setStatus('failed');
        return;
      }
      setStatus('streaming');
      const es = new EventSource(started.events);
      source.current = es;
      const data = (e: Event) => JSON.parse((e as MessageEvent).data);
      es.addEventListener('call', (e) => {
        const c = data(e) as CallEvent;
        setCalls((xs) => [...xs, c]);
      });
      es.addEventListener('result', (e) => {
        const r = data(e) as CallEvent;
        setCalls((xs) => xs.map((c) => (c.seq === r.seq ? { ...c, ...r, args: c.args } : c)));
      });
      es.addEventListener('step', (e) => {
        const s = data(e) as TrajectoryStep;
        setSteps((xs) => [...xs, s]);
      });
      es.addEventListener('final', (e) => {
        setFinal(data(e) as FinalEvent);
        setStatus('done');
        es.close();
      });
      // The run's own error event carries data; a connection error does not.
      es.addEventListener('error', (e) => {
        es.close();
        const msg =
          e instanceof MessageEvent && e.data ? (JSON.parse(e.data) as { error: string }).error : null;
        setError(new Error(msg ?? 'the event stream was interrupted'));
        setStatus('failed');
      });
    },
    [stop],
  );

  return { status, calls, steps, final, error, start };
}
