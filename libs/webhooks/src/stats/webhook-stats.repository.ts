import { Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { DayTableStore, notAppliedIndexes } from '@wwb/infrastructure';
import { STATS_COLLECTION_PREFIX, statsCollectionOf, WebhookStatsRecord } from './webhook-stats.schema';

/** Counters to add to one stats document (`inc`: dotted hour paths, e.g. `h07.n`). */
export interface StatsIncrement {
  /** Any time of the day the counts belong to. */
  dayMs: number;
  id: string;
  accountId: string;
  endpointId: string;
  partition: number;
  inc: Record<string, number>;
}

/** Endpoint delivery counters (see WebhookStatsRecord): `$inc` by `_id`, read by `_id` range. */
@Injectable()
export class WebhookStatsRepository {
  constructor(private readonly tables: DayTableStore) {}

  private day(dayMs: number): mongo.Collection<WebhookStatsRecord> {
    return this.tables.table<WebhookStatsRecord>(STATS_COLLECTION_PREFIX, dayMs);
  }

  /**
   * Adds the increments (per day, one unordered bulk of upserts). Returns the indexes of those
   * that were not applied, to be tried again: a first upsert that raced another one (duplicate
   * key) is applied by the retry as an update.
   */
  async add(increments: StatsIncrement[]): Promise<Set<number>> {
    const failed = new Set<number>();
    const byDay = new Map<string, number[]>();
    increments.forEach((i, index) => {
      const name = statsCollectionOf(i.dayMs);
      byDay.set(name, [...(byDay.get(name) ?? []), index]);
    });
    for (const indexes of byDay.values()) {
      const ops = indexes.map((index) => {
        const i = increments[index]!;
        return {
          updateOne: {
            filter: { _id: i.id },
            update: {
              $inc: i.inc,
              $setOnInsert: { accountId: i.accountId, endpointId: i.endpointId, partition: i.partition },
            },
            upsert: true,
          },
        };
      });
      try {
        await this.day(increments[indexes[0]!]!.dayMs).bulkWrite(
          ops as mongo.AnyBulkWriteOperation<WebhookStatsRecord>[],
          { ordered: false },
        );
      } catch (err) {
        const notApplied = notAppliedIndexes(err);
        // Not a per-operation failure: what was applied is unknown; all of it is tried again.
        for (const k of notApplied ?? ops.keys()) failed.add(indexes[k]!);
      }
    }
    return failed;
  }

  /** An endpoint's documents of one day (one per partition that had attempts). */
  ofEndpointDay(endpointId: string, dayMs: number): Promise<WebhookStatsRecord[]> {
    // '0' sorts right after '/': the range is exactly the `<endpointId>/` ids.
    return this.day(dayMs)
      .find({ _id: { $gte: `${endpointId}/`, $lt: `${endpointId}0` } })
      .toArray();
  }

  /** Drops the collections of days before `before`; returns how many. */
  dropDaysBefore(before: number): Promise<number> {
    return this.tables.dropBefore(STATS_COLLECTION_PREFIX, before);
  }
}
