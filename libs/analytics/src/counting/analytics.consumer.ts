import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { DAY_MS, floorDay, hourFieldOf } from '@wwb/infrastructure';
import { BatchContext, ConsumerHandle, ConsumerRunner } from '@wwb/kafka';
import { AnalyticsCountersRepository, CountersWrite } from '../counters/analytics-counters.repository';
import { counterIdOf } from '../counters/analytics-counters.schema';
import { AttributionRepository } from './attribution.repository';
import { CountedEvent, countEvents, Increment, stateKeyOf } from './event-counting.policy';

export const ANALYTICS_GROUP = 'analytics';
const HOUR_MS = 3_600_000;

/**
 * Consumer group `analytics`: counts every event into the daily counters of its account,
 * connection, campaign and run (GET /v1/analytics reads those, never the history). A chunk of
 * a partition is counted in three steps: read what is remembered of its chats and runs, write
 * the counts (each document skips what its offset says it counted, see CountersRecord), then
 * store what the chunk adds to the memory. A crash between the steps redelivers the chunk; the
 * counts written are not repeated and the memory is rebuilt from the same events.
 */
@Injectable()
export class AnalyticsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly counters: AnalyticsCountersRepository,
    private readonly attribution: AttributionRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.handle = await this.runner.run({
      groupId: ANALYTICS_GROUP,
      topic: 'events',
      concurrency: 2,
      maxBatchSize: 1000,
      handlerBatch: (events, ctx) => this.count(events, ctx),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  /** Counts a chunk of one partition (events in offset order, the last at ctx.lastOffset). */
  async count(events: EventEnvelope[], ctx: Pick<BatchContext, 'partition' | 'offsets'>): Promise<void> {
    if (events.length === 0) return;
    const withOffsets: CountedEvent[] = events.map((event, i) => ({ event, offset: Number(ctx.offsets[i]) }));
    const settings = this.config.analytics;
    const times = events.map((e) => Date.parse(e.occurredAt));
    const keys = [...new Set(events.map(stateKeyOf).filter((k): k is string => k !== undefined))];
    const loaded = await this.attribution.load(
      ctx.partition,
      keys,
      Math.min(...times) - settings.attributionDays * DAY_MS,
      Math.max(...times),
    );
    const { increments, writes } = countEvents(withOffsets, loaded, settings.replyWindowHours * HOUR_MS);
    await this.write(ctx.partition, increments, withOffsets[withOffsets.length - 1]!.offset);
    if (writes.length > 0) await this.attribution.save(ctx.partition, writes);
  }

  private async write(partition: number, increments: Increment[], lastOffset: number): Promise<void> {
    const byDay = new Map<number, Map<string, { first: Increment; list: Increment[] }>>();
    for (const i of increments) {
      const day = floorDay(i.atMs);
      const docs = byDay.get(day) ?? new Map<string, { first: Increment; list: Increment[] }>();
      byDay.set(day, docs);
      const id = counterIdOf(i.scope, i.scopeId, partition);
      const doc = docs.get(id);
      if (doc) doc.list.push(i);
      else docs.set(id, { first: i, list: [i] });
    }
    for (const [day, docs] of byDay) {
      const offsets = await this.counters.offsets(day, [...docs.keys()]);
      const writes: CountersWrite[] = [];
      for (const [id, { first, list }] of docs) {
        const counted = offsets.get(id);
        const inc: Record<string, number> = {};
        for (const i of list) {
          if (counted !== undefined && i.offset <= counted) continue; // counted before a crash
          const path = `${hourFieldOf(i.atMs)}.${i.metric}`;
          inc[path] = (inc[path] ?? 0) + i.n;
        }
        if (Object.keys(inc).length === 0) continue;
        writes.push({
          id,
          accountId: first.accountId,
          scope: first.scope,
          scopeId: first.scopeId,
          partition,
          expected: counted,
          offset: lastOffset,
          inc,
        });
      }
      await this.counters.apply(day, writes);
    }
  }
}
