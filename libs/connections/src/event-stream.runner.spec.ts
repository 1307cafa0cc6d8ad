import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { ApiKeyAuthService, Principal } from '@wwb/accounts';
import type { AppConfig } from '@wwb/config';
import type { EventEnvelope } from '@wwb/contracts';
import { AppError } from '@wwb/http';
import { AppLogger, MetricsRegistry } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import type { ConnectionEventsFeed, FeedSubscriber } from './connection-events.feed';
import { EventStreamPolicy } from './event-stream.policy';
import { EventStreamRunner } from './event-stream.runner';

class FakeResponse extends EventEmitter {
  readonly chunks: string[] = [];
  accepting = true;
  writableLength = 0;
  ended = false;
  destroyed = false;
  status = jest.fn(() => this);
  setHeader = jest.fn();
  flushHeaders = jest.fn();
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    if (!this.accepting) this.writableLength += chunk.length;
    return this.accepting;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

const KEY = 'wwb_testkey';
const principal = new Principal('acc_1', 'key_1');
const event = (n: number, size = 10): EventEnvelope =>
  ({
    id: `ev${n}`,
    type: 'message.received',
    accountId: 'acc_1',
    connectionId: 'con_1',
    data: { t: 'x'.repeat(size) },
  }) as unknown as EventEnvelope;

describe('EventStreamRunner', () => {
  let metrics: MetricsRegistry;
  let policy: EventStreamPolicy;
  let authenticate: jest.Mock;
  let subscriber: FeedSubscriber | undefined;
  let unsubscribe: jest.Mock;
  let runner: EventStreamRunner;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    metrics = new MetricsRegistry();
    policy = new EventStreamPolicy({ auth: { sseMaxStreamsPerKey: 2 } } as AppConfig, metrics);
    authenticate = jest.fn(async () => principal);
    unsubscribe = jest.fn();
    subscriber = undefined;
    const feed = {
      subscribe: jest.fn(async (s: FeedSubscriber) => {
        subscriber = s;
        return { live: true, unsubscribe };
      }),
    } as unknown as ConnectionEventsFeed;
    const logger = { pino: { info: jest.fn(), warn: jest.fn() } } as unknown as AppLogger;
    runner = new EventStreamRunner(
      feed,
      policy,
      { authenticate } as unknown as ApiKeyAuthService,
      new Clock(),
      logger,
    );
  });

  afterEach(() => jest.useRealTimers());

  const open = async () => {
    const req = Object.assign(new EventEmitter(), { headers: { authorization: `Bearer ${KEY}` } });
    const res = new FakeResponse();
    await runner.run({
      principal,
      accountId: 'acc_1',
      connectionId: 'con_1',
      req: req as unknown as Request,
      res: res as unknown as Response,
      snapshot: async () => ({ id: 'con_1', status: 'ready' }),
    });
    return { req, res };
  };

  it('streams the snapshot and events; over the cap the key gets 429 too_many_streams', async () => {
    const { res } = await open();
    expect(res.status).toHaveBeenCalledWith(200);
    subscriber!.onEvent(event(1));
    expect(res.chunks.join('')).toContain('event: connection\ndata: {"id":"con_1","status":"ready"}');
    expect(res.chunks.join('')).toContain('id: ev1\nevent: message.received\n');
    await open();
    await expect(open()).rejects.toMatchObject({ code: 'too_many_streams' });
    expect(policy.openFor('key_1')).toBe(2);
  });

  it('a client closing frees the slot and unsubscribes', async () => {
    const { req, res } = await open();
    req.emit('close');
    expect(res.ended).toBe(true);
    expect(unsubscribe).toHaveBeenCalled();
    expect(policy.openFor('key_1')).toBe(0);
  });

  it('drops a stream whose buffer passes 1 MiB at once, and counts it', async () => {
    const { res } = await open();
    res.accepting = false;
    subscriber!.onEvent(event(1, 600_000));
    expect(res.destroyed).toBe(false);
    subscriber!.onEvent(event(2, 600_000));
    expect(res.destroyed).toBe(true);
    expect(policy.openFor('key_1')).toBe(0);
    expect(unsubscribe).toHaveBeenCalled();
    subscriber!.onEvent(event(3));
    expect(res.chunks.join('')).not.toContain('ev3');
    expect(await metrics.render()).toMatch(/^wwb_sse_streams_closed_total\{reason="slow_client"\} 1$/m);
  });

  it('drops a stream that waits 10 s for drain, but not one that drains in time', async () => {
    const { res } = await open();
    res.accepting = false;
    subscriber!.onEvent(event(1));
    await jest.advanceTimersByTimeAsync(9_000);
    // Drained: the client reads again.
    res.accepting = true;
    res.writableLength = 0;
    res.emit('drain');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(res.destroyed).toBe(false);

    res.accepting = false;
    subscriber!.onEvent(event(2));
    await jest.advanceTimersByTimeAsync(9_000);
    expect(res.destroyed).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(res.destroyed).toBe(true);
    expect(policy.openFor('key_1')).toBe(0);
  });

  it('verifies the key every few seconds and ends the stream once it is revoked', async () => {
    const { res } = await open();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(authenticate).toHaveBeenCalledWith(KEY);
    expect(res.ended).toBe(false);
    // A failure to reach the key store keeps the stream.
    authenticate.mockRejectedValueOnce(new Error('mongo down'));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(res.ended).toBe(false);
    authenticate.mockRejectedValue(new AppError(401, 'invalid_api_key', 'The API key is unknown or revoked'));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(res.ended).toBe(true);
    expect(res.chunks.join('')).toContain('event: closed\ndata: {"code":"invalid_api_key"');
    expect(policy.openFor('key_1')).toBe(0);
    expect(await metrics.render()).toMatch(/^wwb_sse_streams_closed_total\{reason="key_revoked"\} 1$/m);
  });

  it('ends the stream when the account is disabled', async () => {
    const { res } = await open();
    authenticate.mockRejectedValue(new AppError(403, 'account_disabled', 'This account is disabled'));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(res.ended).toBe(true);
    expect(res.chunks.join('')).toContain('"code":"account_disabled"');
    expect(await metrics.render()).toMatch(/^wwb_sse_streams_closed_total\{reason="account_disabled"\} 1$/m);
  });
});
