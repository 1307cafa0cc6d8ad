/**
 * Analytics counting and reading benchmark, against the local FerretDB:
 *
 *   npm run bench:analytics
 *
 * In this process, the worker's counting step (AnalyticsConsumer.count, as the `analytics` group
 * calls it, chunk by chunk; Kafka itself is not in the measurement):
 *  1. counting: a campaign of BENCH_RECIPIENTS (20,000) recipients spread over BENCH_PARTITIONS (6)
 *     partitions: message.sent, a delivered ack each, a read ack for half, a reply for a tenth,
 *     in chunks of BENCH_CHUNK (1,000) events per partition: events/s and chunk p50 / p99.
 *  2. reading: GET /v1/analytics/campaigns/{id} as the API computes it, over 30 and 366 days,
 *     BENCH_READS (20) times each: p50 / p99, with the totals checked against what was sent.
 * Results are printed and written to bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { Connection } from 'mongoose';
import {
  AnalyticsConsumer,
  AnalyticsCountersRepository,
  AnalyticsQueryService,
  analyticsRangeOf,
  AttributionRepository,
} from '@wwb/analytics';
import { loadConfig } from '@wwb/config';
import type { EventEnvelope } from '@wwb/contracts';
import { DayTableStore } from '@wwb/infrastructure';
import { ConsumerRunner } from '@wwb/kafka';
import { PlatformModule } from '@wwb/platform';
import { testEnv } from '@wwb/testing';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 20_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1_000);
const READS = Number(process.env.BENCH_READS ?? 20);
const ACCOUNT = 'acc_bench_analytics';
const CAMPAIGN = 'cmp_bench';
const RUN = `${CAMPAIGN}_r1`;
const CONNECTION = 'con_bench';
const T0 = Date.now() - 6 * 3_600_000;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
};

/** One partition's events, in the order WhatsApp would produce them. */
function partitionEvents(p: number): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  let n = 0;
  const ev = (type: string, r: number, data: object, atMs: number): EventEnvelope => ({
    id: `evt_${p}_${(n += 1)}`,
    type,
    version: 1,
    occurredAt: new Date(atMs).toISOString(),
    accountId: ACCOUNT,
    connectionId: CONNECTION,
    chatId: `${r}@c.us`,
    data: { chatId: `${r}@c.us`, ...data },
  });
  const mine = [];
  for (let r = p; r < RECIPIENTS; r += PARTITIONS) mine.push(r);
  for (const r of mine) {
    const at = T0 + r * 10;
    out.push(
      ev(
        'message.sent',
        r,
        {
          waMessageId: `wa${r}`,
          fromMe: true,
          origin: { source: 'campaign', campaignId: CAMPAIGN, runId: RUN },
        },
        at,
      ),
    );
  }
  for (const r of mine)
    out.push(ev('message.status', r, { waMessageId: `wa${r}`, status: 'delivered' }, T0 + 3_600_000 + r));
  for (const r of mine)
    if (r % 2 === 0)
      out.push(ev('message.status', r, { waMessageId: `wa${r}`, status: 'read' }, T0 + 7_200_000 + r));
  for (const r of mine)
    if (r % 10 === 0)
      out.push(ev('message.received', r, { waMessageId: `in${r}`, fromMe: false }, T0 + 10_800_000 + r));
  return out;
}

async function main(): Promise<void> {
  const config = loadConfig(
    testEnv({ MONGO_URI: `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27017}/wwb_bench_analytics` }),
  );
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config)],
    providers: [DayTableStore, AnalyticsCountersRepository, AttributionRepository, AnalyticsQueryService],
  }).compile();
  await moduleRef.init();
  const db = moduleRef.get<Connection>(getConnectionToken());
  await db.dropDatabase();
  const consumer = new AnalyticsConsumer(
    {} as ConsumerRunner,
    moduleRef.get(AnalyticsCountersRepository),
    moduleRef.get(AttributionRepository),
    config,
  );
  const query = moduleRef.get(AnalyticsQueryService);

  const perPartition = Array.from({ length: PARTITIONS }, (_, p) => partitionEvents(p));
  const total = perPartition.reduce((s, e) => s + e.length, 0);
  const chunkMs: number[] = [];
  const started = performance.now();
  // Partitions are counted side by side, as the group's members (or one member's concurrency) would.
  await Promise.all(
    perPartition.map(async (events, p) => {
      for (let i = 0; i < events.length; i += CHUNK) {
        const chunk = events.slice(i, i + CHUNK);
        const t = performance.now();
        await consumer.count(chunk, { partition: p, offsets: chunk.map((_, k) => String(i + k)) });
        chunkMs.push(performance.now() - t);
      }
    }),
  );
  const countSeconds = (performance.now() - started) / 1000;

  const reads: Record<string, { p50: number; p99: number }> = {};
  let totals: Record<string, unknown> = {};
  const now = Date.now();
  const ranges = {
    '30d': analyticsRangeOf({}, now),
    '366d': analyticsRangeOf({ from: new Date(now - 365 * 86_400_000).toISOString().slice(0, 10) }, now),
  };
  for (const [label, range] of Object.entries(ranges)) {
    const times: number[] = [];
    for (let i = 0; i < READS; i++) {
      const t = performance.now();
      const s = await query.series(ACCOUNT, 'campaign', CAMPAIGN, range);
      times.push(performance.now() - t);
      totals = {
        sent: s.totals.sent,
        delivered: s.totals.delivered,
        read: s.totals.read,
        replied: s.totals.replied,
      };
    }
    reads[label] = { p50: pct(times, 0.5), p99: pct(times, 0.99) };
  }
  const expected = {
    sent: RECIPIENTS,
    delivered: RECIPIENTS,
    read: Math.ceil(RECIPIENTS / 2),
    replied: Math.ceil(RECIPIENTS / 10),
  };
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Math.round(l * 10) / 10) },
    settings: { recipients: RECIPIENTS, partitions: PARTITIONS, chunk: CHUNK },
    counting: {
      events: total,
      seconds: Math.round(countSeconds * 10) / 10,
      eventsPerSecond: Math.round(total / countSeconds),
      chunkP50Ms: pct(chunkMs, 0.5),
      chunkP99Ms: pct(chunkMs, 0.99),
    },
    reads,
    totals,
    countsCorrect: JSON.stringify(totals) === JSON.stringify(expected),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    join(__dirname, 'results', `analytics-${result.when.replace(/[:.]/g, '-')}.json`),
    JSON.stringify(result, null, 2),
  );
  await db.dropDatabase();
  await moduleRef.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
