import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { Model } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { IDEMPOTENCY_RECORD_MODEL, IdempotencyRecord } from './idempotency-record.schema';

export type IdempotencyClaim = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

/** Idempotency-Keys of the send endpoint; the unique `_id` insert decides between concurrent requests. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectModel(IDEMPOTENCY_RECORD_MODEL) private readonly model: Model<IdempotencyRecord>) {}

  async ready(): Promise<void> {
    await this.model.init();
  }

  private static id(scope: AccountScope, key: string): string {
    return `${scope.accountId}/${createHash('sha256').update(key).digest('hex')}`;
  }

  async find(scope: AccountScope, key: string): Promise<IdempotencyRecord | null> {
    return this.model.findOne({ _id: IdempotencyRepository.id(scope, key) }).lean<IdempotencyRecord>();
  }

  async claim(
    scope: AccountScope,
    key: string,
    value: { messageId: string; fingerprint: string; createdAt: Date },
  ): Promise<IdempotencyClaim> {
    const _id = IdempotencyRepository.id(scope, key);
    if (await insertOnce(this.model, { _id, accountId: scope.accountId, ...value })) return { claimed: true };
    const existing = await this.model.findOne({ _id }).lean<IdempotencyRecord>();
    if (!existing) return this.claim(scope, key, value);
    return { claimed: false, existing };
  }

  /** Gives a key back after the request that claimed it failed (so that a retry may succeed). */
  async release(scope: AccountScope, key: string, messageId: string): Promise<void> {
    await this.model.deleteOne({ _id: IdempotencyRepository.id(scope, key), messageId });
  }

  async purgeOlderThan(before: Date): Promise<number> {
    return (await this.model.deleteMany({ createdAt: { $lt: before } })).deletedCount;
  }
}
