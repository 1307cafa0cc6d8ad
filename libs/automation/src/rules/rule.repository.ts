import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import {
  AUTO_REPLY_MODEL,
  AUTO_REPLY_REVISION_MODEL,
  AutoReplyRecord,
  AutoReplyRevisionRecord,
} from './rule.schema';

/** Where a page of rules starts: after this rule in (priority, id) order. */
export interface RulePosition {
  priority: number;
  id: string;
}

/** Revisions older than this many changes are pruned (readers only need the newest). */
const KEPT_REVISIONS = 20;

/** Auto-reply rules and the per-account revision of them. Written by the API only. */
@Injectable()
export class RuleRepository {
  constructor(
    @InjectModel(AUTO_REPLY_MODEL) private readonly rules: Model<AutoReplyRecord>,
    @InjectModel(AUTO_REPLY_REVISION_MODEL) private readonly revisions: Model<AutoReplyRevisionRecord>,
  ) {}

  /** False when the id is taken. */
  insert(record: AutoReplyRecord): Promise<boolean> {
    return insertOnce(this.rules, record);
  }

  get(scope: AccountScope, id: string): Promise<AutoReplyRecord | null> {
    return this.rules.findOne({ _id: id, accountId: scope.accountId }).lean<AutoReplyRecord>().exec();
  }

  /** A page in (priority, id) order. */
  page(scope: AccountScope, opts: { after?: RulePosition; limit: number }): Promise<AutoReplyRecord[]> {
    const filter: Record<string, unknown> = { accountId: scope.accountId };
    if (opts.after) {
      filter.$or = [
        { priority: { $gt: opts.after.priority } },
        { priority: opts.after.priority, _id: { $gt: opts.after.id } },
      ];
    }
    return this.rules
      .find(filter)
      .sort({ priority: 1, _id: 1 })
      .limit(opts.limit)
      .lean<AutoReplyRecord[]>()
      .exec();
  }

  /** Every rule of the account (bounded by the plan), in (priority, id) order. */
  all(scope: AccountScope): Promise<AutoReplyRecord[]> {
    return this.rules
      .find({ accountId: scope.accountId })
      .sort({ priority: 1, _id: 1 })
      .lean<AutoReplyRecord[]>()
      .exec();
  }

  /** Replaces the rule whole (so two concurrent changes cannot interleave their fields); false if it is gone. */
  async replace(scope: AccountScope, record: AutoReplyRecord): Promise<boolean> {
    const { _id, ...rest } = record;
    const result = await this.rules
      .replaceOne({ _id, accountId: scope.accountId }, { ...rest, accountId: scope.accountId })
      .exec();
    return result.matchedCount === 1;
  }

  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const result = await this.rules.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    return result.deletedCount === 1;
  }

  /** The account's current revision (0 before the first change). */
  async revision(scope: AccountScope): Promise<number> {
    const doc = await this.revisions
      .findOne({ accountId: scope.accountId })
      .sort({ seq: -1 })
      .lean<AutoReplyRevisionRecord>()
      .exec();
    return doc?.seq ?? 0;
  }

  /** Records a change (after it was written): inserts the next revision; racing writers both get one. */
  async bump(scope: AccountScope, at: Date): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const seq = (await this.revision(scope)) + 1;
      const doc = { _id: `${scope.accountId}/${seq}`, accountId: scope.accountId, seq, at };
      if (!(await insertOnce(this.revisions, doc))) {
        if (attempt < 10) continue;
        throw new Error(`auto-reply revision of ${scope.accountId}: too many concurrent changes`);
      }
      if (seq > KEPT_REVISIONS) {
        await this.revisions
          .deleteMany({ accountId: scope.accountId, seq: { $lte: seq - KEPT_REVISIONS } })
          .exec();
      }
      return seq;
    }
  }
}
