import { SchedulerRegistry } from '@nestjs/schedule';
import type { Request } from 'express';
import pino from 'pino';
import { attachPrincipal, Principal } from '@wwb/accounts';
import type { AppConfig } from '@wwb/config';
import type { HttpRequestAnswered } from '@wwb/http';
import type { AppLogger } from '@wwb/observability';
import type { Clock, IdGenerator } from '@wwb/runtime';
import type { ApiUsageRepository, UsageIncrement } from './api-usage.repository';
import { API_USAGE_FLUSH_TIMER, ApiUsageStore } from './api-usage.store';

const DAY = Date.UTC(2025, 2, 14);
const HOUR = 3_600_000;
const SEND = '/v1/connections/:id/messages';

/** Records every write; `fail` decides, per call, which indexes are reported as not applied. */
class FakeRepository {
  readonly writes: UsageIncrement[][] = [];
  fail: (batch: readonly UsageIncrement[]) => Set<number> = () => new Set();
  async add(increments: readonly UsageIncrement[]): Promise<Set<number>> {
    this.writes.push(increments.map((i) => ({ ...i, inc: { ...i.inc } })));
    return this.fail(increments);
  }
}

function request(accountId?: string, apiKeyId?: string): Request {
  const req = {} as Request;
  if (accountId && apiKeyId) attachPrincipal(req, new Principal(accountId, apiKeyId));
  return req;
}

function answered(
  req: Request,
  status: number,
  method = 'GET',
  route = '/v1/connections/:id',
): HttpRequestAnswered {
  return { req, method, route, status };
}

describe('ApiUsageStore', () => {
  let now: number;
  let repository: FakeRepository;
  let scheduler: SchedulerRegistry;
  let store: ApiUsageStore;
  const keyA = request('acc_1', 'key_a');
  const keyB = request('acc_1', 'key_b');

  beforeEach(() => {
    now = DAY + 10 * HOUR + 5_000;
    repository = new FakeRepository();
    scheduler = new SchedulerRegistry();
    store = new ApiUsageStore(
      repository as unknown as ApiUsageRepository,
      { nowMs: () => now } as Clock,
      { ulid: () => 'PROC1' } as unknown as IdGenerator,
      { analytics: { usageFlushMs: 1_000 } } as AppConfig,
      scheduler,
      { child: () => pino({ level: 'silent' }) } as unknown as AppLogger,
    );
  });
  afterEach(() => jest.useRealTimers());

  it('counts requests and errors per key in the hour field of the clock, one document per key', async () => {
    store.count(answered(keyA, 200));
    store.count(answered(keyA, 404));
    store.count(answered(keyA, 503));
    store.count(answered(keyB, 201));
    expect(repository.writes).toHaveLength(0);
    await store.flush();
    expect(repository.writes).toEqual([
      [
        {
          dayMs: DAY,
          id: 'key_a/PROC1',
          accountId: 'acc_1',
          apiKeyId: 'key_a',
          inc: { 'h10.requests': 3, 'h10.errors': 2 },
        },
        { dayMs: DAY, id: 'key_b/PROC1', accountId: 'acc_1', apiKeyId: 'key_b', inc: { 'h10.requests': 1 } },
      ],
    ]);
    expect(store.pendingDocuments).toBe(0);
    await store.flush();
    expect(repository.writes).toHaveLength(1);
  });

  it('counts a message only for a 202 answer to POST on the send route', async () => {
    store.count(answered(keyA, 202, 'POST', SEND));
    store.count(answered(keyA, 202, 'POST', SEND));
    store.count(answered(keyA, 400, 'POST', SEND));
    store.count(answered(keyA, 200, 'GET', SEND));
    store.count(answered(keyA, 202, 'POST', '/v1/connections/:id/scheduled-messages'));
    store.count(answered(keyA, 201, 'POST', SEND));
    await store.flush();
    expect(repository.writes[0]![0]!.inc).toEqual({ 'h10.requests': 6, 'h10.messages': 2, 'h10.errors': 1 });
  });

  it('does not count requests without an account API key', async () => {
    store.count(answered(request(), 200));
    store.count(answered(request(), 401));
    expect(store.pendingDocuments).toBe(0);
    await store.flush();
    expect(repository.writes).toHaveLength(0);
  });

  it('puts two hours of a day in two fields of one document, two days in two documents', async () => {
    now = DAY + 10 * HOUR + HOUR - 1;
    store.count(answered(keyA, 200));
    now = DAY + 11 * HOUR;
    store.count(answered(keyA, 500));
    now = DAY + 24 * HOUR;
    store.count(answered(keyA, 200));
    await store.flush();
    expect(repository.writes[0]).toEqual([
      expect.objectContaining({ dayMs: DAY, inc: { 'h10.requests': 1, 'h11.requests': 1, 'h11.errors': 1 } }),
      expect.objectContaining({ dayMs: DAY + 24 * HOUR, id: 'key_a/PROC1', inc: { 'h00.requests': 1 } }),
    ]);
  });

  it('keeps what a write did not apply and adds it to the next write', async () => {
    store.count(answered(keyA, 200));
    store.count(answered(keyB, 200));
    repository.fail = (batch) => new Set([batch.findIndex((i) => i.apiKeyId === 'key_a')]);
    await store.flush();
    expect(store.pendingDocuments).toBe(1);

    repository.fail = () => new Set();
    store.count(answered(keyA, 500));
    store.count(answered(keyB, 200));
    await store.flush();
    const second = repository.writes[1]!;
    expect(second.find((i) => i.apiKeyId === 'key_a')!.inc).toEqual({ 'h10.requests': 2, 'h10.errors': 1 });
    expect(second.find((i) => i.apiKeyId === 'key_b')!.inc).toEqual({ 'h10.requests': 1 });
    expect(store.pendingDocuments).toBe(0);
  });

  it('never throws when the store is away, and writes everything once it is back', async () => {
    const add = jest.spyOn(repository, 'add').mockRejectedValueOnce(new Error('store down'));
    store.count(answered(keyA, 200));
    await expect(store.flush()).resolves.toBeUndefined();
    expect(store.pendingDocuments).toBe(1);
    store.count(answered(keyA, 200));
    add.mockRestore();
    await store.flush();
    expect(repository.writes).toEqual([[expect.objectContaining({ inc: { 'h10.requests': 2 } })]]);
  });

  it('counts made during a write go to the next one; a flush waits for the write in progress', async () => {
    let release!: () => void;
    jest.spyOn(repository, 'add').mockImplementationOnce((batch) => {
      repository.writes.push([...batch]);
      return new Promise((r) => (release = () => r(new Set())));
    });
    store.count(answered(keyA, 200));
    const first = store.flush();
    store.count(answered(keyA, 200));
    store.count(answered(keyA, 200));
    const second = store.flush();
    await Promise.resolve();
    expect(repository.writes).toHaveLength(1);
    release();
    await Promise.all([first, second]);
    expect(repository.writes.map((w) => w[0]!.inc['h10.requests'])).toEqual([1, 2]);
  });

  it('flushes every usageFlushMs once bootstrapped, and before shutdown', async () => {
    jest.useFakeTimers();
    expect(scheduler.getIntervals()).toEqual([]);
    store.onApplicationBootstrap();
    expect(scheduler.doesExist('interval', API_USAGE_FLUSH_TIMER)).toBe(true);
    store.count(answered(keyA, 200));
    await jest.advanceTimersByTimeAsync(999);
    expect(repository.writes).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(repository.writes).toHaveLength(1);

    store.count(answered(keyB, 200));
    await store.beforeApplicationShutdown();
    expect(scheduler.doesExist('interval', API_USAGE_FLUSH_TIMER)).toBe(false);
    expect(repository.writes[1]).toEqual([expect.objectContaining({ apiKeyId: 'key_b' })]);
  });
});
