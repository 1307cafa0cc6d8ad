/**
 * Endpoint stats from hour counters, against the real FerretDB, as the worker wires them: attempts
 * go through the AttemptRecorder (as the dispatcher hands them over), the counters are read by
 * WebhookStatsService (what GET /v1/webhooks/:id/stats answers). The figures must equal what the
 * attempt log says for the same window, over 1, 24 and 720 hours, and a read must cost a bounded
 * number of small documents by `_id`, never the attempt log.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { PlatformModule } from '@wwb/platform';
import { IdGenerator } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';
import {
  AttemptRecorder,
  delayBucketOf,
  statsCollectionOf,
  WebhookAttemptRecord,
  WebhookDeliveryRepository,
  WebhooksModule,
  WebhookStatsRepository,
  WebhookStatsService,
} from '@wwb/webhooks';

jest.setTimeout(180_000);

const PARTITIONS = 3;
const HOUR = 3_600_000;
const config = testConfig({ KAFKA_EVENTS_PARTITIONS: String(PARTITIONS) });
const ids = new IdGenerator();
const E = ids.prefixed('whk');
const OTHER = ids.prefixed('whk');

let moduleRef: TestingModule;
let db: Connection;
let recorder: AttemptRecorder;
let stats: WebhookStatsService;
let statsRepository: WebhookStatsRepository;

let seed = 11;
const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
const OUTCOMES = ['delivered', 'delivered', 'delivered', 'retrying', 'failed', 'cancelled'] as const;

/** An attempt as the dispatcher records it, `hoursAgo` before now. */
function attempt(endpointId: string, hoursAgo: number): WebhookAttemptRecord {
  const deliveryId = `dlv_${ids.ulid()}_${endpointId.slice(4)}`;
  const n = random() < 0.6 ? 1 : 2 + Math.floor(random() * 3);
  const record: WebhookAttemptRecord = {
    _id: `${deliveryId}~${n}`,
    accountId: 'acc_stats',
    endpointId,
    deliveryId,
    partition: Math.floor(random() * PARTITIONS),
    n,
    at: new Date(Date.now() - hoursAgo * HOUR),
    outcome: OUTCOMES[Math.floor(random() * OUTCOMES.length)]!,
  };
  if (n === 1 && record.outcome !== 'cancelled')
    record.firstAttemptDelayMs = Math.floor(random() ** 4 * 120_000);
  return record;
}

/** What the attempt log says for a window, computed the way the stats were before counters. */
async function fromAttemptLog(endpointId: string, since: Date) {
  const rows = await db
    .collection<WebhookAttemptRecord>('webhook_attempts')
    .find({ endpointId, at: { $gte: since } })
    .toArray();
  const real = rows.filter((a) => a.outcome !== 'cancelled');
  const succeeded = real.filter((a) => a.outcome === 'delivered').length;
  const firsts = real
    .map((a) => a.firstAttemptDelayMs)
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  const pct = (q: number) =>
    firsts.length
      ? delayBucketOf(firsts[Math.min(firsts.length - 1, Math.ceil(q * firsts.length) - 1)]!)
      : null;
  return {
    since: since.toISOString(),
    attempts: real.length,
    succeededAttempts: succeeded,
    successRate: real.length ? succeeded / real.length : null,
    firstAttempts: firsts.length,
    firstAttemptP50Ms: pct(0.5),
    firstAttemptP99Ms: pct(0.99),
  };
}

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), WebhooksModule.forWorker()],
  }).compile();
  db = moduleRef.get<Connection>(getConnectionToken());
  await db.asPromise();
  recorder = moduleRef.get(AttemptRecorder);
  stats = moduleRef.get(WebhookStatsService);
  statsRepository = moduleRef.get(WebhookStatsRepository);

  // 40 days of attempts (some older than the longest window), most of them in the last day.
  const all: WebhookAttemptRecord[] = [];
  for (let i = 0; i < 1500; i++) all.push(attempt(E, random() < 0.5 ? random() * 24 : random() * 960));
  for (let i = 0; i < 200; i++) all.push(attempt(OTHER, random() * 48));
  for (let i = 0; i < all.length; i += 300) {
    for (const a of all.slice(i, i + 300)) recorder.add(a);
    await recorder.flush();
  }
  // Stored twice (a batch written again after a crash): counted once.
  for (const a of all.slice(0, 50)) recorder.add(a);
  await recorder.flush();
});

afterAll(async () => {
  await db?.dropDatabase();
  await moduleRef?.close();
});

afterEach(() => jest.restoreAllMocks());

it.each([1, 24, 720])('over %i hours, the counters say what the attempt log says', async (hours) => {
  const got = await stats.forEndpoint(E, hours);
  const since = new Date(got.since);
  expect(since.getTime() % HOUR).toBe(0);
  expect(Date.now() - since.getTime()).toBeGreaterThanOrEqual(hours * HOUR);
  expect(Date.now() - since.getTime()).toBeLessThanOrEqual((hours + 1) * HOUR + 60_000);
  const expected = await fromAttemptLog(E, since);
  expect(expected.attempts).toBeGreaterThan(0);
  expect(got).toEqual(expected);
});

it('reads one range per day of the window, at most one small document per partition, never the attempt log', async () => {
  const read = jest.spyOn(statsRepository, 'ofEndpointDay');
  const deliveries = moduleRef.get(WebhookDeliveryRepository);
  const touched: string[] = [];
  const proto = Object.getPrototypeOf(deliveries) as object;
  for (const method of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, method);
    if (method === 'constructor' || typeof d?.value !== 'function') continue;
    jest.spyOn(deliveries, method as keyof WebhookDeliveryRepository).mockImplementation((() => {
      touched.push(method);
      throw new Error(`stats read the delivery log (${method})`);
    }) as never);
  }
  const attemptsFind = jest.spyOn(db.collection('webhook_attempts'), 'find');
  await stats.forEndpoint(E, 720);
  expect(touched).toEqual([]);
  expect(attemptsFind).not.toHaveBeenCalled();
  expect(read.mock.calls.length).toBeGreaterThanOrEqual(31);
  expect(read.mock.calls.length).toBeLessThanOrEqual(32);
  let documents = 0;
  for (const result of read.mock.results) {
    const docs = (await result.value) as { _id: string }[];
    expect(docs.length).toBeLessThanOrEqual(PARTITIONS);
    for (const d of docs) {
      expect(d._id.startsWith(`${E}/`)).toBe(true);
      expect(JSON.stringify(d).length).toBeLessThan(16_384);
    }
    documents += docs.length;
  }
  expect(documents).toBeGreaterThan(PARTITIONS);
});

it("one endpoint's attempts never show in another's stats", async () => {
  const other = await stats.forEndpoint(OTHER, 720);
  expect(other).toEqual(await fromAttemptLog(OTHER, new Date(other.since)));
  expect(other.attempts).toBeLessThanOrEqual(200);
});

it('counts that could not be written are kept and written with the next batch', async () => {
  const fresh = ids.prefixed('whk');
  const add = jest.spyOn(statsRepository, 'add').mockRejectedValueOnce(new Error('store away'));
  const delivered = (hoursAgo: number): WebhookAttemptRecord => ({
    ...attempt(fresh, hoursAgo),
    outcome: 'delivered',
  });
  const first = [delivered(0.1), delivered(0.2), delivered(3)];
  for (const a of first) recorder.add(a);
  await recorder.flush();
  expect(add).toHaveBeenCalledTimes(1);
  const before = await stats.forEndpoint(fresh, 24);
  expect(before.attempts).toBe(0);
  recorder.add(delivered(0.3));
  await recorder.flush();
  const after = await stats.forEndpoint(fresh, 24);
  expect(after).toEqual(await fromAttemptLog(fresh, new Date(after.since)));
  expect(after).toMatchObject({ attempts: 4, succeededAttempts: 4, successRate: 1 });
});

it('retention drops whole days older than the longest window, and the window still adds up', async () => {
  const names = async () =>
    (await db.db!.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((n) => n.startsWith('webhook_stats_'));
  const before = await names();
  expect(before.length).toBeGreaterThan(33);
  const dropped = await statsRepository.dropDaysBefore(Date.now() - 32 * 24 * HOUR);
  const after = await names();
  expect(dropped).toBe(before.length - after.length);
  expect(after.length).toBeLessThanOrEqual(33);
  expect(after.every((n) => n >= statsCollectionOf(Date.now() - 33 * 24 * HOUR))).toBe(true);
  const got = await stats.forEndpoint(E, 720);
  expect(got).toEqual(await fromAttemptLog(E, new Date(got.since)));
});
