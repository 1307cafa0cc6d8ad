import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { generateSecret } from '@wwb/webhooks';
import { SIGNING_SECRET_MODEL, SigningSecretRecord } from './signing-secret.schema';

/**
 * Per-account secrets of rule HTTP actions. The first reader creates it with a unique insert, so
 * processes racing to create it end up with the one that won; it never changes afterwards, so
 * processes may cache it.
 */
@Injectable()
export class SigningSecretStore {
  private readonly cache = new Map<string, string>();

  constructor(
    @InjectModel(SIGNING_SECRET_MODEL) private readonly model: Model<SigningSecretRecord>,
    private readonly clock: Clock,
  ) {}

  async get(scope: AccountScope): Promise<string> {
    const cached = this.cache.get(scope.accountId);
    if (cached) return cached;
    let record = await this.model.findOne({ _id: scope.accountId }).lean<SigningSecretRecord>();
    if (!record) {
      const fresh = { _id: scope.accountId, secret: generateSecret(), createdAt: this.clock.now() };
      record = (await insertOnce(this.model, fresh))
        ? fresh
        : await this.model.findOne({ _id: scope.accountId }).lean<SigningSecretRecord>();
      if (!record) throw new Error(`signing secret of ${scope.accountId} vanished`);
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(scope.accountId, record.secret);
    return record.secret;
  }
}
