import { MediaRef, SendMessageCommandData } from '@wwb/contracts';
import { OutgoingMessage } from '@wwb/whatsapp';

/** Why a send failed: a stable code (GET /messages/:id shows it, message.status carries it as `reason`). */
export const SEND_FAILURE_CODES = {
  not_ready: 'the connection did not become ready within MESSAGE_READY_TIMEOUT_MS',
  account_disabled: 'the account was disabled before the message was sent',
  number_not_on_whatsapp: 'the phone number has no WhatsApp account',
  chat_not_found: 'WhatsApp could not resolve the chat',
  message_not_found: 'the message replied or reacted to does not exist in this chat',
  media_missing: 'the stored media of the message is gone',
  invalid_message: 'WhatsApp refused the content',
  not_supported: 'this driver cannot send this kind of message',
  send_failed: 'the send failed; WhatsApp may or may not have received it',
  send_interrupted: 'the gateway stopped during the send; it is not repeated, so as never to send twice',
  whatsapp_error: 'WhatsApp reported an error for the message',
} as const;
export type SendFailureCode = keyof typeof SEND_FAILURE_CODES;

/** The command's data, checked (commands are ours, but a consumer validates what it reads). */
export function parseSendCommand(data: unknown): SendMessageCommandData | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Partial<SendMessageCommandData>;
  if (typeof d.messageId !== 'string' || !/^msg_[0-9A-Z]{26}$/.test(d.messageId)) return undefined;
  if (typeof d.chatId !== 'string' || !d.chatId.includes('@')) return undefined;
  const message = d.message as { type?: unknown; media?: unknown } | undefined;
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') return undefined;
  if (message.media !== undefined) {
    const media = message.media as Partial<MediaRef> | null;
    if (!media || typeof media.uploadId !== 'string' || typeof media.mimetype !== 'string') return undefined;
  }
  return d as SendMessageCommandData;
}

/** The text a driver reports as the body of the message it creates for `m` (text, or a caption). */
export function textOf(m: OutgoingMessage): string | undefined {
  const { text, caption } = m as { text?: unknown; caption?: unknown };
  if (m.type === 'text' && typeof text === 'string') return text;
  return typeof caption === 'string' && caption ? caption : undefined;
}
