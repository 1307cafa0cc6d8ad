import type { Connection, ConnectionStatus } from '../api/api.dto';

export type StatusTone = 'ok' | 'wait' | 'bad' | 'off';

const STATUS: Readonly<Record<ConnectionStatus, { text: string; tone: StatusTone }>> = {
  starting: { text: 'Starting', tone: 'wait' },
  qr: { text: 'Waiting for scan', tone: 'wait' },
  authenticated: { text: 'Linking', tone: 'wait' },
  ready: { text: 'Ready', tone: 'ok' },
  disconnected: { text: 'Reconnecting', tone: 'wait' },
  failed: { text: 'Failed', tone: 'bad' },
  logged_out: { text: 'Logged out', tone: 'off' },
  stopped: { text: 'Stopped', tone: 'off' },
};

export const statusText = (status: string): string => STATUS[status as ConnectionStatus]?.text ?? status;
export const statusTone = (status: string): StatusTone => STATUS[status as ConnectionStatus]?.tone ?? 'off';

/** An event of the connection's stream (GET /v1/connections/{id}/events), as the envelope holds it. */
export interface StreamEvent {
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The connection after one of its live events. Only lifecycle events change what the pages show;
 * message events and anything unknown leave it as it is.
 */
export function applyEvent(connection: Connection, event: StreamEvent): Connection {
  const d = event.data;
  switch (event.type) {
    case 'connection.status': {
      const status = text(d.status) as ConnectionStatus | undefined;
      if (!status || !(status in STATUS)) return connection;
      return {
        ...connection,
        status,
        statusReason: text(d.reason) ?? null,
        statusAt: event.occurredAt,
        failures: typeof d.failures === 'number' ? d.failures : connection.failures,
        retryAt: text(d.retryAt) ?? null,
        phoneNumber: text(d.phoneNumber) ?? connection.phoneNumber,
        pushName: text(d.pushName) ?? connection.pushName,
        ...(status === 'ready' ? { readyAt: event.occurredAt } : {}),
      };
    }
    case 'connection.ready':
      return {
        ...connection,
        status: 'ready',
        phoneNumber: text(d.phoneNumber) ?? connection.phoneNumber,
        pushName: text(d.pushName) ?? connection.pushName,
        readyAt: event.occurredAt,
      };
    case 'connection.disconnected':
      return {
        ...connection,
        lastError: text(d.reason) ?? connection.lastError,
        lastErrorAt: event.occurredAt,
      };
    default:
      return connection;
  }
}
