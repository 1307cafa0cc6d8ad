import { Injectable } from '@nestjs/common';
import { bulkInsertTolerant, daysBetween, DayTableStore } from '@wwb/infrastructure';
import { AttributionRecord, AttributionWrite, touchesPrefixOf } from './attribution.schema';

/** Touches and marks of one events partition (see attribution.schema.ts). */
@Injectable()
export class AttributionRepository {
  constructor(private readonly tables: DayTableStore) {}

  /** The records of these state keys in the partition's tables of the days from `fromMs` to `toMs`. */
  async load(partition: number, keys: string[], fromMs: number, toMs: number): Promise<AttributionRecord[]> {
    if (keys.length === 0) return [];
    const prefix = touchesPrefixOf(partition);
    const existing = new Set(await this.tables.days(prefix));
    const days = daysBetween(fromMs, toMs).filter((d) => existing.has(d));
    const found = await Promise.all(
      days.map((day) =>
        this.tables
          .table<AttributionRecord>(prefix, day)
          .find({ c: { $in: keys } })
          .toArray(),
      ),
    );
    return found.flat();
  }

  /** Stores the records; one stored before (a chunk counted again) is left as it is. */
  async save(partition: number, writes: AttributionWrite[]): Promise<void> {
    const prefix = touchesPrefixOf(partition);
    const byDay = new Map<number, AttributionRecord[]>();
    for (const w of writes) byDay.set(w.dayMs, [...(byDay.get(w.dayMs) ?? []), w.record]);
    for (const [day, records] of byDay) {
      await bulkInsertTolerant(this.tables.table<AttributionRecord>(prefix, day), records);
    }
  }

  /** Drops the partition tables of every partition older than `beforeMs`. */
  async dropDaysBefore(partitions: number, beforeMs: number): Promise<number> {
    let dropped = 0;
    for (let p = 0; p < partitions; p++)
      dropped += await this.tables.dropBefore(touchesPrefixOf(p), beforeMs);
    return dropped;
  }
}
