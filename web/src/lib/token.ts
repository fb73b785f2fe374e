// The submit token the user typed, kept in this browser for the playground and uploads.
import { useCallback, useState } from 'react';

const KEY = 'assetops.token';

export function useToken(): [string, (t: string) => void] {
  const [token, set] = useState(() => {
    try {
      return window.localStorage.getItem(KEY) ?? '';
    } catch {
      return '';
    }
  });
  const update = useCallback((t: string) => {
    set(t);
    try {
      window.localStorage.setItem(KEY, t);
    } catch {
      // Storage may be disabled; the token then lasts for this page only.
    }
  }, []);
  return [token, update];
}
