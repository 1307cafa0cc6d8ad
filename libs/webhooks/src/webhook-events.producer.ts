import { Injectable } from '@nestjs/common';
import { EventEnvelope, WebhookEndpointDisabledData, WebhookTestData } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock } from '@wwb/runtime';
import { WebhookDisableRecord } from './endpoints/webhook-endpoint.schema';

/** Publishes the webhook feature's own events (`webhook.test`, `webhook.endpoint.disabled`). */
@Injectable()
export class WebhookEventsProducer {
  constructor(
    private readonly factory: EventFactory,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async test(accountId: string, endpointId: string): Promise<EventEnvelope> {
    const event = this.factory.create({
      type: 'webhook.test',
      accountId,
      data: {
        endpointId,
        message: 'This is a test event from WhatsApp Web Bot',
        requestedAt: this.clock.now().toISOString(),
      } satisfies WebhookTestData,
    });
    await this.publisher.publish(event);
    return event;
  }

  async disabled(url: string, record: WebhookDisableRecord): Promise<void> {
    const data: WebhookEndpointDisabledData = {
      endpointId: record._id,
      url,
      reason: record.reason,
      disabledAt: record.disabledAt.toISOString(),
    };
    if (record.lastStatusCode !== undefined) data.lastStatusCode = record.lastStatusCode;
    if (record.lastError !== undefined) data.lastError = record.lastError;
    await this.publisher.publish(
      this.factory.create({ type: 'webhook.endpoint.disabled', accountId: record.accountId, data }),
    );
  }
}
