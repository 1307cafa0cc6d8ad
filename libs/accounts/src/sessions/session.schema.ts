import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { USER_ROLES, UserRole } from '../auth/role.policy';

export type SessionKind = 'user' | 'operator';

/**
 * A console session. `_id` is the sha256 (hex) of the cookie's token: the token itself is never
 * stored. An expired session is deleted when it is next presented or when its user signs in.
 * After its creation the document has one writer at a time: the sliding expiry, written at most
 * once a minute by the process that served the request.
 */
@Schema({ collection: 'console_sessions', versionKey: false })
export class ConsoleSessionDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true, enum: ['user', 'operator'] })
  kind!: SessionKind;

  @Prop({ type: String })
  accountId?: string;

  @Prop({ type: String })
  userId?: string;

  /** The role at sign-in; the user's current role is what decides (read with the session). */
  @Prop({ type: String, enum: USER_ROLES })
  role?: UserRole;

  /** For an operator session: which ADMIN_API_KEY it was opened with (see ConsoleSessionsService). */
  @Prop({ type: String })
  operatorKeyTag?: string;

  @Prop({ type: String, required: true })
  csrfToken!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  lastSeenAt!: Date;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;
}

export const ConsoleSessionSchema = SchemaFactory.createForClass(ConsoleSessionDoc);
ConsoleSessionSchema.index({ userId: 1 });

export interface SessionRecord {
  _id: string;
  kind: SessionKind;
  accountId?: string;
  userId?: string;
  role?: UserRole;
  operatorKeyTag?: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}
