import type { ConnectionStatus } from '@wwb/contracts';
import type { ConnectionStateRecord } from './connection-state.schema';
import type { ConnectionRecord, DesiredState, DriverKind } from './connection.schema';

/** A connection as the API shows it: the account's settings joined with the owner's state. */
export interface ConnectionView {
  id: string;
  accountId: string;
  name: string;
  driver: DriverKind;
  desiredState: DesiredState;
  status: ConnectionStatus;
  statusReason: string | null;
  statusAt: Date;
  failures: number;
  retryAt: Date | null;
  phoneNumber: string | null;
  pushName: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  readyAt: Date | null;
  /** The QR code to scan, while the status is `qr`. */
  qr: { value: string; at: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Joins a connection with its current state. Before any gateway reported on it, a connection
 * that should run is `starting` (waiting for its gateway) and one that should not is `stopped`.
 */
export function toConnectionView(c: ConnectionRecord, state: ConnectionStateRecord | null): ConnectionView {
  const base = {
    id: c._id,
    accountId: c.accountId,
    name: c.name,
    driver: c.driver,
    desiredState: c.desiredState,
    createdAt: c.createdAt,
  };
  if (!state) {
    const running = c.desiredState === 'running';
    return {
      ...base,
      status: running ? 'starting' : 'stopped',
      statusReason: running ? 'waiting for a gateway to start it' : null,
      statusAt: c.desiredAt,
      failures: 0,
      retryAt: null,
      phoneNumber: null,
      pushName: null,
      lastError: null,
      lastErrorAt: null,
      readyAt: null,
      qr: null,
      updatedAt: c.updatedAt,
    };
  }
  return {
    ...base,
    status: state.status,
    statusReason: state.statusReason ?? null,
    statusAt: state.statusAt,
    failures: state.failures,
    retryAt: state.retryAt ?? null,
    phoneNumber: state.phoneNumber ?? null,
    pushName: state.pushName ?? null,
    lastError: state.lastError ?? null,
    lastErrorAt: state.lastErrorAt ?? null,
    readyAt: state.readyAt ?? null,
    qr: state.status === 'qr' && state.qr ? { value: state.qr, at: state.qrAt ?? state.statusAt } : null,
    updatedAt: state.updatedAt > c.updatedAt ? state.updatedAt : c.updatedAt,
  };
}
