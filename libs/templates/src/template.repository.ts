import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, mongo } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import {
  StoredTemplateVariable,
  TEMPLATE_DELETION_MODEL,
  TEMPLATE_MODEL,
  TemplateDeletionRecord,
  TemplateDoc,
  TemplateRecord,
  TemplateVariable,
} from './template.schema';

export type TemplatePatch = Partial<
  Pick<TemplateRecord, 'name' | 'nameKey' | 'language' | 'category' | 'body' | 'variables'>
> & { media?: TemplateRecord['media'] | null; revision: number; updatedAt: Date };

const toStored = (v: TemplateVariable): StoredTemplateVariable => ({
  name: v.name,
  exampleJson: JSON.stringify(v.example ?? null),
  ...(v.description !== undefined ? { description: v.description } : {}),
});

const fromStored = (v: StoredTemplateVariable): TemplateVariable => ({
  name: v.name,
  example: JSON.parse(v.exampleJson) as unknown,
  ...(v.description !== undefined && v.description !== null ? { description: v.description } : {}),
});

function toRecord(doc: TemplateDoc): TemplateRecord {
  const { variables, ...rest } = doc;
  const record: TemplateRecord = { ...rest, variables: variables.map(fromStored) };
  if (!record.media) delete record.media;
  return record;
}

/** Templates and their delete markers; every query is scoped to one account. */
@Injectable()
export class TemplateRepository {
  constructor(
    @InjectModel(TEMPLATE_MODEL) private readonly templates: Model<TemplateDoc>,
    @InjectModel(TEMPLATE_DELETION_MODEL) private readonly deletions: Model<TemplateDeletionRecord>,
  ) {}

  async ready(): Promise<void> {
    await Promise.all([this.templates.init(), this.deletions.init()]);
  }

  /** Throws a duplicate-key error when the account already has the name. */
  async insert(record: TemplateRecord): Promise<void> {
    const doc: TemplateDoc = { ...record, variables: record.variables.map(toStored) };
    await this.templates.collection.insertOne(doc as unknown as mongo.Document);
  }

  async get(scope: AccountScope, id: string): Promise<TemplateRecord | null> {
    const doc = await this.templates
      .findOne({ _id: id, accountId: scope.accountId })
      .lean<TemplateDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async list(
    scope: AccountScope,
    opts: { afterId?: string; limit: number; category?: string },
  ): Promise<TemplateRecord[]> {
    const filter: FilterQuery<TemplateDoc> = { accountId: scope.accountId };
    if (opts.afterId) filter._id = { $gt: opts.afterId };
    if (opts.category) filter.category = opts.category;
    const docs = await this.templates
      .find(filter)
      .sort({ _id: 1 })
      .limit(opts.limit)
      .lean<TemplateDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  /**
   * A rename onto a name the account already has fails on the unique index: a duplicate-key
   * error on MongoDB, an InternalError "UNIQUE constraint failed" on FerretDB (see isUniqueViolation).
   */
  async update(scope: AccountScope, id: string, patch: TemplatePatch): Promise<TemplateRecord | null> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (key === 'media' && value === null) unset.media = '';
      else if (key === 'variables') set.variables = (value as TemplateVariable[]).map(toStored);
      else set[key] = value;
    }
    const update: Record<string, unknown> = { $set: set };
    if (Object.keys(unset).length) update.$unset = unset;
    const res = await this.templates.updateOne({ _id: id, accountId: scope.accountId }, update).exec();
    return res.matchedCount === 0 ? null : this.get(scope, id);
  }

  /** Whether another template of the account has this (lower-cased) name. */
  async nameTaken(scope: AccountScope, nameKey: string, exceptId?: string): Promise<boolean> {
    const filter: FilterQuery<TemplateDoc> = { accountId: scope.accountId, nameKey };
    if (exceptId) filter._id = { $ne: exceptId };
    return (await this.templates.countDocuments(filter).exec()) > 0;
  }

  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const res = await this.templates.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    return res.deletedCount > 0;
  }

  async markDeleting(scope: AccountScope, id: string, at: Date): Promise<void> {
    const marker: TemplateDeletionRecord = { _id: id, accountId: scope.accountId, startedAt: at };
    try {
      await this.deletions.collection.insertOne(marker as unknown as mongo.Document);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      await this.deletions
        .updateOne({ _id: id, accountId: scope.accountId }, { $set: { startedAt: at } })
        .exec();
    }
  }

  async unmarkDeleting(scope: AccountScope, id: string): Promise<void> {
    await this.deletions.deleteOne({ _id: id, accountId: scope.accountId }).exec();
  }

  /** Ids among `ids` whose delete started after `since` (an older marker is a crashed delete). */
  async deleting(scope: AccountScope, ids: string[], since: Date): Promise<string[]> {
    const docs = await this.deletions
      .find({ _id: { $in: ids }, accountId: scope.accountId, startedAt: { $gt: since } })
      .lean<TemplateDeletionRecord[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** Ids among `ids` that exist in this account. */
  async existing(scope: AccountScope, ids: string[]): Promise<string[]> {
    const docs = await this.templates
      .find({ _id: { $in: ids }, accountId: scope.accountId }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }
}

/** A unique-index violation, as MongoDB (11000) and FerretDB's SQLite backend (on updates) report it. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    isDuplicateKeyError(err) ||
    /UNIQUE constraint failed|duplicate key/i.test(String((err as Error)?.message))
  );
}
