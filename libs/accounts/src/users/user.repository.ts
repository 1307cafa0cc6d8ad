import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import type { UserRole } from '../auth/role.policy';
import { UserDoc, UserRecord } from './user.schema';

/** The most users one account lists at once (the plan limit keeps real accounts far below). */
export const MAX_LISTED_USERS = 1000;

/**
 * Console users in Mongo. Tenant queries take the AccountScope first; the two unscoped reads
 * are authentication (by email at sign-in, by id for a session), where the user is how the
 * tenant is found.
 */
@Injectable()
export class UserRepository {
  constructor(@InjectModel(UserDoc.name) private readonly model: Model<UserDoc>) {}

  /** False when the email is a user already (of any account). */
  async insert(scope: AccountScope, user: Omit<UserRecord, 'accountId'>): Promise<boolean> {
    // The unique email index must exist before the first insert, or two could slip through.
    await this.model.init();
    try {
      await this.model.create({ ...user, accountId: scope.accountId });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.model.findOne({ email }).lean<UserRecord>().exec();
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.model.findById(id).lean<UserRecord>().exec();
  }

  get(scope: AccountScope, id: string): Promise<UserRecord | null> {
    return this.model.findOne({ _id: id, accountId: scope.accountId }).lean<UserRecord>().exec();
  }

  list(scope: AccountScope): Promise<UserRecord[]> {
    return this.model
      .find({ accountId: scope.accountId })
      .sort({ _id: 1 })
      .limit(MAX_LISTED_USERS)
      .lean<UserRecord[]>()
      .exec();
  }

  setRole(scope: AccountScope, id: string, role: UserRole, at: Date): Promise<UserRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, accountId: scope.accountId },
        { $set: { role, updatedAt: at } },
        { new: true },
      )
      .lean<UserRecord>()
      .exec();
  }

  countWithRole(scope: AccountScope, role: UserRole): Promise<number> {
    return this.model.countDocuments({ accountId: scope.accountId, role }).exec();
  }

  /** The deleted user, or null when this account has no such user. */
  remove(scope: AccountScope, id: string): Promise<UserRecord | null> {
    return this.model.findOneAndDelete({ _id: id, accountId: scope.accountId }).lean<UserRecord>().exec();
  }
}
