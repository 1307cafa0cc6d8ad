import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../api/api.client';
import type { ApiProblem } from '../api/api-error.mapper';
import { useApiHealth } from '../api/api-health.store';

export interface ApiData<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  reload: () => void;
  /** Replaces the data after a change the page made itself (no reload needed). */
  set: (data: T) => void;
}

/**
 * Data of a page, read when the page opens, when `key` changes and after "Try again" in the API
 * banner. The last data stays on screen while a reload fails, so an outage does not blank it.
 */
export function useApiData<T>(load: () => Promise<Result<T>>, key: string): ApiData<T> {
  const { attempt } = useApiHealth();
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    void load().then((result) => {
      if (!live) return;
      setLoading(false);
      if (result.ok) {
        setData(result.data);
        setProblem(undefined);
      } else {
        setProblem(result.problem);
      }
    });
    return () => {
      live = false;
    };
    // `load` is a new closure on every render; `key` says when it reads something else.
  }, [key, attempt, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, problem, loading, reload, set: setData };
}
