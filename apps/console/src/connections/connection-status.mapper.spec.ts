import type { Connection } from '../api/api.dto';
import { applyEvent, statusText, statusTone } from './connection-status.mapper';

const base: Connection = {
  id: 'con_1',
  name: 'Support',
  driver: 'simulator',
  status: 'qr',
  statusReason: null,
  statusAt: '2025-01-01T10:00:00.000Z',
  desiredState: 'running',
  phoneNumber: null,
  pushName: null,
  lastError: null,
  lastErrorAt: null,
  failures: 0,
  retryAt: null,
  readyAt: null,
  createdAt: '2025-01-01T09:00:00.000Z',
  updatedAt: '2025-01-01T10:00:00.000Z',
};

describe('applyEvent', () => {
  it('takes the status, its reason and the linked phone from connection.status', () => {
    const next = applyEvent(base, {
      type: 'connection.status',
      occurredAt: '2025-01-01T10:01:00.000Z',
      data: { status: 'ready', previousStatus: 'authenticated', failures: 0, phoneNumber: '15551234567' },
    });
    expect(next).toMatchObject({
      status: 'ready',
      statusAt: '2025-01-01T10:01:00.000Z',
      readyAt: '2025-01-01T10:01:00.000Z',
      phoneNumber: '15551234567',
      statusReason: null,
    });
    expect(base.status).toBe('qr');
  });

  it('keeps the failures and the retry time of a failed attempt', () => {
    const next = applyEvent(base, {
      type: 'connection.status',
      occurredAt: '2025-01-01T10:02:00.000Z',
      data: { status: 'failed', reason: 'browser crashed', failures: 2, retryAt: '2025-01-01T10:03:00.000Z' },
    });
    expect(next).toMatchObject({
      status: 'failed',
      statusReason: 'browser crashed',
      failures: 2,
      retryAt: '2025-01-01T10:03:00.000Z',
    });
  });

  it('marks ready with the phone from connection.ready', () => {
    const next = applyEvent(base, {
      type: 'connection.ready',
      occurredAt: '2025-01-01T10:05:00.000Z',
      data: { phoneNumber: '15550000000', pushName: 'Acme', chatId: '15550000000@c.us' },
    });
    expect(next).toMatchObject({ status: 'ready', phoneNumber: '15550000000', pushName: 'Acme' });
  });

  it('ignores unknown statuses and other events', () => {
    expect(applyEvent(base, { type: 'connection.status', occurredAt: 'x', data: { status: 'weird' } })).toBe(
      base,
    );
    expect(applyEvent(base, { type: 'message.received', occurredAt: 'x', data: {} })).toBe(base);
  });
});

describe('statusText and statusTone', () => {
  it('describes each status for people', () => {
    expect(statusText('qr')).toBe('Waiting for scan');
    expect(statusTone('ready')).toBe('ok');
    expect(statusTone('failed')).toBe('bad');
    expect(statusText('unknown_status')).toBe('unknown_status');
  });
});
