import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventEnvelope, isEventOf } from '@wwb/contracts';
import { ConsumerContext, ConsumerHandle, ConsumerRunner, RetryableError } from '@wwb/kafka';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { isMessageStatus, OutboundMessageRepository } from '../outbound';
import { MESSAGE_STATUS_EVENT, SendClaimRepository, SENDING_LEASE_MS } from '../gateway';

export const MESSAGE_STATUS_GROUP = 'message-status';
/** Attempts an ack waits for the link of a send in flight before it is taken for a phone's message. */
export const UNLINKED_ACK_ATTEMPTS = 8;

/**
 * Consumer group `message-status`: turns WhatsApp acks (`message.status` with a `waMessageId`)
 * into status records of the messages we sent, through the WhatsApp id -> our id link the gateway
 * writes right after the send. An ack can overtake that link (the driver acks while the gateway
 * is still recording): while a send to the chat is in flight, the ack is retried (RetryableError)
 * until the link exists. An ack of a message typed on the phone has no link and no send in
 * flight, and is left to the conversations consumer. Records are insert-once per status, so
 * redeliveries and concurrent acks are harmless and the status never goes backwards.
 */
@Injectable()
export class MessageStatusConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle?: ConsumerHandle;
  private readonly logger: Logger;

  constructor(
    private readonly runner: ConsumerRunner,
    private readonly messages: OutboundMessageRepository,
    private readonly claims: SendClaimRepository,
    private readonly clock: Clock,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'MessageStatusConsumer' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all([this.messages.ready(), this.claims.ready()]);
    this.handle = await this.runner.run({
      groupId: MESSAGE_STATUS_GROUP,
      topic: 'events',
      concurrency: 3,
      retry: { maxAttempts: UNLINKED_ACK_ATTEMPTS + 2, baseMs: 50, maxMs: 1_000 },
      handler: (event, ctx) => this.onEvent(event, ctx),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.stop();
  }

  private inFlightSince(): Date {
    return new Date(this.clock.nowMs() - SENDING_LEASE_MS);
  }

  async onEvent(event: EventEnvelope, ctx: Pick<ConsumerContext, 'attempt'>): Promise<void> {
    if (!isEventOf(event, MESSAGE_STATUS_EVENT) || !event.connectionId) return;
    const data = event.data;
    // Our own correlation event: the gateway recorded that status itself.
    if (data.messageId || !data.waMessageId || !isMessageStatus(data.status)) return;
    const connectionId = event.connectionId;

    let link = await this.claims.findLink(connectionId, data.waMessageId);
    if (!link && (await this.claims.hasSendInFlight(connectionId, data.chatId, this.inFlightSince()))) {
      if (ctx.attempt < UNLINKED_ACK_ATTEMPTS) {
        throw new RetryableError(`ack of ${data.waMessageId} arrived before its send was recorded`);
      }
      this.logger.warn(
        { waMessageId: data.waMessageId, connectionId },
        'ack of an unlinked message given up',
      );
      return;
    }
    link ??= await this.claims.findLink(connectionId, data.waMessageId);
    if (!link || link.accountId !== event.accountId) return; // a message typed on the phone

    await this.messages.recordStatus(
      {
        messageId: link.messageId,
        accountId: link.accountId,
        status: data.status,
        at: new Date(data.timestamp),
        waMessageId: data.waMessageId,
        ...(data.status === 'failed'
          ? { reason: { code: 'whatsapp_error', message: data.reason ?? 'WhatsApp reported an error' } }
          : {}),
      },
      this.clock.now(),
    );
  }
}
