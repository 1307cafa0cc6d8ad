import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeaseRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock, IdGenerator } from '@wwb/runtime';
import { OutboundMessageRepository } from '../outbound';
import { MediaStore } from './media.store';

export const MEDIA_RETENTION_LEASE = 'messaging.media-retention';
const TIMER = 'messaging.media-retention';
const BATCH = 100;
/** Batches per run: a backlog (first run after an upgrade) is worked off over several runs. */
const MAX_BATCHES = 20;
const DAY_MS = 86_400_000;

export interface MediaRetentionResult {
  leader: boolean;
  deleted: number;
  /** Expired but still used by a pending message or a template. */
  kept: number;
}

/**
 * MEDIA_RETENTION_DAYS: deletes stored media older than that, except files a pending message
 * still has to send or a template names (a template's media stays as long as the template).
 * A @nestjs/schedule interval fires on every worker; only the holder of the Mongo lease works.
 */
@Injectable()
export class MediaRetentionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly holder: string;
  private readonly intervalMs: number;
  private readonly retentionMs: number;
  private running = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly leases: LeaseRepository,
    private readonly media: MediaStore,
    private readonly messages: OutboundMessageRepository,
    @InjectConnection() private readonly connection: Connection,
    private readonly clock: Clock,
    ids: IdGenerator,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'MediaRetentionRunner' });
    this.holder = `${hostname()}/${process.pid}/${ids.ulid()}`;
    this.intervalMs = config.retention.sweepIntervalMs;
    this.retentionMs = config.retention.mediaDays * DAY_MS;
  }

  onApplicationBootstrap(): void {
    const timer = setInterval(() => void this.tick(), this.intervalMs);
    timer.unref();
    this.scheduler.addInterval(TIMER, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', TIMER)) this.scheduler.deleteInterval(TIMER);
    await this.leases.release(MEDIA_RETENTION_LEASE, this.holder).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.run();
    } catch (err) {
      this.logger.warn({ err }, 'media retention failed');
    } finally {
      this.running = false;
    }
  }

  /** One run, if this node holds (or takes) the lease. */
  async run(): Promise<MediaRetentionResult> {
    const ttl = Math.max(3 * this.intervalMs, 60_000);
    if (!(await this.leases.acquire(MEDIA_RETENTION_LEASE, this.holder, ttl))) {
      return { leader: false, deleted: 0, kept: 0 };
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
    return { leader: true, deleted, kept };
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
