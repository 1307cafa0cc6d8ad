import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import {
  AccountQuotaService,
  ApiKeyAuthService,
  ConsoleSessionsService,
  CredentialCheckService,
  Principal,
  QuotaHold,
  quotaExceeded,
} from '@wwb/accounts';
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
  /** The console session store: what a cookie's session is now. */
  let lookup: jest.Mock;
  let subscriber: FeedSubscriber | undefined;
  let unsubscribe: jest.Mock;
  let runner: EventStreamRunner;
  /** The account's stream slots (over every API process): a fake of AccountQuotaService with limit 3. */
  let accountSlots: Set<string>;
  let renewals: jest.Mock;

  beforeEach(() => {
    accountSlots = new Set();
    renewals = jest.fn(async (hold: QuotaHold) => accountSlots.has(hold.slotId));
    const quotas = {
      acquire: jest.fn(async (_scope: unknown, _r: string, holderId: string) => {
        if (accountSlots.size >= 3) throw quotaExceeded('sseStreams', 'starter', 3);
        accountSlots.add(holderId);
        return { slotId: holderId, holderId };
      }),
      release: jest.fn(async (_scope: unknown, hold: QuotaHold) => void accountSlots.delete(hold.slotId)),
      renew: renewals,
    } as unknown as AccountQuotaService;
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    metrics = new MetricsRegistry();
    policy = new EventStreamPolicy({ auth: { sseMaxStreamsPerKey: 2 } } as AppConfig, metrics);
    authenticate = jest.fn(async () => principal);
    lookup = jest.fn(async () => ({ status: 'active' }));
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
      new CredentialCheckService(
        { authenticate } as unknown as ApiKeyAuthService,
        { lookup } as unknown as ConsoleSessionsService,
      ),
      quotas,
      new Clock(),
      logger,
    );
  });

  afterEach(() => jest.useRealTimers());

  const open = async (
    who: Principal = principal,
    headers: Record<string, string> = { authorization: `Bearer ${KEY}` },
  ) => {
    const req = Object.assign(new EventEmitter(), { headers });
    const res = new FakeResponse();
    await runner.run({
      principal: who,
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

  it('checks the console session of a stream opened with the cookie, and ends it with the session', async () => {
    const { res } = await open(principal, { cookie: `wwb_session=${'s'.repeat(43)}` });
    await jest.advanceTimersByTimeAsync(3_000);
    expect(lookup).toHaveBeenCalledWith('s'.repeat(43));
    expect(authenticate).not.toHaveBeenCalled();
    expect(res.ended).toBe(false);
    lookup.mockResolvedValue({ status: 'none' });
    await jest.advanceTimersByTimeAsync(3_000);
    expect(res.ended).toBe(true);
    expect(res.chunks.join('')).toContain('"code":"not_signed_in"');
  });

  it('ends the stream when the account is disabled', async () => {
    const { res } = await open();
    authenticate.mockRejectedValue(new AppError(403, 'account_disabled', 'This account is disabled'));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(res.ended).toBe(true);
    expect(res.chunks.join('')).toContain('"code":"account_disabled"');
    expect(await metrics.render()).toMatch(/^wwb_sse_streams_closed_total\{reason="account_disabled"\} 1$/m);
  });

  it("holds one of the account's stream slots (over all API processes) per stream; at its limit 429, and the key slot is given back", async () => {
    const { req } = await open();
    await open(new Principal('acc_1', 'key_2'));
    await open(new Principal('acc_1', 'key_3'));
    expect(accountSlots.size).toBe(3);
    await expect(open(new Principal('acc_1', 'key_4'))).rejects.toMatchObject({
      code: 'too_many_streams',
      details: { resource: 'sseStreams', limit: 3 },
    });
    expect(policy.openFor('key_4')).toBe(0);
    req.emit('close');
    await jest.advanceTimersByTimeAsync(0);
    expect(accountSlots.size).toBe(2);
    await open(new Principal('acc_1', 'key_4'));
  });

  it('renews its registration; one that lapsed is registered again, or the stream is closed when the account has no room', async () => {
    const { res } = await open();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(renewals).toHaveBeenCalledTimes(1);
    expect(res.ended).toBe(false);
    // Lapsed and reaped, and meanwhile other streams took every slot of the account.
    accountSlots.clear();
    for (const id of ['a', 'b', 'c']) accountSlots.add(id);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(res.ended).toBe(true);
    expect(res.chunks.join('')).toContain('event: closed\ndata: {"code":"too_many_streams"');
  });
});
