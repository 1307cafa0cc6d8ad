import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeasedJob, LeasedJobService } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { EventLogRepository } from './event-log.repository';

export const EVENT_LOG_RETENTION_LEASE = 'event-log.retention';
const BATCH = 1000;
/** Batches per run: a backlog (first run after an upgrade) is worked off over several runs. */
const MAX_BATCHES = 20;
const DAY_MS = 86_400_000;

export interface EventLogRetentionResult {
  leader: boolean;
  deleted: number;
}

/**
 * EVENT_LOG_RETENTION_DAYS: deletes events older than that from the log, in batches. A
 * @nestjs/schedule interval fires on every worker running the event-log set; only the holder of
 * the Mongo lease works (no TTL index: FerretDB has none).
 */
@Injectable()
export class EventLogRetentionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: LeasedJob;
  private readonly intervalMs: number;
  private readonly retentionMs: number;

  constructor(
    jobs: LeasedJobService,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'EventLogRetentionRunner' });
    this.intervalMs = config.retention.sweepIntervalMs;
    this.retentionMs = config.retention.eventLogDays * DAY_MS;
    this.job = jobs.create({
      name: EVENT_LOG_RETENTION_LEASE,
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
  async run(): Promise<EventLogRetentionResult> {
    if (!(await this.job.lead())) {
      return { leader: false, deleted: 0 };
    }
    const before = new Date(this.clock.nowMs() - this.retentionMs);
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const n = await this.events.deleteBefore(before, BATCH);
      deleted += n;
      if (n < BATCH) break;
    }
    if (deleted) this.logger.info({ deleted }, 'deleted expired events');
    return { leader: true, deleted };
  }
}
