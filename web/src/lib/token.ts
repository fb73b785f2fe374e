// The token the user typed, for the playground, uploads and competitions: kept in this page's
// memory only, shared by the pages while the app is open, and asked for again after a reload.
// Not in localStorage: any script that ever ran on the origin could read it from there, and
// it would outlive the session it was given for.
import { useCallback, useState } from 'react';

/** The key earlier versions stored the token under; removed so no copy lingers on disk. */
const OLD_KEY = 'assetops.token';

let current = '';

try {
  window.localStorage.removeItem(OLD_KEY);
} catch {
  // Storage may be disabled; then there is nothing to remove either.
}

export function useToken(): [string, (t: string) => void] {
  const [token, set] = useState(() => current);
  const update = useCallback((t: string) => {
    current = t;
    set(t);
  }, []);
  return [token, update];
}
