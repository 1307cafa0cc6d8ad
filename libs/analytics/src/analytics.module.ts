import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '@wwb/accounts';
import { CampaignDefinitionsModule } from '@wwb/campaigns';
import { ConnectionsModule } from '@wwb/connections';
import { DayTableStore, LeasedJobsModule } from '@wwb/infrastructure';
import { AnalyticsCountersRepository } from './counters/analytics-counters.repository';
import { AnalyticsConsumer } from './counting/analytics.consumer';
import { AnalyticsRetentionRunner } from './counting/analytics-retention.runner';
import { AttributionRepository } from './counting/attribution.repository';
import { AnalyticsController } from './reports/analytics.controller';
import { AnalyticsQueryService } from './reports/analytics-query.service';
import { AnalyticsReportService } from './reports/analytics-report.service';
import { ApiUsageRepository, ApiUsageService, ApiUsageStore } from './usage';

@Module({})
class AnalyticsApiModule {}

@Module({})
class AnalyticsWorkerModule {}

/**
 * Analytics (issue 10 §4): daily counters that marketing and integrators read without scanning
 * history. Composed per process role:
 * - `forApi()`: GET /v1/analytics (account, connection, campaign, run, API keys) and the
 *   counting of this process's requests per key (ApiUsageStore);
 * - `forWorker()`: the `analytics` consumer group counting every event of the events topic,
 *   and the retention of its day tables.
 * Needs the global platform modules (config, runtime, persistence, Kafka, events, schedule).
 */
@Module({})
export class AnalyticsModule {
  static forApi(): DynamicModule {
    return {
      module: AnalyticsApiModule,
      imports: [AccountsModule, ConnectionsModule, CampaignDefinitionsModule],
      controllers: [AnalyticsController],
      providers: [
        DayTableStore,
        AnalyticsCountersRepository,
        AnalyticsQueryService,
        AnalyticsReportService,
        ApiUsageRepository,
        ApiUsageService,
        ApiUsageStore,
      ],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: AnalyticsWorkerModule,
      imports: [LeasedJobsModule],
      providers: [
        DayTableStore,
        AnalyticsCountersRepository,
        AttributionRepository,
        AnalyticsConsumer,
        AnalyticsRetentionRunner,
      ],
      exports: [AnalyticsConsumer],
    };
  }
}
