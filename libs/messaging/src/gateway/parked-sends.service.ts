import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { ConnectionReadySignal, GATEWAY_SIGNALS } from '@wwb/gateway';
import { AppLogger } from '@wwb/observability';
import { OutboundMessageRepository } from '../outbound';
import { MessageCommandProducer } from '../send/message-command.producer';
import { SendClaimRepository } from './send-claim.repository';

/** Parked sends re-published per `ready`; any beyond are left to the outbox sweeper. */
const RESUME_AT_MOST = 5_000;

/**
 * Resumes the sends parked while their connection was not ready (MessageSendHandler parks a
 * send instead of holding its connection's commands): when a connection running on this
 * gateway turns `ready`, its parked messages still pending are published again, oldest first,
 * into the connection's lane. The send claim makes a duplicate command harmless.
 */
@Injectable()
export class ParkedSendsService {
  private readonly logger: Logger;

  constructor(
    private readonly claims: SendClaimRepository,
    private readonly messages: OutboundMessageRepository,
    private readonly commands: MessageCommandProducer,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'ParkedSends' });
  }

  @OnEvent(GATEWAY_SIGNALS.connectionReady, { async: true, promisify: true, suppressErrors: true })
  async resume(signal: ConnectionReadySignal): Promise<number> {
    try {
      const ids = await this.claims.parkedOn(signal.connectionId, RESUME_AT_MOST);
      const pending = (await this.messages.pendingAmong(ids)).filter((m) => m.accountId === signal.accountId);
      for (const message of pending) await this.commands.publishSend(message);
      if (pending.length)
        this.logger.info(
          { connectionId: signal.connectionId, resumed: pending.length },
          'parked sends resumed',
        );
      return pending.length;
    } catch (err) {
      // The outbox sweeper re-publishes them later anyway.
      this.logger.warn({ err, connectionId: signal.connectionId }, 'could not resume parked sends');
      return 0;
    }
  }
}
