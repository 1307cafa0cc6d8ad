import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CONNECTION_STATUSES, ConnectionStatus } from '@wwb/contracts';

export const CONNECTION_STATES_COLLECTION = 'connection_states';

/** `_id` of the state document of one ownership epoch: sorts by epoch within a connection. */
export const stateId = (connectionId: string, epoch: number): string =>
  `${connectionId}:${String(epoch).padStart(10, '0')}`;

/**
 * What a connection is doing, as seen by the gateway that runs it. A gateway that takes a
 * connection over claims the next *epoch* by inserting a new document (`_id`
 * `<connectionId>:<epoch>`, unique, so two claimants cannot share an epoch) and is then the only
 * writer of that document: it replaces it whole on every change (no partial updates that
 * FerretDB could lose). Readers take the highest epoch. A previous owner that is slow to notice
 * it lost the connection only ever writes its own, older, document, so it cannot overwrite the
 * new owner's status.
 */
@Schema({ collection: CONNECTION_STATES_COLLECTION, versionKey: false })
export class ConnectionStateDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  connectionId!: string;

  @Prop({ type: String, required: true })
  accountId!: string;

  @Prop({ type: Number, required: true })
  epoch!: number;

  /** The gateway process that owns this epoch. */
  @Prop({ type: String, required: true })
  nodeId!: string;

  @Prop({ type: String, required: true, enum: CONNECTION_STATUSES })
  status!: ConnectionStatus;

  @Prop({ type: String })
  statusReason?: string;

  @Prop({ type: Date, required: true })
  statusAt!: Date;

  @Prop({ type: Number, required: true, default: 0 })
  failures!: number;

  @Prop({ type: Date })
  retryAt?: Date;

  @Prop({ type: String })
  qr?: string;

  @Prop({ type: Date })
  qrAt?: Date;

  @Prop({ type: String })
  phoneNumber?: string;

  @Prop({ type: String })
  pushName?: string;

  @Prop({ type: Date })
  readyAt?: Date;

  @Prop({ type: String })
  lastError?: string;

  @Prop({ type: Date })
  lastErrorAt?: Date;

  @Prop({ type: Date, required: true })
  startedAt!: Date;

  /** Set when the owner stopped the connection and saved its session (hand-off, shutdown). */
  @Prop({ type: Date })
  releasedAt?: Date;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;
}

export const ConnectionStateSchema = SchemaFactory.createForClass(ConnectionStateDoc);
ConnectionStateSchema.index({ connectionId: 1, epoch: -1 }, { name: 'connection_epoch' });
ConnectionStateSchema.index({ accountId: 1, connectionId: 1 }, { name: 'account_connection' });

export interface ConnectionStateRecord {
  _id: string;
  connectionId: string;
  accountId: string;
  epoch: number;
  nodeId: string;
  status: ConnectionStatus;
  statusReason?: string;
  statusAt: Date;
  failures: number;
  retryAt?: Date;
  qr?: string;
  qrAt?: Date;
  phoneNumber?: string;
  pushName?: string;
  readyAt?: Date;
  lastError?: string;
  lastErrorAt?: Date;
  startedAt: Date;
  releasedAt?: Date;
  updatedAt: Date;
}
