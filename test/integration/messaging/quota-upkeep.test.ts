/**
 * QuotaUpkeepRunner against the real FerretDB, as the worker wires it (run by hand): expired
 * registrations are reaped; pending-message slots whose message was settled or never stored are
 * freed once past the grace; slots of pending messages and fresh slots stay; a gateway settling a
 * message gives its slot back at once.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { LeaseRepository, QuotaSlotRepository } from '@wwb/infrastructure';
import {
  MessagingModule,
  OutboundMessageRepository,
  PENDING_SLOT_GRACE_MS,
  QUOTA_UPKEEP_LEASE,
  QuotaUpkeepRunner,
} from '@wwb/messaging';
import { PlatformModule } from '@wwb/platform';
import { testConfig } from '@wwb/testing';

jest.setTimeout(120_000);

const config = testConfig();
const ACC = 'acc_quota_upkeep';
let moduleRef: TestingModule;
let db: Connection;

beforeAll(async () => {
  // Compiled, not initialised: no consumers and no timers; the test calls run() itself.
  moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), MessagingModule.forWorker()],
  }).compile();
  db = moduleRef.get<Connection>(getConnectionToken());
  await db.asPromise();
});

afterAll(async () => {
  await db?.dropDatabase();
  await moduleRef?.close();
});

const ago = (ms: number) => new Date(Date.now() - ms);

async function slot(n: number, holderId: string, takenAt: Date, extra: Record<string, unknown> = {}) {
  const resource = (extra.resource as string) ?? 'pendingMessages';
  const _id = `${ACC}/${resource}/n${n}`;
  await db.collection('quota_slots').insertOne({
    _id: _id as never,
    accountId: ACC,
    resource,
    slot: `n${n}`,
    holderId,
    takenAt,
    ...extra,
  });
  return _id;
}

async function message(id: string, pending: boolean, pendingSlot?: string) {
  await db.collection('messages').insertOne({
    _id: id as never,
    accountId: ACC,
    connectionId: 'con_x',
    chatId: '15550001111@c.us',
    to: '+15550001111',
    type: 'text',
    content: { type: 'text', to: '15550001111@c.us', text: 'hi' },
    pending,
    ...(pendingSlot ? { pendingSlot } : {}),
    createdAt: new Date(),
  });
}

const exists = async (id: string) =>
  (await db.collection('quota_slots').countDocuments({ _id: id as never })) === 1;

it('reaps expired registrations and frees orphaned pending slots, keeping live ones', async () => {
  const old = ago(PENDING_SLOT_GRACE_MS + 5_000);
  const ofPending = await slot(0, 'msg_pending', old);
  await message('msg_pending', true, ofPending);
  const ofSettled = await slot(1, 'msg_settled', old);
  await message('msg_settled', false, ofSettled);
  const neverStored = await slot(2, 'msg_never', old);
  const fresh = await slot(3, 'msg_in_flight', new Date());
  const lapsed = await slot(0, 'sse-1', old, { resource: 'sseStreams', expiresAt: ago(1_000) });
  const live = await slot(1, 'sse-2', old, {
    resource: 'sseStreams',
    expiresAt: new Date(Date.now() + 60_000),
  });

  const runner = moduleRef.get(QuotaUpkeepRunner, { strict: false });
  const leases = moduleRef.get(LeaseRepository, { strict: false });
  expect(await leases.acquire(QUOTA_UPKEEP_LEASE, 'other-worker', 60_000)).toBe(true);
  expect(await runner.run()).toEqual({ leader: false, reaped: 0, healed: 0 });
  await leases.release(QUOTA_UPKEEP_LEASE, 'other-worker');

  expect(await runner.run()).toEqual({ leader: true, reaped: 1, healed: 2 });
  expect(await exists(ofPending)).toBe(true);
  expect(await exists(fresh)).toBe(true);
  expect(await exists(live)).toBe(true);
  for (const id of [ofSettled, neverStored, lapsed]) expect(await exists(id)).toBe(false);
  const usage = await moduleRef.get(QuotaSlotRepository, { strict: false }).usageOf([ACC]);
  expect(usage.get(ACC)).toEqual({ pendingMessages: 2, sseStreams: 1 });
});

it('settling a message gives its pending slot back (and only its own)', async () => {
  const messages = moduleRef.get(OutboundMessageRepository, { strict: false });
  const held = await slot(7, 'msg_to_settle', new Date());
  await message('msg_to_settle', true, held);
  await messages.settle('msg_to_settle');
  expect(await exists(held)).toBe(false);
  expect((await db.collection('messages').findOne({ _id: 'msg_to_settle' as never }))?.pending).toBe(false);
  // A second settle (redelivered command) does not free a slot someone else took since.
  const retaken = await slot(7, 'msg_other', new Date());
  await messages.settle('msg_to_settle');
  expect(await exists(retaken)).toBe(true);
});
