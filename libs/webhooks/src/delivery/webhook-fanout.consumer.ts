import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { EventEnvelope } from '@wwb/contracts';
import { BatchContext, ConsumerHandle, ConsumerRunner, RetryableError } from '@wwb/kafka';
import { Clock, IdGenerator } from '@wwb/runtime';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { DeliveryWriter } from './delivery.writer';
import { deliveryIdOf, orderKeyOf, webhookIdOf } from './delivery-ids';
import { EndpointDirectory } from '../endpoints/endpoint.directory';
import { PartitionLeases } from './partition.leases';
import { WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

export const WEBHOOKS_GROUP = 'webhooks';

/**
 * Consumer group `webhooks` on the events topic: fans every event out to the endpoints it
 * matches, as delivery records in Mongo, before its offset can be committed (`deferredCommits`:
 * the runner commits a chunk only once its records are stored, and fetches on meanwhile). New
 * deliveries of active partitions go to the dispatcher at once, the rest after the write.
 *
 * The body of a delivery is the envelope as compact JSON; an event without a producer-given
 * `sequence` gets its Kafka offset, which grows with every event of a chat (one chat = one key
 * = one partition), so receivers can drop stale updates.
 */
@Injectable()
export class WebhookFanoutConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;

  constructor(
    private readonly config: AppConfig,
    private readonly runner: ConsumerRunner,
    private readonly directory: EndpointDirectory,
    private readonly repository: WebhookDeliveryRepository,
    private readonly writer: DeliveryWriter,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly leases: PartitionLeases,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  async start(): Promise<ConsumerHandle> {
    if (this.handle) return this.handle;
    await this.repository.ready();
    await this.directory.load();
    this.handle = await this.runner.run({
      groupId: WEBHOOKS_GROUP,
      topic: 'events',
      concurrency: this.config.kafka.topics.events.partitions,
      maxBatchSize: 500,
      maxWaitTimeMs: 100,
      deferredCommits: true,
      sessionTimeoutMs: this.config.webhooks.sessionTimeoutMs,
      retry: { maxAttempts: 50 },
      onAssignment: (partitions) => this.leases.assign(partitions),
      handlerBatch: (events, ctx) => this.fanOut(events, ctx),
    });
    return this.handle;
  }

  private async fanOut(events: EventEnvelope[], ctx: BatchContext): Promise<void> {
    const first = BigInt(ctx.firstOffset);
    if (BigInt(ctx.lastOffset) - first + 1n !== BigInt(events.length)) {
      // Offsets have gaps (invalid messages were dead-lettered in between): the runner then
      // hands the events over one by one, each with its own offset.
      throw new RetryableError('offsets of the chunk are not contiguous');
    }
    const now = this.clock.nowMs();
    let newest = 0;
    for (const e of events) newest = Math.max(newest, Date.parse(e.occurredAt));
    await this.directory.ensureFresh(Math.min(newest, now));

    const records: WebhookDeliveryRecord[] = [];
    const createdAt = new Date(now);
    events.forEach((e, i) => {
      const endpoints = this.directory.match(e);
      if (endpoints.length === 0) return;
      const sequence = e.sequence ?? Number(first + BigInt(i));
      const body = JSON.stringify(e.sequence === undefined ? { ...e, sequence } : e);
      const occurredAt = new Date(e.occurredAt);
      const orderKey = orderKeyOf(e);
      for (const endpoint of endpoints) {
        const endpointId = endpoint.record._id;
        const record: WebhookDeliveryRecord = {
          _id: deliveryIdOf(e.id, endpointId),
          accountId: e.accountId,
          endpointId,
          eventId: e.id,
          eventType: e.type,
          webhookId: webhookIdOf(e.id, endpointId),
          partition: ctx.partition,
          order: this.ids.ulid(),
          orderKey,
          sequence,
          occurredAt,
          createdAt,
          body,
        };
        if (e.connectionId) record.connectionId = e.connectionId;
        if (e.chatId) record.chatId = e.chatId;
        records.push(record);
      }
    });
    if (records.length === 0) return;
    const early = this.dispatcher.acceptEarly(records);
    // The chunk's offsets are committed once its records are stored; meanwhile the consumer
    // fetches on (a write must not hold back the other partitions), within the writer's room.
    ctx.defer(
      this.writer.write(records).then(({ duplicates }) => this.dispatcher.accept(records, duplicates, early)),
    );
    await this.writer.room();
  }
}
