import { Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { dayTableOf, DayTableStore, notAppliedIndexes } from '@wwb/infrastructure';
import { API_USAGE_PREFIX, ApiUsageRecord } from './api-usage.schema';

/** Counters to add to one usage document (`inc`: dotted hour paths such as `h07.requests`). */
export interface UsageIncrement {
  /** Any time of the UTC day the counts belong to. */
  dayMs: number;
  /** `<apiKeyId>/<processId>` (usageIdOf). */
  id: string;
  accountId: string;
  apiKeyId: string;
  inc: Record<string, number>;
}

/** The per-key usage documents (ApiUsageRecord) in their day tables. */
@Injectable()
export class ApiUsageRepository {
  constructor(private readonly tables: DayTableStore) {}

  /**
   * Adds the increments: per day table, one unordered bulk of `$inc` upserts. Returns the indexes
   * (in `increments`) of those not applied, for the caller to try again with its next write.
   */
  async add(increments: readonly UsageIncrement[]): Promise<Set<number>> {
    const failed = new Set<number>();
    const byTable = new Map<string, number[]>();
    increments.forEach((i, index) => {
      const name = dayTableOf(API_USAGE_PREFIX, i.dayMs);
      const list = byTable.get(name);
      if (list) list.push(index);
      else byTable.set(name, [index]);
    });
    for (const indexes of byTable.values()) {
      const ops: mongo.AnyBulkWriteOperation<ApiUsageRecord>[] = indexes.map((index) => {
        const i = increments[index]!;
        return {
          updateOne: {
            filter: { _id: i.id },
            update: {
              $inc: i.inc,
              $setOnInsert: { accountId: i.accountId, apiKeyId: i.apiKeyId },
            } as mongo.UpdateFilter<ApiUsageRecord>,
            upsert: true,
          },
        };
      });
      try {
        await this.table(increments[indexes[0]!]!.dayMs).bulkWrite(ops, { ordered: false });
      } catch (err) {
        // Without per-operation errors what was applied is unknown: all of it is tried again.
        const notApplied = notAppliedIndexes(err) ?? [...ops.keys()];
        for (const k of notApplied) failed.add(indexes[k]!);
      }
    }
    return failed;
  }

  /** The documents of an account in the table of the UTC day of `dayMs` (any key, any process). */
  ofAccountDay(accountId: string, dayMs: number): Promise<ApiUsageRecord[]> {
    return this.table(dayMs).find({ accountId }).toArray();
  }

  private table(dayMs: number): mongo.Collection<ApiUsageRecord> {
    return this.tables.table<ApiUsageRecord>(API_USAGE_PREFIX, dayMs);
  }
}
