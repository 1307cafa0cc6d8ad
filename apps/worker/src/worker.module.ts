import { DynamicModule, Module } from '@nestjs/common';
import { AnalyticsModule } from '@wwb/analytics';
import { AutomationModule } from '@wwb/automation';
import { CampaignsModule } from '@wwb/campaigns';
import { AppConfig, loadConfig, WorkerConsumerSet } from '@wwb/config';
import { EventLogModule } from '@wwb/event-log';
import { HttpPlatformModule } from '@wwb/http';
import { MessagingModule } from '@wwb/messaging';
import { PlatformModule } from '@wwb/platform';
import { WebhooksModule } from '@wwb/webhooks';

/** The consumer modules of each set of WORKER_CONSUMERS. */
const CONSUMER_SETS: Record<WorkerConsumerSet, () => DynamicModule> = {
  webhooks: () => WebhooksModule.forWorker(),
  'event-log': () => EventLogModule.withConsumer({ retention: true }),
  messaging: () => MessagingModule.forWorker(),
  automation: () => AutomationModule.forWorker(),
  campaigns: () => CampaignsModule.forWorker(),
  analytics: () => AnalyticsModule.forWorker(),
};

/**
 * What the worker role adds: its Kafka consumers, the sets WORKER_CONSUMERS names (all by
 * default). Webhooks start first: each consumer's start waits for its group to form (after a
 * crash, for the dead member's session to time out), and webhook delivery should not wait for
 * the other groups.
 */
@Module({})
export class WorkerRoleModule {
  static forRoot(config: AppConfig): DynamicModule {
    const sets = (Object.keys(CONSUMER_SETS) as WorkerConsumerSet[]).filter((s) =>
      config.workerConsumers.includes(s),
    );
    return { module: WorkerRoleModule, imports: sets.map((s) => CONSUMER_SETS[s]()) };
  }
}

/** The worker process: shared infrastructure, health and metrics, and the consumers. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), HttpPlatformModule, WorkerRoleModule.forRoot(config)],
    };
  }
}
