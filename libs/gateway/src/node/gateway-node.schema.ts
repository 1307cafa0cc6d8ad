import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const GATEWAY_NODES_COLLECTION = 'gateway_nodes';

/**
 * A running gateway process and its last heartbeat (one writer: that process). A gateway taking
 * a connection over waits for the previous owner to release it only while that owner's
 * heartbeat is fresh: a live owner is stopping it and saving its session, a dead one never will.
 */
@Schema({ collection: GATEWAY_NODES_COLLECTION, versionKey: false })
export class GatewayNodeDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  host!: string;

  @Prop({ type: Number, required: true })
  pid!: number;

  @Prop({ type: [Number], required: true })
  partitions!: number[];

  /** Connections running on the node. */
  @Prop({ type: Number, required: true })
  connections!: number;

  @Prop({ type: Date, required: true })
  startedAt!: Date;

  @Prop({ type: Date, required: true })
  heartbeatAt!: Date;
}

export const GatewayNodeSchema = SchemaFactory.createForClass(GatewayNodeDoc);

export interface GatewayNodeRecord {
  _id: string;
  host: string;
  pid: number;
  partitions: number[];
  connections: number;
  startedAt: Date;
  heartbeatAt: Date;
}
