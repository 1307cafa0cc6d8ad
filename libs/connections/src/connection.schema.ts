import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { WHATSAPP_DRIVERS } from '@wwb/config';

/** The driver that runs a connection (WHATSAPP_DRIVER lists those allowed). */
export type DriverKind = (typeof WHATSAPP_DRIVERS)[number];

/** What the account wants of a connection; the gateway that owns it makes it so. */
export const DESIRED_STATES = ['running', 'stopped', 'deleted'] as const;
export type DesiredState = (typeof DESIRED_STATES)[number];

export const CONNECTIONS_COLLECTION = 'connections';

/**
 * A WhatsApp connection as the account configured it. Only the API writes this document
 * (creation, then the desired state); what the connection is doing lives in
 * `connection_states`, written by the gateway that runs it (FerretDB loses concurrent updates
 * of one document, so the two writers never share one). A deleted connection stays as a
 * tombstone (`desiredState: deleted`) until its gateway has cleaned up its session.
 */
@Schema({ collection: CONNECTIONS_COLLECTION, versionKey: false })
export class ConnectionDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: WHATSAPP_DRIVERS })
  driver!: DriverKind;

  @Prop({ type: String, required: true, enum: DESIRED_STATES })
  desiredState!: DesiredState;

  @Prop({ type: Date, required: true })
  desiredAt!: Date;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;
}

export const ConnectionSchema = SchemaFactory.createForClass(ConnectionDoc);
/** Listing per account in id (= creation) order. */
ConnectionSchema.index({ accountId: 1, _id: 1 }, { name: 'account_id' });
/** Placement: the running connections, loaded by gateways on every assignment. */
ConnectionSchema.index({ desiredState: 1 }, { name: 'desired_state' });

/** A connection as read from the store. */
export interface ConnectionRecord {
  _id: string;
  accountId: string;
  name: string;
  driver: DriverKind;
  desiredState: DesiredState;
  desiredAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
