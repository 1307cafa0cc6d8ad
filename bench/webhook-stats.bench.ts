/**
 * Webhook stats and replay benchmark, against the local FerretDB:
 *
 *   npm run bench:webhook-stats
 *
 * In this process, the worker's webhooks part (WebhooksModule.forWorker, not started: the
 * dispatcher, leases and endpoint directory are stand-ins, nothing is sent):
 *  1. stats: BENCH_ATTEMPTS (50,000) attempts of one endpoint over 720 hours, recorded through
 *     the AttemptRecorder in time order (as a worker would); then GET .../stats?hours=720 as the
 *     API computes it (hour counters), BENCH_READS (20) times: p50 / p99 / max. Same-run baseline:
 *     the former computation (every attempt of the window read from webhook_attempts, sorted).
 *  2. replay: BENCH_EVENTS (20,000) events of one account over 28 days in the event log, every
 *     other one with its original delivery; one 28-day replay run by WebhookJobsRunner polls until
 *     done: duration, events/s, and the process's peak RSS and heap above the level before the
 *     replay (sampled every 20 ms). The replay holds one page (REPLAY_PAGE events) at a time, so
 *     the peak should not grow with BENCH_EVENTS. Same-run baseline: the heap the former replay
 *     needed before its first page (every original delivery of the window, loaded at once).
 * Results are printed and written to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { loadConfig } from '@wwb/config';
import type { EventEnvelope } from '@wwb/contracts';
import { EventLogRepository } from '@wwb/event-log';
import { PlatformModule } from '@wwb/platform';
import { IdGenerator } from '@wwb/runtime';
import { testEnv } from '@wwb/testing';
import {
  AttemptRecorder,
  delayBucketOf,
  deliveryIdOf,
  DeliveryDispatcher,
  EndpointDirectory,
  orderKeyOf,
  PartitionLeases,
  partitionOfKey,
  REPLAY_PAGE,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
  webhookIdOf,
  WebhookJobRepository,
  WebhookJobsRunner,
  WebhooksModule,
  WebhookStatsService,
} from '@wwb/webhooks';

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 50_000);
const READS = Number(process.env.BENCH_READS ?? 20);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ids = new IdGenerator();
const eventIds = new IdGenerator();
const ACCOUNT = 'acc_bench_stats';
const ENDPOINT = ids.prefixed('whk');

const endpointStub = {
  record: { _id: ENDPOINT, accountId: ACCOUNT, events: ['*'], connectionIds: [], ordering: 'chat' },
  disabled: null,
  keys: [],
  headers: {},
  createdAtMs: 0,
};
let accepted = 0;
const stand = {
  dispatcher: {
    activePartitions: () => Array.from({ length: PARTITIONS }, (_, p) => p),
    accept: (records: WebhookDeliveryRecord[]) => void (accepted += records.length),
  },
  leases: { holds: () => true },
  directory: {
    get: (id: string) => (id === ENDPOINT ? endpointStub : undefined),
    load: async () => undefined,
  },
};

const pct = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
const round = (v: number): number => Math.round(v * 10) / 10;

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  return { p50: round(pct(s, 0.5)), p99: round(pct(s, 0.99)), max: round(s[s.length - 1]!) };
}

async function statsScenario(m: TestingModule, db: Connection) {
  const recorder = m.get(AttemptRecorder);
  const stats = m.get(WebhookStatsService);
  const start = Date.now() - 720 * HOUR;
  const t0 = Date.now();
  for (let i = 0; i < ATTEMPTS; i++) {
    const deliveryId = deliveryIdOf(ids.ulid(), ENDPOINT);
    const first = i % 3 !== 2;
    const a: WebhookAttemptRecord = {
      _id: `${deliveryId}~${first ? 1 : 2}`,
      accountId: ACCOUNT,
      endpointId: ENDPOINT,
      deliveryId,
      partition: i % PARTITIONS,
      n: first ? 1 : 2,
      at: new Date(start + Math.floor((i * 720 * HOUR) / ATTEMPTS)),
      outcome: i % 7 === 0 ? 'retrying' : 'delivered',
      statusCode: i % 7 === 0 ? 500 : 200,
      latencyMs: 3,
    };
    if (first) a.firstAttemptDelayMs = 5 + ((i * 7919) % 2000);
    recorder.add(a);
    if (i % 1000 === 999) await recorder.flush();
  }
  await recorder.flush();
  const recordMs = Date.now() - t0;

  const counters: number[] = [];
  let last: unknown;
  for (let i = 0; i < READS; i++)
    counters.push(await timed(async () => (last = await stats.forEndpoint(ENDPOINT, 720))));
  // Baseline: what the endpoint computed before the counters (every attempt of the window).
  const baseline: number[] = [];
  for (let i = 0; i < Math.min(READS, 5); i++) {
    baseline.push(
      await timed(async () => {
        const rows = await db
          .collection<WebhookAttemptRecord>('webhook_attempts')
          .find(
            { endpointId: ENDPOINT, accountId: ACCOUNT, at: { $gte: new Date(Date.now() - 720 * HOUR) } },
            { projection: { outcome: 1, n: 1, statusCode: 1, firstAttemptDelayMs: 1, at: 1, deliveryId: 1 } },
          )
          .toArray();
        const firsts = rows
          .filter((r) => r.outcome !== 'cancelled')
          .map((r) => r.firstAttemptDelayMs)
          .filter((v): v is number => v !== undefined)
          .sort((x, y) => x - y);
        return delayBucketOf(pct(firsts, 0.99));
      }),
    );
  }
  let docs = 0;
  let days = 0;
  for (const { name } of await db.db!.listCollections({}, { nameOnly: true }).toArray()) {
    if (!name.startsWith('webhook_stats_')) continue;
    days += 1;
    docs += await db.collection(name).countDocuments({ endpointId: ENDPOINT });
  }
  return {
    attempts: ATTEMPTS,
    recordSeconds: round(recordMs / 1000),
    statsDays: days,
    statsDocuments: docs,
    stats720hMs: summary(counters),
    baselineAttemptLog720hMs: summary(baseline),
    answer: last,
  };
}

async function replayScenario(m: TestingModule, db: Connection) {
  const eventLog = m.get(EventLogRepository);
  const deliveries = m.get(WebhookDeliveryRepository);
  const jobs = m.get(WebhookJobRepository);
  const runner = m.get(WebhookJobsRunner);
  const start = Date.now() - 27.5 * DAY;
  const t0 = Date.now();
  for (let i = 0; i < EVENTS; i += 1000) {
    const events: EventEnvelope[] = [];
    for (let j = i; j < Math.min(EVENTS, i + 1000); j++) {
      const at = start + Math.floor((j * 27 * DAY) / EVENTS);
      events.push({
        id: eventIds.ulid(at),
        type: 'message.received',
        version: 1,
        occurredAt: new Date(at).toISOString(),
        accountId: ACCOUNT,
        chatId: `chat_${j % 500}@c.us`,
        data: { text: 'x'.repeat(200), j },
      });
    }
    await eventLog.append(events);
    const originals: WebhookDeliveryRecord[] = events
      .filter((_, k) => k % 2 === 0)
      .map((e, k) => ({
        _id: deliveryIdOf(e.id, ENDPOINT),
        accountId: ACCOUNT,
        endpointId: ENDPOINT,
        eventId: e.id,
        eventType: e.type,
        webhookId: webhookIdOf(e.id, ENDPOINT),
        partition: partitionOfKey(orderKeyOf(e), PARTITIONS),
        order: ids.ulid(),
        orderKey: orderKeyOf(e),
        chatId: e.chatId,
        sequence: i + k,
        occurredAt: new Date(e.occurredAt),
        createdAt: new Date(e.occurredAt),
        body: JSON.stringify({ ...e, sequence: i + k }),
      }));
    await deliveries.insertDeliveries(originals);
  }
  const seedSeconds = round((Date.now() - t0) / 1000);

  const jobId = ids.prefixed('job');
  await jobs.insert({
    _id: jobId,
    accountId: ACCOUNT,
    endpointId: ENDPOINT,
    kind: 'replay',
    since: new Date(Date.now() - 28 * DAY + 60_000),
    until: new Date(),
    createdAt: new Date(),
  });
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const u = process.memoryUsage();
    peakRss = Math.max(peakRss, u.rss);
    peakHeap = Math.max(peakHeap, u.heapUsed);
  }, 20);
  const t1 = Date.now();
  for (;;) {
    await runner.tick();
    const job = await db.collection('webhook_jobs').findOne({ _id: jobId as never });
    if (job?.finishedAt) break;
  }
  const seconds = (Date.now() - t1) / 1000;
  clearInterval(sampler);
  const created = await db.collection('webhook_deliveries').countDocuments({ jobId });
  const mb = (b: number) => round(b / 1024 / 1024);

  // Same-run baseline: what the former replay held before its first page (every original
  // delivery of the window, with bodies), measured as heap growth while holding it.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const held = await db
    .collection('webhook_deliveries')
    .find({ endpointId: ENDPOINT, occurredAt: { $gte: new Date(start - DAY) }, jobId: { $exists: false } })
    .toArray();
  const baselineHeldMb = mb(process.memoryUsage().heapUsed - heapBefore);
  return {
    events: EVENTS,
    page: REPLAY_PAGE,
    seedSeconds,
    replaySeconds: round(seconds),
    eventsPerSecond: Math.round(EVENTS / seconds),
    deliveriesCreated: created,
    handedToDispatcher: accepted,
    rssBeforeMb: mb(base.rss),
    peakRssMb: mb(peakRss),
    peakRssAboveMb: mb(peakRss - base.rss),
    peakHeapAboveMb: mb(peakHeap - base.heapUsed),
    baselineOriginalsHeld: held.length,
    baselineOriginalsHeapMb: baselineHeldMb,
  };
}

async function main(): Promise<void> {
  const config = loadConfig(
    testEnv({ KAFKA_EVENTS_PARTITIONS: String(PARTITIONS), WEBHOOK_JOB_POLL_MS: '1000' }),
  );
  const m = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), WebhooksModule.forWorker()],
  })
    .overrideProvider(DeliveryDispatcher)
    .useValue(stand.dispatcher)
    .overrideProvider(PartitionLeases)
    .useValue(stand.leases)
    .overrideProvider(EndpointDirectory)
    .useValue(stand.directory)
    .compile();
  const db = m.get<Connection>(getConnectionToken());
  await db.asPromise();
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, load: loadavg().map(round) },
    partitions: PARTITIONS,
  };
  try {
    results.stats = await statsScenario(m, db);
    console.log('stats', results.stats);
    results.replay = await replayScenario(m, db);
    console.log('replay', results.replay);
  } finally {
    await db.dropDatabase();
    await m.close();
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = join(
    __dirname,
    'results',
    `webhook-stats-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
