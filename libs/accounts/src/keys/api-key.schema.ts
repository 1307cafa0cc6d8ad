import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * An API key. Only the sha256 hash of the key is stored; the key itself is shown once, at
 * creation. After its creation the document has one writer, the revocation: lastUsedAt lives
 * in api_key_usage, because FerretDB loses one of two concurrent updates of a document (a
 * lastUsedAt write racing a revocation could otherwise un-revoke the key).
 */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKeyDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: String, required: true })
  name!: string;

  /** First 12 characters of the key, to recognise it in lists and logs. */
  @Prop({ type: String, required: true })
  prefix!: string;

  /** sha256 (hex) of the full key. */
  @Prop({ type: String, required: true })
  hash!: string;

  /** When set, the key may only act on these connections. */
  @Prop({ type: [String], default: undefined })
  connectionIds?: string[];

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date })
  revokedAt?: Date;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKeyDoc);
ApiKeySchema.index({ hash: 1 }, { unique: true });
ApiKeySchema.index({ accountId: 1, _id: 1 });

export interface ApiKeyRecord {
  _id: string;
  accountId: string;
  name: string;
  prefix: string;
  hash: string;
  connectionIds?: string[];
  createdAt: Date;
  revokedAt?: Date;
  /** Joined from api_key_usage when listing. */
  lastUsedAt?: Date;
}

/** When a key was last used (written at most once a minute per key and process). `_id` = key id. */
@Schema({ collection: 'api_key_usage', versionKey: false })
export class ApiKeyUsageDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: Date, required: true })
  lastUsedAt!: Date;
}

export const ApiKeyUsageSchema = SchemaFactory.createForClass(ApiKeyUsageDoc);
ApiKeyUsageSchema.index({ accountId: 1 });
