import { useCallback, useState } from 'react';

export interface CursorPages {
  /** The cursor of the page shown (undefined: the first page). */
  cursor: string | undefined;
  /** 1-based number of the page shown. */
  page: number;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

/**
 * Pages of a cursor-paged list. The API only knows the way forward, so the cursors of the pages
 * already seen are kept to go back.
 */
export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback((c: string) => setStack((s) => [...s, c]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor: stack[stack.length - 1], page: stack.length, next, previous, reset };
}
