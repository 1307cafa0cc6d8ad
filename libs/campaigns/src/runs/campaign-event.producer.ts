import { Injectable } from '@nestjs/common';
import type {
  CampaignEventDataMap,
  CampaignRecipientFailedData,
  CampaignRecipientSentData,
  CampaignRecipientSkippedData,
  CampaignRunCompletedData,
  CampaignRunProgressData,
  CampaignRunStartedData,
} from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';

/**
 * Publishes the catalogued campaign events (libs/contracts campaign-events.catalog.ts) on the
 * events topic, where webhooks and the event log pick them up like any other event. Run events
 * are keyed by account, a share's progress by its connection, a recipient's by its chat.
 */
@Injectable()
export class CampaignEventProducer {
  constructor(
    private readonly events: EventFactory,
    private readonly publisher: EventPublisher,
  ) {}

  runStarted(accountId: string, data: CampaignRunStartedData): Promise<void> {
    return this.publish('campaign.run.started', accountId, data);
  }

  runProgress(accountId: string, data: CampaignRunProgressData): Promise<void> {
    return this.publish('campaign.run.progress', accountId, data, { connectionId: data.connectionId });
  }

  runCompleted(accountId: string, data: CampaignRunCompletedData): Promise<void> {
    return this.publish('campaign.run.completed', accountId, data);
  }

  recipientSent(accountId: string, connectionId: string, data: CampaignRecipientSentData): Promise<void> {
    return this.publish('campaign.recipient.sent', accountId, data, { connectionId, chatId: data.chatId });
  }

  recipientSkipped(
    accountId: string,
    connectionId: string,
    data: CampaignRecipientSkippedData,
  ): Promise<void> {
    return this.publish('campaign.recipient.skipped', accountId, data, { connectionId, chatId: data.chatId });
  }

  recipientFailed(accountId: string, connectionId: string, data: CampaignRecipientFailedData): Promise<void> {
    return this.publish('campaign.recipient.failed', accountId, data, { connectionId, chatId: data.chatId });
  }

  private async publish<T extends keyof CampaignEventDataMap>(
    type: T,
    accountId: string,
    data: CampaignEventDataMap[T],
    where: { connectionId?: string; chatId?: string } = {},
  ): Promise<void> {
    await this.publisher.publish(this.events.create({ type, accountId, data, ...where }));
  }
}
