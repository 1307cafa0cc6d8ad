/**
 * The `analytics` consumer's counting against the real FerretDB, driven chunk by chunk as the
 * ConsumerRunner drives it, to prove what a crash can do to the counters: a chunk redelivered
 * with other boundaries is counted once (each document skips the offsets it has counted), and a
 * crash between writing the counts and storing the memory of sent messages loses nothing
 * (the memory is rebuilt from the redelivered events, the counts are not repeated).
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import {
  AnalyticsConsumer,
  AnalyticsCountersRepository,
  AnalyticsQueryService,
  analyticsRangeOf,
  AnalyticsSeries,
  AttributionRepository,
} from '@wwb/analytics';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { DayTableStore } from '@wwb/infrastructure';
import { ConsumerRunner } from '@wwb/kafka';
import { PlatformModule } from '@wwb/platform';
import { testConfig } from '@wwb/testing';

jest.setTimeout(120_000);

const T0 = Date.UTC(2026, 11, 7, 9);
const MIN = 60_000;
const ACC = 'acc_counting';
const CON = 'con_counting';
const PARTITION = 3;
const RANGE = analyticsRangeOf({ from: '2026-12-07', to: '2026-12-08' }, T0);

let moduleRef: TestingModule;
let attribution: AttributionRepository;
let query: AnalyticsQueryService;
let config: AppConfig;

beforeAll(async () => {
  config = testConfig();
  moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forRoot(config)],
    providers: [DayTableStore, AnalyticsCountersRepository, AttributionRepository, AnalyticsQueryService],
  }).compile();
  await moduleRef.init();
  attribution = moduleRef.get(AttributionRepository);
  query = moduleRef.get(AnalyticsQueryService);
});

afterAll(async () => {
  await moduleRef.get<Connection>(getConnectionToken()).dropDatabase();
  await moduleRef.close();
});

/** A consumer whose runner is never started: the test hands it chunks itself. */
function consumer(repo: AttributionRepository = attribution): AnalyticsConsumer {
  return new AnalyticsConsumer(
    {} as ConsumerRunner,
    moduleRef.get(AnalyticsCountersRepository),
    repo,
    config,
  );
}

/** The chunk of events [from, to] (offsets = positions). */
const chunk = (events: EventEnvelope[], from: number, to: number) => ({
  events: events.slice(from, to + 1),
  ctx: { partition: PARTITION, offsets: events.slice(from, to + 1).map((_, i) => String(from + i)) },
});

function campaignTraffic(campaignId: string, chats: number): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  let n = 0;
  const ev = (type: string, chat: number, data: object, atMs: number): EventEnvelope => ({
    id: `evt_${campaignId}_${(n += 1)}`,
    type,
    version: 1,
    occurredAt: new Date(atMs).toISOString(),
    accountId: ACC,
    connectionId: CON,
    chatId: `${campaignId}.${chat}@c.us`,
    data: { chatId: `${campaignId}.${chat}@c.us`, ...data },
  });
  const runId = `${campaignId}_r1`;
  for (let c = 0; c < chats; c++) {
    out.push(
      ev(
        'message.sent',
        c,
        {
          waMessageId: `wa_${campaignId}_${c}`,
          fromMe: true,
          origin: { source: 'campaign', campaignId, runId },
        },
        T0 + c,
      ),
    );
  }
  for (let c = 0; c < chats; c++)
    out.push(
      ev('message.status', c, { waMessageId: `wa_${campaignId}_${c}`, status: 'delivered' }, T0 + MIN + c),
    );
  for (let c = 0; c < chats; c += 2)
    out.push(
      ev('message.status', c, { waMessageId: `wa_${campaignId}_${c}`, status: 'read' }, T0 + 2 * MIN + c),
    );
  out.push(ev('message.received', 0, { waMessageId: `in_${campaignId}_0`, fromMe: false }, T0 + 3 * MIN));
  return out;
}

const expected = (chats: number) => ({
  sent: chats,
  delivered: chats,
  read: Math.ceil(chats / 2),
  // Inbound messages count for the account and connection; for the campaign, as its reply.
  received: 0,
  replied: 1,
});

const figures = (s: AnalyticsSeries) => ({
  sent: s.totals.sent,
  delivered: s.totals.delivered,
  read: s.totals.read,
  received: s.totals.received,
  replied: s.totals.replied,
});

describe('analytics counting on FerretDB', () => {
  it('counts a chunk redelivered with other boundaries once', async () => {
    const events = campaignTraffic('cmp_redeliver', 10);
    const c = consumer();
    const first = chunk(events, 0, 14);
    await c.count(first.events, first.ctx);
    // The process dies before committing: the partition is read again from the start, in one bigger chunk.
    const again = chunk(events, 0, events.length - 1);
    await c.count(again.events, again.ctx);
    // And once more, the tail alone (a second crash after the commit of an earlier range).
    const tail = chunk(events, 20, events.length - 1);
    await c.count(tail.events, tail.ctx);

    expect(figures(await query.series(ACC, 'campaign', 'cmp_redeliver', RANGE))).toEqual(expected(10));
    expect(figures(await query.series(ACC, 'run', 'cmp_redeliver_r1', RANGE))).toEqual(expected(10));
  });

  it('loses and repeats nothing when the process dies between the counts and the memory of sent messages', async () => {
    const events = campaignTraffic('cmp_crash', 6);
    let failures = 1;
    const dying = Object.create(attribution) as AttributionRepository;
    dying.save = async (partition, writes) => {
      if (failures-- > 0) throw new Error('killed before the touches were stored');
      return attribution.save(partition, writes);
    };
    const c = consumer(dying);
    const sends = chunk(events, 0, 5);
    await expect(c.count(sends.events, sends.ctx)).rejects.toThrow('killed');
    // Redelivered: the counts are there already; the touches are stored this time.
    await c.count(sends.events, sends.ctx);
    // The statuses and the reply come in later chunks, which need those touches.
    const rest = chunk(events, 6, events.length - 1);
    await c.count(rest.events, rest.ctx);

    expect(figures(await query.series(ACC, 'campaign', 'cmp_crash', RANGE))).toEqual(expected(6));
  });

  it('keeps each account to its own figures and cuts days in the requested zone', async () => {
    const events = campaignTraffic('cmp_zone', 2).map((e) => ({
      ...e,
      // 23:30 UTC on Dec 7 is Dec 8 in Berlin.
      occurredAt: new Date(Date.UTC(2026, 11, 7, 23, 30)).toISOString(),
    }));
    const all = chunk(events, 0, events.length - 1);
    await consumer().count(all.events, { ...all.ctx, partition: 4 });
    const berlin = analyticsRangeOf({ from: '2026-12-07', to: '2026-12-08', timeZone: 'Europe/Berlin' }, T0);
    const s = await query.series(ACC, 'campaign', 'cmp_zone', berlin);
    expect(s.days.map((d) => [d.date, d.metrics.sent])).toEqual([
      ['2026-12-07', 0],
      ['2026-12-08', 2],
    ]);
    expect((await query.series('acc_other', 'campaign', 'cmp_zone', berlin)).totals.sent).toBe(0);
  });
});
