/**
 * SendMessageUseCase as a worker consumer gets it: MessagingModule.sending() alone (no HTTP, no
 * API module), against the real FerretDB and Kafka. Errors are DomainErrors; an automated send
 * is stored with its origin, idempotently; media stored for a send the pendingMessages limit
 * refuses is deleted again, its bytes given back.
 */
import { Test, TestingModule } from '@nestjs/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ConnectionRepository } from '@wwb/connections';
import { UsageCounterRepository } from '@wwb/infrastructure';
import { MEDIA_BUCKET, MessagingModule, SendMessageUseCase } from '@wwb/messaging';
import { scopeOf } from '@wwb/persistence';
import { PlatformModule } from '@wwb/platform';
import { DomainError, IdGenerator } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';

jest.setTimeout(60_000);

const config = testConfig();
const scope = scopeOf('acc_send');
const ids = new IdGenerator();
const connectionId = ids.prefixed('con');
let moduleRef: TestingModule;
let sending: SendMessageUseCase;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config), MessagingModule.sending()],
  }).compile();
  await moduleRef.init();
  sending = moduleRef.get(SendMessageUseCase);
  await addConnection(scope.accountId, connectionId);
});

async function addConnection(accountId: string, id: string): Promise<void> {
  const at = new Date();
  await moduleRef.get(ConnectionRepository, { strict: false }).insert({
    _id: id,
    accountId,
    name: 'worker send',
    driver: 'simulator',
    desiredState: 'running',
    desiredAt: at,
    createdAt: at,
    updatedAt: at,
  });
}

afterAll(async () => {
  await moduleRef?.get<Connection>(getConnectionToken()).dropDatabase();
  await moduleRef?.close();
});

it('a connection of no account of ours is a domain not_found (404), also for another account', async () => {
  for (const [s, id] of [
    [scope, ids.prefixed('con')],
    [scopeOf('acc_other'), connectionId],
  ] as const) {
    const err = await sending
      .execute(s, { connectionId: id, message: { to: '+15557654321', type: 'text', text: 'hi' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'not_found', code: 'not_found' });
  }
});

it('an automated send is stored with its origin; its idempotency key replays it', async () => {
  const command = {
    connectionId,
    message: { to: '+15557654321', type: 'text', text: 'We open at 9.' },
    idempotencyKey: 'auto:evt_1:rule_1',
    origin: { source: 'auto_reply' as const, ruleId: 'rule_1', triggerEventId: 'evt_1' },
  };
  const first = await sending.execute(scope, command);
  expect(first).toEqual({ id: expect.stringMatching(/^msg_/), status: 'queued', replayed: false });
  await expect(sending.execute(scope, command)).resolves.toEqual({ ...first, replayed: true });

  const stored = await moduleRef
    .get<Connection>(getConnectionToken())
    .collection('messages')
    .findOne({ _id: first.id as unknown as never });
  expect(stored).toMatchObject({
    accountId: scope.accountId,
    connectionId,
    chatId: '15557654321@c.us',
    pending: true,
    origin: { source: 'auto_reply', ruleId: 'rule_1', triggerEventId: 'evt_1' },
  });

  const invalid = await sending
    .execute(scope, { ...command, idempotencyKey: undefined, message: { to: 'x', type: 'text', text: 'y' } })
    .catch((e: unknown) => e);
  expect(invalid).toMatchObject({ kind: 'invalid', code: 'invalid_recipient' });
});

it('media stored for a send refused at the pendingMessages limit is deleted, its bytes given back', async () => {
  const full = scopeOf('acc_send_full');
  const conId = ids.prefixed('con');
  await addConnection(full.accountId, conId);
  const quota = { plan: 'starter', pendingMessages: 1, mediaFetches: 2, mediaBytes: 1_000_000 };
  // The account takes its one pending slot; this process does not remember it as full, so the
  // next send is refused by the insert, after its base64 bytes were stored.
  await sending.execute(full, {
    connectionId: conId,
    message: { to: '+15557654321', type: 'text', text: 'one' },
    quota,
  });

  const bytes = Buffer.alloc(2_048, 7);
  const err = await sending
    .execute(full, {
      connectionId: conId,
      message: {
        to: '+15557654321',
        type: 'image',
        media: { base64: bytes.toString('base64'), mimetype: 'image/png' },
      },
      quota,
    })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: 'limit_reached', code: 'too_many_pending_messages' });

  const files = await moduleRef
    .get<Connection>(getConnectionToken())
    .collection(`${MEDIA_BUCKET}.files`)
    .countDocuments({ 'metadata.accountId': full.accountId });
  expect(files).toBe(0);
  expect(
    await moduleRef.get(UsageCounterRepository, { strict: false }).get(full.accountId, 'mediaBytes'),
  ).toBe(0);
});
