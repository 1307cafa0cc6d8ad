import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import {
  PROCESSED_EVENT_MODEL,
  processedEventKey,
  ProcessedEventRecord,
  ProcessedEventStore,
} from '@wwb/kafka';
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

/** A claim row as another worker would have left it. */
const claimRow = (eventId: string, holder: string, claimedAt: Date, gen = 0) => {
  const key = processedEventKey('webhooks', eventId);
  return { _id: `${key}#${gen}`, key, gen, state: 'started' as const, holder, claimedAt };
};
const rowsOf = (eventId: string) =>
  model
    .find({ key: processedEventKey('webhooks', eventId) })
    .sort({ gen: 1 })
    .lean();

it('runs the effect once and skips it afterwards, per consumer', async () => {
  let runs = 0;
  const effect = async () => ++runs;
  expect(await store.once('webhooks', 'evt_1', effect)).toEqual({ skipped: false, value: 1 });
  expect(await store.once('webhooks', 'evt_1', effect)).toEqual({ skipped: true });
  expect(await store.once('auto-reply', 'evt_1', effect)).toEqual({ skipped: false, value: 2 });
  expect(runs).toBe(2);
  expect(await store.isDone('webhooks', 'evt_1')).toBe(true);
  const [row, ...more] = await rowsOf('evt_1');
  expect(row).toMatchObject({ state: 'done', gen: 0 });
  expect(row!.doneAt).toBeInstanceOf(Date);
  expect(more).toHaveLength(0);
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

it('a failed effect releases its claim so that the retry runs it (next generation)', async () => {
  let runs = 0;
  await expect(
    store.once('webhooks', 'evt_3', async () => {
      runs++;
      throw new Error('HTTP 503');
    }),
  ).rejects.toThrow('HTTP 503');
  expect((await rowsOf('evt_3')).map((r) => r.state)).toEqual(['released']);
  expect(await store.once('webhooks', 'evt_3', async () => ++runs)).toEqual({ skipped: false, value: 2 });
  expect((await rowsOf('evt_3')).map((r) => [r.gen, r.state])).toEqual([
    [0, 'released'],
    [1, 'done'],
  ]);
});

it('takes over a claim older than the lease (its holder died)', async () => {
  await model.create(claimRow('evt_4', 'dead-worker', new Date(Date.now() - 120_000)));
  let runs = 0;
  expect(await store.once('webhooks', 'evt_4', async () => ++runs)).toEqual({ skipped: false, value: 1 });
  const rows = await rowsOf('evt_4');
  expect(rows.map((r) => [r.gen, r.state, r.holder === 'dead-worker'])).toEqual([
    [0, 'started', true],
    [1, 'done', false],
  ]);
});

it('several workers racing for one stale claim: exactly one runs the effect', async () => {
  await model.create(claimRow('evt_4b', 'dead-worker', new Date(Date.now() - 120_000)));
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
  expect((await rowsOf('evt_4b')).map((r) => r.state)).toEqual(['started', 'done']);
});

it('waits for a fresh claim held elsewhere until its lease runs out, heartbeating', async () => {
  await model.create(claimRow('evt_5', 'slow-worker', new Date()));
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
  await model.create(claimRow('evt_6', 'other', new Date()));
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

it('the indexes exist and purgeDone removes old done keys with every generation', async () => {
  const indexes = await model.collection.indexes();
  expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['key_gen', 'state_done_at']));
  await model.updateMany({ state: 'done' }, { $set: { doneAt: new Date(Date.now() - 3_600_000) } });
  await store.once('webhooks', 'evt_fresh', async () => 'kept');
  const done = (await model.countDocuments({ state: 'done' })) - 1;
  expect(await store.purgeDone(new Date(Date.now() - 60_000))).toBe(done);
  expect(await model.countDocuments({ state: 'done' })).toBe(1);
  expect(await rowsOf('evt_3')).toHaveLength(0); // its released generation went with it
  expect(await store.isDone('webhooks', 'evt_fresh')).toBe(true);
});
