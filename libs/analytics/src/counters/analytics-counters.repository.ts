import { Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { DayTableStore, hasDuplicateKey } from '@wwb/infrastructure';
import { RetryableError } from '@wwb/kafka';
import { CounterScope, counterRangeOf, COUNTERS_PREFIX, CountersRecord } from './analytics-counters.schema';

/** Counts to add to one counters document, and the offset it then has counted up to. */
export interface CountersWrite {
  id: string;
  accountId: string;
  scope: CounterScope;
  scopeId: string;
  partition: number;
  /** The `o` read before (undefined: the document did not exist). */
  expected?: number;
  offset: number;
  /** Dotted hour paths (`h07.sent`, `h07.skipped.opted_out`) and the amounts to add. */
  inc: Record<string, number>;
}

/** Counters documents (CountersRecord) in their day tables. */
@Injectable()
export class AnalyticsCountersRepository {
  constructor(private readonly tables: DayTableStore) {}

  private day(dayMs: number): mongo.Collection<CountersRecord> {
    return this.tables.table<CountersRecord>(COUNTERS_PREFIX, dayMs);
  }

  /** The offsets counted so far (`o`) of these documents of a day; absent ones are missing. */
  async offsets(dayMs: number, ids: string[]): Promise<Map<string, number>> {
    const docs = await this.day(dayMs)
      .find({ _id: { $in: ids } }, { projection: { o: 1 } })
      .toArray();
    return new Map(docs.map((d) => [d._id, d.o]));
  }

  /**
   * Applies the writes of one day, each conditioned on the offset read before. Throws a
   * RetryableError when any of them met another writer (its `o` moved, or the document
   * appeared): the caller counts the chunk again from fresh offsets; what was applied is then
   * skipped by its offset.
   */
  async apply(dayMs: number, writes: CountersWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const ops = writes.map((w) => ({
      updateOne: {
        filter:
          w.expected === undefined ? { _id: w.id, o: { $exists: false } } : { _id: w.id, o: w.expected },
        update: {
          $inc: w.inc,
          $set: { o: w.offset },
          $setOnInsert: {
            accountId: w.accountId,
            scope: w.scope,
            scopeId: w.scopeId,
            partition: w.partition,
          },
        },
        upsert: w.expected === undefined,
      },
    }));
    let applied: number;
    try {
      const result = await this.day(dayMs).bulkWrite(
        ops as unknown as mongo.AnyBulkWriteOperation<CountersRecord>[],
        { ordered: false },
      );
      applied = result.matchedCount + result.upsertedCount;
    } catch (err) {
      if (hasDuplicateKey(err)) throw new RetryableError('analytics counters met another writer');
      throw err;
    }
    if (applied < writes.length) throw new RetryableError('analytics counters met another writer');
  }

  /** Every partition's document of a scope in a day table. */
  ofScopeDay(scope: CounterScope, scopeId: string, dayMs: number): Promise<CountersRecord[]> {
    return this.day(dayMs)
      .find({ _id: counterRangeOf(scope, scopeId) })
      .toArray();
  }

  /** The UTC days that have a counters table (a range reads only those). */
  async existingDays(): Promise<Set<number>> {
    return new Set(await this.tables.days(COUNTERS_PREFIX));
  }

  dropDaysBefore(beforeMs: number): Promise<number> {
    return this.tables.dropBefore(COUNTERS_PREFIX, beforeMs);
  }
}
