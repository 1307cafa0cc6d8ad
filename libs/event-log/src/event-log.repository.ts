import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { EventEnvelope } from '@wwb/contracts';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { STORED_EVENT_MODEL, StoredEventRecord } from './stored-event.schema';

export const EVENT_LOG_MAX_PAGE = 1000;

export interface EventLogQuery {
  /** Return events with an id greater than this one (the cursor of the previous page). */
  after?: string;
  limit: number;
  /** Only these event types. */
  types?: string[];
}

export interface EventLogPage {
  events: EventEnvelope[];
  /** Cursor for the next page (the last id), or null when this page was not full. */
  nextAfter: string | null;
}

export interface AppendResult {
  inserted: number;
  /** Already stored (redelivered after a crash or a rebalance). */
  duplicates: number;
}

/** The `events` collection: every event of the platform, stored once. */
@Injectable()
export class EventLogRepository {
  constructor(
    @InjectModel(STORED_EVENT_MODEL) private readonly model: Model<StoredEventRecord>,
    private readonly clock: Clock,
  ) {}

  /** The driver collection: inserts skip mongoose's casting (the records are built typed). */
  private get collection(): mongo.Collection<StoredEventRecord> {
    return this.model.collection as unknown as mongo.Collection<StoredEventRecord>;
  }

  /** Waits for the collection's indexes (when MONGO_AUTO_INDEX is on). */
  async ready(): Promise<void> {
    await this.model.init();
  }

  /**
   * Stores events, idempotently: an event already stored (same id) is counted as a duplicate
   * and left as it was. Unordered insert, so one duplicate does not stop the others.
   */
  async append(events: EventEnvelope[]): Promise<AppendResult> {
    if (events.length === 0) return { inserted: 0, duplicates: 0 };
    const storedAt = this.clock.now();
    const docs = events.map((e) => toRecord(e, storedAt));
    try {
      await this.collection.insertMany(docs, { ordered: false });
      return { inserted: docs.length, duplicates: 0 };
    } catch (err) {
      const writeErrors = bulkWriteErrors(err);
      if (!writeErrors || writeErrors.some((w) => w.code !== 11000)) throw err;
      return { inserted: docs.length - writeErrors.length, duplicates: writeErrors.length };
    }
  }

  /** Stores one event; false if it was already stored. */
  async appendOne(event: EventEnvelope): Promise<boolean> {
    try {
      await this.collection.insertOne(toRecord(event, this.clock.now()));
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** One account's events in id (= time) order, after a cursor. */
  async list(scope: AccountScope, query: EventLogQuery): Promise<EventLogPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit), 1), EVENT_LOG_MAX_PAGE);
    const filter: FilterQuery<StoredEventRecord> = { accountId: scope.accountId };
    if (query.after !== undefined) filter._id = { $gt: query.after };
    if (query.types?.length) filter.type = { $in: query.types };
    const rows = await this.model.find(filter, { envelopeJson: 1 }).sort({ _id: 1 }).limit(limit).lean();
    const events = rows.map((r) => JSON.parse(r.envelopeJson) as EventEnvelope);
    return { events, nextAfter: rows.length === limit ? rows[rows.length - 1]!._id : null };
  }

  /**
   * Retention, across accounts: deletes up to `limit` of the oldest events that occurred before
   * `before`. Event ids are ULIDs, so "before" is an `_id` range on the primary index (the
   * 10-character time prefix of `before` sorts after every id of an earlier millisecond).
   */
  async deleteBefore(before: Date, limit: number): Promise<number> {
    const rows = await this.model
      .find({ _id: { $lt: ulidTimePrefix(before.getTime()) } }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    if (rows.length === 0) return 0;
    const res = await this.model.deleteMany({ _id: { $in: rows.map((r) => r._id) } }).exec();
    return res.deletedCount;
  }

  /** Whether an event is in the log (any account: for operators and tests). */
  async has(eventId: string): Promise<boolean> {
    return (await this.model.exists({ _id: eventId })) !== null;
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The first 10 characters of a ULID of that millisecond. */
export function ulidTimePrefix(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function toRecord(e: EventEnvelope, storedAt: Date): StoredEventRecord {
  const record: StoredEventRecord = {
    _id: e.id,
    accountId: e.accountId,
    type: e.type,
    occurredAt: new Date(e.occurredAt),
    envelopeJson: JSON.stringify(e),
    storedAt,
  };
  if (e.connectionId) record.connectionId = e.connectionId;
  if (e.chatId) record.chatId = e.chatId;
  return record;
}

function bulkWriteErrors(err: unknown): { code?: number }[] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors as { code?: number }[];
  if (writeErrors && typeof writeErrors === 'object') return [writeErrors as { code?: number }];
  return undefined;
}
