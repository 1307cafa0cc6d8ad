import { INestApplicationContext } from '@nestjs/common';
import { EventEnvelope } from '@wwb/contracts';
import { ConsumerRunner, EventPublisher, KafkaClient, RetryableError } from '@wwb/kafka';
import { testConfig, waitFor } from '@wwb/testing';
import { envelope, sleep, startKafkaApp, stopKafkaApp } from '../../support/kafka-test.harness';

jest.setTimeout(60_000);

const config = testConfig();
let app: INestApplicationContext;
let runner: ConsumerRunner;
let publisher: EventPublisher;

beforeAll(async () => {
  app = await startKafkaApp(config);
  runner = app.get(ConsumerRunner);
  publisher = app.get(EventPublisher);
});

afterAll(async () => {
  await stopKafkaApp(app, config);
});

/** Sum of the committed offsets of a group (= messages it will not see again). */
async function committed(group: string): Promise<number> {
  const admin = await app.get(KafkaClient).admin();
  const offsets = await admin.fetchOffsets({
    groupId: app.get(KafkaClient).groupId(group),
    topics: [config.kafka.topics.events.name],
  });
  return offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(Number(p.offset), 0), 0);
}

it('stop() lets the in-flight handler finish and commits exactly what was handled', async () => {
  const events = Array.from({ length: 60 }, (_, i) =>
    envelope({ accountId: 'acc_stop', chatId: `chat_${i % 6}` }),
  );
  await publisher.publish(events);

  const firstRun: string[] = [];
  let inFlight: string | undefined;
  const first = await runner.run({
    groupId: 'stopper',
    topic: 'events',
    concurrency: 3,
    handler: async (event: EventEnvelope) => {
      inFlight = event.id;
      await sleep(40);
      firstRun.push(event.id);
      inFlight = undefined;
    },
  });
  await waitFor(() => firstRun.length >= 10, { what: '10 events handled' });
  await waitFor(() => inFlight !== undefined, { what: 'a handler in flight', intervalMs: 1 });
  const inFlightAtStop = inFlight!;
  await first.stop();

  // The handler that was running when stop() began was allowed to finish.
  expect(firstRun).toContain(inFlightAtStop);
  expect(firstRun.length).toBeLessThan(events.length);
  expect(await committed('stopper')).toBe(firstRun.length);

  const secondRun: string[] = [];
  const second = await runner.run({
    groupId: 'stopper',
    topic: 'events',
    concurrency: 3,
    handler: async (event) => {
      secondRun.push(event.id);
    },
  });
  try {
    await waitFor(() => firstRun.length + secondRun.length >= events.length, { what: 'the rest handled' });
    await sleep(300); // anything redelivered by mistake would show up now
    expect(secondRun.filter((id) => firstRun.includes(id))).toEqual([]);
    expect(new Set([...firstRun, ...secondRun])).toEqual(new Set(events.map((e) => e.id)));
    expect(secondRun).toHaveLength(events.length - firstRun.length);
  } finally {
    await second.stop();
  }
});

it('stop() during a retry backoff returns quickly and leaves the message for the next consumer', async () => {
  const event = envelope({ accountId: 'acc_backoff' });
  await publisher.publish(event);
  let attempts = 0;
  const first = await runner.run({
    groupId: 'backoff',
    topic: 'events',
    retry: { baseMs: 60_000, maxMs: 60_000 },
    handler: async (e) => {
      if (e.id !== event.id) return;
      attempts++;
      throw new RetryableError('dependency down');
    },
  });
  await waitFor(() => attempts === 1, { what: 'first attempt' });
  const started = Date.now();
  await first.stop();
  expect(Date.now() - started).toBeLessThan(5000);

  const redelivered: string[] = [];
  const second = await runner.run({
    groupId: 'backoff',
    topic: 'events',
    handler: async (e) => {
      redelivered.push(e.id);
    },
  });
  try {
    await waitFor(() => redelivered.includes(event.id), { what: 'the unhandled event redelivered' });
  } finally {
    await second.stop();
  }
});

it('application shutdown stops the runners that are still running', async () => {
  const separate = testConfig();
  const other = await startKafkaApp(separate);
  const handled: string[] = [];
  await other.get(ConsumerRunner).run({
    groupId: 'shutdown',
    topic: 'events',
    handler: async (e) => {
      handled.push(e.id);
    },
  });
  const event = envelope();
  await other.get(EventPublisher).publish(event);
  await waitFor(() => handled.length === 1, { what: 'one event handled' });
  const started = Date.now();
  await stopKafkaApp(other, separate);
  expect(Date.now() - started).toBeLessThan(10_000);
});
