/**
 * Messaging benchmarks on loopback, against the local FerretDB and Kafka.
 *
 *   npm run bench:send   (builds the server first; the API child runs the compiled JavaScript)
 *
 * 1. Accept path: `POST /v1/connections/:id/messages` (a text message) on the API started as a
 *    child process (its own event loop and core, as in production), at a fixed rate:
 *    - autocannon at overallRate BENCH_RATE (bursty: each connection sends its quota for the
 *      second back to back);
 *    - a paced open-loop run: one request every 1000/BENCH_RATE ms on keep-alive connections,
 *      latency counted from the time each request was due;
 *    - the same paced load from vegeta (bench/support/vegeta.ts), a Go load generator outside
 *      this process's event loop: the target is read from this run.
 *    Every accepted message is stored in Mongo (pending), holding its pendingMessages slot on
 *    itself (one insert), before the 202; its `gateway.message.send` command is produced to Kafka
 *    alongside the answer
 *    (the sweeper re-publishes it if that fails). No gateway runs here, so every message stays
 *    pending; each run sends as an account of its own, so that no run starts with an account
 *    that earlier runs filled. Target: p99 < 10 ms at 500 requests/s.
 * 2. Inbound message to event on Kafka: a gateway node (in this process) runs a simulator
 *    connection; the simulated phone receives BENCH_INBOUND messages at BENCH_INBOUND_RATE/s and
 *    a plain kafkajs consumer on the events topic times each `message.received` from the
 *    driver's `inbound()` call. Target: p99 < 20 ms.
 *
 *    Same run, same rate, just before it (bench/support/baselines.ts): GET /health/live (the HTTP floor
 *    of that process), an authenticated GET (key lookup + rate limit) and a bare FerretDB
 *    insertOne from the bench process (the storage floor): where the send's time goes.
 *    Also from vegeta, before the runs at BENCH_RATE: the same send at BENCH_LOW_RATE (the send's
 *    own latency on a quiet machine), and for both vegeta runs the CPU each process spent per
 *    send, how busy the cores were and how long the API's main thread waited for one
 *    (bench/support/cpu-budget.ts): the difference between the two runs is queueing for cores.
 * Settings (environment): BENCH_RATE (500), BENCH_LOW_RATE (100), BENCH_DURATION_S (20),
 * BENCH_CONNECTIONS (20), BENCH_INBOUND (2000), BENCH_INBOUND_RATE (200), BENCH_LOG_LEVEL (warn).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { bootstrapApi } from '../apps/api/src/main';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { loadConfig } from '@wwb/config';
import { ConnectionSupervisor, GatewayNode } from '@wwb/gateway';
import { startHttpRole } from '@wwb/http';
import { testEnv, waitFor } from '@wwb/testing';
import { benchAccount, json, PacedResult, startBenchApi } from './support/bench-api';
import { measureBaselines } from './support/baselines';
import { CpuBudget, describeBudget, localServicePids, startCpuBudget } from './support/cpu-budget';
import { autocannonRun, Figures, figures, paced } from './support/send-runs';
import { serverSide } from './support/server-latency';
import { vegetaAttack, VegetaRun } from './support/vegeta';
import { SimulatorDriver } from '@wwb/whatsapp';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const INBOUND = Number(process.env.BENCH_INBOUND ?? 2000);
const INBOUND_RATE = Number(process.env.BENCH_INBOUND_RATE ?? 200);
const LOW_RATE = Number(process.env.BENCH_LOW_RATE ?? 100);

async function dropAndDeleteTopics(env: Record<string, string>): Promise<void> {
  const conn = await mongoose.createConnection(env.MONGO_URI!).asPromise();
  await conn.dropDatabase();
  await conn.close();
  const config = loadConfig(env);
  const admin = new Kafka({ brokers: config.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({
      topics: Object.values(config.kafka.topics)
        .map((t) => t.name)
        .filter((t) => existing.has(t)),
    });
  } finally {
    await admin.disconnect();
  }
}

interface AcceptFigures {
  bursty: Figures;
  steady: Figures;
  /** Same-run baselines (bench/support/baselines.ts), paced at the same rate. */
  /** The same paced load from vegeta (Go): the figure the target is read from. */
  vegeta: Figures;
  floors: Figures[];
  /** CPU of the vegeta runs (bench/support/cpu-budget.ts): at LOW_RATE, then at RATE. */
  cpu: { low: CpuBudget; full: CpuBudget };
  server?: string;
}

function fromVegeta(r: VegetaRun): Figures {
  const { unexpected, ...rest } = r;
  return { ...rest, non2xx: unexpected };
}

async function acceptBench(): Promise<AcceptFigures> {
  const api = await startBenchApi({ WHATSAPP_DRIVER: 'simulator' });
  const { base, child, env } = api;
  try {
    // Each run sends as an account of its own: no gateway runs here, so every message stays
    // pending, and one account would hold more and more of its pendingMessages limit (100,000 on
    // enterprise) from run to run, a state no account whose messages go out is in. Each run ends
    // with its own account holding at most RATE x DURATION_S.
    const sender = async () => {
      const { connectionId, headers } = await benchAccount(base, false);
      return { url: `${base}/v1/connections/${connectionId}/messages`, headers };
    };
    const { url, headers } = await sender();
    const body = JSON.stringify({ to: '+15557654321', type: 'text', text: 'Your order has shipped' });
    await json(url, { method: 'POST', headers, body, expect: 202 });

    console.log(
      `\n1. accept path: POST /v1/connections/:id/messages on API pid ${child.pid}, ${CONNECTIONS} connections`,
    );
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    // Floors first, on a fresh database (the send runs leave thousands of pending messages).
    const b = await measureBaselines({
      base,
      mongoUri: env.MONGO_URI!,
      headers,
      rate: RATE,
      durationS: DURATION_S,
    });
    const floor = (label: string, r: PacedResult) =>
      figures(label, r.times, { requests: r.requests, rps: r.rps, non2xx: r.unexpected, errors: r.errors });
    const floors = [
      floor(`floor GET /health/live`, b.http),
      floor(`floor authenticated GET`, b.authenticatedGet),
      floor(`floor FerretDB insertOne`, b.insert),
    ];
    const vegetaSends = async (rate: number) => {
      const { url, headers } = await sender();
      const budget = startCpuBudget({ API: child.pid!, ...localServicePids() }, child.pid!);
      const run = fromVegeta(
        await vegetaAttack({
          label: `vegeta ${rate}/s, ${DURATION_S} s`,
          method: 'POST',
          url,
          headers,
          body,
          rate,
          durationS: DURATION_S,
          expectStatus: 202,
        }),
      );
      return { run, cpu: budget.stop(run.requests) };
    };
    // The send itself on a quiet machine: what is left at RATE is queueing for the cores.
    const low = await vegetaSends(LOW_RATE);
    floors.push({ ...low.run, label: `floor send ${LOW_RATE}/s (vegeta)` });
    await autocannonRun('warm-up', url, headers, body, RATE, 5, CONNECTIONS);
    const a = await sender();
    const bursty = await autocannonRun(
      `autocannon ${RATE}/s, ${DURATION_S} s`,
      a.url,
      a.headers,
      body,
      RATE,
      DURATION_S,
      CONNECTIONS,
    );
    const p = await sender();
    const steady = await paced(`paced ${RATE}/s, ${DURATION_S} s`, p.url, p.headers, body, RATE, DURATION_S);
    const full = await vegetaSends(RATE);
    const server = await serverSide(base);
    return {
      bursty,
      steady,
      vegeta: full.run,
      floors,
      cpu: { low: low.cpu, full: full.cpu },
      ...(server ? { server } : {}),
    };
  } finally {
    await api.stop();
    await dropAndDeleteTopics(env);
  }
}

async function inboundBench(): Promise<Figures> {
  const env = testEnv({
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    WHATSAPP_DRIVER: 'simulator',
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  const config = loadConfig(env);
  const api = await bootstrapApi(config);
  const gateway = await startHttpRole('gateway', (c) => GatewayModule.forRoot(c), config);
  const kafka = new Kafka({
    brokers: config.kafka.brokers,
    clientId: 'bench-inbound',
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: `${config.kafka.topics.events.name}-bench`,
    maxWaitTimeInMs: 20,
  });
  try {
    await gateway.get(GatewayNode).consumer!.joined;
    const address = api.getHttpServer().address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const { connectionId, accountId } = await benchAccount(`http://127.0.0.1:${address.port}`, true);
    const session = await gateway.get(ConnectionSupervisor).session(connectionId, accountId);
    if (!(session.driver instanceof SimulatorDriver)) throw new Error('not a simulator connection');
    const driver = session.driver;

    const sentAt = new Map<string, number>();
    const times: number[] = [];
    let joined!: () => void;
    const joinedP = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.connect();
    await consumer.subscribe({ topic: config.kafka.topics.events.name, fromBeginning: false });
    await consumer.run({
      partitionsConsumedConcurrently: config.kafka.topics.events.partitions,
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const event = JSON.parse(message.value!.toString()) as { type: string; data: { body?: string } };
        if (event.type !== 'message.received' || !event.data.body) return;
        const t0 = sentAt.get(event.data.body);
        if (t0 !== undefined) times.push(at - t0);
      },
    });
    await joinedP;
    // A few messages first: the producer and the fetch sessions warm up.
    for (let i = 0; i < 50; i++)
      driver.inbound({ from: `+1555000${String(i % 10).padStart(4, '0')}1`, text: `warm-${i}` });
    await new Promise((r) => setTimeout(r, 2000));

    console.log(
      `\n2. inbound (simulator) -> message.received on Kafka: ${INBOUND} messages at ${INBOUND_RATE}/s`,
    );
    const start = performance.now();
    for (let i = 0; i < INBOUND; i++) {
      const due = start + (i * 1000) / INBOUND_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const text = `bench-${i}`;
      sentAt.set(text, performance.now());
      driver.inbound({ from: `+1555${String(1_000_000 + (i % 50)).padStart(7, '0')}`, text });
    }
    await waitFor(() => times.length >= INBOUND, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'every inbound event',
    });
    const elapsedS = (performance.now() - start) / 1000;
    return figures(`inbound ${INBOUND_RATE}/s`, times, {
      requests: INBOUND,
      rps: INBOUND / elapsedS,
      non2xx: 0,
      errors: 0,
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await gateway.close();
    await api.close();
    await dropAndDeleteTopics(env);
  }
}

async function main(): Promise<void> {
  const accept = await acceptBench();
  const inbound = await inboundBench();

  const f = (n: number) => (Number.isNaN(n) ? '-' : n.toFixed(2)).padStart(8);
  console.log(
    '\nrun                          count   per s    p50 ms   p99 ms p99.9 ms   max ms  non2xx errors',
  );
  for (const r of [accept.bursty, accept.steady, accept.vegeta, ...accept.floors, inbound]) {
    console.log(
      `${r.label.padEnd(26)} ${String(r.requests).padStart(7)} ${r.rps.toFixed(0).padStart(7)} ${f(r.p50)} ${f(r.p99)} ${f(r.p999)} ${f(r.max)}  ${String(r.non2xx).padStart(6)} ${String(r.errors).padStart(6)}`,
    );
  }
  if (accept.server) console.log(accept.server);
  console.log(`vegeta ${LOW_RATE}/s: ${describeBudget(accept.cpu.low)}`);
  console.log(`vegeta ${RATE}/s: ${describeBudget(accept.cpu.full)}`);
  const v = accept.vegeta;
  const acceptOk = v.p99 < 10 && v.non2xx === 0 && v.errors === 0;
  const inboundOk = inbound.p99 < 20;
  console.log(
    `\ntarget accept p99 < 10 ms at ${RATE}/s (vegeta, paced): ${acceptOk ? 'MET' : 'NOT MET'} (p99 ${v.p99.toFixed(2)} ms at ${v.rps.toFixed(0)}/s; ` +
      `Node paced loader p99 ${accept.steady.p99.toFixed(2)} ms; autocannon-rate p99 ${accept.bursty.p99.toFixed(2)} ms)` +
      `\ntarget inbound -> Kafka p99 < 20 ms: ${inboundOk ? 'MET' : 'NOT MET'} (p50 ${inbound.p50.toFixed(2)} ms, p99 ${inbound.p99.toFixed(2)} ms)`,
  );
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `send-accept-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ rate: RATE, durationS: DURATION_S, connections: CONNECTIONS, accept, inbound }, null, 2),
  );
  if (accept.bursty.non2xx || accept.steady.non2xx || v.non2xx) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
