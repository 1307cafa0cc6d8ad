import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountStatusModule, AccountsModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { EventLogModule } from '@wwb/event-log';
import { LeasedJobsModule, QuotasModule } from '@wwb/infrastructure';
import { AttemptRecorder } from './delivery/attempt.recorder';
import { DeliveryDispatcher } from './delivery/delivery.dispatcher';
import { DeliveryWriter } from './delivery/delivery.writer';
import { DnsResolver } from './delivery/dns.resolver';
import { EndpointDirectory } from './endpoints/endpoint.directory';
import { EndpointHealthTracker } from './delivery/endpoint-health.tracker';
import { EventsController } from './events.controller';
import { PartitionLeases } from './delivery/partition.leases';
import { SsrfGuard } from './delivery/ssrf.guard';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import {
  WEBHOOK_ATTEMPT_MODEL,
  WEBHOOK_DELIVERY_MODEL,
  WebhookAttemptSchema,
  WebhookDeliverySchema,
} from './delivery/webhook-delivery.schema';
import { WebhookDeliveryRepository } from './delivery/webhook-delivery.repository';
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
} from './endpoints/webhook-endpoint.schema';
import { WebhookEndpointRepository } from './endpoints/webhook-endpoint.repository';
import { WebhookEndpointsController } from './endpoints/webhook-endpoints.controller';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
import { WebhookEventsProducer } from './webhook-events.producer';
import { WebhookFanoutConsumer } from './delivery/webhook-fanout.consumer';
import { WebhookHttpClient } from './delivery/webhook-http.client';
import {
  WEBHOOK_JOB_MODEL,
  WEBHOOK_JOB_PROGRESS_MODEL,
  WebhookJobProgressSchema,
  WebhookJobSchema,
} from './jobs/webhook-job.schema';
import { WebhookJobRepository } from './jobs/webhook-job.repository';
import { ReplayCursorsModule, WebhookJobsRunner, WebhookReplayService } from './jobs';
import { WebhookStatsModule } from './stats';
import { WebhookJobQuotaService } from './jobs/webhook-job-quota.service';
import { WebhookJobSlotsRunner } from './jobs/webhook-job-slots.runner';
import { WebhookJobSlotsService } from './jobs/webhook-job-slots.service';
import { WebhookMetrics } from './delivery/webhook.metrics';

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
      imports: [models, WebhookStatsModule, AccountsModule, ConnectionsModule, EventLogModule],
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
        WebhookJobSlotsService,
        WebhookJobQuotaService,
      ],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: WebhooksWorkerModule,
      imports: [
        models,
        WebhookStatsModule,
        ReplayCursorsModule,
        EventLogModule,
        LeasedJobsModule,
        QuotasModule,
        AccountStatusModule,
      ],
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
        WebhookReplayService,
        WebhookJobsRunner,
        WebhookJobSlotsService,
        WebhookJobSlotsRunner,
      ],
      exports: [WebhookFanoutConsumer, DeliveryDispatcher, PartitionLeases, DnsResolver],
    };
  }
}
