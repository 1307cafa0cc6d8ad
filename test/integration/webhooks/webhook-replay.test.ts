/**
 * Replays against the real FerretDB, as the worker wires them (WebhooksModule.forWorker), with
 * the dispatcher, the endpoint directory and the partition leases replaced by fakes (this file
 * is about the jobs runner, not about sending). Three things the runner must do:
 *  - fairness: one account's 28-day replay and another account's small one, queued in that
 *    order, progress round-robin (one page each per round), so the small one is done first;
 *  - bounded memory: no call to the stores, and no hand-over to the dispatcher, carries more
 *    than one page (REPLAY_PAGE) of events or deliveries, whatever the window;
 *  - a replay interrupted (worker stopped, partition moved) goes on from its saved position.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import type { EventEnvelope } from '@wwb/contracts';
import { EventLogRepository } from '@wwb/event-log';
import { PlatformModule } from '@wwb/platform';
import { IdGenerator } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';
import {
  deliveryIdOf,
  DeliveryDispatcher,
  EndpointDirectory,
  orderKeyOf,
  PartitionLeases,
  partitionOfKey,
  REPLAY_PAGE,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
  webhookIdOf,
  WebhookJobRecord,
  WebhookJobRepository,
  WebhookJobsRunner,
  WebhooksModule,
} from '@wwb/webhooks';

jest.setTimeout(300_000);

const PARTITIONS = 3;
const DAY = 86_400_000;
const config = testConfig({ KAFKA_EVENTS_PARTITIONS: String(PARTITIONS), WEBHOOK_JOB_POLL_MS: '500' });
const ids = new IdGenerator();
/** Event ids are ULIDs of their time (the generator is monotonic: events are made in time order). */
const eventIds = new IdGenerator();
const A = { accountId: 'acc_replay_a', endpointId: ids.prefixed('whk') };
const B = { accountId: 'acc_replay_b', endpointId: ids.prefixed('whk') };
/** Account A's log: more than two pages over 27 days; every other event was delivered before. */
const A_EVENTS = 2 * REPLAY_PAGE + 500;

let moduleRef: TestingModule;
let db: Connection;
let runner: WebhookJobsRunner;
let jobs: WebhookJobRepository;
let eventLog: EventLogRepository;
let deliveries: WebhookDeliveryRepository;

/** The partitions this worker holds: what the fake dispatcher and leases answer. */
const held = new Set<number>([0, 1, 2]);
const accepted: WebhookDeliveryRecord[][] = [];
const dispatcher = {
  activePartitions: () => [...held],
  accept: (records: WebhookDeliveryRecord[]) => void accepted.push(records),
};
const leases = { holds: (p: number) => held.has(p) };
const directory = {
  get: (id: string) =>
    [A, B].some((x) => x.endpointId === id)
      ? {
          record: { _id: id, events: ['message.*'], connectionIds: [], ordering: 'chat' },
          disabled: null,
          keys: [],
          headers: {},
          createdAtMs: 0,
        }
      : undefined,
  load: async () => undefined,
};

function envelope(accountId: string, atMs: number, i: number): EventEnvelope {
  return {
    id: eventIds.ulid(atMs),
    type: i % 10 === 9 ? 'account.other' : 'message.received',
    version: 1,
    occurredAt: new Date(atMs).toISOString(),
    accountId,
    chatId: `chat_${i % 40}@c.us`,
    data: { i },
  };
}

/** An original delivery as the fan-out stores it (its body carries the Kafka offset as sequence). */
function original(e: EventEnvelope, endpointId: string, sequence: number): WebhookDeliveryRecord {
  const orderKey = orderKeyOf(e);
  return {
    _id: deliveryIdOf(e.id, endpointId),
    accountId: e.accountId,
    endpointId,
    eventId: e.id,
    eventType: e.type,
    webhookId: webhookIdOf(e.id, endpointId),
    partition: partitionOfKey(orderKey, PARTITIONS),
    order: ids.ulid(),
    orderKey,
    sequence,
    chatId: e.chatId,
    occurredAt: new Date(e.occurredAt),
    createdAt: new Date(e.occurredAt),
    body: JSON.stringify({ ...e, sequence }),
  };
}

async function queueReplay(who: { accountId: string; endpointId: string }, sinceMs: number): Promise<string> {
  const job: WebhookJobRecord = {
    _id: ids.prefixed('job'),
    accountId: who.accountId,
    endpointId: who.endpointId,
    kind: 'replay',
    since: new Date(sinceMs),
    until: new Date(),
    createdAt: new Date(),
  };
  await jobs.insert(job);
  return job._id;
}

async function finished(jobId: string): Promise<boolean> {
  const job = await db.collection('webhook_jobs').findOne({ _id: jobId as never });
  return !!job?.finishedAt;
}

async function tickUntil(done: () => Promise<boolean>, r: WebhookJobsRunner = runner): Promise<void> {
  for (let i = 0; i < 200 && !(await done()); i++) await r.tick();
  expect(await done()).toBe(true);
}

/** Records the size of everything a store call returns or is given (arrays, maps, sets). */
function sizeOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (v && typeof v === 'object' && Array.isArray((v as { events?: unknown }).events))
    return (v as { events: unknown[] }).events.length;
  return 0;
}

function watchSizes(target: object, into: { method: string; size: number }[]): void {
  const proto = Object.getPrototypeOf(target) as Record<string, unknown>;
  for (const method of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, method);
    if (method === 'constructor' || typeof d?.value !== 'function') continue;
    jest.spyOn(target as Record<string, () => unknown>, method).mockImplementation(async function (
      this: unknown,
      ...args: unknown[]
    ) {
      for (const a of args) into.push({ method: `${method}(arg)`, size: sizeOf(a) });
      const out = await (proto[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      into.push({ method, size: sizeOf(out) });
      return out;
    });
  }
}

const aEvents: EventEnvelope[] = [];

/** A worker's webhooks part, compiled but not started (no consumer, no timers: ticks by hand). */
function workerModule(): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), WebhooksModule.forWorker()],
  })
    .overrideProvider(DeliveryDispatcher)
    .useValue(dispatcher)
    .overrideProvider(PartitionLeases)
    .useValue(leases)
    .overrideProvider(EndpointDirectory)
    .useValue(directory)
    .compile();
}

beforeAll(async () => {
  moduleRef = await workerModule();
  db = moduleRef.get<Connection>(getConnectionToken());
  await db.asPromise();
  runner = moduleRef.get(WebhookJobsRunner);
  jobs = moduleRef.get(WebhookJobRepository);
  eventLog = moduleRef.get(EventLogRepository);
  deliveries = moduleRef.get(WebhookDeliveryRepository);

  const start = Date.now() - 27 * DAY;
  for (let i = 0; i < A_EVENTS; i++)
    aEvents.push(envelope(A.accountId, start + Math.floor((i * 27 * DAY) / A_EVENTS), i));
  for (let i = 0; i < aEvents.length; i += 500) await eventLog.append(aEvents.slice(i, i + 500));
  const originals = aEvents.filter((_, i) => i % 2 === 0).map((e, i) => original(e, A.endpointId, 1_000 + i));
  for (let i = 0; i < originals.length; i += 500)
    await deliveries.insertDeliveries(originals.slice(i, i + 500));
  await eventLog.append([0, 1, 2].map((i) => envelope(B.accountId, Date.now() - 60_000 + i, i)));
});

afterAll(async () => {
  await db?.dropDatabase();
  await moduleRef?.close();
});

beforeEach(() => {
  accepted.length = 0;
  held.clear();
  for (let p = 0; p < PARTITIONS; p++) held.add(p);
});

afterEach(() => jest.restoreAllMocks());

const matching = () => aEvents.filter((e) => e.type.startsWith('message.'));

it("a small replay of account B is done while account A's 28-day replay queued before it is still running", async () => {
  const order: string[] = [];
  const markDone = jobs.markDone.bind(jobs);
  jest.spyOn(jobs, 'markDone').mockImplementation(async (jobId, partition, n, at) => {
    order.push(jobId);
    return markDone(jobId, partition, n, at);
  });
  const jobA = await queueReplay(A, Date.now() - 28 * DAY + 60_000);
  const jobB = await queueReplay(B, Date.now() - 2 * 3_600_000);
  await tickUntil(async () => (await finished(jobA)) && (await finished(jobB)));

  // Each job marks its three partitions done; B's before any of A's (A needs three pages, B one).
  expect(order.filter((id) => id === jobB)).toHaveLength(PARTITIONS);
  expect(order.filter((id) => id === jobA)).toHaveLength(PARTITIONS);
  expect(order.lastIndexOf(jobB)).toBeLessThan(order.indexOf(jobA));
  const progress = await jobs.progressOf([jobA, jobB]);
  const total = (jobId: string) =>
    progress.filter((p) => p.jobId === jobId).reduce((n, p) => n + p.deliveries, 0);
  expect(total(jobB)).toBe(3);
  expect(total(jobA)).toBe(matching().length);
});

it('a 28-day replay never holds more than one page: every store call and hand-over is at most REPLAY_PAGE', async () => {
  const sizes: { method: string; size: number }[] = [];
  watchSizes(eventLog, sizes);
  watchSizes(deliveries, sizes);
  const jobId = await queueReplay(A, Date.now() - 28 * DAY + 60_000);
  await tickUntil(() => finished(jobId));

  const listed = sizes.filter((s) => s.method === 'list');
  expect(listed.length).toBeGreaterThanOrEqual(Math.ceil(A_EVENTS / REPLAY_PAGE));
  const largest = Math.max(...sizes.map((s) => s.size));
  expect(sizes.filter((s) => s.size > REPLAY_PAGE)).toEqual([]);
  expect(largest).toBeGreaterThan(0);
  expect(Math.max(...accepted.map((batch) => batch.length))).toBeLessThanOrEqual(REPLAY_PAGE);

  // And it replayed the window: every matching event once, with the original's bytes if any.
  const replayed = await db
    .collection<WebhookDeliveryRecord>('webhook_deliveries')
    .find({ jobId }, { projection: { eventId: 1, body: 1, partition: 1 } })
    .toArray();
  expect(replayed).toHaveLength(matching().length);
  const byEvent = new Map(replayed.map((d) => [d.eventId, d]));
  matching().forEach((e) => {
    const d = byEvent.get(e.id)!;
    expect(d.partition).toBe(partitionOfKey(orderKeyOf(e), PARTITIONS));
    const i = aEvents.indexOf(e);
    if (i % 2 === 0) expect(JSON.parse(d.body).sequence).toBe(1_000 + i / 2);
    else expect(d.body).toBe(JSON.stringify(e));
  });
});

it('a replay interrupted after a page goes on from its saved position on the next worker', async () => {
  const jobId = await queueReplay(A, Date.now() - 28 * DAY + 60_000);
  const firstRunner = runner;
  let pages = 0;
  const list = eventLog.list.bind(eventLog);
  const afters: (string | undefined)[] = [];
  jest.spyOn(eventLog, 'list').mockImplementation(async (scope, query) => {
    afters.push(query.after);
    // The worker stops while its second page is read (shutdown, or its partitions moved).
    if (++pages === 2) firstRunner.beforeApplicationShutdown();
    return list(scope, query);
  });
  // A poll runs rounds for about WEBHOOK_JOB_POLL_MS: poll until the second page was read.
  for (let i = 0; i < 20 && pages < 2; i++) await firstRunner.tick();
  expect(pages).toBe(2);
  expect(await finished(jobId)).toBe(false);
  const saved = await db.collection('webhook_replay_cursors').find({ jobId }).toArray();
  expect(saved).toHaveLength(PARTITIONS);
  const position = saved[0]!.after as string;
  expect(saved.every((c) => c.after === position)).toBe(true);
  expect(position).toBe(aEvents[2 * REPLAY_PAGE - 1]!.id);

  // Another worker goes on from there, not from `since`.
  const nextWorker = await workerModule();
  try {
    const nextLog = nextWorker.get(EventLogRepository);
    const nextList = nextLog.list.bind(nextLog);
    afters.length = 0;
    jest.spyOn(nextLog, 'list').mockImplementation(async (scope, query) => {
      afters.push(query.after);
      return nextList(scope, query);
    });
    await tickUntil(() => finished(jobId), nextWorker.get(WebhookJobsRunner));
  } finally {
    await nextWorker.close();
  }
  expect(afters[0]).toBe(position);
  const count = await db.collection('webhook_deliveries').countDocuments({ jobId });
  expect(count).toBe(matching().length);
  const progress = await jobs.progressOf([jobId]);
  expect(progress.reduce((n, p) => n + p.deliveries, 0)).toBe(matching().length);
});
