export * from './webhooks.module';
export { WEBHOOKS_GROUP, WebhookFanoutConsumer } from './delivery/webhook-fanout.consumer';
export { DeliveryDispatcher } from './delivery/delivery.dispatcher';
export { PartitionLeases } from './delivery/partition.leases';
export { DnsResolver } from './delivery/dns.resolver';
export type { ResolvedAddress } from './delivery/dns.resolver';
export { USER_AGENT, RESPONSE_BODY_LIMIT } from './delivery/webhook-http.client';
export { RETRY_DELAYS_MS, MAX_ATTEMPTS } from './delivery/retry.schedule';
export { SECRET_OVERLAP_MS } from './endpoints/secret-rotation';
export { signatureHeader, secretKey, generateSecret } from './delivery/webhook-signature';
export {
  WebhookStatsModule,
  WebhookStatsRecorder,
  WebhookStatsRepository,
  WebhookStatsService,
  delayBucketOf,
  statsCollectionOf,
} from './stats';
export { WebhookJobsRunner, WebhookReplayService, REPLAY_PAGE } from './jobs';
// For tests and benches that drive the workers' parts against the real store.
export { AttemptRecorder } from './delivery/attempt.recorder';
export { EndpointDirectory } from './endpoints/endpoint.directory';
export { WebhookDeliveryRepository } from './delivery/webhook-delivery.repository';
export type { WebhookAttemptRecord, WebhookDeliveryRecord } from './delivery/webhook-delivery.schema';
export { WebhookJobRepository } from './jobs/webhook-job.repository';
export type { WebhookJobRecord } from './jobs/webhook-job.schema';
export { deliveryIdOf, orderKeyOf, partitionOfKey, webhookIdOf } from './delivery/delivery-ids';
