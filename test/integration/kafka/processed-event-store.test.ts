import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { PROCESSED_EVENT_MODEL, ProcessedEventRecord, ProcessedEventStore } from '@wwb/kafka';
import { testConfig } from '@wwb/testing';
import { sleep, startKafkaApp, stopKafkaApp } from '../../support/kafka-test.harness';

jest.setTimeout(30_000);

const config = testConfig();
let app: INestApplicationContext;
let store: ProcessedEventStore;
let model: Model<ProcessedEventRecord>;

beforeAll(async () => {
  app = await startKafkaApp(config);
  store = app.get(ProcessedEventStore);
  model = app.get(getModelToken(PROCESSED_EVENT_MODEL));
});

afterAll(async () => {
  await stopKafkaApp(app, config);
});

it('runs the effect once and skips it afterwards, per consumer', async () => {
  let runs = 0;
  const effect = async () => ++runs;
  expect(await store.once('webhooks', 'evt_1', effect)).toEqual({ skipped: false, value: 1 });
  expect(await store.once('webhooks', 'evt_1', effect)).toEqual({ skipped: true });
  expect(await store.once('auto-reply', 'evt_1', effect)).toEqual({ skipped: false, value: 2 });
  expect(runs).toBe(2);
  expect(await store.isDone('webhooks', 'evt_1')).toBe(true);
  const row = await model.findOne({ consumer: 'webhooks', eventId: 'evt_1' }).lean();
  expect(row).toMatchObject({ state: 'done' });
  expect(row!.doneAt).toBeInstanceOf(Date);
});

it('concurrent calls run the effect once: the others wait for it and skip', async () => {
  let runs = 0;
  const effect = async () => {
    runs++;
    await sleep(300);
    return 'sent';
  };
  const results = await Promise.all(Array.from({ length: 5 }, () => store.once('webhooks', 'evt_2', effect)));
  expect(runs).toBe(1);
  expect(results.filter((r) => !r.skipped)).toEqual([{ skipped: false, value: 'sent' }]);
  expect(results.filter((r) => r.skipped)).toHaveLength(4);
});

it('a failed effect releases its claim so that the retry runs it', async () => {
  let runs = 0;
  await expect(
    store.once('webhooks', 'evt_3', async () => {
      runs++;
      throw new Error('HTTP 503');
    }),
  ).rejects.toThrow('HTTP 503');
  expect(await model.countDocuments({ consumer: 'webhooks', eventId: 'evt_3' })).toBe(0);
  expect(await store.once('webhooks', 'evt_3', async () => ++runs)).toEqual({ skipped: false, value: 2 });
});

it('takes over a claim older than the lease (its holder died)', async () => {
  await model.create({
    consumer: 'webhooks',
    eventId: 'evt_4',
    state: 'started',
    claimId: 'dead-worker',
    claimedAt: new Date(Date.now() - 120_000),
  });
  let runs = 0;
  expect(await store.once('webhooks', 'evt_4', async () => ++runs)).toEqual({ skipped: false, value: 1 });
  const row = await model.findOne({ consumer: 'webhooks', eventId: 'evt_4' }).lean();
  expect(row).toMatchObject({ state: 'done' });
  expect(row!.claimId).not.toBe('dead-worker');
});

it('several workers racing for one stale claim: exactly one runs the effect', async () => {
  await model.create({
    consumer: 'webhooks',
    eventId: 'evt_4b',
    state: 'started',
    claimId: 'dead-worker',
    claimedAt: new Date(Date.now() - 120_000),
  });
  let runs = 0;
  const effect = async () => {
    runs++;
    await sleep(200);
    return 'ran';
  };
  const results = await Promise.all(
    Array.from({ length: 6 }, () => store.once('webhooks', 'evt_4b', effect)),
  );
  expect(runs).toBe(1);
  expect(results.filter((r) => !r.skipped)).toHaveLength(1);
  expect(await model.countDocuments({ consumer: 'webhooks', eventId: 'evt_4b' })).toBe(1);
});

it('waits for a fresh claim held elsewhere until its lease runs out, heartbeating', async () => {
  await model.create({
    consumer: 'webhooks',
    eventId: 'evt_5',
    state: 'started',
    claimId: 'slow-worker',
    claimedAt: new Date(),
  });
  let heartbeats = 0;
  const started = Date.now();
  const result = await store.once('webhooks', 'evt_5', async () => 'ran', {
    leaseMs: 1200,
    heartbeat: async () => {
      heartbeats++;
    },
  });
  expect(result).toEqual({ skipped: false, value: 'ran' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(heartbeats).toBeGreaterThan(0);
});

it('stops waiting when the signal aborts', async () => {
  await model.create({
    consumer: 'webhooks',
    eventId: 'evt_6',
    state: 'started',
    claimId: 'other',
    claimedAt: new Date(),
  });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 200);
  let ran = false;
  await expect(
    store.once(
      'webhooks',
      'evt_6',
      async () => {
        ran = true;
      },
      { signal: abort.signal },
    ),
  ).rejects.toThrow('aborted');
  expect(ran).toBe(false);
});

it('the unique index exists and purgeDone removes old done rows', async () => {
  const indexes = await model.collection.indexes();
  expect(indexes.find((i) => i.name === 'consumer_event_unique')).toMatchObject({ unique: true });
  await model.updateMany({ state: 'done' }, { $set: { doneAt: new Date(Date.now() - 3_600_000) } });
  const done = await model.countDocuments({ state: 'done' });
  expect(await store.purgeDone(new Date(Date.now() - 60_000))).toBe(done);
  expect(await model.countDocuments({ state: 'done' })).toBe(0);
});
