import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { FilterQuery, Model, mongo } from 'mongoose';
import { insertOnce } from '@wwb/infrastructure';
import { AccountScope, isDuplicateKeyError } from '@wwb/persistence';
import {
  WEBHOOK_DISABLE_MODEL,
  WEBHOOK_ENDPOINT_MODEL,
  WEBHOOK_HEALTH_MODEL,
  WEBHOOK_SECRET_MODEL,
  WEBHOOK_VERSION_MODEL,
  WebhookDisableRecord,
  WebhookEndpointRecord,
  WebhookHealthRecord,
  WebhookSecretRecord,
  WebhookVersionRecord,
} from './webhook-endpoint.schema';

export type EndpointPatch = Partial<
  Pick<
    WebhookEndpointRecord,
    'url' | 'events' | 'connectionIds' | 'description' | 'headers' | 'ordering' | 'enabledAt'
  >
> & { updatedAt: Date };

/** Everything the worker needs about endpoints, read at once. */
export interface EndpointSnapshotData {
  endpoints: WebhookEndpointRecord[];
  secrets: WebhookSecretRecord[];
  disables: WebhookDisableRecord[];
}

/** Endpoints, their secrets, disable records and health: small collections. */

/**
 * How long a change of endpoint settings waits, once written, before it is answered. Workers
 * poll the settings version more often than that, so an event that occurs after the answer
 * finds the change in a worker's copy without a read per event batch (EndpointDirectory).
 */
export const ENDPOINT_CHANGE_SETTLE_MS = 250;

@Injectable()
export class WebhookEndpointRepository {
  constructor(
    @InjectModel(WEBHOOK_ENDPOINT_MODEL) private readonly endpoints: Model<WebhookEndpointRecord>,
    @InjectModel(WEBHOOK_SECRET_MODEL) private readonly secrets: Model<WebhookSecretRecord>,
    @InjectModel(WEBHOOK_DISABLE_MODEL) private readonly disables: Model<WebhookDisableRecord>,
    @InjectModel(WEBHOOK_HEALTH_MODEL) private readonly health: Model<WebhookHealthRecord>,
    @InjectModel(WEBHOOK_VERSION_MODEL) private readonly versions: Model<WebhookVersionRecord>,
  ) {}

  /** The current version of the endpoint settings (see WebhookVersionRecord). */
  async version(): Promise<string> {
    const doc = await this.versions.findOne({ _id: 'endpoints' }).lean<WebhookVersionRecord>().exec();
    return doc?.version ?? '';
  }

  /**
   * Marks a change (after it was written), then waits ENDPOINT_CHANGE_SETTLE_MS before the caller
   * answers: see EndpointDirectory.ensureFresh, which relies on that wait.
   */
  private async bump(): Promise<void> {
    const version = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    for (let i = 0; ; i++) {
      try {
        await this.versions.updateOne({ _id: 'endpoints' }, { $set: { version } }, { upsert: true }).exec();
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err) || i > 2) throw err; // two first upserts raced: update again
      }
    }
    await sleep(ENDPOINT_CHANGE_SETTLE_MS);
  }

  async ready(): Promise<void> {
    await Promise.all([
      this.endpoints.init(),
      this.secrets.init(),
      this.disables.init(),
      this.health.init(),
      this.versions.init(),
    ]);
  }

  async insert(endpoint: WebhookEndpointRecord, secret: WebhookSecretRecord): Promise<void> {
    await this.secrets.collection.insertOne(secret as unknown as mongo.Document);
    await this.endpoints.collection.insertOne(endpoint as unknown as mongo.Document);
    await this.bump();
  }

  get(scope: AccountScope, id: string): Promise<WebhookEndpointRecord | null> {
    return this.endpoints
      .findOne({ _id: id, accountId: scope.accountId })
      .lean<WebhookEndpointRecord>()
      .exec();
  }

  list(scope: AccountScope, opts: { afterId?: string; limit: number }): Promise<WebhookEndpointRecord[]> {
    const filter: FilterQuery<WebhookEndpointRecord> = { accountId: scope.accountId };
    if (opts.afterId) filter._id = { $gt: opts.afterId };
    return this.endpoints
      .find(filter)
      .sort({ _id: 1 })
      .limit(opts.limit)
      .lean<WebhookEndpointRecord[]>()
      .exec();
  }

  async update(scope: AccountScope, id: string, patch: EndpointPatch): Promise<WebhookEndpointRecord | null> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (k === 'description' && v === '') unset[k] = '';
      else set[k] = v;
    }
    const update: Record<string, unknown> = { $set: set };
    if (Object.keys(unset).length) update.$unset = unset;
    const res = await this.endpoints.updateOne({ _id: id, accountId: scope.accountId }, update).exec();
    if (res.matchedCount === 0) return null;
    await this.bump();
    return this.get(scope, id);
  }

  /** Removes the endpoint and what hangs on it (deliveries are purged by the worker's sweep). */
  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const res = await this.endpoints.deleteOne({ _id: id, accountId: scope.accountId }).exec();
    if (res.deletedCount === 0) return false;
    await Promise.all([
      this.secrets.deleteMany({ endpointId: id, accountId: scope.accountId }).exec(),
      this.disables.deleteOne({ _id: id, accountId: scope.accountId }).exec(),
      this.health.deleteOne({ _id: id, accountId: scope.accountId }).exec(),
    ]);
    await this.bump();
    return true;
  }

  async addSecret(secret: WebhookSecretRecord): Promise<void> {
    await this.secrets.collection.insertOne(secret as unknown as mongo.Document);
    await this.bump();
  }

  secretsOf(scope: AccountScope, endpointId: string): Promise<WebhookSecretRecord[]> {
    return this.secrets
      .find({ endpointId, accountId: scope.accountId })
      .sort({ _id: 1 })
      .lean<WebhookSecretRecord[]>()
      .exec();
  }

  /** Drops secrets that no longer sign (older than the overlap after their successor). */
  async deleteSecrets(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.secrets.deleteMany({ _id: { $in: ids } }).exec();
    await this.bump();
  }

  disableOf(scope: AccountScope, endpointId: string): Promise<WebhookDisableRecord | null> {
    return this.disables
      .findOne({ _id: endpointId, accountId: scope.accountId })
      .lean<WebhookDisableRecord>()
      .exec();
  }

  disablesOf(scope: AccountScope, endpointIds: string[]): Promise<WebhookDisableRecord[]> {
    return this.disables
      .find({ _id: { $in: endpointIds }, accountId: scope.accountId })
      .lean<WebhookDisableRecord[]>()
      .exec();
  }

  /** Disables an endpoint; false when it already was (the first disable wins). */
  async disable(record: WebhookDisableRecord): Promise<boolean> {
    if (!(await insertOnce(this.disables, record))) return false;
    await this.bump();
    return true;
  }

  async enable(scope: AccountScope, endpointId: string): Promise<void> {
    await this.disables.deleteOne({ _id: endpointId, accountId: scope.accountId }).exec();
    await this.bump();
  }

  /** The worker's view: every endpoint, secret and disable record. */
  async snapshot(): Promise<EndpointSnapshotData> {
    const [endpoints, secrets, disables] = await Promise.all([
      this.endpoints.find({}).lean<WebhookEndpointRecord[]>().exec(),
      this.secrets.find({}).lean<WebhookSecretRecord[]>().exec(),
      this.disables.find({}).lean<WebhookDisableRecord[]>().exec(),
    ]);
    return { endpoints, secrets, disables };
  }

  healthOf(endpointId: string): Promise<WebhookHealthRecord | null> {
    return this.health.findOne({ _id: endpointId }).lean<WebhookHealthRecord>().exec();
  }

  async saveHealth(record: WebhookHealthRecord): Promise<void> {
    const { _id, ...fields } = record;
    const unset: Record<string, ''> = {};
    if (fields.failingSince === undefined) unset.failingSince = '';
    await this.health
      .updateOne(
        { _id },
        { $set: fields, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
        { upsert: true },
      )
      .exec();
  }
}
