import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { GATEWAY_REPLIES_COLLECTION } from '@wwb/contracts';

/**
 * The answer of a gateway to a request/reply command (`_id` = the request id, unique: a
 * redelivered command cannot answer twice). The API that asked reads and deletes it; answers
 * nobody read (the API gave up) are purged by the gateways after an hour.
 */
@Schema({ collection: GATEWAY_REPLIES_COLLECTION, versionKey: false })
export class GatewayReplyDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: String, required: true })
  connectionId!: string;

  @Prop({ type: Boolean, required: true })
  ok!: boolean;

  /** JSON text of the result (FerretDB refuses some keys and nested arrays in documents). */
  @Prop({ type: String })
  resultJson?: string;

  @Prop({ type: String })
  errorCode?: string;

  @Prop({ type: String })
  errorMessage?: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const GatewayReplySchema = SchemaFactory.createForClass(GatewayReplyDoc);
GatewayReplySchema.index({ createdAt: 1 }, { name: 'created_at' });

export interface GatewayReplyRecord {
  _id: string;
  accountId: string;
  connectionId: string;
  ok: boolean;
  resultJson?: string;
  errorCode?: string;
  errorMessage?: string;
  createdAt: Date;
}
