import { INestApplicationContext } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { EventEnvelope } from '@wwb/contracts';
import {
  ConsumerContext,
  ConsumerHandle,
  ConsumerRunner,
  DLQ_HEADERS,
  EventPublisher,
  KafkaClient,
  KafkaHealth,
  PermanentError,
  RetryableError,
  TopicAdmin,
} from '@wwb/kafka';
import { AppLogger, MetricsRegistry } from '@wwb/observability';
import { RequestContext } from '@wwb/runtime';
import { testConfig, waitFor } from '@wwb/testing';
import { envelope, startKafkaApp, stopKafkaApp, TopicReader } from '../../support/kafka-test.harness';

jest.setTimeout(30_000);

const config = testConfig({
  CONSUMER_MAX_ATTEMPTS: '3',
  CONSUMER_RETRY_BASE_MS: '20',
  CONSUMER_RETRY_MAX_MS: '100',
});
let app: INestApplicationContext;
let runner: ConsumerRunner;
let publisher: EventPublisher;
let metrics: MetricsRegistry;
let deadLetters: TopicReader;
const handles: ConsumerHandle[] = [];

beforeAll(async () => {
  app = await startKafkaApp(config);
  runner = app.get(ConsumerRunner);
  publisher = app.get(EventPublisher);
  metrics = app.get(MetricsRegistry);
  deadLetters = await new TopicReader(config, config.kafka.topics.deadLetter.name).start();
});

afterAll(async () => {
  await Promise.all(handles.map((h) => h.stop()));
  await deadLetters?.stop();
  await stopKafkaApp(app, config);
});

/** Every test consumes the whole topic with its own group and only looks at its own account. */
async function consume(
  groupId: string,
  accountId: string,
  handler: (event: EventEnvelope, ctx: ConsumerContext) => Promise<void>,
): Promise<ConsumerHandle> {
  const handle = await runner.run({
    groupId,
    topic: 'events',
    concurrency: 3,
    handler: async (event, ctx) => {
      if (event.accountId === accountId) await handler(event, ctx);
    },
  });
  handles.push(handle);
  return handle;
}

async function counter(group: string, outcome: string): Promise<number> {
  const metric = await metrics.consumedTotal.get();
  return metric.values.find((v) => v.labels.group === group && v.labels.outcome === outcome)?.value ?? 0;
}

function deadLettersOf(group: string) {
  return deadLetters.messages.filter((m) => deadLetters.header(m, DLQ_HEADERS.group) === group);
}

it('round trip: key, headers, correlation id from the request context, order per chat', async () => {
  const seen: { event: EventEnvelope; ctx: ConsumerContext; contextCorrelationId?: string }[] = [];
  const chatEvents = Array.from({ length: 20 }, (_, i) =>
    envelope({ accountId: 'acc_rt', connectionId: 'conn_1', chatId: 'chat_1', sequence: i }),
  );
  const connectionEvent = envelope({ accountId: 'acc_rt', connectionId: 'conn_2' });
  const accountEvent = envelope({ accountId: 'acc_rt', correlationId: 'corr-own' });

  await RequestContext.run({ correlationId: 'corr-http' }, async () => {
    await publisher.publish(chatEvents);
    await publisher.publish(connectionEvent);
    await publisher.publish(accountEvent);
  });

  await consume('round-trip', 'acc_rt', async (event, ctx) => {
    seen.push({ event, ctx, contextCorrelationId: RequestContext.current().correlationId });
  });
  await waitFor(() => seen.length === 22, { what: '22 events handled' });

  const byId = new Map(seen.map((s) => [s.event.id, s]));
  const first = byId.get(chatEvents[0]!.id)!;
  expect(first.event).toEqual(chatEvents[0]);
  expect(first.ctx.headers).toMatchObject({
    'event-id': chatEvents[0]!.id,
    'event-type': 'test.happened',
    'correlation-id': 'corr-http',
  });
  expect(first.contextCorrelationId).toBe('corr-http');
  expect(first.ctx.correlationId).toBe('corr-http');
  // The envelope's own correlation id wins over the request's.
  expect(byId.get(accountEvent.id)!.ctx.headers['correlation-id']).toBe('corr-own');
  expect(byId.get(accountEvent.id)!.contextCorrelationId).toBe('corr-own');

  // One chat = one partition, in order.
  const chatSeen = seen.filter((s) => s.event.chatId === 'chat_1');
  expect(chatSeen.map((s) => s.event.sequence)).toEqual(chatEvents.map((e) => e.sequence));
  expect(new Set(chatSeen.map((s) => s.ctx.partition)).size).toBe(1);

  // Keys: chatId ?? connectionId ?? accountId.
  const raw = await new TopicReader(config, config.kafka.topics.events.name).start();
  try {
    await waitFor(() => raw.messages.length >= 22, { what: 'raw messages' });
    const keyOf = (id: string) => raw.messages.find((m) => raw.header(m, 'event-id') === id)?.key?.toString();
    expect(keyOf(chatEvents[3]!.id)).toBe('chat_1');
    expect(keyOf(connectionEvent.id)).toBe('conn_2');
    expect(keyOf(accountEvent.id)).toBe('acc_rt');
  } finally {
    await raw.stop();
  }

  expect(await counter('round-trip', 'ok')).toBeGreaterThanOrEqual(22);
  const produced = await metrics.producedTotal.get();
  expect(
    produced.values.find((v) => v.labels.topic === config.kafka.topics.events.name)?.value,
  ).toBeGreaterThanOrEqual(22);
});

it('retries a retryable error in place, then succeeds', async () => {
  const event = envelope({ accountId: 'acc_retry' });
  const attempts: number[] = [];
  let succeeded = false;
  await consume('retry-then-ok', 'acc_retry', async (_e, ctx) => {
    attempts.push(ctx.attempt);
    if (ctx.attempt < 3) throw new RetryableError('database unavailable');
    succeeded = true;
  });
  await publisher.publish(event);

  await waitFor(() => succeeded, { what: 'success on the third attempt' });
  expect(attempts).toEqual([1, 2, 3]);
  expect(await counter('retry-then-ok', 'retried')).toBe(2);
  expect(deadLettersOf('retry-then-ok')).toHaveLength(0);
});

it('dead-letters after maxAttempts for unknown errors, at once for permanent ones', async () => {
  const flaky = envelope({ accountId: 'acc_dlq', chatId: 'c1', data: { kind: 'flaky' } });
  const bad = envelope({ accountId: 'acc_dlq', chatId: 'c2', data: { kind: 'bad' } });
  const fine = envelope({ accountId: 'acc_dlq', chatId: 'c1', data: { kind: 'fine' } });
  const calls = new Map<string, number>();
  await consume('dead-letter', 'acc_dlq', async (event) => {
    calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
    if (event.id === flaky.id) throw new Error('boom');
    if (event.id === bad.id) throw new PermanentError('no such chat');
  });
  await publisher.publish([flaky, bad, fine]);

  await waitFor(() => deadLettersOf('dead-letter').length === 2 && calls.has(fine.id), {
    what: 'two dead letters and the following event handled',
  });
  expect(calls.get(flaky.id)).toBe(3);
  expect(calls.get(bad.id)).toBe(1);
  expect(calls.get(fine.id)).toBe(1);

  const dl = (id: string) =>
    deadLettersOf('dead-letter').find((m) => deadLetters.header(m, 'event-id') === id)!;
  const flakyDl = dl(flaky.id);
  expect(JSON.parse(flakyDl.value!.toString())).toEqual(flaky);
  expect(flakyDl.key?.toString()).toBe('c1');
  expect(deadLetters.header(flakyDl, DLQ_HEADERS.reason)).toBe('max_attempts');
  expect(deadLetters.header(flakyDl, DLQ_HEADERS.attempts)).toBe('3');
  expect(deadLetters.header(flakyDl, DLQ_HEADERS.error)).toBe('Error: boom');
  expect(deadLetters.header(flakyDl, DLQ_HEADERS.sourceTopic)).toBe(config.kafka.topics.events.name);
  expect(deadLetters.header(flakyDl, DLQ_HEADERS.sourcePartition)).toMatch(/^\d+$/);
  expect(deadLetters.header(flakyDl, DLQ_HEADERS.sourceOffset)).toMatch(/^\d+$/);

  const badDl = dl(bad.id);
  expect(deadLetters.header(badDl, DLQ_HEADERS.reason)).toBe('permanent_error');
  expect(deadLetters.header(badDl, DLQ_HEADERS.attempts)).toBe('1');
  expect(deadLetters.header(badDl, DLQ_HEADERS.error)).toBe('PermanentError: no such chat');
  expect(await counter('dead-letter', 'dead_lettered')).toBe(2);
  expect(await counter('dead-letter', 'retried')).toBe(2);
});

it('dead-letters poison messages at once and keeps consuming the partition', async () => {
  const kafka = new Kafka({ clientId: 'poison', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const after = envelope({ accountId: 'acc_poison', chatId: 'poison-key' });
  const poisonGroup = 'poison';
  const handled: string[] = [];
  try {
    await producer.send({
      topic: config.kafka.topics.events.name,
      messages: [
        { key: 'poison-key', value: '{not json', headers: { 'event-id': 'p1' } },
        {
          key: 'poison-key',
          value: JSON.stringify({ id: 'p2', type: 'NotDotted', accountId: 'acc_poison' }),
        },
        { key: 'poison-key', value: null },
      ],
    });
  } finally {
    await producer.disconnect();
  }
  await publisher.publish(after);
  await consume(poisonGroup, 'acc_poison', async (event) => {
    handled.push(event.id);
  });

  // Every group sees the poison: wait for this group's three dead letters.
  await waitFor(() => deadLettersOf(poisonGroup).length === 3 && handled.length === 1, {
    what: 'three poison messages dead-lettered, the next event handled',
  });
  const mine = deadLettersOf(poisonGroup);
  expect(mine.map((m) => deadLetters.header(m, DLQ_HEADERS.reason))).toEqual([
    'invalid_message',
    'invalid_message',
    'invalid_message',
  ]);
  expect(mine[0]!.value!.toString()).toBe('{not json');
  expect(deadLetters.header(mine[0]!, DLQ_HEADERS.error)).toMatch(/^not JSON/);
  expect(deadLetters.header(mine[0]!, 'event-id')).toBe('p1');
  expect(deadLetters.header(mine[1]!, DLQ_HEADERS.error)).toContain('/type');
  expect(mine[2]!.value).toBeNull();
  expect(deadLetters.header(mine[2]!, DLQ_HEADERS.error)).toBe('empty message');
  expect(deadLetters.header(mine[0]!, DLQ_HEADERS.attempts)).toBe('0');
  expect(handled).toEqual([after.id]);
});

it('batch mode hands chunks over, and isolates a failing event', async () => {
  const events = Array.from({ length: 50 }, (_, i) =>
    envelope({ accountId: 'acc_batch', chatId: 'batch-chat', sequence: i }),
  );
  const poisoned = events[17]!;
  const calls: number[] = [];
  const stored: string[] = [];
  const handle = await runner.run({
    groupId: 'batch',
    topic: 'events',
    maxBatchSize: 20,
    handlerBatch: async (batch) => {
      const mine = batch.filter((e) => e.accountId === 'acc_batch');
      if (!mine.length) return;
      calls.push(mine.length);
      if (mine.some((e) => e.id === poisoned.id)) throw new PermanentError('cannot store');
      stored.push(...mine.map((e) => e.id));
    },
  });
  handles.push(handle);
  await publisher.publish(events);

  const poisonedDeadLetters = () =>
    deadLettersOf('batch').filter((m) => deadLetters.header(m, 'event-id') === poisoned.id);
  await waitFor(() => stored.length === 49 && poisonedDeadLetters().length === 1, {
    what: '49 stored, one dead-lettered',
  });
  expect(stored).toEqual(events.filter((e) => e !== poisoned).map((e) => e.id));
  expect(deadLetters.header(poisonedDeadLetters()[0]!, DLQ_HEADERS.reason)).toBe('permanent_error');
  expect(calls.some((n) => n > 1)).toBe(true);
});

/** The committed offset of a group on one partition of the events topic (-1: none). */
async function committedOffset(groupId: string, partition: number): Promise<number> {
  const client = app.get(KafkaClient);
  const admin = await client.admin();
  const [topic] = await admin.fetchOffsets({
    groupId: client.groupId(groupId),
    topics: [config.kafka.topics.events.name],
  });
  return Number(topic!.partitions.find((p) => p.partition === partition)?.offset ?? -1);
}

it('deferredCommits: fetching goes on while a chunk is not durable; commits stop at it until it is', async () => {
  const events = Array.from({ length: 20 }, (_, i) =>
    envelope({ accountId: 'acc_deferred', chatId: 'deferred-chat', sequence: i }),
  );
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const handled: string[] = [];
  let gated: { partition: number; firstOffset: string } | undefined;
  let last: { partition: number; offset: string } | undefined;
  const handle = await runner.run({
    groupId: 'deferred',
    topic: 'events',
    maxBatchSize: 5,
    deferredCommits: true,
    commitIntervalMs: 100,
    handlerBatch: async (batch, ctx) => {
      const mine = batch.filter((e) => e.accountId === 'acc_deferred');
      if (!mine.length) return;
      handled.push(...mine.map((e) => e.id));
      if (!gated) {
        gated = { partition: ctx.partition, firstOffset: ctx.firstOffset };
        ctx.defer(gate);
      } else ctx.defer(Promise.resolve());
      last = { partition: ctx.partition, offset: ctx.lastOffset };
    },
  });
  handles.push(handle);
  await publisher.publish(events);

  // Every chunk is handled although the first one's durable work is still pending.
  await waitFor(() => handled.length === 20, { what: 'all 20 handled' });
  expect(handled).toEqual(events.map((e) => e.id));
  await new Promise((r) => setTimeout(r, 500)); // several commit intervals
  expect(await committedOffset('deferred', gated!.partition)).toBeLessThanOrEqual(Number(gated!.firstOffset));

  openGate();
  await waitFor(
    async () => (await committedOffset('deferred', last!.partition)) === Number(last!.offset) + 1,
    {
      what: 'committed past the last chunk once the first is durable',
    },
  );
});

it('deferredCommits: a failed durable step makes the partition be read again from that chunk', async () => {
  const events = Array.from({ length: 12 }, (_, i) =>
    envelope({ accountId: 'acc_deferred_fail', chatId: 'deferred-fail-chat', sequence: i }),
  );
  const seen = new Map<string, number>();
  let failed = false;
  let last: { partition: number; offset: string } | undefined;
  const handle = await runner.run({
    groupId: 'deferred-fail',
    topic: 'events',
    maxBatchSize: 4,
    deferredCommits: true,
    commitIntervalMs: 100,
    handlerBatch: async (batch, ctx) => {
      const mine = batch.filter((e) => e.accountId === 'acc_deferred_fail');
      if (!mine.length) return;
      for (const e of mine) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
      if (!failed && mine.some((e) => e.id === events[5]!.id)) {
        failed = true;
        ctx.defer(new Promise((_, reject) => setTimeout(() => reject(new Error('store down')), 50)));
      } else ctx.defer(Promise.resolve());
      last = { partition: ctx.partition, offset: ctx.lastOffset };
    },
  });
  handles.push(handle);
  await publisher.publish(events);

  await waitFor(() => failed && (seen.get(events[5]!.id) ?? 0) >= 2 && seen.size === 12, {
    what: 'the failed chunk read again',
  });
  // Events before the failed chunk were durable: they are not read again.
  expect(seen.get(events[0]!.id)).toBe(1);
  expect(events.every((e) => (seen.get(e.id) ?? 0) >= 1)).toBe(true);
  await waitFor(
    async () => (await committedOffset('deferred-fail', last!.partition)) === Number(last!.offset) + 1,
    {
      what: 'committed to the end after the re-read',
    },
  );
});

it('laneOf: a blocked key never holds another key of its partition; order per key; retries and dead letters per event; commits wait for the blocked one', async () => {
  // One chat id, hence one partition, for all of them; the lane key is in the data.
  const lanesOf = ['slow', 'fast', 'fast', 'slow', 'fast', 'poison', 'fast'];
  const events = lanesOf.map((lane, i) =>
    envelope({ accountId: 'acc_lanes', chatId: 'lanes-chat', sequence: i, data: { lane, i } }),
  );
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const done: string[] = [];
  const tries = new Map<number, number>();
  let slowPartition = -1;
  let slowOffset = -1;
  const handle = await runner.run({
    groupId: 'lanes',
    topic: 'events',
    commitIntervalMs: 100,
    laneOf: (e) => String((e.data as { lane?: string }).lane ?? ''),
    handler: async (e, ctx) => {
      if (e.accountId !== 'acc_lanes') return;
      const { lane, i } = e.data as { lane: string; i: number };
      tries.set(i, (tries.get(i) ?? 0) + 1);
      if (lane === 'slow' && i === 0) {
        slowPartition = ctx.partition;
        slowOffset = Number(ctx.offset);
        await gate;
      }
      if (lane === 'fast' && i === 2 && tries.get(i) === 1) throw new RetryableError('once');
      if (lane === 'poison') throw new PermanentError('bad');
      done.push(`${lane}:${i}`);
    },
  });
  handles.push(handle);
  await publisher.publish(events);

  // The fast lane finishes (with its retry) while the first slow event is blocked.
  await waitFor(() => done.filter((d) => d.startsWith('fast')).length === 4, { what: 'fast lane done' });
  expect(done.filter((d) => d.startsWith('fast'))).toEqual(['fast:1', 'fast:2', 'fast:4', 'fast:6']);
  expect(tries.get(2)).toBe(2);
  expect(done).not.toContain('slow:3'); // behind slow:0 in its own lane
  // (The group reads the whole shared topic: earlier tests' invalid messages are dead-lettered too.)
  const poisoned = () =>
    deadLettersOf('lanes').filter((m) => deadLetters.header(m, DLQ_HEADERS.reason) === 'permanent_error');
  await waitFor(() => poisoned().length === 1, { what: 'poison dead-lettered' });
  // Nothing is committed past the blocked event (several commit intervals later).
  await new Promise((r) => setTimeout(r, 400));
  expect(await committedOffset('lanes', slowPartition)).toBeLessThanOrEqual(slowOffset);
  openGate();
  await waitFor(() => done.includes('slow:3'), { what: 'slow lane done' });
  expect(done.indexOf('slow:0')).toBeLessThan(done.indexOf('slow:3'));
  await waitFor(async () => (await committedOffset('lanes', slowPartition)) >= slowOffset + events.length, {
    what: 'committed past all of them once the blocked event is done',
  });
});

it('topics are created idempotently with the configured partitions; health answers', async () => {
  await app.get(TopicAdmin).ensureTopics(); // a second time: no error
  const admin = await app.get(KafkaClient).admin();
  const { topics } = config.kafka;
  const meta = await admin.fetchTopicMetadata({
    topics: [topics.events.name, topics.commands.name, topics.deadLetter.name],
  });
  const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
  expect(partitions).toEqual({
    [topics.events.name]: topics.events.partitions,
    [topics.commands.name]: topics.commands.partitions,
    [topics.deadLetter.name]: topics.deadLetter.partitions,
  });

  // Two processes starting at once on a fresh prefix: both succeed, the topics exist once.
  const fresh = testConfig();
  const clients = [0, 1].map(() => new KafkaClient(fresh, new AppLogger(fresh)));
  try {
    await Promise.all(clients.map((c) => new TopicAdmin(c, fresh, new AppLogger(fresh)).ensureTopics()));
    const names = await admin.listTopics();
    expect(names.filter((n) => n.startsWith(fresh.raw.KAFKA_TOPIC_PREFIX)).sort()).toEqual(
      [
        fresh.kafka.topics.commands.name,
        fresh.kafka.topics.deadLetter.name,
        fresh.kafka.topics.events.name,
      ].sort(),
    );
    await admin.deleteTopics({ topics: Object.values(fresh.kafka.topics).map((t) => t.name) });
  } finally {
    await Promise.all(clients.map((c) => c.onApplicationShutdown()));
  }

  const health = await app.get(KafkaHealth).check();
  expect(health).toMatchObject({ up: true, brokers: 1 });
  expect(health.latencyMs).toBeGreaterThanOrEqual(0);
});
