/**
 * Event backbone benchmark: produce-to-handled throughput and latency through our
 * EventPublisher + ConsumerRunner, next to raw kafkajs (eachBatch) on the same broker, same run.
 *
 *   node -r @swc-node/register bench/event-backbone.bench.ts      (npm run bench:events)
 *
 * Needs the local Kafka and FerretDB (scripts/services/up.sh). Settings (environment):
 * BENCH_EVENTS (100000 per run), BENCH_ROUNDS (3), BENCH_PARTITIONS (6), BENCH_CONCURRENCY (3),
 * BENCH_CHUNK (events per publish call, 1000).
 *
 * Scenarios, interleaved ours / raw, BENCH_ROUNDS times each; the median run is reported
 * (a shared 2-core machine with the broker on it is noisy):
 * - live: a consumer group is running (positioned at the end of the topic), then N events are
 *   published in chunks with our EventPublisher; throughput is N over the time from the first
 *   publish to the last handled event; latency is publish-to-handled per event. Both sides are
 *   bounded by the producer, so the publish-only rate of the same run is shown too.
 * - drain: a new group reads N events already in the topic; throughput is N over the time from
 *   the first to the last handled event: the pure consumer cost, where differences show.
 * Our handler and the raw one do the same work (note the event's timestamp). Ours also
 * validates the envelope (ajv), runs the handler in a RequestContext, counts metrics and
 * manages offsets and retries; raw only JSON.parses the value.
 * Ours (events topic) and raw (commands topic) use separate topics with the same partitions.
 */
import { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { Consumer, EachBatchPayload } from 'kafkajs';
import { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppConfig, ConfigModule } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { ConsumerRunner, EventPublisher, KafkaClient, KafkaModule, TopicName } from '@wwb/kafka';
import { ObservabilityModule } from '@wwb/observability';
import { PersistenceModule } from '@wwb/persistence';
import { IdGenerator, RuntimeModule } from '@wwb/runtime';
import { testConfig } from '@wwb/testing';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1000);

interface Result {
  scenario: string;
  events: number;
  seconds: number;
  perSecond: number;
  p50?: number;
  p99?: number;
  max?: number;
  publishPerSecond?: number;
}

type BenchData = { t: number; i: number };

/** Collects handled events: count, first/last time and publish-to-handled latencies. */
class Recorder {
  count = 0;
  first = 0;
  last = 0;
  markerSeen = false;
  readonly latencies = new Float64Array(N);
  private readonly done: Promise<void>;
  private resolve!: () => void;

  constructor(private readonly withLatency: boolean) {
    this.done = new Promise((r) => (this.resolve = r));
  }

  /** Records one handled event; markers (i < 0) only say that the consumer is positioned. */
  record(data: BenchData): void {
    if (data.i < 0) {
      this.markerSeen = true;
      return;
    }
    if (this.count >= N) return;
    const now = performance.now();
    if (this.count === 0) this.first = now;
    if (this.withLatency) this.latencies[this.count] = now - data.t;
    this.count++;
    this.last = now;
    if (this.count === N) this.resolve();
  }

  async wait(timeoutMs = 300_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.done,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`only ${this.count}/${N} handled`)), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  result(scenario: string, since?: number): Result {
    const seconds = (this.last - (since ?? this.first)) / 1000;
    const out: Result = { scenario, events: this.count, seconds, perSecond: this.count / seconds };
    if (this.withLatency) {
      const sorted = Float64Array.from(this.latencies.subarray(0, this.count)).sort();
      const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
      out.p50 = pct(0.5);
      out.p99 = pct(0.99);
      out.max = sorted[sorted.length - 1];
    }
    return out;
  }
}

const ids = new IdGenerator();

function makeEvent(i: number): EventEnvelope<BenchData> {
  return {
    id: ids.ulid(),
    type: 'bench.happened',
    version: 1,
    occurredAt: new Date().toISOString(),
    accountId: `acc_${i % 20}`,
    connectionId: `conn_${i % 50}`,
    chatId: `chat_${i % 1000}`,
    data: { t: performance.now(), i },
  };
}

/** Publishes N events in chunks; returns the time of the first publish call and the publish rate. */
async function produce(
  publisher: EventPublisher,
  topic: TopicName,
): Promise<{ start: number; perSecond: number }> {
  const start = performance.now();
  for (let i = 0; i < N; i += CHUNK) {
    const chunk: EventEnvelope[] = [];
    for (let j = i; j < Math.min(N, i + CHUNK); j++) chunk.push(makeEvent(j));
    await publisher.publish(chunk, { topic });
  }
  return { start, perSecond: N / ((performance.now() - start) / 1000) };
}

/** Publishes markers until the consumer has seen one: it is then positioned at the end. */
async function waitPositioned(publisher: EventPublisher, topic: TopicName, rec: Recorder): Promise<void> {
  for (let i = 0; !rec.markerSeen; i++) {
    if (i > 100) throw new Error('consumer never saw a marker');
    if (i % 5 === 0) await publisher.publish(makeEvent(-1), { topic });
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Stoppable = { stop(): Promise<void> };

async function runOurs(
  runner: ConsumerRunner,
  groupId: string,
  topic: TopicName,
  rec: Recorder,
  opts: { batchMode?: boolean; fromBeginning: boolean },
): Promise<Stoppable> {
  const common = { groupId, topic, concurrency: CONCURRENCY, fromBeginning: opts.fromBeginning };
  const handle = opts.batchMode
    ? await runner.run({
        ...common,
        maxBatchSize: 1000,
        handlerBatch: async (events) => {
          for (const e of events) rec.record(e.data as BenchData);
        },
      })
    : await runner.run({ ...common, handler: async (e) => rec.record(e.data as BenchData) });
  await handle.joined;
  return handle;
}

async function runRaw(
  client: KafkaClient,
  groupId: string,
  topicName: string,
  rec: Recorder,
  opts: { fromBeginning: boolean },
): Promise<Stoppable> {
  const consumer: Consumer = client.kafka.consumer({
    groupId: client.groupId(groupId),
    maxWaitTimeInMs: 1000,
  });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.connect();
  await consumer.subscribe({ topic: topicName, fromBeginning: opts.fromBeginning });
  await consumer.run({
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
      for (const m of batch.messages) {
        const e = JSON.parse(m.value!.toString()) as EventEnvelope<BenchData>;
        rec.record(e.data);
        resolveOffset(m.offset);
      }
      await heartbeat();
    },
  });
  await joined;
  return { stop: () => consumer.disconnect() };
}

/** The run with the median throughput. */
function median(runs: Result[]): Result {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function table(results: Result[]): string {
  const f = (n: number | undefined, d = 1) => (n === undefined ? '-' : n.toFixed(d));
  const rows = [
    ['scenario', 'events', 'seconds', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'publish/s'],
    ...results.map((r) => [
      r.scenario,
      String(r.events),
      f(r.seconds, 2),
      f(r.perSecond, 0),
      f(r.p50),
      f(r.p99),
      f(r.max),
      f(r.publishPerSecond, 0),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  const config: AppConfig = testConfig({
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    KAFKA_TOPIC_PREFIX: `bench${tag}.`,
    KAFKA_EVENTS_PARTITIONS: String(PARTITIONS),
    KAFKA_COMMANDS_PARTITIONS: String(PARTITIONS),
    MONGO_URI: `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27017}/bench_${tag}`,
  });
  class BenchModule {}
  const root: DynamicModule = {
    module: BenchModule,
    imports: [
      ConfigModule.forRoot(config),
      RuntimeModule,
      ObservabilityModule,
      PersistenceModule,
      KafkaModule,
    ],
  };
  const app: INestApplicationContext = await NestFactory.createApplicationContext(root, {
    logger: ['error'],
  });
  const runner = app.get(ConsumerRunner);
  const publisher = app.get(EventPublisher);
  const client = app.get(KafkaClient);
  const runs: Record<string, Result[]> = {};
  const keep = (key: string, r: Result) => (runs[key] ??= []).push(r);
  const cpu = process.cpuUsage();
  const started = performance.now();
  process.stdout.write(
    `event backbone bench: ${N} events per run, ${ROUNDS} rounds, ${PARTITIONS} partitions, ` +
      `concurrency ${CONCURRENCY}, chunk ${CHUNK}, broker ${config.kafka.brokers.join(',')}, prefix bench${tag}.\n`,
  );

  type Starter = (rec: Recorder, fromBeginning: boolean) => Promise<Stoppable>;
  const ours =
    (group: string, topic: TopicName, batchMode = false): Starter =>
    (rec, fromBeginning) =>
      runOurs(runner, group, topic, rec, { batchMode, fromBeginning });
  const raw =
    (group: string, topic: TopicName): Starter =>
    (rec, fromBeginning) =>
      runRaw(client, group, client.topicName(topic), rec, { fromBeginning });

  async function live(key: string, topic: TopicName, start: Starter): Promise<void> {
    const rec = new Recorder(true);
    const consumer = await start(rec, false);
    await waitPositioned(publisher, topic, rec);
    const p = await produce(publisher, topic);
    await rec.wait();
    await consumer.stop();
    keep(key, { ...rec.result(key, p.start), publishPerSecond: p.perSecond });
  }

  async function drain(key: string, start: Starter): Promise<void> {
    const rec = new Recorder(false);
    const consumer = await start(rec, true);
    await rec.wait();
    await consumer.stop();
    keep(key, rec.result(key));
  }

  try {
    await publisher.publish(makeEvent(-1)); // warm-up: connections, metadata, JIT
    for (let r = 0; r < ROUNDS; r++) {
      await live('ours: live', 'events', ours(`ours-live-${r}`, 'events'));
      await live('raw kafkajs: live', 'commands', raw(`raw-live-${r}`, 'commands'));
    }
    for (let r = 0; r < ROUNDS; r++) {
      await drain('ours: drain', ours(`ours-drain-${r}`, 'commands'));
      await drain('raw kafkajs: drain', raw(`raw-drain-${r}`, 'commands'));
      await drain('ours (batch mode): drain', ours(`ours-batch-drain-${r}`, 'commands', true));
    }
  } finally {
    const admin = await client.admin();
    const { events, commands, deadLetter } = config.kafka.topics;
    await admin
      .deleteTopics({ topics: [events.name, commands.name, deadLetter.name] })
      .catch(() => undefined);
    await app
      .get<Connection>(getConnectionToken())
      .dropDatabase()
      .catch(() => undefined);
    await app.close();
  }

  const order = [
    'ours: live',
    'raw kafkajs: live',
    'ours: drain',
    'ours (batch mode): drain',
    'raw kafkajs: drain',
  ];
  const results = order.map((k) => median(runs[k]!));
  const rate = (k: string) => median(runs[k]!).perSecond;
  const liveRatio = rate('ours: live') / rate('raw kafkajs: live');
  const drainRatio = rate('ours: drain') / rate('raw kafkajs: drain');
  const batchRatio = rate('ours (batch mode): drain') / rate('raw kafkajs: drain');
  const used = process.cpuUsage(cpu);
  process.stdout.write(`\nmedian of ${ROUNDS} runs each:\n${table(results)}\n\n`);
  process.stdout.write(
    `all runs (events/s): ${order.map((k) => `${k} [${runs[k]!.map((r) => r.perSecond.toFixed(0)).join(', ')}]`).join('; ')}\n`,
  );
  process.stdout.write(
    `ours / raw kafkajs: live ${(liveRatio * 100).toFixed(0)}%, drain ${(drainRatio * 100).toFixed(0)}%, ` +
      `batch-mode drain ${(batchRatio * 100).toFixed(0)}%\n` +
      `target (ours live >= 10000 events/s and >= 70% of raw): ` +
      `${rate('ours: live') >= 10_000 && liveRatio >= 0.7 ? 'met' : 'NOT met'}\n` +
      `wall ${((performance.now() - started) / 1000).toFixed(0)} s; bench process CPU: user ` +
      `${(used.user / 1e6).toFixed(1)} s, system ${(used.system / 1e6).toFixed(1)} s\n`,
  );
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `event-backbone-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify(
      { n: N, rounds: ROUNDS, partitions: PARTITIONS, concurrency: CONCURRENCY, chunk: CHUNK, runs },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
