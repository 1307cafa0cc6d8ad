import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { DAY_MS, DayTableStore, floorDay, LeasedJob, LeasedJobService } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { AnalyticsCountersRepository } from '../counters/analytics-counters.repository';
import { API_USAGE_PREFIX } from '../usage';
import { AttributionRepository } from './attribution.repository';

export const ANALYTICS_RETENTION_LEASE = 'analytics.retention';
const RETENTION_TICK_MS = 3_600_000;

/**
 * Drops whole day tables past their time, on one worker at a time (Mongo lease), hourly:
 * counters and API usage after ANALYTICS_RETENTION_DAYS, the memory of sent messages (touches
 * and marks) after ANALYTICS_ATTRIBUTION_DAYS plus a day (a chunk late by a day still finds it).
 */
@Injectable()
export class AnalyticsRetentionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: LeasedJob;
  private readonly logger: Logger;

  constructor(
    jobs: LeasedJobService,
    private readonly counters: AnalyticsCountersRepository,
    private readonly attribution: AttributionRepository,
    private readonly tables: DayTableStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'AnalyticsRetention' });
    this.job = jobs.create({
      name: ANALYTICS_RETENTION_LEASE,
      intervalMs: RETENTION_TICK_MS,
      leaseMs: 2 * RETENTION_TICK_MS,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.sweep());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** Drops what is past its time; returns how many tables. */
  async sweep(): Promise<number> {
    const today = floorDay(this.clock.nowMs());
    const { retentionDays, attributionDays } = this.config.analytics;
    const keepFrom = today - (retentionDays - 1) * DAY_MS;
    const dropped =
      (await this.counters.dropDaysBefore(keepFrom)) +
      (await this.tables.dropBefore(API_USAGE_PREFIX, keepFrom)) +
      (await this.attribution.dropDaysBefore(
        this.config.kafka.topics.events.partitions,
        today - (attributionDays + 1) * DAY_MS,
      ));
    if (dropped > 0) this.logger.info({ dropped }, 'analytics day tables dropped');
    return dropped;
  }
}
