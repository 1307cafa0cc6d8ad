/**
 * Webhook delivery benchmark, against the local Kafka and FerretDB:
 *
 *   node -r @swc-node/register bench/webhook-delivery.bench.ts
 *
 * Three processes: this one (the API for setup, then the publisher), the worker
 * (`apps/worker/src/main.ts`, the real worker role: event log, messaging consumers and webhooks)
 * and a fast loopback receiver (bench/support/webhook-receiver.ts, answers 200 at once).
 * Scenarios, each with its own account and endpoints:
 *  1. throughput: BENCH_EVENTS (20,000) events published as fast as possible to one endpoint;
 *     deliveries per second of the worker = events / (last arrival - first arrival);
 *  2. latency: BENCH_RATE (500) events/s for BENCH_DURATION_S (20) s, paced every 10 ms, to an
 *     account with two healthy endpoints; p50 / p99 of the first one, from the event's occurredAt
 *     to its arrival at the receiver;
 *  3. the same with the second endpoint dead (accepts connections, never answers: every attempt
 *     times out after WEBHOOK_TIMEOUT_MS): the healthy one's p50 / p99. Same fan-out work as (2),
 *     so the difference is what a dead neighbour costs.
 * Targets: >= 3,000 deliveries/s; p99 < 50 ms at 500 events/s; (3) p99 within 10 % of (2).
 * Results are printed and written to bench/results/. BENCH_WORKER_FLAGS: extra node flags of the
 * worker (e.g. --cpu-prof); BENCH_PARTITIONS (6); BENCH_TIMEOUT_MS (WEBHOOK_TIMEOUT_MS, 15000);
 * BENCH_MAX_IN_FLIGHT (WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT, default from config/default.json);
 * BENCH_WORKER=webhooks: a dedicated webhook worker (WORKER_CONSUMERS=webhooks) instead of the
 * default worker that also runs the event log and the messaging consumers.
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { EventEnvelope } from '@wwb/contracts';
import { EventPublisher } from '@wwb/kafka';
import { IdGenerator } from '@wwb/runtime';
import { TEST_ADMIN_KEY, testEnv, waitFor } from '@wwb/testing';
import { loadConfig } from '@wwb/config';
import { bootstrapApi } from '../apps/api/src/main';

const N = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const ROOT = join(__dirname, '..');
const ids = new IdGenerator();

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 100 ticks/s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The local FerretDB's pid (scripts/services), to show what the store costs per delivery. */
function storePid(): number | undefined {
  const file = join(ROOT, '.tools/run/ferretdb.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

interface ReceiverStats {
  count: number;
  unique: number;
  first: number;
  last: number;
  p50: number;
  p99: number;
  max: number;
}

function startReceiver(): Promise<{ child: ChildProcess; port: number; deadPort: number }> {
  const child = fork(join(__dirname, 'support/webhook-receiver.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    cwd: ROOT,
  });
  return new Promise((resolve) =>
    child.once('message', (m: { port: number; deadPort: number }) => resolve({ child, ...m })),
  );
}

function receiverStats(child: ChildProcess, path: string): Promise<ReceiverStats> {
  return new Promise((resolve) => {
    child.once('message', (m: ReceiverStats) => resolve(m));
    child.send({ cmd: 'stats', path });
  });
}

async function main(): Promise<void> {
  const env = testEnv({
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    KAFKA_EVENTS_PARTITIONS: process.env.BENCH_PARTITIONS ?? '6',
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    WEBHOOK_TIMEOUT_MS: process.env.BENCH_TIMEOUT_MS ?? '15000',
    ...(process.env.BENCH_MAX_IN_FLIGHT
      ? { WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: process.env.BENCH_MAX_IN_FLIGHT }
      : {}),
    RATE_LIMIT_PER_SECOND: '100000',
    RATE_LIMIT_BURST: '100000',
  });
  const config = loadConfig(env);
  const receiver = await startReceiver();
  const api = await bootstrapApi(config);
  const address = api.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const post = async (path: string, body: unknown, auth: string) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; key: string };
  };
  const tenant = async (name: string, urls: string[]) => {
    const account = await post('/v1/admin/accounts', { name, plan: 'enterprise' }, TEST_ADMIN_KEY);
    const key = await post(`/v1/admin/accounts/${account.id}/api-keys`, { name: 'bench' }, TEST_ADMIN_KEY);
    for (const url of urls) await post('/v1/webhooks', { url, events: ['message.*'] }, key.key);
    return account.id;
  };
  const url = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;
  const dead = `http://127.0.0.1:${receiver.deadPort}/dead`;
  const accounts = {
    warmup: await tenant('warmup', [url('/warmup')]),
    throughput: await tenant('throughput', [url('/throughput')]),
    latency: await tenant('latency', [url('/latency'), url('/latency-peer')]),
    deadEndpoint: await tenant('dead', [url('/with-dead'), dead]),
  };
  const publisher = api.get(EventPublisher);
  const make = (accountId: string, i: number): EventEnvelope => ({
    id: ids.ulid(),
    type: 'message.bench',
    version: 1,
    occurredAt: new Date().toISOString(),
    accountId,
    chatId: `chat-${i % 200}`,
    data: { i, text: 'hello from the bench' },
  });

  const workerFlags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
  const dedicated = process.env.BENCH_WORKER === 'webhooks';
  const worker = spawn(
    process.execPath,
    [...workerFlags, '-r', '@swc-node/register', 'apps/worker/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        HTTP_PORT: '0',
        ...(dedicated ? { WORKER_CONSUMERS: 'webhooks' } : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const results: Record<string, unknown> = {
    when: new Date().toISOString(),
    cpus: cpus().length,
    loadavg: loadavg(),
    settings: {
      N,
      RATE,
      DURATION_S,
      partitions: config.kafka.topics.events.partitions,
      worker: dedicated ? 'dedicated (WORKER_CONSUMERS=webhooks)' : 'default (all consumer sets)',
      maxInFlightPerEndpoint: config.webhooks.maxInFlightPerEndpoint,
    },
  };
  try {
    // Warm-up: the worker joins its groups and takes its partitions.
    await publisher.publish(Array.from({ length: 200 }, (_, i) => make(accounts.warmup, i)));
    await waitFor(async () => (await receiverStats(receiver.child, '/warmup')).unique >= 200, {
      timeoutMs: 120_000,
      intervalMs: 250,
      what: 'warm-up deliveries',
    });

    // 1. Throughput.
    const cpuBefore = { worker: cpuSeconds(worker.pid), store: cpuSeconds(storePid()) };
    for (let i = 0; i < N; i += 1000) {
      await publisher.publish(
        Array.from({ length: Math.min(1000, N - i) }, (_, j) => make(accounts.throughput, i + j)),
      );
    }
    await waitFor(async () => (await receiverStats(receiver.child, '/throughput')).unique >= N, {
      timeoutMs: 600_000,
      intervalMs: 250,
      what: 'throughput deliveries',
    });
    const t = await receiverStats(receiver.child, '/throughput');
    const seconds = (t.last - t.first) / 1000;
    // CPU the worker (and the store) spent on the N deliveries: deliveries per second of a whole
    // core is the capacity where the worker does not share its core with the rest of the bench.
    const workerCpu = cpuSeconds(worker.pid) - cpuBefore.worker;
    const storeCpu = cpuSeconds(storePid()) - cpuBefore.store;
    results.throughput = {
      events: N,
      seconds,
      deliveriesPerSecond: Math.round(N / seconds),
      duplicates: t.count - t.unique,
      p50EventToDeliveredMs: t.p50,
      p99EventToDeliveredMs: t.p99,
      workerCpuMicrosPerDelivery: Math.round((workerCpu / N) * 1e6),
      workerCoreShare: Math.round((workerCpu / seconds) * 100) / 100,
      deliveriesPerWorkerCoreSecond: Math.round(N / workerCpu),
      storeCpuMicrosPerDelivery: Math.round((storeCpu / N) * 1e6),
    };
    console.log('throughput', results.throughput);

    // 2. and 3. Paced latency next to a healthy endpoint, then next to a dead one.
    for (const [name, accountId, path] of [
      ['latency', accounts.latency, '/latency'],
      ['latencyWithDeadEndpoint', accounts.deadEndpoint, '/with-dead'],
    ] as const) {
      const total = RATE * DURATION_S;
      const perTick = Math.max(1, Math.round(RATE / 100));
      const started = Date.now();
      let sent = 0;
      while (sent < total) {
        const due = started + (sent / RATE) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const batch = Array.from({ length: Math.min(perTick, total - sent) }, (_, j) =>
          make(accountId, sent + j),
        );
        await publisher.publish(batch);
        sent += batch.length;
      }
      await waitFor(async () => (await receiverStats(receiver.child, path)).unique >= total, {
        timeoutMs: 120_000,
        intervalMs: 250,
        what: `${name} deliveries`,
      });
      const s = await receiverStats(receiver.child, path);
      results[name] = {
        events: total,
        ratePerSecond: RATE,
        p50Ms: s.p50,
        p99Ms: s.p99,
        maxMs: s.max,
        duplicates: s.count - s.unique,
      };
      console.log(name, results[name]);
    }
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await api.close();
    receiver.child.kill();
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  const file = join(
    __dirname,
    'results',
    `webhook-delivery-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`written to ${file}`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
