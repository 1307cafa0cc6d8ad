import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { EventEnvelope } from '@wwb/contracts';
import {
  EVENT_LOG_GROUP,
  EventLogConsumer,
  EventLogModule,
  EventLogRepository,
  STORED_EVENT_MODEL,
  StoredEventRecord,
} from '@wwb/event-log';
import { EventPublisher, KafkaClient } from '@wwb/kafka';
import { scopeOf } from '@wwb/persistence';
import { testConfig, waitFor } from '@wwb/testing';
import { envelope, startKafkaApp, stopKafkaApp } from '../../support/kafka-test.harness';

jest.setTimeout(60_000);

const config = testConfig();
let app: INestApplicationContext;
let repository: EventLogRepository;
let model: Model<StoredEventRecord>;
let publisher: EventPublisher;

beforeAll(async () => {
  app = await startKafkaApp(config, [EventLogModule.withConsumer({ maxBatchSize: 100 })]);
  await app.init(); // onApplicationBootstrap: the event-log consumer starts
  repository = app.get(EventLogRepository);
  model = app.get(getModelToken(STORED_EVENT_MODEL));
  publisher = app.get(EventPublisher);
});

afterAll(async () => {
  await stopKafkaApp(app, config);
});

const published: EventEnvelope[] = [];

it('stores every event once, with its envelope and indexed fields', async () => {
  for (let i = 0; i < 300; i++) {
    published.push(
      envelope({
        accountId: i % 3 === 0 ? 'acc_b' : 'acc_a',
        type: i % 2 ? 'test.received' : 'test.sent',
        connectionId: 'conn_1',
        chatId: `chat_${i % 10}`,
        sequence: i,
        correlationId: 'corr_1',
        data: { i, text: `hello ${i}` },
      }),
    );
  }
  await publisher.publish(published.slice(0, 150));
  await publisher.publish(published.slice(150));
  await publisher.publish(published.slice(0, 20)); // published twice: stored once

  // A poison message does not stop the log.
  const producer = await app.get(KafkaClient).producer();
  await producer.send({
    topic: config.kafka.topics.events.name,
    messages: [{ key: 'chat_1', value: 'nope' }],
  });
  const late = envelope({ accountId: 'acc_a', chatId: 'chat_1', type: 'test.received' });
  await publisher.publish(late);
  published.push(late);

  await waitFor(async () => (await model.countDocuments()) === 301 && (await repository.has(late.id)), {
    what: '301 events stored',
  });
  await new Promise((r) => setTimeout(r, 300));
  expect(await model.countDocuments()).toBe(301);

  const row = await model.findById(published[5]!.id).lean();
  expect(row).toMatchObject({
    _id: published[5]!.id,
    accountId: 'acc_a',
    type: 'test.received',
    connectionId: 'conn_1',
    chatId: 'chat_5',
  });
  expect(JSON.parse(row!.envelopeJson)).toEqual(published[5]);
  expect(row!.occurredAt).toEqual(new Date(published[5]!.occurredAt));
  const indexes = await model.collection.indexes();
  expect(indexes.map((i) => i.key)).toContainEqual({ accountId: 1, _id: 1 });
});

it('lists one account in id order, page by page, filtered by type', async () => {
  const mine = published.filter((e) => e.accountId === 'acc_a').sort((a, b) => (a.id < b.id ? -1 : 1));
  const pages: EventEnvelope[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await repository.list(scopeOf('acc_a'), { after, limit: 60 });
    pages.push(page.events);
    if (!page.nextAfter) break;
    after = page.nextAfter;
  }
  expect(pages.flat()).toEqual(mine);
  expect(pages[0]).toHaveLength(60);

  const received = await repository.list(scopeOf('acc_a'), { limit: 1000, types: ['test.received'] });
  expect(received.events.map((e) => e.id)).toEqual(
    mine.filter((e) => e.type === 'test.received').map((e) => e.id),
  );
  expect(received.nextAfter).toBeNull();

  expect((await repository.list(scopeOf('acc_nobody'), { limit: 10 })).events).toEqual([]);
  expect((await repository.list(scopeOf('acc_a'), { limit: 0 })).events).toHaveLength(1); // clamped to 1
});

it('stores data that FerretDB would refuse as a document (dotted and $ keys, nested arrays)', async () => {
  const odd = envelope({
    accountId: 'acc_odd',
    data: { 'a.b': 1, $x: 'y', grid: [[1, 2], [3]], nested: { 'c.d': [[]] } },
  });
  await publisher.publish(odd);
  await waitFor(() => repository.has(odd.id), { what: 'the odd event stored' });
  expect((await repository.list(scopeOf('acc_odd'), { limit: 10 })).events).toEqual([odd]);
});

it('append is idempotent and counts duplicates', async () => {
  const fresh = envelope({ accountId: 'acc_c' });
  expect(await repository.append([published[0]!, fresh, published[1]!])).toEqual({
    inserted: 1,
    duplicates: 2,
  });
  expect(await repository.appendOne(fresh)).toBe(false);
  expect(await repository.append([])).toEqual({ inserted: 0, duplicates: 0 });
});

it('the consumer stops with the application, leaves its group, and a second stop() is a no-op', async () => {
  const consumer = app.get(EventLogConsumer);
  const client = app.get(KafkaClient);
  const admin = client.kafka.admin();
  await admin.connect();
  try {
    const membersOfGroup = async (): Promise<number> =>
      (await admin.describeGroups([client.groupId(EVENT_LOG_GROUP)])).groups[0]!.members.length;
    expect(await membersOfGroup()).toBe(1);

    await consumer.beforeApplicationShutdown(); // what Nest calls when the application closes
    expect(await membersOfGroup()).toBe(0);
    await expect(consumer.stop()).resolves.toBeUndefined(); // idempotent

    const afterStop = envelope({ accountId: 'acc_after_stop' });
    await publisher.publish(afterStop);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await repository.has(afterStop.id)).toBe(false);

    // The event was only waiting for a consumer: a restarted one stores it.
    await consumer.start();
    await waitFor(() => repository.has(afterStop.id), { what: 'the event published while stopped' });
  } finally {
    await admin.disconnect();
  }
});
