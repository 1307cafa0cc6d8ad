import { useSyncExternalStore } from 'react';

/** Whether the API answers: drives the banner shown over every page. */
export interface ApiHealth {
  state: 'ok' | 'down' | 'failing';
  /** Bumped by "Try again": pages reload their data when it changes. */
  attempt: number;
}

let health: ApiHealth = { state: 'ok', attempt: 0 };
const listeners = new Set<() => void>();

function set(next: ApiHealth): void {
  if (next.state === health.state && next.attempt === health.attempt) return;
  health = next;
  for (const listener of listeners) listener();
}

export const apiHealth = {
  get: (): ApiHealth => health,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** A call got an answer below 500: the API is up again. */
  answered: (): void => set({ ...health, state: 'ok' }),
  /** No answer at all (network error, API stopped). */
  unreachable: (): void => set({ ...health, state: 'down' }),
  /** The API answered 5xx. */
  failing: (): void => set({ ...health, state: 'failing' }),
  retry: (): void => set({ state: health.state, attempt: health.attempt + 1 }),
};

export function useApiHealth(): ApiHealth {
  return useSyncExternalStore(apiHealth.subscribe, apiHealth.get);
}
