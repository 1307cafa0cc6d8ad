import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { GatewayReply } from '@wwb/contracts';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import { GatewayReplyDoc, GatewayReplyRecord } from './gateway-reply.schema';

/** `gateway_replies`: answers of gateways to request/reply commands. */
@Injectable()
export class GatewayReplyRepository {
  constructor(@InjectModel(GatewayReplyDoc.name) private readonly model: Model<GatewayReplyDoc>) {}

  /** Stores an answer; false when this request was already answered (a redelivered command). */
  async put(reply: GatewayReply): Promise<boolean> {
    const record: GatewayReplyRecord = {
      _id: reply.requestId,
      accountId: reply.accountId,
      connectionId: reply.connectionId,
      ok: reply.ok,
      createdAt: reply.createdAt,
    };
    if (reply.result !== undefined) record.resultJson = JSON.stringify(reply.result);
    if (reply.error) {
      record.errorCode = reply.error.code;
      record.errorMessage = reply.error.message;
    }
    try {
      await this.model.create(record);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** The answer to `requestId`, if there is one yet. */
  async find(scope: AccountScope, requestId: string): Promise<GatewayReply | null> {
    const r = await this.model
      .findOne({ _id: requestId, accountId: scope.accountId })
      .lean<GatewayReplyRecord>()
      .exec();
    if (!r) return null;
    const reply: GatewayReply = {
      requestId: r._id,
      accountId: r.accountId,
      connectionId: r.connectionId,
      ok: r.ok,
      createdAt: r.createdAt,
    };
    if (r.resultJson !== undefined) reply.result = JSON.parse(r.resultJson) as unknown;
    if (r.errorCode !== undefined) reply.error = { code: r.errorCode, message: r.errorMessage ?? '' };
    return reply;
  }

  async remove(scope: AccountScope, requestId: string): Promise<void> {
    await this.model.deleteOne({ _id: requestId, accountId: scope.accountId }).exec();
  }

  /** Answers nobody collected (every account): the API that asked gave up long ago. */
  async purgeOlderThan(before: Date): Promise<number> {
    const result = await this.model.deleteMany({ createdAt: { $lt: before } }).exec();
    return result.deletedCount;
  }
}
