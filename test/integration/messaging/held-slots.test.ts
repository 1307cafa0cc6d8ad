/**
 * Pending messages holding their pendingMessages slot on themselves, against the real FerretDB:
 * of many racing sends over two "API processes" exactly the limit are stored; a nearly full
 * account still finds its last free slot; a probe that collides is not read back (a read by `_id`
 * scans the collection on FerretDB); settling gives the slot back in the same update; an `_id`
 * that exists already is still an error, not a refusal; usage counts held slots beside
 * quota_slots ones; an account near its limit costs about one insert per message and one read
 * of its held slots for many messages, not a run of refused inserts and a read each.
 */
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { ExternalHoldsStore, QUOTA_SLOT_MODEL, QuotaSlotRepository, SlotPicker } from '@wwb/infrastructure';
import { MessagingModule, OutboundMessageRecord, OutboundMessageRepository } from '@wwb/messaging';
import { PlatformModule } from '@wwb/platform';
import { Clock, IdGenerator } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';

jest.setTimeout(120_000);

const config = testConfig();
const ids = new IdGenerator();
/** Two API processes on one database: each has its own memory of accounts at their limit. */
let modules: TestingModule[] = [];
let db: Connection;
let a: OutboundMessageRepository;
let b: OutboundMessageRepository;

beforeAll(async () => {
  // Compiled, not initialised: no consumers and no timers.
  modules = await Promise.all(
    [0, 1].map(() =>
      Test.createTestingModule({
        imports: [PlatformModule.forRoot(config), MessagingModule.forWorker()],
      }).compile(),
    ),
  );
  db = modules[0]!.get<Connection>(getConnectionToken());
  await db.asPromise();
  [a, b] = modules.map((m) => m.get(OutboundMessageRepository, { strict: false }));
  await a!.ready();
});

afterAll(async () => {
  await db?.dropDatabase();
  for (const m of modules) await m.close();
});

const message = (accountId: string, id = ids.prefixed('msg')): Omit<OutboundMessageRecord, 'heldSlot'> => ({
  _id: id,
  accountId,
  connectionId: 'con_held',
  chatId: '15557654321@c.us',
  to: '+15557654321',
  type: 'text',
  content: { type: 'text', text: 'hi' },
  origin: { source: 'api' },
  pending: true,
  createdAt: new Date(),
});

const heldOf = async (accountId: string) =>
  (
    await db
      .collection('messages')
      .find({ accountId, heldSlot: { $exists: true } })
      .toArray()
  ).map((m) => m.heldSlot as string);

it('of 16 racing sends over two processes, exactly the limit are stored, each on its own slot', async () => {
  const acc = 'acc_held_race';
  const results = await Promise.all(
    Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).insertHolding(message(acc), 3)),
  );
  expect(results.filter(Boolean)).toHaveLength(3);
  const held = await heldOf(acc);
  expect(held).toHaveLength(3);
  expect(new Set(held).size).toBe(3);
  for (const slot of held) expect(slot).toMatch(/^acc_held_race\/n[012]$/);
  expect(await db.collection('messages').countDocuments({ accountId: acc })).toBe(3);
  expect((await a.countHeld([acc])).get(acc)).toBe(3);
});

it('a probe that collides is not read back (FerretDB answers a read by _id with a scan)', async () => {
  const findById = jest.spyOn(a, 'findById');
  const insertMany = jest.spyOn(db.collection('messages'), 'insertMany');
  // Limit 2 with one slot held: the second message probes both slots in a random order, so about
  // every other account sees a collision; enough accounts to see several.
  let collisions = 0;
  for (let i = 0; i < 60 && collisions < 4; i++) {
    const acc = `acc_held_probe_${i}`;
    expect(await a.insertHolding(message(acc), 2)).toBe(true);
    insertMany.mockClear();
    expect(await a.insertHolding(message(acc), 2)).toBe(true);
    const attempts = insertMany.mock.calls.reduce((n, [docs]) => n + (docs as unknown[]).length, 0);
    collisions += attempts - 1;
    expect(await heldOf(acc)).toHaveLength(2);
  }
  expect(collisions).toBeGreaterThanOrEqual(4);
  expect(findById).not.toHaveBeenCalled();
  findById.mockRestore();
  insertMany.mockRestore();
});

it('near its limit an account costs about one insert per message and one read for many, not a read each', async () => {
  const acc = 'acc_held_dense';
  const limit = 2_000;
  // 1,900 of 2,000 held (by earlier messages, as another process stored them).
  await db
    .collection('messages')
    .insertMany(
      Array.from({ length: 1_900 }, (_, i) => ({ ...message(acc), heldSlot: `${acc}/n${i}` })) as never[],
    );
  const insertMany = jest.spyOn(db.collection('messages'), 'insertMany');
  const reads = jest.spyOn(a as unknown as { heldSlots: () => Promise<string[]> }, 'heldSlots');
  for (let i = 0; i < 30; i++) expect(await a.insertHolding(message(acc), limit)).toBe(true);
  const attempts = insertMany.mock.calls.reduce((n, [docs]) => n + (docs as unknown[]).length, 0);
  // Random probes into 95% held slots miss 19 times in 20, each a refused insert; before, every
  // message that missed six times read the held slots (about 200 inserts and 25 reads here).
  // Now the first read's free slots serve the rest: one read, a few refused inserts before it.
  expect(reads.mock.calls.length).toBe(1);
  expect(attempts).toBeLessThanOrEqual(30 + 8 * 6);
  expect(await heldOf(acc)).toHaveLength(1_930);
  insertMany.mockRestore();
  reads.mockRestore();
});

it('a nearly full account finds its last free slot; a refusal is remembered until a settle here', async () => {
  const acc = 'acc_held_full';
  const limit = 40;
  for (let i = 0; i < limit - 1; i++) expect(await a.insertHolding(message(acc), limit)).toBe(true);
  // 39 of 40 held: random probes miss, the held slots are read and the free one taken.
  expect(await b.insertHolding(message(acc), limit)).toBe(true);
  expect(await b.insertHolding(message(acc), limit)).toBe(false);
  expect(b.atLimit(acc)).toBe(true);
  expect(await b.insertHolding(message(acc), limit)).toBe(false);

  const [first] = await db.collection('messages').find({ accountId: acc }).limit(1).toArray();
  await b.settle(first!._id as unknown as string);
  const settled = await b.findById(first!._id as unknown as string);
  expect(settled).toMatchObject({ pending: false });
  expect(settled).not.toHaveProperty('heldSlot');
  expect(b.atLimit(acc)).toBe(false);
  expect(await b.insertHolding(message(acc), limit)).toBe(true);
  expect(await heldOf(acc)).toHaveLength(limit);
});

it('without a limit a message is counted, never refused; an existing _id is an error, not a refusal', async () => {
  const acc = 'acc_held_free';
  const first = message(acc);
  for (const m of [first, message(acc), message(acc)]) expect(await a.insertHolding(m, null)).toBe(true);
  expect(await heldOf(acc)).toEqual(expect.arrayContaining([`${acc}/h-${first._id}`]));
  expect((await a.countHeld([acc])).get(acc)).toBe(3);

  const capped = message(acc);
  expect(await a.insertHolding(capped, 5)).toBe(true);
  await expect(a.insertHolding({ ...capped, createdAt: new Date() }, 5)).rejects.toMatchObject({
    code: 11000,
  });
  // Every probe collided on `_id`: that is not a full account, so nothing is remembered as full.
  expect(a.atLimit(acc)).toBe(false);
  expect(await a.insertHolding(message(acc), 5)).toBe(true);
});

it("usage counts the slots held on messages beside quota_slots' (as PendingHoldsRegistrar wires it)", async () => {
  const acc = 'acc_held_usage';
  const clock = modules[0]!.get(Clock, { strict: false });
  const holds = new ExternalHoldsStore();
  holds.register('pendingMessages', (accountIds) => a.countHeld(accountIds));
  const slots = new QuotaSlotRepository(
    modules[0]!.get(getModelToken(QUOTA_SLOT_MODEL), { strict: false }),
    clock,
    new SlotPicker(clock),
    holds,
  );
  await a.insertHolding(message(acc), 10);
  await a.insertHolding(message(acc), null);
  // A message stored before held slots, still holding its quota_slots slot.
  await slots.take({ accountId: acc, resource: 'pendingMessages', limit: 10, holderId: 'msg_legacy' });
  expect((await slots.usageOf([acc])).get(acc)).toMatchObject({ pendingMessages: 3 });
});
