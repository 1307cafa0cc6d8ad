import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { readAhead } from '@wwb/infrastructure';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import {
  ContactActivityDoc,
  ContactActivityRecord,
  ContactDoc,
  ContactPhoneKeyDoc,
  ContactRecord,
  OptOutState,
  phoneKeyId,
} from './contact.schema';

/** List and export filters: every tag must match; `q` is a prefix of the name or the phone. */
export interface ContactFilter {
  tags?: readonly string[];
  q?: string;
  optedOut?: boolean;
}

export type ContactChanges = Partial<
  Pick<ContactRecord, 'phone' | 'name' | 'tags' | 'attributes' | 'timeZone' | 'language' | 'optOut'>
> & { updatedAt: Date };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Contacts and their inbound activity in Mongo. Every query takes the AccountScope first. */
@Injectable()
export class ContactRepository implements OnModuleInit {
  constructor(
    @InjectModel(ContactDoc.name) private readonly contacts: Model<ContactDoc>,
    @InjectModel(ContactActivityDoc.name) private readonly activity: Model<ContactActivityDoc>,
    @InjectModel(ContactPhoneKeyDoc.name) private readonly keys: Model<ContactPhoneKeyDoc>,
  ) {}

  async onModuleInit(): Promise<void> {
    // The unique (accountId, phone) index must exist before the first insert relies on it.
    await Promise.all([this.contacts.init(), this.activity.init(), this.keys.init()]);
  }

  /** Throws a duplicate-key error when the phone is taken (isDuplicateKeyError). */
  async insert(scope: AccountScope, doc: ContactRecord): Promise<void> {
    await this.insertContact(scope, doc);
    await this.addPhoneKey(scope, doc);
  }

  /** The contact alone (then addPhoneKey): throws a duplicate-key error when the phone is taken. */
  async insertContact(scope: AccountScope, doc: ContactRecord): Promise<void> {
    await this.contacts.collection.insertOne({ ...doc, accountId: scope.accountId } as never);
  }

  /** The key of a contact just inserted. */
  async addPhoneKey(scope: AccountScope, doc: ContactRecord): Promise<void> {
    try {
      // Usually the phone's first key: an insert (cheaper than the upsert on FerretDB).
      await this.keys.collection.insertOne({
        _id: phoneKeyId(scope.accountId, doc.phone),
        accountId: scope.accountId,
        contactId: doc._id,
      } as never);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.putPhoneKey(scope, doc.phone, doc._id); // a stale key of a former holder
    }
  }

  /**
   * Inserts what it can; returns the indexes of the documents refused because their phone
   * exists (a concurrent creator got there first). Other errors are thrown.
   */
  async insertMany(scope: AccountScope, docs: ContactRecord[]): Promise<Set<number>> {
    const duplicates = new Set<number>();
    if (docs.length === 0) return duplicates;
    try {
      await this.contacts.collection.insertMany(
        docs.map((d) => ({ ...d, accountId: scope.accountId }) as never),
        { ordered: false },
      );
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length === 0) throw err;
      for (const e of list as { index: number; code?: number; err?: { code?: number } }[]) {
        if (!isDuplicateKeyError({ code: e.code ?? e.err?.code })) throw err;
        duplicates.add(e.index);
      }
    }
    const created = docs.filter((_, i) => !duplicates.has(i));
    if (created.length) {
      // The driver's bulkWrite: Mongoose's would validate the replacements (no _id) and skip them.
      await this.keys.collection.bulkWrite(
        created.map((d) => ({
          replaceOne: {
            filter: { _id: phoneKeyId(scope.accountId, d.phone) } as never,
            replacement: { accountId: scope.accountId, contactId: d._id },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    }
    return duplicates;
  }

  /** By `_id` alone (FerretDB 1.24 checks it in SQLite, other filters in Go); another account's is null. */
  async get(scope: AccountScope, id: string): Promise<ContactRecord | null> {
    const doc = await this.contacts.findOne({ _id: id }).lean<ContactRecord>().exec();
    return doc && doc.accountId === scope.accountId ? doc : null;
  }

  /** The id the phone key names (check the contact: a key a crash left behind can be stale). */
  async contactIdByPhoneKey(scope: AccountScope, phone: string): Promise<string | null> {
    const key = await this.keys
      .findOne({ _id: phoneKeyId(scope.accountId, phone) })
      .lean<ContactPhoneKeyDoc>()
      .exec();
    return key && key.accountId === scope.accountId ? key.contactId : null;
  }

  /**
   * Points the phone's key at the contact (a replace by `_id`). Its writers are the creator of
   * the phone's contact (one wins the unique insert), a phone change, and a reader repairing a
   * missing or stale key: all write the contact that holds the phone now.
   */
  async putPhoneKey(scope: AccountScope, phone: string, contactId: string): Promise<void> {
    const write = () =>
      this.keys.collection.replaceOne(
        { _id: phoneKeyId(scope.accountId, phone) } as never,
        { accountId: scope.accountId, contactId },
        { upsert: true },
      );
    try {
      await write();
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await write(); // two first writers raced for the insert
    }
  }

  /** Removes the phone's key if it still names this contact (another may hold the phone now). */
  private async dropPhoneKey(scope: AccountScope, phone: string, contactId: string): Promise<void> {
    await this.keys.deleteOne({ _id: phoneKeyId(scope.accountId, phone), contactId }).exec();
  }

  findByPhone(scope: AccountScope, phone: string): Promise<ContactRecord | null> {
    return this.contacts.findOne({ accountId: scope.accountId, phone }).lean<ContactRecord>().exec();
  }

  findByPhones(scope: AccountScope, phones: readonly string[]): Promise<ContactRecord[]> {
    if (phones.length === 0) return Promise.resolve([]);
    return this.contacts
      .find({ accountId: scope.accountId, phone: { $in: [...phones] } })
      .lean<ContactRecord[]>()
      .exec();
  }

  count(scope: AccountScope): Promise<number> {
    return this.contacts.countDocuments({ accountId: scope.accountId }).exec();
  }

  /** Newest first, ids below `beforeId`. */
  page(
    scope: AccountScope,
    filter: ContactFilter,
    opts: { beforeId?: string; limit: number },
  ): Promise<ContactRecord[]> {
    const query = this.filterOf(scope, filter);
    if (opts.beforeId !== undefined) query._id = { $lt: opts.beforeId };
    return this.contacts.find(query).sort({ _id: -1 }).limit(opts.limit).lean<ContactRecord[]>().exec();
  }

  /** Every matching contact, oldest first, read with a cursor (exports of any size). */
  async *stream(scope: AccountScope, filter: ContactFilter): AsyncGenerator<ContactRecord> {
    const cursor = this.contacts
      .find(this.filterOf(scope, filter))
      .sort({ _id: 1 })
      .lean<ContactRecord>()
      .cursor({ batchSize: 500 });
    try {
      for await (const doc of cursor) yield doc as ContactRecord;
    } finally {
      await cursor.close();
    }
  }

  /**
   * Contacts with any of `tags` (the fields an audience reads), in the store's order, read with a
   * cursor (campaign audiences of any size). Unsorted on purpose: FerretDB sorts the whole result
   * before the first batch (16 s for 100,000 contacts), and a run does not need an order.
   */
  async *streamAnyTag(scope: AccountScope, tags: readonly string[]): AsyncGenerator<ContactRecord> {
    if (tags.length === 0) return;
    // The driver's cursor with read-ahead, not mongoose's: a 100,000-contact run waits on this
    // scan, and the server can build the next batch while the planner renders this one.
    const cursor = this.contacts.collection.find(
      { accountId: scope.accountId, tags: { $in: [...tags] } },
      {
        projection: { phone: 1, name: 1, tags: 1, attributes: 1, timeZone: 1, language: 1, optOut: 1 },
        batchSize: 250,
      },
    ) as unknown as mongo.FindCursor<ContactRecord>;
    for await (const batch of readAhead(cursor)) yield* batch;
  }

  /** The account's contacts among `ids` (others and unknown ids are left out). */
  async getMany(scope: AccountScope, ids: readonly string[]): Promise<ContactRecord[]> {
    if (ids.length === 0) return [];
    return this.contacts
      .find({ accountId: scope.accountId, _id: { $in: [...ids] } })
      .lean<ContactRecord[]>()
      .exec();
  }

  /** Attribute names used by the matching contacts (export columns). */
  async attributeNames(scope: AccountScope, filter: ContactFilter): Promise<string[]> {
    const names = new Set<string>();
    const cursor = this.contacts
      .find(this.filterOf(scope, filter), { attributes: 1 })
      .lean<Pick<ContactRecord, 'attributes'>>()
      .cursor({ batchSize: 1000 });
    try {
      for await (const doc of cursor) {
        for (const k of Object.keys((doc as Pick<ContactRecord, 'attributes'>).attributes ?? {}))
          names.add(k);
      }
    } finally {
      await cursor.close();
    }
    return [...names].sort();
  }

  /**
   * Sets fields; null when the contact is not there (any more). A taken phone throws: a
   * duplicate-key error on MongoDB, an InternalError (code 1) on FerretDB 1.24.
   */
  async update(scope: AccountScope, id: string, changes: ContactChanges): Promise<ContactRecord | null> {
    const filter = { _id: id, accountId: scope.accountId };
    if (changes.phone === undefined) {
      return this.contacts
        .findOneAndUpdate(filter, { $set: changes }, { new: true })
        .lean<ContactRecord>()
        .exec();
    }
    // The phone moves: the document before the change tells which key to drop.
    const before = await this.contacts
      .findOneAndUpdate(filter, { $set: changes }, { new: false })
      .lean<ContactRecord>()
      .exec();
    if (!before) return null;
    const after: ContactRecord = { ...before, ...changes };
    if (before.phone !== after.phone) {
      await this.putPhoneKey(scope, after.phone, id);
      await this.dropPhoneKey(scope, before.phone, id);
    }
    return after;
  }

  /** Several updates in one round trip (import). */
  async updateMany(scope: AccountScope, updates: { id: string; changes: ContactChanges }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.contacts.bulkWrite(
      updates.map((u) => ({
        updateOne: { filter: { _id: u.id, accountId: scope.accountId }, update: { $set: u.changes } },
      })),
      { ordered: false },
    );
  }

  /**
   * `$addToSet` / `$pullAll`, so that concurrent tag changes of one contact combine on MongoDB
   * (FerretDB 1.24 ignores `$pull` with a condition such as `$in`; `$pullAll` works on both).
   */
  changeTags(
    scope: AccountScope,
    id: string,
    change: { add?: readonly string[]; remove?: readonly string[] },
    updatedAt: Date,
  ): Promise<ContactRecord | null> {
    const update = change.add
      ? { $addToSet: { tags: { $each: [...change.add] } }, $set: { updatedAt } }
      : { $pullAll: { tags: [...(change.remove ?? [])] }, $set: { updatedAt } };
    return this.contacts
      .findOneAndUpdate({ _id: id, accountId: scope.accountId }, update, { new: true })
      .lean<ContactRecord>()
      .exec();
  }

  setOptOut(
    scope: AccountScope,
    id: string,
    optOut: OptOutState,
    updatedAt: Date,
  ): Promise<ContactRecord | null> {
    return this.update(scope, id, { optOut, updatedAt });
  }

  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const deleted = await this.contacts
      .findOneAndDelete({ _id: id, accountId: scope.accountId })
      .lean<ContactRecord>()
      .exec();
    if (!deleted) return false;
    await this.dropPhoneKey(scope, deleted.phone, id);
    await this.activity.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    return true;
  }

  async activityOf(scope: AccountScope, ids: readonly string[]): Promise<Map<string, ContactActivityRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.activity
      .find({ accountId: scope.accountId, _id: { $in: [...ids] } })
      .lean<ContactActivityRecord[]>()
      .exec();
    return new Map(rows.map((r) => [r._id, r]));
  }

  /**
   * Upserts the contact's activity and returns it (so the push name of an earlier message comes
   * back without a second read): one write per inbound message, on a document only the inbound
   * pipeline writes. A chat's events are handled in order by one consumer, so the only
   * concurrent writers are two connections hearing from the same person, and both write the
   * same kind of facts. A lost upsert race (duplicate key) is retried once as an update. The
   * filter is the `_id` alone: the one shape FerretDB 1.24 hands to its storage (see
   * docs/contacts.md, "Performance").
   */
  async recordActivity(
    scope: AccountScope,
    id: string,
    activity: { at: Date; pushName?: string | null; connectionId: string },
    created = false,
  ): Promise<ContactActivityRecord> {
    const collection = this.activity.collection as unknown as mongo.Collection<ContactActivityRecord>;
    const $set: Partial<ContactActivityRecord> = {
      accountId: scope.accountId,
      lastInboundAt: activity.at,
      connectionId: activity.connectionId,
    };
    if (activity.pushName) $set.pushName = activity.pushName;
    if (created) {
      // The contact was just created: its first activity is an insert (cheaper than the upsert).
      const first = { _id: id, ...$set, pushName: activity.pushName ?? null } as ContactActivityRecord;
      try {
        await collection.insertOne(first);
        return first;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    const write = () =>
      collection.findOneAndUpdate({ _id: id }, { $set }, { upsert: true, returnDocument: 'after' });
    let doc: ContactActivityRecord | null;
    try {
      doc = await write();
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      doc = await write();
    }
    return {
      _id: id,
      accountId: scope.accountId,
      lastInboundAt: activity.at,
      connectionId: activity.connectionId,
      pushName: doc?.pushName ?? activity.pushName ?? null,
    };
  }

  private filterOf(scope: AccountScope, filter: ContactFilter): FilterQuery<ContactDoc> {
    const query: FilterQuery<ContactDoc> = { accountId: scope.accountId };
    if (filter.tags?.length) query.tags = { $all: [...filter.tags] };
    if (filter.optedOut !== undefined) query['optOut.optedOut'] = filter.optedOut;
    const q = filter.q?.trim();
    if (q) {
      const or: FilterQuery<ContactDoc>[] = [{ name: { $regex: `^${escapeRegex(q)}`, $options: 'i' } }];
      const digits = q.replace(/[\s().-]/g, '').replace(/^\+/, '');
      if (/^\d+$/.test(digits)) or.push({ phone: { $regex: `^\\+${digits}` } });
      query.$or = or;
    }
    return query;
  }
}
