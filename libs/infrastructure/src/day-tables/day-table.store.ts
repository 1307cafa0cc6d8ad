import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { dayOfTable, dayTableOf } from './day-table.policy';

/** Collections of day tables (see day-table.policy.ts): a day's handle, the days that exist, retention. */
@Injectable()
export class DayTableStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** The collection of `prefix` for the UTC day of `ms` (created by its first write). */
  table<T extends mongo.Document>(prefix: string, ms: number): mongo.Collection<T> {
    return this.connection.collection<T>(dayTableOf(prefix, ms)) as unknown as mongo.Collection<T>;
  }

  /** The UTC midnights of the existing tables of `prefix`, ascending. */
  async days(prefix: string): Promise<number[]> {
    const names = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    const days: number[] = [];
    for (const { name } of names) {
      const day = dayOfTable(prefix, name);
      if (day !== undefined) days.push(day);
    }
    return days.sort((a, b) => a - b);
  }

  /** Drops the tables of `prefix` of days before `beforeMs`; returns how many. */
  async dropBefore(prefix: string, beforeMs: number): Promise<number> {
    let dropped = 0;
    for (const day of await this.days(prefix)) {
      if (day >= beforeMs) continue;
      await this.connection.db!.dropCollection(dayTableOf(prefix, day)).catch(() => false);
      dropped += 1;
    }
    return dropped;
  }
}
