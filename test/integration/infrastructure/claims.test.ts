/**
 * ClaimStore ("do X once per key") against the real FerretDB: stale claims are taken over by
 * inserting the next generation, so that of many racing workers exactly one runs the effect.
 */
import { INestApplicationContext } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ClaimRecord, claimSchema, ClaimStore } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { startContext, stopContext } from './infrastructure.harness';

jest.setTimeout(60_000);

const CLAIM_MODEL = 'TestClaim';
let context: INestApplicationContext;
let model: Model<ClaimRecord>;
let store: ClaimStore;

beforeAll(async () => {
  context = await startContext({
    imports: [MongooseModule.forFeature([{ name: CLAIM_MODEL, schema: claimSchema('test_claims') }])],
  });
  model = context.get(getModelToken(CLAIM_MODEL));
  store = new ClaimStore(
    model,
    context.get(Clock),
    context.get(IdGenerator),
    context.get(AppLogger).child({}),
  );
  await store.ensureIndexes();
});

afterAll(async () => {
  await stopContext(context);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rows = (key: string) => model.find({ key }).sort({ gen: 1 }).lean();

it('20 concurrent claimers of a stale claim: exactly one runs the effect, round after round', async () => {
  for (let round = 0; round < 5; round++) {
    const key = `stale-${round}`;
    await model.create({
      _id: `${key}#${round}`,
      key,
      gen: round,
      state: 'started',
      holder: 'dead-worker',
      claimedAt: new Date(Date.now() - 120_000),
    });
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.once(key, async () => {
          runs++;
          await sleep(100);
          return 'ran';
        }),
      ),
    );
    expect(runs).toBe(1);
    expect(results.filter((r) => !r.skipped)).toEqual([{ skipped: false, value: 'ran' }]);
    expect((await rows(key)).map((r) => [r.gen, r.state])).toEqual([
      [round, 'started'],
      [round + 1, 'done'],
    ]);
  }
});

it('20 concurrent claimers of a released claim (failed effect): exactly one runs the retry', async () => {
  await expect(
    store.once('released', async () => {
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  let runs = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, () => store.once('released', async () => ++runs)),
  );
  expect(runs).toBe(1);
  expect(results.filter((r) => !r.skipped)).toHaveLength(1);
  expect((await rows('released')).map((r) => r.state)).toEqual(['released', 'done']);
});

it('20 concurrent first claimers: one runs, the others wait for it and skip', async () => {
  let runs = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      store.once('fresh', async () => {
        runs++;
        await sleep(300);
        return runs;
      }),
    ),
  );
  expect(runs).toBe(1);
  expect(results.filter((r) => r.skipped)).toHaveLength(19);
  expect(await store.isDone('fresh')).toBe(true);
  expect(await store.isDone('never')).toBe(false);
});

it('an effect that outlives its lease is taken over by the next generation (at least once)', async () => {
  let runs = 0;
  const slow = store.once(
    'slow',
    async () => {
      runs++;
      await sleep(1500);
    },
    { leaseMs: 500 },
  );
  await sleep(100);
  const second = await store.once('slow', async () => ++runs, { leaseMs: 500 });
  await slow;
  expect(second).toEqual({ skipped: false, value: 2 });
  expect((await rows('slow')).map((r) => [r.gen, r.state])).toEqual([
    [0, 'done'],
    [1, 'done'],
  ]);
  expect(await store.once('slow', async () => ++runs)).toEqual({ skipped: true });
});
