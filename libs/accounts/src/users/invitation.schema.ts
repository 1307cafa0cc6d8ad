import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { USER_ROLES, UserRole } from '../auth/role.policy';

/**
 * An invitation to become a user of an account. Only the sha256 of its token is stored (the
 * token is shown once, in the answer that creates it). An accepted invitation is deleted; an
 * expired one is deleted the next time the account's invitations are listed or added to.
 */
@Schema({ collection: 'user_invitations', versionKey: false })
export class UserInvitationDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  /** Lower-cased. */
  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, required: true, enum: USER_ROLES })
  role!: UserRole;

  /** sha256 (hex) of the token. */
  @Prop({ type: String, required: true })
  tokenHash!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const UserInvitationSchema = SchemaFactory.createForClass(UserInvitationDoc);
UserInvitationSchema.index({ tokenHash: 1 }, { unique: true });
UserInvitationSchema.index({ accountId: 1, _id: 1 });

export interface InvitationRecord {
  _id: string;
  accountId: string;
  email: string;
  role: UserRole;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
}
