import { useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import type { ApiProblem } from '../api/api-error.mapper';
import type { ScheduleBody, SchedulePreview } from './campaign.dto';

/** Typing pauses this long before the schedule is asked about again. */
const DEBOUNCE_MS = 400;

export interface PreviewState {
  preview: SchedulePreview | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
}

/**
 * The next occurrences of the schedule being built, from the API (POST
 * /v1/campaigns/schedule-preview: the code that runs campaigns, so DST and RRULE details match).
 * Asked again after each pause in typing; an answer to an older schedule is dropped.
 */
export function useSchedulePreview(schedule: ScheduleBody | null, count = 5): PreviewState {
  const [state, setState] = useState<PreviewState>({ preview: undefined, problem: undefined, loading: true });
  const key = schedule ? JSON.stringify(schedule) : '';
  useEffect(() => {
    if (!schedule) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      void call(api.POST('/v1/campaigns/schedule-preview', { body: { schedule, count } })).then((result) => {
        if (!live) return;
        setState(
          result.ok
            ? { preview: result.data, problem: undefined, loading: false }
            : { preview: undefined, problem: result.problem, loading: false },
        );
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `schedule` is a new object on every render; `key` says when it is another schedule.
  }, [key, count]);
  return state;
}
