/**
 * API usage per key against the real FerretDB: two API "processes" (two Nest contexts, each with
 * its own connection, store and process id, on one database) count requests through the
 * HTTP_REQUEST_ANSWERED event while their timers and explicit flushes write concurrently into the
 * same day tables. FerretDB's `$inc` is read-modify-write, so this only adds up because each
 * document has one writer: usageByKey must return exactly what was counted.
 */
import { EventEmitter2 } from '@nestjs/event-emitter';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import type { Request } from 'express';
import { Connection } from 'mongoose';
import { attachPrincipal, Principal } from '@wwb/accounts';
import { ApiUsageRepository, ApiUsageService, ApiUsageStore, HourUsage } from '@wwb/analytics';
import { HTTP_REQUEST_ANSWERED, HttpRequestAnswered } from '@wwb/http';
import { DayTableStore } from '@wwb/infrastructure';
import { PlatformModule } from '@wwb/platform';
import { Clock } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
/** 22:00 UTC: the counting crosses midnight, so two day tables are written. */
const START = Date.UTC(2026, 4, 10, 22);
const SEND = '/v1/connections/:id/messages';
// A short interval, so that timer flushes run in the middle of the explicit ones.
const config = testConfig({ API_USAGE_FLUSH_MS: '100' });

class ManualClock extends Clock {
  ms = START;
  override now(): Date {
    return new Date(this.ms);
  }
  override nowMs(): number {
    return this.ms;
  }
}

interface Process {
  moduleRef: TestingModule;
  events: EventEmitter2;
  store: ApiUsageStore;
}

const clock = new ManualClock();
const processes: Process[] = [];

async function startProcess(): Promise<Process> {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config)],
    providers: [DayTableStore, ApiUsageRepository, ApiUsageStore, ApiUsageService],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  await moduleRef.init();
  return { moduleRef, events: moduleRef.get(EventEmitter2), store: moduleRef.get(ApiUsageStore) };
}

function requestOf(accountId: string, apiKeyId: string): Request {
  const req = {} as Request;
  attachPrincipal(req, new Principal(accountId, apiKeyId));
  return req;
}

const KEYS = [
  { accountId: 'acc_usage', apiKeyId: 'key_one' },
  { accountId: 'acc_usage', apiKeyId: 'key_two' },
  { accountId: 'acc_elsewhere', apiKeyId: 'key_three' },
];

beforeAll(async () => {
  processes.push(await startProcess(), await startProcess());
});

afterAll(async () => {
  await processes[0]?.moduleRef.get<Connection>(getConnectionToken()).dropDatabase();
  for (const p of processes) await p.moduleRef.close();
});

it('two processes counting the same keys at once add up exactly', async () => {
  const [a, b] = processes as [Process, Process];
  expect(a.store.processId).not.toBe(b.store.processId);
  const expected = new Map<string, Map<number, HourUsage>>();
  const expect1 = (apiKeyId: string, status: number, message: boolean): void => {
    const startMs = Math.floor(clock.ms / HOUR) * HOUR;
    const hours = expected.get(apiKeyId) ?? new Map<number, HourUsage>();
    expected.set(apiKeyId, hours);
    const h = hours.get(startMs) ?? { startMs, requests: 0, messages: 0, errors: 0 };
    hours.set(startMs, h);
    h.requests += 1;
    if (status >= 400) h.errors += 1;
    if (message) h.messages += 1;
  };

  let seed = 5;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const requests = KEYS.map((k) => requestOf(k.accountId, k.apiKeyId));
  const anonymous = {} as Request;
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 40; i++) {
      for (const p of [a, b]) {
        const k = Math.floor(random() * KEYS.length);
        const send = random() < 0.5;
        const status = send ? (random() < 0.8 ? 202 : 400) : random() < 0.9 ? 200 : 404;
        const answered: HttpRequestAnswered = {
          req: requests[k]!,
          method: send ? 'POST' : 'GET',
          route: SEND,
          status,
        };
        p.events.emit(HTTP_REQUEST_ANSWERED, answered);
        expect1(KEYS[k]!.apiKeyId, status, status === 202);
        p.events.emit(HTTP_REQUEST_ANSWERED, { ...answered, req: anonymous });
      }
    }
    // Five minutes a round: 30 rounds count from 22:00 to 00:25, three hours over two days.
    clock.ms += 5 * 60_000;
    await Promise.all([a.store.flush(), b.store.flush()]);
  }
  await Promise.all([a.store.flush(), b.store.flush()]);
  expect(a.store.pendingDocuments + b.store.pendingDocuments).toBe(0);

  const usage = a.moduleRef.get(ApiUsageService);
  const got = await usage.usageByKey('acc_usage', START, clock.ms + HOUR);
  const want = new Map(
    ['key_one', 'key_two'].map((id) => [
      id,
      [...expected.get(id)!.values()].sort((x, y) => x.startMs - y.startMs),
    ]),
  );
  expect(got).toEqual(want);
  expect(got.get('key_one')!.length).toBeGreaterThanOrEqual(3);
  const elsewhere = await usage.usageByKey('acc_elsewhere', START, clock.ms + HOUR);
  expect([...elsewhere.keys()]).toEqual(['key_three']);
  expect(elsewhere.get('key_three')).toEqual([...expected.get('key_three')!.values()]);

  // One document per key and process in each day table.
  const repository = a.moduleRef.get(ApiUsageRepository);
  for (const day of [START, START + 24 * HOUR]) {
    const docs = await repository.ofAccountDay('acc_usage', day);
    expect(docs.map((d) => d._id).sort()).toEqual(
      ['key_one', 'key_two']
        .flatMap((k) => [`${k}/${a.store.processId}`, `${k}/${b.store.processId}`])
        .sort(),
    );
  }
});

it('a stopped process writes its last counts before it closes', async () => {
  const c = await startProcess();
  c.events.emit(HTTP_REQUEST_ANSWERED, {
    req: requestOf('acc_late', 'key_late'),
    method: 'GET',
    route: SEND,
    status: 200,
  });
  await c.moduleRef.close();
  const got = await processes[0]!.moduleRef
    .get(ApiUsageService)
    .usageByKey('acc_late', START, clock.ms + HOUR);
  expect(got.get('key_late')).toEqual([
    { startMs: Math.floor(clock.ms / HOUR) * HOUR, requests: 1, messages: 0, errors: 0 },
  ]);
});
