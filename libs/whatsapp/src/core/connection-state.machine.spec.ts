import { CONNECTION_STATUSES } from '@wwb/contracts';
import {
  canTransition,
  ConnectionStateMachine,
  InvalidTransitionError,
  isActive,
  isTerminal,
} from './connection-state.machine';

describe('ConnectionStateMachine', () => {
  let now = 1_000;
  const machine = () => new ConnectionStateMachine(() => now);

  it('starts stopped and walks the happy path', () => {
    const m = machine();
    expect(m.state).toEqual({ status: 'stopped', since: 1_000, failures: 0 });
    for (const s of ['starting', 'qr', 'authenticated', 'ready'] as const) {
      now += 10;
      expect(m.transition(s)).toBe(true);
      expect(m.state.status).toBe(s);
      expect(m.state.since).toBe(now);
    }
  });

  it('restores without a QR: starting -> authenticated -> ready', () => {
    const m = machine();
    m.transition('starting');
    m.transition('authenticated');
    m.transition('ready');
    expect(m.state.status).toBe('ready');
  });

  it('a repeated status is a no-op, except failed and disconnected (new reason / retry time)', () => {
    const m = machine();
    m.transition('starting');
    expect(m.transition('starting')).toBe(false);
    m.transition('failed', { reason: 'a', failures: 1, retryAt: 5 });
    expect(m.transition('failed', { reason: 'b', failures: 2, retryAt: 9 })).toBe(true);
    expect(m.state).toMatchObject({ status: 'failed', reason: 'b', failures: 2, retryAt: 9 });
  });

  it('keeps reason and retryAt only for the status they were given with', () => {
    const m = machine();
    m.transition('starting');
    m.transition('failed', { reason: 'unreachable', failures: 1, retryAt: 42 });
    m.transition('starting');
    expect(m.state.reason).toBeUndefined();
    expect(m.state.retryAt).toBeUndefined();
    expect(m.state.failures).toBe(1);
  });

  it('ready resets failures', () => {
    const m = machine();
    m.transition('starting');
    m.transition('disconnected', { reason: 'crash', failures: 3 });
    m.transition('starting');
    m.transition('authenticated');
    m.transition('ready');
    expect(m.state.failures).toBe(0);
  });

  it('rejects invalid transitions', () => {
    const m = machine();
    expect(() => m.transition('ready')).toThrow(InvalidTransitionError);
    m.transition('starting');
    m.transition('qr');
    expect(() => m.transition('starting')).toThrow(/qr -> starting/);
    m.transition('logged_out');
    expect(() => m.transition('ready')).toThrow(InvalidTransitionError);
    expect(m.transition('starting')).toBe(true);
  });

  it('every status can stop, and stopped only leads to starting', () => {
    for (const s of CONNECTION_STATUSES) if (s !== 'stopped') expect(canTransition(s, 'stopped')).toBe(true);
    expect(CONNECTION_STATUSES.filter((s) => canTransition('stopped', s))).toEqual(['starting']);
  });

  it('only stopped and logged_out are terminal; starting..ready are active', () => {
    expect(CONNECTION_STATUSES.filter(isTerminal)).toEqual(['logged_out', 'stopped']);
    expect(CONNECTION_STATUSES.filter(isActive)).toEqual(['starting', 'qr', 'authenticated', 'ready']);
  });
});
