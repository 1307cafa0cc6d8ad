/**
 * Quota slots (per-account limits of things held for a while) against the real FerretDB: of many
 * racing takers over several "processes", exactly the limit win; a freed slot is found again
 * even when the account is nearly full; registrations lapse and are counted only while live.
 */
import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import {
  ExternalHoldsStore,
  FULL_MEMORY_MS,
  QUOTA_SLOT_MODEL,
  QuotaSlotRecord,
  QuotaSlotRepository,
  QuotasModule,
  SlotPicker,
  UsageCounterRepository,
} from '@wwb/infrastructure';
import { ManualClock, startContext, stopContext } from './infrastructure.harness';

jest.setTimeout(120_000);

const clock = new ManualClock();
let context: INestApplicationContext;
let model: Model<QuotaSlotRecord>;
/** Two API processes: each has its own memory of full accounts. */
let a: QuotaSlotRepository;
let b: QuotaSlotRepository;

beforeAll(async () => {
  context = await startContext({ imports: [QuotasModule] }, clock);
  model = context.get(getModelToken(QUOTA_SLOT_MODEL));
  await model.init();
  a = context.get(QuotaSlotRepository);
  b = new QuotaSlotRepository(model, clock, new SlotPicker(clock), new ExternalHoldsStore());
});

afterAll(async () => {
  await stopContext(context);
});

const take = (
  repo: QuotaSlotRepository,
  accountId: string,
  holderId: string,
  limit: number | null,
  ttlMs?: number,
) => repo.take({ accountId, resource: 'pendingMessages', limit, holderId, ...(ttlMs ? { ttlMs } : {}) });

it('of 40 racing takes from two processes, exactly the limit (5) win', async () => {
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => take(i % 2 ? a : b, 'acc_race', `msg_${i}`, 5)),
  );
  const won = results.filter((r): r is string => r !== null);
  expect(won).toHaveLength(5);
  expect(new Set(won).size).toBe(5);
  expect(await model.countDocuments({ accountId: 'acc_race' })).toBe(5);
  expect((await a.usageOf(['acc_race'])).get('acc_race')).toEqual({ pendingMessages: 5 });
});

it('a released slot is taken again; the memory of a full account lasts FULL_MEMORY_MS in the other process', async () => {
  const held = await a.held('acc_race', 'pendingMessages');
  expect(await take(b, 'acc_race', 'msg_x', 5)).toBeNull();
  // Releasing with the wrong holder does nothing.
  await a.release(held[0]!._id, 'someone-else');
  expect(await model.countDocuments({ accountId: 'acc_race' })).toBe(5);
  await a.release(held[0]!._id, held[0]!.holderId);
  // Process a freed it and forgot that the account was full; b still remembers for a moment.
  expect(await take(b, 'acc_race', 'msg_y', 5)).toBeNull();
  expect(await take(a, 'acc_race', 'msg_y', 5)).toBe(held[0]!._id);
  await a.release(held[0]!._id, 'msg_y');
  clock.ms += FULL_MEMORY_MS;
  expect(await take(b, 'acc_race', 'msg_z', 5)).toBe(held[0]!._id);
});

it('finds the last free slot of a nearly full account (reads the free slots after random misses)', async () => {
  for (let i = 0; i < 60; i++) expect(await take(a, 'acc_full', `m${i}`, 60)).not.toBeNull();
  const held = await a.held('acc_full', 'pendingMessages');
  const freed = held[37]!;
  await a.release(freed._id, freed.holderId);
  expect(await take(b, 'acc_full', 'last', 60)).toBe(freed._id);
  expect(await take(b, 'acc_full', 'one-more', 60)).toBeNull();
});

it('unlimited or uncapped slots are counted, never refused', async () => {
  for (let i = 0; i < 3; i++) await take(a, 'acc_free', `m${i}`, null);
  await a.takeUncapped({ accountId: 'acc_free', resource: 'pendingMessages', holderId: 'auto' });
  expect((await a.usageOf(['acc_free'])).get('acc_free')).toEqual({ pendingMessages: 4 });
});

it('registrations count while live, can be renewed by their holder only, and are listed for the reaper once expired', async () => {
  const stream = (holderId: string) =>
    a.take({ accountId: 'acc_sse', resource: 'sseStreams', limit: 2, holderId, ttlMs: 60_000 });
  const s1 = (await stream('s1'))!;
  const s2 = (await stream('s2'))!;
  expect(await stream('s3')).toBeNull();
  clock.ms += 40_000;
  expect(await a.renew(s1, 's1', 60_000)).toBe(true);
  expect(await a.renew(s2, 'not-s2', 60_000)).toBe(false);
  clock.ms += 30_000;
  // s2 lapsed (its process died): not counted, listed for the reaper, and its place is free once reaped.
  expect((await a.usageOf(['acc_sse'])).get('acc_sse')).toEqual({ sseStreams: 1 });
  const expired = await a.expired(clock.now(), 10);
  expect(expired.map((s) => s._id)).toEqual([s2]);
  expect(await a.remove(expired[0]!)).toBe(true);
  clock.ms += FULL_MEMORY_MS;
  expect(await stream('s3')).toBe(s2);
  // The reaper deletes only the slot it read: taken again since, it stays.
  expect(await a.remove(expired[0]!)).toBe(false);
});

it('usage counters add up by _id and are read back per account', async () => {
  const counters = context.get(UsageCounterRepository);
  await counters.add('acc_bytes', 'mediaBytes', 100);
  await counters.add('acc_bytes', 'mediaBytes', 50);
  await counters.add('acc_bytes', 'mediaBytes', -30);
  expect(await counters.get('acc_bytes', 'mediaBytes')).toBe(120);
  expect(await counters.getMany(['acc_bytes', 'acc_none'], 'mediaBytes')).toEqual(
    new Map([
      ['acc_bytes', 120],
      ['acc_none', 0],
    ]),
  );
});
