/**
 * Retention (MEDIA_RETENTION_DAYS, EVENT_LOG_RETENTION_DAYS) against the real FerretDB: the
 * worker's jobs as the worker wires them, run by hand on backdated documents. Old media goes
 * unless a pending message or a template still uses it; old events go; recent ones stay; only the
 * lease holder works.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection, mongo } from 'mongoose';
import type { EventEnvelope } from '@wwb/contracts';
import {
  EVENT_LOG_RETENTION_LEASE,
  EventLogModule,
  EventLogRepository,
  EventLogRetentionRunner,
} from '@wwb/event-log';
import { LeaseRepository } from '@wwb/infrastructure';
import { MEDIA_BUCKET, MEDIA_RETENTION_LEASE, MediaRetentionRunner, MessagingModule } from '@wwb/messaging';
import { scopeOf } from '@wwb/persistence';
import { PlatformModule } from '@wwb/platform';
import { IdGenerator } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';

jest.setTimeout(120_000);

const config = testConfig({ MEDIA_RETENTION_DAYS: '2', EVENT_LOG_RETENTION_DAYS: '2' });
const scope = scopeOf('acc_retention');
const DAY = 86_400_000;
const ids = new IdGenerator();
let moduleRef: TestingModule;
let db: Connection;

beforeAll(async () => {
  // Compiled, not initialised: no consumers and no timers; the test calls run() itself.
  moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot(config),
      MessagingModule.forWorker(),
      EventLogModule.withConsumer({ retention: true }),
    ],
  }).compile();
  db = moduleRef.get<Connection>(getConnectionToken());
  await db.asPromise();
});

afterAll(async () => {
  await db?.dropDatabase();
  await moduleRef?.close();
});

/** An upload as MediaStore writes it (GridFS bucket `media`, account in the metadata), backdated. */
async function upload(daysAgo: number): Promise<string> {
  const uploadId = ids.prefixed('upl');
  const bucket = new mongo.GridFSBucket(db.db!, { bucketName: MEDIA_BUCKET });
  await new Promise<void>((resolve, reject) => {
    const stream = bucket.openUploadStreamWithId(uploadId as never, uploadId, {
      metadata: { accountId: scope.accountId, mimetype: 'text/plain' },
    });
    stream.once('finish', () => resolve()).once('error', reject);
    stream.end(Buffer.from(`bytes ${daysAgo}`));
  });
  await db
    .collection('media.files')
    .updateOne({ _id: uploadId as never }, { $set: { uploadDate: new Date(Date.now() - daysAgo * DAY) } });
  return uploadId;
}

async function sendingMessage(uploadId: string, pending: boolean): Promise<void> {
  await db.collection('messages').insertOne({
    _id: ids.prefixed('msg') as never,
    accountId: scope.accountId,
    connectionId: 'con_x',
    chatId: '15550001111@c.us',
    to: '+15550001111',
    type: 'document',
    content: { type: 'document', to: '15550001111@c.us', media: { uploadId, mimetype: 'text/plain' } },
    pending,
    createdAt: new Date(),
  });
}

const stored = async (uploadId: string) => ({
  file: await db.collection('media.files').countDocuments({ _id: uploadId as never }),
  chunks: await db.collection('media.chunks').countDocuments({ files_id: uploadId }),
});

it('deletes expired media (file and chunks) in batches, keeps recent and still-used uploads', async () => {
  const expired = [];
  for (let i = 0; i < 130; i++) expired.push(await upload(3)); // more than one batch
  const settled = await upload(5);
  await sendingMessage(settled, false);
  const pendingUse = await upload(5);
  await sendingMessage(pendingUse, true);
  const templateUse = await upload(5);
  await db.collection('templates').insertOne({
    _id: 'tpl_retention' as never,
    accountId: scope.accountId,
    media: { uploadId: templateUse },
  });
  const recent = await upload(1);
  expect(await stored(expired[0]!)).toEqual({ file: 1, chunks: 1 });

  const runner = moduleRef.get(MediaRetentionRunner, { strict: false });
  const leases = moduleRef.get(LeaseRepository, { strict: false });
  // Another worker holds the job: this one does nothing.
  expect(await leases.acquire(MEDIA_RETENTION_LEASE, 'other-worker', 60_000)).toBe(true);
  expect(await runner.run()).toEqual({ leader: false, deleted: 0, kept: 0, reconciled: 0 });
  expect(await stored(expired[0]!)).toEqual({ file: 1, chunks: 1 });
  await leases.release(MEDIA_RETENTION_LEASE, 'other-worker');

  // The deletions just moved the account's byte counter: it is not reconciled in the same run.
  expect(await runner.run()).toEqual({ leader: true, deleted: 131, kept: 2, reconciled: 0 });
  for (const id of [...expired, settled]) expect(await stored(id)).toEqual({ file: 0, chunks: 0 });
  for (const id of [pendingUse, templateUse, recent])
    expect(await stored(id)).toEqual({ file: 1, chunks: 1 });

  // Once the message is sent, its media expires like any other.
  await db.collection('messages').updateMany({ pending: true }, { $set: { pending: false } });
  expect(await runner.run()).toEqual({ leader: true, deleted: 1, kept: 1, reconciled: 0 });
  expect(await stored(pendingUse)).toEqual({ file: 0, chunks: 0 });
});

it('reconciles the stored-bytes counters with the files once they have been quiet', async () => {
  const counters = db.collection('usage_counters');
  const counterId = `${scope.accountId}/mediaBytes`;
  const files = async () =>
    (await db.collection('media.files').find({ 'metadata.accountId': scope.accountId }).toArray()).reduce(
      (n, f) => n + (f.length as number),
      0,
    );
  await upload(0);
  // A drifted counter (FerretDB lost an $inc), quiet for long enough.
  await counters.updateOne(
    { _id: counterId as never },
    { $set: { value: 999_999, changedAt: new Date(Date.now() - 10 * 60_000) } },
  );
  const runner = moduleRef.get(MediaRetentionRunner, { strict: false });
  expect(await runner.run()).toMatchObject({ leader: true, reconciled: 1 });
  const actual = await files();
  expect(actual).toBeGreaterThan(0);
  expect((await counters.findOne({ _id: counterId as never }))?.value).toBe(actual);
  // Recently moved: left alone (a file being stored is counted before it is written).
  await counters.updateOne({ _id: counterId as never }, { $set: { value: 5, changedAt: new Date() } });
  expect(await runner.run()).toMatchObject({ reconciled: 0 });
  expect((await counters.findOne({ _id: counterId as never }))?.value).toBe(5);
});

it('deletes events older than EVENT_LOG_RETENTION_DAYS in batches and keeps the recent ones', async () => {
  const event = (at: number, n: number): EventEnvelope => ({
    id: new IdGenerator().ulid(at),
    type: 'message.received',
    version: 1,
    occurredAt: new Date(at).toISOString(),
    accountId: scope.accountId,
    data: { n },
  });
  const now = Date.now();
  // Backdated ids: a fresh generator each (one generator never goes back in time).
  const old = Array.from({ length: 1_050 }, (_, i) => event(now - 3 * DAY + i, i));
  const edge = event(now - 2 * DAY + 60_000, -1);
  const fresh = Array.from({ length: 5 }, (_, i) => event(now + i, i));
  const repo = moduleRef.get(EventLogRepository, { strict: false });
  await repo.append([...old, edge, ...fresh]);

  const runner = moduleRef.get(EventLogRetentionRunner, { strict: false });
  const leases = moduleRef.get(LeaseRepository, { strict: false });
  expect(await leases.acquire(EVENT_LOG_RETENTION_LEASE, 'other-worker', 60_000)).toBe(true);
  expect(await runner.run()).toEqual({ leader: false, deleted: 0 });
  await leases.release(EVENT_LOG_RETENTION_LEASE, 'other-worker');

  expect(await runner.run()).toEqual({ leader: true, deleted: 1_050 });
  expect(await repo.has(old[0]!.id)).toBe(false);
  expect(await repo.has(old[old.length - 1]!.id)).toBe(false);
  const left = await repo.list(scope, { limit: 100 });
  expect(left.events.map((e) => e.id)).toEqual([edge.id, ...fresh.map((e) => e.id)]);
  expect(await runner.run()).toEqual({ leader: true, deleted: 0 });
});
