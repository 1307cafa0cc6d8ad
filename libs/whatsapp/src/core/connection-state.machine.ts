import type { ConnectionStatus } from '@wwb/contracts';

/**
 * Status of one WhatsApp connection (one driver instance): the contracts' CONNECTION_STATUSES.
 *
 *   stopped -> starting -> qr -> authenticated -> ready
 *                 |  \____________________________/ |
 *                 v                                 v
 *        failed (reason, retries)      disconnected (reason, restarts)
 *
 * `logged_out` and `stopped` are terminal: nothing restarts by itself from there; `start()` does.
 */
export type DriverStatus = ConnectionStatus;

export interface DriverState {
  status: DriverStatus;
  /** Why the connection is disconnected, failed, logged out or stopped. */
  reason?: string;
  /** When this status was entered (ms since the epoch). */
  since: number;
  /** Consecutive failed attempts since the last `ready` (0 when healthy). */
  failures: number;
  /** When the next automatic attempt starts (disconnected/failed with a retry scheduled). */
  retryAt?: number;
}

const TRANSITIONS: Record<DriverStatus, readonly DriverStatus[]> = {
  stopped: ['starting'],
  starting: ['qr', 'authenticated', 'ready', 'failed', 'disconnected', 'logged_out', 'stopped'],
  qr: ['authenticated', 'failed', 'disconnected', 'logged_out', 'stopped'],
  authenticated: ['ready', 'failed', 'disconnected', 'logged_out', 'stopped'],
  ready: ['disconnected', 'failed', 'logged_out', 'stopped'],
  disconnected: ['starting', 'failed', 'logged_out', 'stopped'],
  failed: ['starting', 'failed', 'logged_out', 'stopped'],
  logged_out: ['starting', 'stopped'],
};

export function canTransition(from: DriverStatus, to: DriverStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Terminal statuses: no automatic restart happens from them. */
export function isTerminal(status: DriverStatus): boolean {
  return status === 'stopped' || status === 'logged_out';
}

/** Statuses in which the driver owns a live session (browser or simulated). */
export function isActive(status: DriverStatus): boolean {
  return status === 'starting' || status === 'qr' || status === 'authenticated' || status === 'ready';
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: DriverStatus,
    readonly to: DriverStatus,
  ) {
    super(`invalid connection status transition ${from} -> ${to}`);
  }
}

/**
 * Holds the current state and applies transitions. A transition to the same status is a no-op
 * (returns false) except for `failed`, whose reason and retry time change between attempts.
 */
export class ConnectionStateMachine {
  private current: DriverState;

  constructor(private readonly now: () => number = Date.now) {
    this.current = { status: 'stopped', since: this.now(), failures: 0 };
  }

  get state(): DriverState {
    return { ...this.current };
  }

  /** Applies the transition; returns true when the state changed. Throws on an invalid one. */
  transition(
    to: DriverStatus,
    details: { reason?: string; failures?: number; retryAt?: number } = {},
  ): boolean {
    const from = this.current.status;
    if (from === to && to !== 'failed' && to !== 'disconnected') return false;
    if (from !== to && !canTransition(from, to)) throw new InvalidTransitionError(from, to);
    this.current = {
      status: to,
      since: this.now(),
      failures: details.failures ?? (to === 'ready' ? 0 : this.current.failures),
      ...(details.reason !== undefined ? { reason: details.reason } : {}),
      ...(details.retryAt !== undefined ? { retryAt: details.retryAt } : {}),
    };
    return true;
  }
}
