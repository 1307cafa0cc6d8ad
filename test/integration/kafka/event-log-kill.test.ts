import { INestApplicationContext } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Model } from 'mongoose';
import { loadConfig } from '@wwb/config';
import { EVENT_LOG_GROUP, EventLogModule, STORED_EVENT_MODEL, StoredEventRecord } from '@wwb/event-log';
import { EventPublisher, KafkaClient } from '@wwb/kafka';
import { testEnv, waitFor } from '@wwb/testing';
import { envelope, startKafkaApp, stopKafkaApp } from '../../support/kafka-test.harness';

jest.setTimeout(150_000);

const N = 5000;
const ROOT = join(__dirname, '../../..');
const env = testEnv();
const config = loadConfig(env);
let app: INestApplicationContext;
let events: Model<StoredEventRecord>;

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** Sum of the duplicates the worker met (events redelivered that were already stored). */
  duplicates: number;
  inserted: number;
}

/** Starts the event-log worker in its own process (real Kafka consumer, real FerretDB). */
function startWorker(extraEnv: Record<string, string>): Worker {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'test/support/event-log-kill.worker.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, WORKER_SESSION_TIMEOUT_MS: '6000', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const worker: Worker = {
    child,
    duplicates: 0,
    inserted: 0,
    ready: new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as { ready?: number; stored?: { inserted: number; duplicates: number } };
        if (msg.ready) resolve();
        if (msg.stored) {
          worker.inserted += msg.stored.inserted;
          worker.duplicates += msg.stored.duplicates;
        }
      });
    }),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  worker.ready.catch(() => undefined);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL')
      process.stderr.write(`worker exit ${code} ${signal}\n${stderr}\n`);
  });
  return worker;
}

/** Sum over partitions of the group's committed offsets. */
async function committedOffsets(): Promise<number> {
  const kafka = app.get(KafkaClient);
  const admin = await kafka.admin();
  const [topic] = await admin.fetchOffsets({
    groupId: kafka.groupId(EVENT_LOG_GROUP),
    topics: [config.kafka.topics.events.name],
  });
  return topic!.partitions.reduce((sum, p) => sum + Math.max(Number(p.offset), 0), 0);
}

beforeAll(async () => {
  app = await startKafkaApp(config, [EventLogModule]);
  events = app.get(getModelToken(STORED_EVENT_MODEL));
});

afterAll(async () => {
  await stopKafkaApp(app, config);
});

it('a worker killed with SIGKILL mid-batch loses nothing and stores nothing twice after restart', async () => {
  const published = Array.from({ length: N }, (_, i) =>
    envelope({ accountId: `acc_${i % 7}`, chatId: `chat_${i % 50}`, sequence: i, data: { i } }),
  );
  const publisher = app.get(EventPublisher);
  for (let i = 0; i < N; i += 500) await publisher.publish(published.slice(i, i + 500));

  // First worker: slow (small chunks, a pause after each), killed once it has stored a third.
  const first = startWorker({ WORKER_BATCH: '20', WORKER_SLOW_MS: '30' });
  await first.ready;
  await waitFor(async () => (await events.estimatedDocumentCount()) >= N / 3, {
    timeoutMs: 60_000,
    intervalMs: 20,
    what: 'a third of the events stored',
  });
  first.child.kill('SIGKILL');
  expect(await first.exited).toBeNull(); // killed by the signal, no clean exit
  await new Promise((r) => setTimeout(r, 300)); // let the store finish a write the worker had sent

  const storedAtKill = await events.countDocuments();
  const committedAtKill = await committedOffsets();
  process.stdout.write(
    `kill -9: stored ${storedAtKill}/${N}, committed ${committedAtKill} ` +
      `(${storedAtKill - committedAtKill} handled but not committed)\n`,
  );
  expect(storedAtKill).toBeGreaterThan(0);
  expect(storedAtKill).toBeLessThan(N);
  // Never commit a message that was not handled.
  expect(committedAtKill).toBeLessThanOrEqual(storedAtKill);

  // Second worker: picks up from the committed offsets, re-handles the uncommitted tail.
  const second = startWorker({ WORKER_BATCH: '200', WORKER_SLOW_MS: '0' });
  await second.ready;
  await waitFor(async () => (await events.countDocuments()) === N, {
    timeoutMs: 60_000,
    what: `all ${N} events stored`,
  });
  await waitFor(async () => (await committedOffsets()) === N, {
    timeoutMs: 20_000,
    what: 'all offsets committed',
  });
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  // Everything redelivered after the kill that had been stored already was recognised as such.
  expect(second.duplicates).toBe(storedAtKill - committedAtKill);
  expect(second.inserted).toBe(N - storedAtKill);

  const ids = (await events.find({}, { _id: 1 }).lean()).map((d) => d._id);
  expect(ids).toHaveLength(N);
  expect(new Set(ids)).toEqual(new Set(published.map((e) => e.id)));
});
