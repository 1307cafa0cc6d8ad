import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { GatewayNodeDoc, GatewayNodeRecord } from './gateway-node.schema';

/** `gateway_nodes`: heartbeats of the gateway processes (infrastructure, not tenant data). */
@Injectable()
export class GatewayNodeRepository {
  constructor(@InjectModel(GatewayNodeDoc.name) private readonly model: Model<GatewayNodeDoc>) {}

  /** Writes this node's heartbeat (the node is the document's only writer). */
  async beat(record: GatewayNodeRecord): Promise<void> {
    await this.model.replaceOne({ _id: record._id }, record, { upsert: true }).exec();
  }

  get(nodeId: string): Promise<GatewayNodeRecord | null> {
    return this.model.findById(nodeId).lean<GatewayNodeRecord>().exec();
  }

  /** Which of `nodeIds` wrote a heartbeat since `since`. */
  async beatingSince(nodeIds: string[], since: Date): Promise<Set<string>> {
    const rows = await this.model
      .find({ _id: { $in: nodeIds }, heartbeatAt: { $gte: since } }, { _id: 1 })
      .lean<Pick<GatewayNodeRecord, '_id'>[]>()
      .exec();
    return new Set(rows.map((r) => r._id));
  }

  list(): Promise<GatewayNodeRecord[]> {
    return this.model.find().sort({ _id: 1 }).lean<GatewayNodeRecord[]>().exec();
  }

  async remove(nodeId: string): Promise<void> {
    await this.model.deleteOne({ _id: nodeId }).exec();
  }

  /** Forgets nodes silent since `before` (they died). */
  async purgeSilentSince(before: Date): Promise<void> {
    await this.model.deleteMany({ heartbeatAt: { $lt: before } }).exec();
  }
}
