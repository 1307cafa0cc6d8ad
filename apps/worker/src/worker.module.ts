import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventLogModule } from '@wwb/event-log';
import { HttpPlatformModule } from '@wwb/http';
import { MessagingModule } from '@wwb/messaging';
import { PlatformModule } from '@wwb/platform';
import { WebhooksModule } from '@wwb/webhooks';

/**
 * What the worker role adds: its Kafka consumers. Webhooks start first: each consumer's start
 * waits for its group to form (after a crash, for the dead member's session to time out), and
 * webhook delivery should not wait for the other groups.
 */
@Module({ imports: [WebhooksModule.forWorker(), EventLogModule.withConsumer(), MessagingModule.forWorker()] })
export class WorkerRoleModule {}

/** The worker process: shared infrastructure, health and metrics, and the consumers. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), HttpPlatformModule, WorkerRoleModule],
    };
  }
}
