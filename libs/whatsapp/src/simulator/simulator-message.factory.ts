import { randomBytes } from 'node:crypto';
import { toChatId } from '../core/phone-number.util';
import type {
  LocationMeta,
  MediaInput,
  MediaMeta,
  OutgoingMessage,
  OutgoingReaction,
  WhatsAppMessage,
  WhatsAppMessageType,
} from '../whatsapp-message.dto';

/** What a test or demo says arrives at the simulated phone. */
export interface SimulatorInboundMessage {
  /** Sender: phone number or chat id. For a group, the group id (and `author` the member). */
  from: string;
  author?: string;
  type?: Exclude<WhatsAppMessageType, 'revoked' | 'unknown'>;
  text?: string;
  media?: Partial<MediaInput> & { mimetype: string; size?: number };
  voice?: boolean;
  location?: LocationMeta;
  vCard?: string;
  poll?: { name: string; options: string[]; allowMultipleAnswers?: boolean };
  replyTo?: string;
  mentions?: string[];
  /** Message key id (random when absent). */
  id?: string;
}

/** What someone types on the linked phone (a text for now). */
export interface SimulatorPhoneMessage {
  /** Recipient: phone number or chat id (a group id for the group). */
  to: string;
  text: string;
  /** Message key id (random when absent). */
  id?: string;
}

const RAW_TYPE: Record<string, string> = {
  text: 'chat',
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  contact: 'vcard',
  poll: 'poll_creation',
};

/** A WhatsApp-Web-like key id: `3EB0` + 16 hex digits for ours, `3A` + 18 for phones. */
export function newKeyId(outgoing: boolean): string {
  return outgoing
    ? `3EB0${randomBytes(8).toString('hex').toUpperCase()}`
    : `3A${randomBytes(9).toString('hex').toUpperCase()}`;
}

export function base64Size(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function mediaMeta(media: SimulatorInboundMessage['media'], voice?: boolean, gif?: boolean): MediaMeta {
  const meta: MediaMeta = { mimetype: media?.mimetype };
  if (media?.filename) meta.filename = media.filename;
  const size = media?.size ?? (media?.data ? base64Size(media.data) : undefined);
  if (size !== undefined) meta.size = size;
  if (voice) meta.voice = true;
  if (gif) meta.gif = true;
  return meta;
}

/**
 * The message our own account creates when the simulator sends `content` (`keyId`: WhatsApp
 * Web's own `3EB0…` unless the phone made it).
 */
export function outgoingToMessage(
  chatId: string,
  me: string,
  content: Exclude<OutgoingMessage, OutgoingReaction>,
  timestamp: number,
  keyId = newKeyId(true),
): WhatsAppMessage {
  const id = `true_${chatId}_${keyId}`;
  const base: WhatsAppMessage = {
    id,
    chatId,
    from: me,
    to: chatId,
    fromMe: true,
    type: content.type,
    rawType: RAW_TYPE[content.type] ?? content.type,
    body: '',
    timestamp,
    hasMedia: false,
    mentions: content.mentions ? content.mentions.map(toChatId) : [],
    vCards: [],
    isForwarded: false,
    ...(content.replyTo ? { quotedMessageId: content.replyTo } : {}),
  };
  switch (content.type) {
    case 'text':
      return { ...base, body: content.text };
    case 'image':
    case 'document':
      return { ...base, body: content.caption ?? '', hasMedia: true, media: mediaMeta(content.media) };
    case 'video':
      return {
        ...base,
        body: content.caption ?? '',
        hasMedia: true,
        media: mediaMeta(content.media, false, content.asGif),
      };
    case 'audio':
      return {
        ...base,
        rawType: content.voice ? 'ptt' : 'audio',
        hasMedia: true,
        media: mediaMeta(content.media, content.voice),
      };
    case 'sticker':
      return { ...base, hasMedia: true, media: mediaMeta(content.media) };
    case 'location': {
      const location: LocationMeta = { latitude: content.latitude, longitude: content.longitude };
      if (content.name) location.name = content.name;
      if (content.address) location.address = content.address;
      if (content.url) location.url = content.url;
      return { ...base, body: [content.name, content.address].filter(Boolean).join('\n'), location };
    }
    case 'contact':
      return { ...base, vCards: [content.vCard] };
    case 'poll':
      return {
        ...base,
        body: content.name,
        poll: {
          name: content.name,
          options: [...content.options],
          allowMultipleAnswers: content.allowMultipleAnswers === true,
        },
      };
  }
}

/** A message typed on the linked phone: ours (fromMe) with a phone's key id. */
export function phoneToMessage(input: SimulatorPhoneMessage, me: string, timestamp: number): WhatsAppMessage {
  const content = { type: 'text' as const, text: input.text };
  return outgoingToMessage(toChatId(input.to), me, content, timestamp, input.id ?? newKeyId(false));
}

/** The message the simulated phone receives. */
export function inboundToMessage(
  input: SimulatorInboundMessage,
  me: string,
  timestamp: number,
): WhatsAppMessage {
  const chatId = toChatId(input.from);
  const author = input.author ? toChatId(input.author) : undefined;
  const type =
    input.type ?? (input.media ? 'document' : input.location ? 'location' : input.vCard ? 'contact' : 'text');
  const keyId = input.id ?? newKeyId(false);
  const hasMedia = ['image', 'video', 'audio', 'document', 'sticker'].includes(type);
  const msg: WhatsAppMessage = {
    id: `false_${chatId}_${keyId}${author ? `_${author}` : ''}`,
    chatId,
    from: chatId,
    to: me,
    ...(author ? { author } : {}),
    fromMe: false,
    type,
    rawType: type === 'audio' && input.voice ? 'ptt' : (RAW_TYPE[type] ?? type),
    body: type === 'poll' ? (input.poll?.name ?? '') : (input.text ?? ''),
    timestamp,
    hasMedia,
    ...(hasMedia
      ? { media: mediaMeta(input.media ?? { mimetype: 'application/octet-stream' }, input.voice) }
      : {}),
    ...(input.replyTo ? { quotedMessageId: input.replyTo } : {}),
    mentions: (input.mentions ?? []).map(toChatId),
    ...(input.location ? { location: { ...input.location } } : {}),
    vCards: input.vCard ? [input.vCard] : [],
    ...(input.poll
      ? {
          poll: {
            name: input.poll.name,
            options: [...input.poll.options],
            allowMultipleAnswers: input.poll.allowMultipleAnswers === true,
          },
        }
      : {}),
    isForwarded: false,
  };
  return msg;
}
