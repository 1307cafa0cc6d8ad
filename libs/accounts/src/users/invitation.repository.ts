import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AccountScope } from '@wwb/persistence';
import { InvitationRecord, UserInvitationDoc } from './invitation.schema';

/** Invitations in Mongo. The one unscoped read is by token hash: the token is how its account is found. */
@Injectable()
export class InvitationRepository {
  constructor(@InjectModel(UserInvitationDoc.name) private readonly model: Model<UserInvitationDoc>) {}

  async insert(scope: AccountScope, invitation: Omit<InvitationRecord, 'accountId'>): Promise<void> {
    await this.model.create({ ...invitation, accountId: scope.accountId });
  }

  findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    return this.model.findOne({ tokenHash }).lean<InvitationRecord>().exec();
  }

  /** Every invitation of the account, expired ones included, oldest first. */
  all(scope: AccountScope): Promise<InvitationRecord[]> {
    return this.model.find({ accountId: scope.accountId }).sort({ _id: 1 }).lean<InvitationRecord[]>().exec();
  }

  /** The deleted invitation, or null when this account has no such invitation (any more). */
  remove(scope: AccountScope, id: string): Promise<InvitationRecord | null> {
    return this.model
      .findOneAndDelete({ _id: id, accountId: scope.accountId })
      .lean<InvitationRecord>()
      .exec();
  }

  /** Deletes invitations of all accounts that expired before `before` (the cleanup runner). */
  async removeExpiredBefore(before: Date): Promise<number> {
    const res = await this.model.deleteMany({ expiresAt: { $lt: before } }).exec();
    return res.deletedCount;
  }
}
