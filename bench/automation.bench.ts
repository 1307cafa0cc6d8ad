/**
 * Automation benchmark: inbound message -> the `gateway.message.send` command of its automated
 * reply on Kafka, against the local FerretDB and Kafka.
 *
 *   node -r @swc-node/register bench/automation.bench.ts
 *
 * This process runs the API (set-up, and the in-process cost figures) and a gateway node with a
 * ready simulator connection; the worker is a child process (its own event loop, as in
 * production) running only WORKER_CONSUMERS=automation: the reply's command is published by the
 * send use case inside the automation consumer, so the messaging set (conversations, statuses,
 * the outbox sweeper) is not on the measured path (BENCH_WORKER_CONSUMERS=automation,messaging
 * adds it, to see what sharing the worker with it costs).
 * The account (enterprise plan) has 200 auto-reply rules (keywords, contains, regex, startsWith,
 * equals/endsWith, tag, business-hours, first-message and message-type conditions) of which the
 * 190th by priority answers the "rule" stream, and a 1,000-entry FAQ bot in fallback mode that
 * answers the "FAQ" stream (no rule matches it, so all 200 rules are evaluated first).
 * Load: BENCH_INBOUND_RATE (200) inbound messages/s for BENCH_DURATION_S (20) s through the
 * simulator driver in this process, each from its own phone (no cooldown or loop-breaker
 * suppression), a BENCH_RULE_SHARE (0.5) of them for the rule stream. A plain kafkajs consumer on
 * the commands topic times each reply's command from the driver's `inbound()` call (matched by
 * the reply's chat). Target: p99 < 30 ms. Also printed: the rule-evaluation cost per message
 * (evaluateRules over the 200 compiled rules, in process), the FAQ cost per message (the matcher
 * alone, and FaqBotsService.ask with its reads), and, from a probe preloaded into the worker
 * (bench/support/worker-probe.ts; BENCH_PROBE=0 leaves it out), the pipeline's time per message
 * and the MongoDB commands it sends per message. Results go to bench/results/.
 * Other settings: BENCH_DRAIN_S (30: how long to wait for the last replies), BENCH_RULES (200), BENCH_FAQ_ENTRIES (1000), BENCH_PARTITIONS (events topic, 6 as in
 * config/default.json), BENCH_LOG_LEVEL (warn),
 * BENCH_WORKER_FLAGS (extra node flags of the worker, e.g. --cpu-prof).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { bootstrapApi } from '../apps/api/src/main';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
// the pure matcher, to tell matching from the reads around it (the lib exports only its service)
import { FaqMatcher } from '../libs/faq-bots/src/faq-matching.policy';
import { compileRule, evaluateRules, InboundFacts, Rule } from '@wwb/automation';
import { loadConfig } from '@wwb/config';
import { GATEWAY_COMMANDS } from '@wwb/contracts';
import { FaqBotsService } from '@wwb/faq-bots';
import { ConnectionSupervisor, GatewayNode } from '@wwb/gateway';
import { startHttpRole } from '@wwb/http';
import { scopeOf } from '@wwb/persistence';
import { testEnv, waitFor } from '@wwb/testing';
import { SimulatorDriver } from '@wwb/whatsapp';
import {
  benchFaqEntries,
  benchRules,
  FALLBACK_ANSWER,
  faqText,
  MATCH_POSITION,
  ruleText,
} from './support/automation-fixtures';
import {
  cpuSeconds,
  Costs,
  latency,
  printReport,
  printVerdict,
  Report,
  storePid,
} from './support/automation-report';
import { benchAccount, json } from './support/bench-api';
import { probeStats, ProbeStats, resetProbe } from './support/worker-probe';

const RATE = Number(process.env.BENCH_INBOUND_RATE ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const RULE_SHARE = Number(process.env.BENCH_RULE_SHARE ?? 0.5);
const RULES = Number(process.env.BENCH_RULES ?? 200);
const FAQ_ENTRIES = Number(process.env.BENCH_FAQ_ENTRIES ?? 1000);
const PROBE = process.env.BENCH_PROBE !== '0';
const DRAIN_S = Number(process.env.BENCH_DRAIN_S ?? 30);
const WORKER_CONSUMERS = process.env.BENCH_WORKER_CONSUMERS ?? 'automation';
const ROOT = join(__dirname, '..');

type Stream = 'rule' | 'faq';

/** Microseconds per call of `fn` over `inputs`, after a warm-up round. */
async function microsPerCall<T>(inputs: T[], rounds: number, fn: (input: T) => unknown): Promise<number> {
  for (const input of inputs) await fn(input);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const input of inputs) await fn(input);
  return ((performance.now() - t0) * 1000) / (rounds * inputs.length);
}

const peer = (n: number): string => `+1555${String(2_000_000 + n).padStart(7, '0')}`;
const chatOf = (phone: string): string => `${phone.slice(1)}@c.us`;

async function dropAndDeleteTopics(env: Record<string, string>): Promise<void> {
  const conn = await mongoose.createConnection(env.MONGO_URI!).asPromise();
  await conn.dropDatabase();
  await conn.close();
  const config = loadConfig(env);
  const admin = new Kafka({ brokers: config.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = Object.values(config.kafka.topics).map((t) => t.name);
    await admin.deleteTopics({ topics: topics.filter((t) => existing.has(t)) });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const env = testEnv({
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    WHATSAPP_DRIVER: 'simulator',
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
    HTTP_BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
    KAFKA_EVENTS_PARTITIONS: process.env.BENCH_PARTITIONS ?? '6',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  // this process's own commands are timed too (the probe is imported above)
  const config = loadConfig(PROBE ? { ...env, MONGO_URI: `${env.MONGO_URI}?monitorCommands=true` } : env);
  const api = await bootstrapApi(config);
  const gateway = await startHttpRole('gateway', (c) => GatewayModule.forRoot(c), config);
  const address = api.getHttpServer().address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const base = `http://127.0.0.1:${address.port}`;
  const kafka = new Kafka({
    brokers: config.kafka.brokers,
    clientId: 'bench-automation',
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: `${config.kafka.topics.commands.name}-bench`,
    maxWaitTimeInMs: 20,
  });
  const workerFlags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
  const probe = PROBE ? ['-r', './bench/support/worker-probe.ts'] : [];
  const mongoUri = PROBE ? `${env.MONGO_URI}?monitorCommands=true` : env.MONGO_URI!;
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    await gateway.get(GatewayNode).consumer!.joined;
    const { accountId, connectionId, headers } = await benchAccount(base, true);
    const post = <T>(path: string, body: unknown, expect = 201) =>
      json<T>(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body), expect });
    const session = await gateway.get(ConnectionSupervisor).session(connectionId, accountId);
    if (!(session.driver instanceof SimulatorDriver)) throw new Error('not a simulator connection');
    const driver = session.driver;

    // 200 rules and the FAQ bot
    const rules: Rule[] = [];
    for (const body of benchRules(RULES)) {
      const dto = await post<Omit<Rule, 'accountId' | 'createdAt' | 'updatedAt'>>('/v1/auto-replies', body);
      rules.push({ ...dto, accountId, createdAt: new Date(), updatedAt: new Date() });
    }
    const entries = benchFaqEntries(FAQ_ENTRIES);
    const bot = await post<{ id: string }>('/v1/faq-bots', {
      name: 'Support FAQ',
      language: 'en',
      mode: 'fallback',
      handoffAfterMisses: 0,
      fallbackAnswer: FALLBACK_ANSWER,
      entries,
    });

    // the worker
    worker = spawn(
      process.execPath,
      [...workerFlags, '-r', '@swc-node/register', ...probe, 'apps/worker/src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, MONGO_URI: mongoUri, HTTP_PORT: '0', WORKER_CONSUMERS },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    const ask = <T>(cmd: string, field: string) =>
      new Promise<T>((resolve) => {
        const on = (m: Record<string, unknown>) => {
          if (!(field in m)) return;
          worker!.off('message', on);
          resolve(m[field] as T);
        };
        worker!.on('message', on);
        worker!.send({ cmd });
      });

    // replies, timed from the inbound() call
    const pending = new Map<string, { at: number; stream: Stream }>();
    let lastReplyAt = 0;
    const times: Record<Stream, number[]> = { rule: [], faq: [] };
    const replies = { faqAnswered: 0, faqFallback: 0, unexpected: 0 };
    let joined!: () => void;
    const joinedP = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.connect();
    await consumer.subscribe({ topic: config.kafka.topics.commands.name, fromBeginning: false });
    await consumer.run({
      partitionsConsumedConcurrently: config.kafka.topics.commands.partitions,
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const command = JSON.parse(message.value!.toString()) as {
          type: string;
          data: { chatId: string; message: { text?: string } };
        };
        if (command.type !== GATEWAY_COMMANDS.messageSend) return;
        const sent = pending.get(command.data.chatId);
        if (!sent) return void replies.unexpected++;
        pending.delete(command.data.chatId);
        lastReplyAt = at;
        times[sent.stream].push(at - sent.at);
        if (sent.stream === 'faq') {
          if (command.data.message.text === FALLBACK_ANSWER) replies.faqFallback++;
          else replies.faqAnswered++;
        }
      },
    });
    await joinedP;

    const inject = (n: number, stream: Stream) => {
      const from = peer(n);
      pending.set(chatOf(from), { at: performance.now(), stream });
      driver.inbound({ from, text: stream === 'rule' ? ruleText(n) : faqText(entries, n) });
    };
    // warm-up: the worker joins its group, loads and compiles the rules, builds the FAQ index
    const WARM = 60;
    for (let n = 0; n < WARM; n++) inject(n, n % 2 ? 'faq' : 'rule');
    await waitFor(() => pending.size === 0, { timeoutMs: 180_000, intervalMs: 100, what: 'warm-up replies' });
    await new Promise((r) => setTimeout(r, 1000));
    times.rule.length = times.faq.length = 0;
    Object.assign(replies, { faqAnswered: 0, faqFallback: 0, unexpected: 0 });
    if (PROBE) {
      await ask('reset', 'reset');
      resetProbe();
    }

    const total = Math.round(RATE * DURATION_S);
    const sent: Record<Stream, number> = { rule: 0, faq: 0 };
    console.log(
      `\ninbound -> reply command: ${total} messages at ${RATE}/s (${Math.round(RULE_SHARE * 100)}% rule stream), ` +
        `${RULES} rules (match at #${MATCH_POSITION}), ${FAQ_ENTRIES} FAQ entries, worker: ${WORKER_CONSUMERS}`,
    );
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const cpuBefore = { bench: process.cpuUsage(), store: cpuSeconds(storePid(ROOT)) };
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const stream: Stream = Math.floor((i + 1) * RULE_SHARE) > Math.floor(i * RULE_SHARE) ? 'rule' : 'faq';
      sent[stream]++;
      inject(WARM + i, stream);
    }
    const elapsedS = (performance.now() - start) / 1000;
    await waitFor(() => pending.size === 0, {
      timeoutMs: DRAIN_S * 1000,
      intervalMs: 50,
      what: 'every reply',
    }).catch(() => undefined);
    const stats = PROBE ? await ask<ProbeStats>('stats', 'stats') : undefined;
    const local = PROBE ? probeStats() : undefined;
    const benchCpu = process.cpuUsage(cpuBefore.bench);
    const storeCpu = cpuSeconds(storePid(ROOT)) - cpuBefore.store;
    const results = {
      rule: latency(times.rule, sent.rule),
      faq: latency(times.faq, sent.faq),
      all: latency([...times.rule, ...times.faq], total),
    };

    // in-process costs per message
    const compiled = rules.map(compileRule);
    const facts = (text: string): InboundFacts => ({
      connectionId,
      text,
      messageType: 'text',
      chatType: 'direct',
      contactTags: [],
      firstMessage: true,
    });
    const now = new Date();
    const ruleFacts = Array.from({ length: 300 }, (_, n) => facts(ruleText(n)));
    const faqFacts = Array.from({ length: 300 }, (_, n) => facts(faqText(entries, n)));
    const evaluatedOf = (f: InboundFacts) => evaluateRules(compiled, f, now).evaluated.length;
    const matcher = new FaqMatcher(entries, 'en');
    const faqTexts = faqFacts.map((f) => f.text);
    const faqService = api.get(FaqBotsService, { strict: false });
    const scope = scopeOf(accountId);
    const costs: Costs = {
      rulesEvaluatedRuleStream: evaluatedOf(ruleFacts[0]!),
      rulesEvaluatedFaqStream: evaluatedOf(faqFacts[0]!),
      evaluateRulesMicrosRuleStream: await microsPerCall(ruleFacts, 20, (f) =>
        evaluateRules(compiled, f, now),
      ),
      evaluateRulesMicrosFaqStream: await microsPerCall(faqFacts, 20, (f) => evaluateRules(compiled, f, now)),
      faqMatchMicros: await microsPerCall(faqTexts, 5, (t) => matcher.match(t)),
      faqAskMicros: await microsPerCall(faqTexts.slice(0, 100), 3, (t) => faqService.ask(scope, bot.id, t)),
    };

    const handled = stats?.inbound.count || total;
    const report: Report = {
      settings: { rate: RATE, rules: RULES, faqEntries: FAQ_ENTRIES },
      sent: total,
      elapsedS,
      repliesPerSecond: (results.all.count * 1000) / (lastReplyAt - start),
      latencyMs: results,
      replies,
      costs,
      cpuMsPerMessage: {
        bench: (benchCpu.user + benchCpu.system) / 1000 / total,
        store: (storeCpu * 1000) / handled,
      },
      ...(stats ? { worker: stats } : {}),
      ...(local ? { bench: local } : {}),
    };
    printReport(report);
    printVerdict(report);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `automation-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const settings = {
      RATE,
      DURATION_S,
      RULE_SHARE,
      RULES,
      FAQ_ENTRIES,
      MATCH_POSITION,
      WORKER_CONSUMERS,
      PROBE,
    };
    const workerStats = stats && { ...stats, inbound: { ...stats.inbound, times: undefined } };
    writeFileSync(
      file,
      JSON.stringify(
        {
          when: new Date().toISOString(),
          cpus: cpus().length,
          loadavg: loadavg(),
          ...report,
          settings,
          worker: workerStats,
          bench: local && { ...local, inbound: undefined },
        },
        null,
        2,
      ),
    );
    console.log(`written to ${file}`);
    if (results.all.missing > 0) process.exitCode = 1;
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await consumer.disconnect().catch(() => undefined);
    await gateway.close();
    await api.close();
    await dropAndDeleteTopics(env);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
