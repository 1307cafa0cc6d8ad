import { useEffect, useState } from 'react';
import { api, call } from '../api/api.client';
import { isRunOver, parseProgress, progressOfReport, type RunProgress } from './run-report.mapper';

/** The API sends progress this often; the fallback reads the report on the same beat. */
const POLL_MS = 2_000;

/** live: the event stream; polling: the stream was refused (e.g. too_many_streams); ended: the run is over. */
export type ProgressMode = 'connecting' | 'live' | 'polling' | 'ended';

/**
 * A run's progress, every 2 s until it ends: GET .../progress (Server-Sent Events, the session
 * cookie goes with it), or the run's report read on a timer when the stream is refused.
 */
export function useRunProgress(
  campaignId: string,
  runId: string,
): { progress: RunProgress | undefined; mode: ProgressMode } {
  const [progress, setProgress] = useState<RunProgress>();
  const [mode, setMode] = useState<ProgressMode>('connecting');

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const result = await call(
        api.GET('/v1/campaigns/{id}/runs/{runId}', { params: { path: { id: campaignId, runId } } }),
      );
      if (!live) return;
      if (result.ok) {
        const p = progressOfReport(result.data);
        setProgress(p);
        if (isRunOver(p.state)) {
          setMode('ended');
          return;
        }
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    const source = new EventSource(
      `/v1/campaigns/${encodeURIComponent(campaignId)}/runs/${encodeURIComponent(runId)}/progress`,
    );
    source.addEventListener('open', () => setMode((m) => (m === 'ended' ? m : 'live')));
    source.addEventListener('progress', (e) => {
      const p = parseProgress((e as MessageEvent<string>).data);
      if (p) setProgress(p);
    });
    source.addEventListener('end', () => {
      // The API ends the stream once the run is over; closing keeps the browser from reopening it.
      source.close();
      setMode('ended');
    });
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED || !live) return;
      setMode('polling');
      void poll();
    });
    return () => {
      live = false;
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [campaignId, runId]);

  return { progress, mode };
}
