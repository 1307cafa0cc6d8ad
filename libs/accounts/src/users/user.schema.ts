import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { USER_ROLES, UserRole } from '../auth/role.policy';

/**
 * A person who signs in to the console. The email is unique across the platform (lower-cased):
 * the unique insert is what keeps two invitations accepted at once from making two users, also
 * on FerretDB. Only the scrypt hash of the password is stored (see password.service.ts).
 */
@Schema({ collection: 'users', versionKey: false })
export class UserDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: USER_ROLES })
  role!: UserRole;

  @Prop({ type: String, required: true })
  passwordHash!: string;

  /**
   * Who holds the user's `users` plan slot: the invitation the user accepted (the slot taken at
   * invitation time carries over, so that accepting can never fail on the plan limit).
   */
  @Prop({ type: String, required: true })
  slotHolderId!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(UserDoc);
UserSchema.index({ email: 1 }, { unique: true });
UserSchema.index({ accountId: 1, _id: 1 });

export interface UserRecord {
  _id: string;
  accountId: string;
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string;
  slotHolderId: string;
  createdAt: Date;
  updatedAt: Date;
}
