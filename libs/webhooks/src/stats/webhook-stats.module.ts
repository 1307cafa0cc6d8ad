import { Module } from '@nestjs/common';
import { DayTableStore } from '@wwb/infrastructure';
import { WebhookStatsRecorder } from './webhook-stats.recorder';
import { WebhookStatsRepository } from './webhook-stats.repository';
import { WebhookStatsService } from './webhook-stats.service';

/**
 * `webhook_stats_YYYYMMDD`: per endpoint hour counters of attempts, written by the worker as
 * attempts are stored (WebhookStatsRecorder), read by the API (WebhookStatsService). Needs the
 * global runtime, observability and persistence modules.
 */
@Module({
  providers: [DayTableStore, WebhookStatsRepository, WebhookStatsRecorder, WebhookStatsService],
  exports: [WebhookStatsRepository, WebhookStatsRecorder, WebhookStatsService],
})
export class WebhookStatsModule {}
