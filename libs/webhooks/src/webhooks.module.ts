import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { EventLogModule } from '@wwb/event-log';
import { LeasesModule } from '@wwb/infrastructure';
import { AttemptRecorder } from './attempt.recorder';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { DeliveryWriter } from './delivery.writer';
import { DnsResolver } from './dns.resolver';
import { EndpointDirectory } from './endpoint.directory';
import { EndpointHealthTracker } from './endpoint-health.tracker';
import { EventsController } from './events.controller';
import { PartitionLeases } from './partition.leases';
import { SsrfGuard } from './ssrf.guard';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import {
  WEBHOOK_ATTEMPT_MODEL,
  WEBHOOK_DELIVERY_MODEL,
  WebhookAttemptSchema,
  WebhookDeliverySchema,
} from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import {
  WEBHOOK_DISABLE_MODEL,
  WEBHOOK_ENDPOINT_MODEL,
  WEBHOOK_HEALTH_MODEL,
  WEBHOOK_SECRET_MODEL,
  WEBHOOK_VERSION_MODEL,
  WebhookDisableSchema,
  WebhookEndpointSchema,
  WebhookHealthSchema,
  WebhookSecretSchema,
  WebhookVersionSchema,
} from './webhook-endpoint.schema';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookEventsProducer } from './webhook-events.producer';
import { WebhookFanoutConsumer } from './webhook-fanout.consumer';
import { WebhookHttpClient } from './webhook-http.client';
import {
  WEBHOOK_JOB_MODEL,
  WEBHOOK_JOB_PROGRESS_MODEL,
  WebhookJobProgressSchema,
  WebhookJobSchema,
} from './webhook-job.schema';
import { WebhookJobRepository } from './webhook-job.repository';
import { WebhookJobsRunner } from './webhook-jobs.runner';
import { WebhookMetrics } from './webhook.metrics';

const models = MongooseModule.forFeature([
  { name: WEBHOOK_ENDPOINT_MODEL, schema: WebhookEndpointSchema },
  { name: WEBHOOK_SECRET_MODEL, schema: WebhookSecretSchema },
  { name: WEBHOOK_DISABLE_MODEL, schema: WebhookDisableSchema },
  { name: WEBHOOK_HEALTH_MODEL, schema: WebhookHealthSchema },
  { name: WEBHOOK_VERSION_MODEL, schema: WebhookVersionSchema },
  { name: WEBHOOK_DELIVERY_MODEL, schema: WebhookDeliverySchema },
  { name: WEBHOOK_ATTEMPT_MODEL, schema: WebhookAttemptSchema },
  { name: WEBHOOK_JOB_MODEL, schema: WebhookJobSchema },
  { name: WEBHOOK_JOB_PROGRESS_MODEL, schema: WebhookJobProgressSchema },
]);

@Module({})
class WebhooksApiModule {}

@Module({})
class WebhooksWorkerModule {}

/**
 * Signed webhooks (Standard Webhooks) that lose no event. Composed per process role:
 * - `forApi()`: /v1/webhooks (endpoints, secrets, test, deliveries, redeliver, replay, stats)
 *   and the pull API /v1/events;
 * - `forWorker()`: consumer group `webhooks` (fan-out into delivery records), the dispatcher
 *   (leased partitions, retries, ordering, SSRF-guarded HTTP), auto-disable, replays.
 * Needs the global config, runtime, observability, persistence and Kafka modules.
 */
@Module({})
export class WebhooksModule {
  static forApi(): DynamicModule {
    return {
      module: WebhooksApiModule,
      imports: [models, AccountsModule, ConnectionsModule, EventLogModule],
      controllers: [WebhookEndpointsController, WebhookDeliveriesController, EventsController],
      providers: [
        DnsResolver,
        SsrfGuard,
        WebhookEndpointRepository,
        WebhookDeliveryRepository,
        WebhookJobRepository,
        WebhookEventsProducer,
        WebhookEndpointsService,
        WebhookDeliveriesService,
      ],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: WebhooksWorkerModule,
      imports: [models, EventLogModule, LeasesModule],
      providers: [
        DnsResolver,
        SsrfGuard,
        WebhookHttpClient,
        WebhookEndpointRepository,
        WebhookDeliveryRepository,
        WebhookJobRepository,
        WebhookEventsProducer,
        WebhookMetrics,
        EndpointDirectory,
        PartitionLeases,
        AttemptRecorder,
        EndpointHealthTracker,
        DeliveryDispatcher,
        DeliveryWriter,
        WebhookFanoutConsumer,
        WebhookJobsRunner,
      ],
      exports: [WebhookFanoutConsumer, DeliveryDispatcher, PartitionLeases, DnsResolver],
    };
  }
}
