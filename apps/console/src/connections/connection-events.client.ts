import { useEffect, useRef, useState } from 'react';
import type { Connection } from '../api/api.dto';
import type { StreamEvent } from './connection-status.mapper';

/** The lifecycle events the pages follow (message events are not shown in this slice). */
const FOLLOWED = [
  'connection.status',
  'connection.qr',
  'connection.ready',
  'connection.authenticated',
  'connection.disconnected',
  'connection.deleted',
] as const;

/** Wait before replacing a stream the API ended. */
const REOPEN_MS = 1_000;

/** connecting: opening; live: events arrive; offline: the stream was refused or is gone (poll instead). */
export type StreamState = 'connecting' | 'live' | 'offline';

export interface StreamHandlers {
  /** The state of the connection when the stream opened (and after each reconnection). */
  onSnapshot?: (connection: Connection) => void;
  onEvent?: (event: StreamEvent) => void;
}

/**
 * Follows a connection's Server-Sent Events (GET /v1/connections/{id}/events; the session cookie
 * goes with it, same origin). The browser reconnects a dropped stream by itself; a refused one
 * (401, 404, 429 too_many_streams) stays closed and the page falls back to polling.
 */
export function useConnectionEvents(id: string | null, handlers: StreamHandlers): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const [generation, setGeneration] = useState(0);
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!id) {
      setState('offline');
      return;
    }
    setState('connecting');
    const source = new EventSource(`/v1/connections/${encodeURIComponent(id)}/events`);
    let reopen: ReturnType<typeof setTimeout> | undefined;
    const parse = (e: Event): unknown => {
      try {
        return JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return undefined;
      }
    };
    source.addEventListener('open', () => setState('live'));
    source.addEventListener('error', () =>
      setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting'),
    );
    source.addEventListener('connection', (e) => {
      const snapshot = parse(e);
      if (snapshot && typeof snapshot === 'object') latest.current.onSnapshot?.(snapshot as Connection);
    });
    for (const type of FOLLOWED) {
      source.addEventListener(type, (e) => {
        const envelope = parse(e) as Partial<StreamEvent> | undefined;
        if (!envelope || typeof envelope.data !== 'object' || envelope.data === null) return;
        latest.current.onEvent?.({
          type,
          occurredAt:
            typeof envelope.occurredAt === 'string' ? envelope.occurredAt : new Date().toISOString(),
          data: envelope.data,
        });
      });
    }
    // The API ended the stream on purpose. Over the plan's stream limit: stop (the page polls).
    // Anything else (a check of the credentials, a restart): open a new one, whose first message
    // is the current state; a session that really ended is refused then (401) and stays closed.
    source.addEventListener('closed', (e) => {
      source.close();
      const code = (parse(e) as { code?: unknown } | undefined)?.code;
      if (code === 'too_many_streams') {
        setState('offline');
        return;
      }
      setState('connecting');
      reopen = setTimeout(() => setGeneration((g) => g + 1), REOPEN_MS);
    });
    return () => {
      clearTimeout(reopen);
      source.close();
    };
  }, [id, generation]);

  return state;
}
