import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { ConsoleSessionDoc, SessionRecord } from './session.schema';

/**
 * Console sessions in Mongo. Reads by `_id` (the token hash) are authentication, where the
 * session is how the tenant is found; deleting a user's sessions takes the account's scope.
 */
@Injectable()
export class SessionRepository {
  constructor(@InjectModel(ConsoleSessionDoc.name) private readonly model: Model<ConsoleSessionDoc>) {}

  async insert(session: SessionRecord): Promise<void> {
    await this.model.create(session);
  }

  get(id: string): Promise<SessionRecord | null> {
    return this.model.findById(id).lean<SessionRecord>().exec();
  }

  async touch(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { lastSeenAt, expiresAt } }).exec();
  }

  async remove(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  async removeOfUser(scope: AccountScope, userId: string): Promise<void> {
    await this.model.deleteMany({ userId, accountId: scope.accountId }).exec();
  }

  /** Deletes every session expired at `now`, of all accounts (the cleanup runner); returns how many. */
  async removeExpired(now: Date): Promise<number> {
    const res = await this.model.deleteMany({ expiresAt: { $lte: now } }).exec();
    return res.deletedCount;
  }

  async removeExpiredOfUser(scope: AccountScope, userId: string, now: Date): Promise<void> {
    await this.model.deleteMany({ userId, accountId: scope.accountId, expiresAt: { $lte: now } }).exec();
  }
}
