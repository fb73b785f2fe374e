// Loads one API path: the data, the failure, and a way to load it again. A new path (or a
// reload) aborts the request in flight.
import { useCallback, useEffect, useState } from 'react';
import { apiGet } from './api.ts';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (path === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    void nonce;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    apiGet<T>(path, ctl.signal).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: Error) => {
        if (!ctl.signal.aborted) setState({ data: null, error, loading: false });
      },
    );
    return () => ctl.abort();
  }, [path, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
