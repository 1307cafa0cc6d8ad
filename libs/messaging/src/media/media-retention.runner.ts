import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeasedJob, LeasedJobService, UsageCounterRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { OutboundMessageRepository } from '../outbound';
import { MEDIA_BYTES, MediaStore } from './media.store';

export const MEDIA_RETENTION_LEASE = 'messaging.media-retention';
const BATCH = 100;
/** Batches per run: a backlog (first run after an upgrade) is worked off over several runs. */
const MAX_BATCHES = 20;
const DAY_MS = 86_400_000;
/**
 * A byte counter is reconciled only when it has not moved for this long: a file being stored
 * is counted before it is written, and a counter corrected in the middle would count it twice
 * or not at all.
 */
export const COUNTER_QUIET_MS = 120_000;

export interface MediaRetentionResult {
  leader: boolean;
  deleted: number;
  /** Expired but still used by a pending message or a template. */
  kept: number;
  /** Accounts whose stored-bytes counter was corrected to the sum of their files. */
  reconciled: number;
}

/**
 * MEDIA_RETENTION_DAYS: deletes stored media older than that, except files a pending message
 * still has to send or a template names (a template's media stays as long as the template).
 * A @nestjs/schedule interval fires on every worker; only the holder of the Mongo lease works.
 * Each run then reconciles the accounts' stored-bytes counters (plan limit mediaBytes) with
 * their files: exact on MongoDB, the counters drift on FerretDB 1.24, which loses some
 * concurrent `$inc`s of one document; the drift lasts until the next run (RETENTION_SWEEP_INTERVAL_MS).
 */
@Injectable()
export class MediaRetentionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: LeasedJob;
  private readonly intervalMs: number;
  private readonly retentionMs: number;

  constructor(
    jobs: LeasedJobService,
    private readonly media: MediaStore,
    private readonly messages: OutboundMessageRepository,
    private readonly counters: UsageCounterRepository,
    @InjectConnection() private readonly connection: Connection,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'MediaRetentionRunner' });
    this.intervalMs = config.retention.sweepIntervalMs;
    this.retentionMs = config.retention.mediaDays * DAY_MS;
    this.job = jobs.create({
      name: MEDIA_RETENTION_LEASE,
      intervalMs: this.intervalMs,
      leaseMs: Math.max(3 * this.intervalMs, 60_000),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One run, if this node holds (or takes) the lease. */
  async run(): Promise<MediaRetentionResult> {
    if (!(await this.job.lead())) {
      return { leader: false, deleted: 0, kept: 0, reconciled: 0 };
    }
    const before = new Date(this.clock.nowMs() - this.retentionMs);
    let after: string | undefined;
    let deleted = 0;
    let kept = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const ids = await this.media.storedBefore(before, after, BATCH);
      if (ids.length === 0) break;
      after = ids[ids.length - 1];
      const used = await this.inUse(ids);
      for (const id of ids) {
        if (used.has(id)) kept += 1;
        else if (await this.media.delete(id)) deleted += 1;
      }
      if (ids.length < BATCH) break;
    }
    if (deleted) this.logger.info({ deleted, kept }, 'deleted expired media');
    const reconciled = await this.reconcileBytes();
    if (reconciled) this.logger.info({ reconciled }, 'stored media byte counters corrected');
    return { leader: true, deleted, kept, reconciled };
  }

  /**
   * Sets each account's byte counter to the sum of its files, by adding the difference, when
   * the counter did not move while the files were summed nor for COUNTER_QUIET_MS before.
   */
  private async reconcileBytes(): Promise<number> {
    const before = new Map((await this.counters.all(MEDIA_BYTES)).map((c) => [c.accountId, c]));
    const actual = await this.media.bytesByAccount();
    const after = await this.counters.all(MEDIA_BYTES);
    const quietSince = this.clock.nowMs() - COUNTER_QUIET_MS;
    let reconciled = 0;
    const counted = new Set<string>();
    for (const c of after) {
      counted.add(c.accountId);
      const earlier = before.get(c.accountId);
      if (!earlier || earlier.value !== c.value || c.changedAt.getTime() > quietSince) continue;
      const delta = (actual.get(c.accountId) ?? 0) - c.value;
      if (delta === 0) continue;
      await this.counters.add(c.accountId, MEDIA_BYTES, delta);
      reconciled += 1;
    }
    // Files without a counter were stored before the counters existed (a file is counted first).
    for (const [accountId, bytes] of actual) {
      if (counted.has(accountId) || before.has(accountId) || bytes === 0) continue;
      await this.counters.add(accountId, MEDIA_BYTES, bytes);
      reconciled += 1;
    }
    return reconciled;
  }

  private async inUse(ids: string[]): Promise<Set<string>> {
    const used = await this.messages.pendingMediaUploads(ids);
    // Templates (another lib) keep upload ids in `templates.media.uploadId`; read by collection
    // name rather than importing the templates lib into messaging.
    const templates = await this.connection
      .collection('templates')
      .find({ 'media.uploadId': { $in: ids } }, { projection: { 'media.uploadId': 1 } })
      .toArray();
    for (const t of templates) {
      const id = (t as { media?: { uploadId?: string } }).media?.uploadId;
      if (id) used.add(id);
    }
    return used;
  }
}
