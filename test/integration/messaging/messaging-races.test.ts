/**
 * The race-free primitives of messaging, against the real FerretDB (which loses concurrent
 * updates of one document): unique-insert claims, the sweeper's lease (@wwb/infrastructure),
 * insert-once statuses.
 */
import { Test, TestingModule } from '@nestjs/testing';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ConfigModule } from '@wwb/config';
import { LeaseRepository, LeasesModule, QuotasModule } from '@wwb/infrastructure';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { Clock, IdGenerator, RuntimeModule } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';
import {
  currentStatus,
  IdempotencyRepository,
  MESSAGING_MODELS,
  MessageStatus,
  OutboundMessageRepository,
  SendClaimRepository,
} from '@wwb/messaging';

jest.setTimeout(60_000);

const config = testConfig();
let moduleRef: TestingModule;
let leases: LeaseRepository;
let idempotency: IdempotencyRepository;
let messages: OutboundMessageRepository;
let claims: SendClaimRepository;
let now = Date.parse('2026-12-01T10:00:00Z');

class TestClock extends Clock {
  override now(): Date {
    return new Date(now);
  }
  override nowMs(): number {
    return now;
  }
}

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      RuntimeModule,
      ObservabilityModule,
      PersistenceModule,
      MongooseModule.forFeature(MESSAGING_MODELS),
      LeasesModule,
      // Messages give their pending-message quota slot back when settled.
      QuotasModule,
    ],
    providers: [IdempotencyRepository, OutboundMessageRepository, SendClaimRepository],
  })
    .overrideProvider(Clock)
    .useClass(TestClock)
    .compile();
  await moduleRef.init();
  leases = moduleRef.get(LeaseRepository);
  idempotency = moduleRef.get(IdempotencyRepository);
  messages = moduleRef.get(OutboundMessageRepository);
  claims = moduleRef.get(SendClaimRepository);
  await Promise.all([messages.ready(), claims.ready(), idempotency.ready()]);
});

afterAll(async () => {
  await moduleRef.get<Connection>(getConnectionToken()).dropDatabase();
  await moduleRef.close();
});

it('a lease: one of many racing nodes gets it; the holder renews; an expired lease is taken over by exactly one', async () => {
  const holders = Array.from({ length: 12 }, (_, i) => `node-${i}`);
  const won = await Promise.all(holders.map((h) => leases.acquire('sweep', h, 10_000)));
  expect(won.filter(Boolean)).toHaveLength(1);
  const holder = holders[won.indexOf(true)]!;
  expect(await leases.acquire('sweep', holder, 10_000)).toBe(true);
  expect(await leases.acquire('sweep', 'late', 10_000)).toBe(false);

  now += 11_000;
  const takeover = await Promise.all(holders.map((h) => leases.acquire('sweep', `${h}-b`, 10_000)));
  expect(takeover.filter(Boolean)).toHaveLength(1);
  await leases.release('sweep', holders[takeover.indexOf(true)]! + '-b');
  expect(await leases.acquire('sweep', 'after-release', 10_000)).toBe(true);
});

it('an Idempotency-Key: of concurrent claims exactly one wins, the others see its message', async () => {
  const scope = { accountId: 'acc_race' };
  const ids = new IdGenerator();
  const attempts = Array.from({ length: 16 }, () => ids.prefixed('msg'));
  const results = await Promise.all(
    attempts.map((messageId) =>
      idempotency.claim(scope, 'key-1', { messageId, fingerprint: 'f', createdAt: new Date(now) }),
    ),
  );
  const winners = results.filter((r) => r.claimed);
  expect(winners).toHaveLength(1);
  const winner = attempts[results.findIndex((r) => r.claimed)];
  for (const r of results) if (!r.claimed) expect(r.existing.messageId).toBe(winner);
  // Scoped by account: another account's same key is another key.
  expect(
    (
      await idempotency.claim({ accountId: 'acc_other' }, 'key-1', {
        messageId: 'msg_x',
        fingerprint: 'g',
        createdAt: new Date(now),
      })
    ).claimed,
  ).toBe(true);
  expect(await idempotency.purgeOlderThan(new Date(now + 1))).toBeGreaterThanOrEqual(2);
});

it('statuses: concurrent acks never lose one and never go backwards', async () => {
  const statuses: MessageStatus[] = [
    'sent',
    'delivered',
    'read',
    'delivered',
    'sent',
    'read',
    'played',
    'failed',
  ];
  await Promise.all(
    statuses.map((status, i) =>
      messages.recordStatus(
        { messageId: 'msg_S', accountId: 'acc_1', status, at: new Date(now + i) },
        new Date(now),
      ),
    ),
  );
  const recorded = await messages.statusesOf('msg_S');
  expect(recorded.map((r) => r.status).sort()).toEqual(['delivered', 'failed', 'played', 'read', 'sent']);
  expect(currentStatus(recorded.map((r) => r.status))).toBe('played');
});

it('a send claim: of concurrent handlers exactly one inserts a generation; only its holder moves it on', async () => {
  const base = {
    messageId: 'msg_C',
    accountId: 'acc_1',
    connectionId: 'con_1',
    chatId: '1555@c.us',
    claimedAt: new Date(now),
  };
  const first = await Promise.all(
    Array.from({ length: 10 }, () => claims.insert({ ...base, _id: 'msg_C#0', gen: 0, state: 'claimed' })),
  );
  expect(first.filter(Boolean)).toHaveLength(1);
  // Park it, then racing takeovers of generation 1: again exactly one.
  expect(await claims.setState('msg_C#0', 'claimed', 'waiting', { waitingSince: new Date(now) })).toBe(true);
  const takeover = await Promise.all(
    Array.from({ length: 10 }, () => claims.insert({ ...base, _id: 'msg_C#1', gen: 1, state: 'claimed' })),
  );
  expect(takeover.filter(Boolean)).toHaveLength(1);
  expect((await claims.generations('msg_C')).map((g) => [g.gen, g.state])).toEqual([
    [0, 'waiting'],
    [1, 'claimed'],
  ]);
  expect(await claims.setState('msg_C#1', 'waiting', 'sending')).toBe(false);
  expect(await claims.setState('msg_C#1', 'claimed', 'sending', { sendingAt: new Date(now) })).toBe(true);
  expect(await claims.hasSendInFlight('con_1', '1555@c.us', new Date(now - 1000))).toBe(true);
  expect(await claims.hasSendInFlight('con_1', '1555@c.us', new Date(now + 1000))).toBe(false);
  expect(await claims.setState('msg_C#1', 'sending', 'done', { doneAt: new Date(now) })).toBe(true);
  expect(await claims.hasSendInFlight('con_1', '1555@c.us', new Date(now - 1000))).toBe(false);
});
