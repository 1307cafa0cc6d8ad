import type { Client, Message } from 'whatsapp-web.js';
import type { DriverStatus } from '../core/connection-state.machine';
import { validateOutgoingMessage } from '../core/outgoing-message.validator';
import { normalizePhoneNumber, toChatId } from '../core/phone-number.util';
import { WhatsAppDriverError } from '../whatsapp-driver.error';
import type { NumberCheckResult, OutgoingMessage, SendResult } from '../whatsapp-message.dto';
import { errorMessage } from './webjs-failure.classifier';
import { toWebJsSend } from './webjs-outgoing.mapper';

/** The driver's current client and status (both change with every restart). */
export interface WebJsSession {
  client(): Client | undefined;
  status(): DriverStatus;
}

/**
 * The driver's operations on WhatsApp Web: refused unless the session is in the status they
 * need, and library errors turned into WhatsAppDriverError codes the API can answer with.
 */
export class WebJsOperationsClient {
  constructor(
    private readonly connectionId: string,
    private readonly session: WebJsSession,
    private readonly now: () => number,
  ) {}

  async sendMessage(chatId: string, content: OutgoingMessage): Promise<SendResult> {
    validateOutgoingMessage(content);
    const target = toChatId(chatId);
    const client = this.readyClient();
    if (content.type === 'reaction') {
      try {
        await client.sendReaction(content.messageId, content.emoji);
      } catch (err) {
        throw new WhatsAppDriverError('send_failed', `reaction failed: ${errorMessage(err)}`, { cause: err });
      }
      return { messageId: content.messageId, timestamp: this.now() };
    }
    const { content: body, options } = toWebJsSend(content);
    let sent: Message | undefined | null;
    try {
      sent = await client.sendMessage(target, body, options);
    } catch (err) {
      throw new WhatsAppDriverError('send_failed', `send failed: ${errorMessage(err)}`, { cause: err });
    }
    if (!sent) throw new WhatsAppDriverError('chat_not_found', `chat ${target} could not be resolved`);
    return {
      messageId: sent.id._serialized,
      timestamp: sent.timestamp ? sent.timestamp * 1000 : this.now(),
    };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    const digits = normalizePhoneNumber(phoneNumber);
    const client = this.session.client();
    const status = this.session.status();
    if (!client || status !== 'qr') {
      throw new WhatsAppDriverError('not_ready', `pairing needs status qr (now ${status})`);
    }
    return client.requestPairingCode(digits, true);
  }

  async checkNumber(phoneNumber: string): Promise<NumberCheckResult> {
    const digits = normalizePhoneNumber(phoneNumber);
    const client = this.readyClient();
    const wid = await client.getNumberId(digits);
    return { registered: !!wid, chatId: wid?._serialized ?? null };
  }

  private readyClient(): Client {
    const client = this.session.client();
    const status = this.session.status();
    if (!client || status !== 'ready') {
      throw new WhatsAppDriverError('not_ready', `connection ${this.connectionId} is ${status}, not ready`);
    }
    return client;
  }
}
