import type { Logger } from 'pino';
import {
  NumberCheckResult,
  OutgoingMessage,
  SendResult,
  WhatsAppDriver,
  WhatsAppDriverError,
  WhatsAppDriverKind,
} from '@wwb/whatsapp';

/**
 * What a command handler gets for a connection that does not run on this gateway (stopped,
 * logged out, deleted): a driver in status `stopped` whose every operation fails with
 * WhatsAppDriverError `not_ready` and the reason.
 */
export class OfflineDriver extends WhatsAppDriver {
  constructor(
    readonly connectionId: string,
    readonly kind: WhatsAppDriverKind,
    private readonly reason: string,
    logger: Logger,
  ) {
    super(logger);
  }

  private refuse(): Promise<never> {
    return Promise.reject(
      new WhatsAppDriverError('not_ready', `connection ${this.connectionId} is not running: ${this.reason}`),
    );
  }

  start(): Promise<void> {
    return this.refuse();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
  logout(): Promise<void> {
    return this.refuse();
  }
  sendMessage(_chatId: string, _content: OutgoingMessage): Promise<SendResult> {
    return this.refuse();
  }
  requestPairingCode(_phoneNumber: string): Promise<string> {
    return this.refuse();
  }
  checkNumber(_phoneNumber: string): Promise<NumberCheckResult> {
    return this.refuse();
  }
}
