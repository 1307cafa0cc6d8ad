import { MediaRef, SENDABLE_MESSAGE_TYPES, SendableMessageType } from '@wwb/contracts';
import { buildVCard, isVCard, normalizePhoneNumber, OutgoingMessage, toChatId } from '@wwb/whatsapp';
import type { MimetypePolicy } from '../media';
import type { QueuedContent } from '../outbound';
import { parseMedia } from './send-media.parser';
import { SEND_ERROR_CODES, SendErrorCode, sendError } from './send-request.errors';

/** A type the API can send (the catalogue's list). */
export type MessageType = SendableMessageType;
export const MEDIA_TYPES: readonly MessageType[] = ['image', 'video', 'audio', 'document', 'sticker'];

export const MAX_TEXT_LENGTH = 65_536;
export const MAX_CAPTION_LENGTH = 4_096;
export const MAX_POLL_OPTIONS = 12;
export const MAX_POLL_OPTION_LENGTH = 100;
export const MAX_MENTIONS = 256;

/** The body of `POST /v1/connections/:id/messages`, as the validation pipe leaves it. */
export interface SendMessageBody {
  to?: string;
  type?: string;
  text?: string;
  caption?: string;
  media?: { url?: string; base64?: string; uploadId?: string; mimetype?: string; filename?: string };
  voice?: boolean;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contact?: {
    vcard?: string;
    fullName?: string;
    phoneNumber?: string;
    organization?: string;
    email?: string;
  };
  reaction?: { messageId?: string; emoji?: string };
  poll?: { name?: string; options?: string[]; allowMultipleAnswers?: boolean };
  replyTo?: string;
  mentions?: string[];
}

/** Where the bytes of a message's media come from; resolved to a stored upload when accepted. */
export type MediaSource =
  | { kind: 'upload'; uploadId: string; mimetype?: string; filename?: string }
  | { kind: 'base64'; data: Buffer; mimetype: string; filename?: string }
  | { kind: 'url'; url: URL; mimetype?: string; filename?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A validated message before its media is resolved. */
export type DraftContent = DistributiveOmit<OutgoingMessage, 'media'>;

export interface MessageDraft {
  chatId: string;
  content: DraftContent;
  /** Present exactly for the media types. */
  media?: MediaSource;
}

export interface SendLimits {
  maxMediaBytes: number;
  mimetypes: MimetypePolicy;
}

/** Which optional fields each type takes (a field outside its types is `<field>_not_allowed_for_type`). */
const FIELD_TYPES: Record<string, { types: readonly MessageType[]; code: SendErrorCode }> = {
  text: { types: ['text'], code: 'text_not_allowed_for_type' },
  caption: { types: ['image', 'video', 'document'], code: 'caption_not_allowed_for_type' },
  media: { types: MEDIA_TYPES, code: 'media_not_allowed_for_type' },
  voice: { types: ['audio'], code: 'voice_not_allowed_for_type' },
  location: { types: ['location'], code: 'location_not_allowed_for_type' },
  contact: { types: ['contact'], code: 'contact_not_allowed_for_type' },
  reaction: { types: ['reaction'], code: 'reaction_not_allowed_for_type' },
  poll: { types: ['poll'], code: 'poll_not_allowed_for_type' },
  replyTo: {
    types: SENDABLE_MESSAGE_TYPES.filter((t) => t !== 'reaction'),
    code: 'reply_not_allowed_for_type',
  },
  mentions: { types: ['text', 'image', 'video', 'document', 'poll'], code: 'mentions_not_allowed_for_type' },
};

/** A serialized WhatsApp message id: `true_15551234567@c.us_3EB0...` (groups add `_<participant>`). */
const WA_MESSAGE_ID = /^(true|false)_[\w.:-]+@[\w.]+_[\w-]+(_[\w.:-]+@[\w.]+)?$/;
const RECIPIENT_SERVERS = ['c.us', 'g.us', 'lid'];

export function isWhatsAppMessageId(id: string): boolean {
  return id.length <= 256 && WA_MESSAGE_ID.test(id);
}

/** `+15551234567`, `15551234567@c.us`, `1203...@g.us` or `...@lid` -> the chat id; else invalid_recipient. */
export function parseRecipient(to: string | undefined): string {
  if (typeof to !== 'string' || !to.trim()) throw sendError('invalid_recipient', '`to` is required');
  let chatId: string;
  try {
    chatId = toChatId(to);
  } catch {
    throw sendError('invalid_recipient', `not a phone number or chat id: "${to.slice(0, 64)}"`);
  }
  const server = chatId.slice(chatId.lastIndexOf('@') + 1);
  if (!RECIPIENT_SERVERS.includes(server)) {
    throw sendError('invalid_recipient', `messages go to @c.us, @g.us or @lid chats, not "${server}"`);
  }
  return chatId;
}

/**
 * Checks a send request field by field and combination by combination, and turns it into a
 * draft. Pure: what needs I/O (upload lookup, URL resolution and fetch) happens when accepting.
 * Throws a DomainError `invalid` (400) whose code names the first problem found (see SEND_ERROR_CODES).
 */
export function parseSendRequest(body: SendMessageBody, limits: SendLimits): MessageDraft {
  const chatId = parseRecipient(body.to);
  const type = body.type;
  if (typeof type !== 'string' || !(SENDABLE_MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw sendError(
      'unsupported_message_type',
      `type must be one of ${SENDABLE_MESSAGE_TYPES.join(', ')}${type === undefined ? '' : `, got "${String(type).slice(0, 32)}"`}`,
    );
  }
  const t = type as MessageType;
  for (const [field, rule] of Object.entries(FIELD_TYPES)) {
    if (body[field as keyof SendMessageBody] !== undefined && !rule.types.includes(t)) {
      throw sendError(rule.code, `${SEND_ERROR_CODES[rule.code]}, not to ${t} messages`);
    }
  }
  const base: { replyTo?: string; mentions?: string[] } = {};
  if (body.replyTo !== undefined) {
    if (!isWhatsAppMessageId(body.replyTo)) throw sendError('invalid_reply_to');
    base.replyTo = body.replyTo;
  }
  if (body.mentions !== undefined) base.mentions = parseMentions(body.mentions);

  switch (t) {
    case 'text': {
      if (typeof body.text !== 'string' || !body.text.trim()) throw sendError('text_required');
      if (body.text.length > MAX_TEXT_LENGTH) throw sendError('text_too_long');
      return { chatId, content: { type: 'text', text: body.text, ...base } };
    }
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'sticker': {
      const media = parseMedia(t, body.media, limits);
      if (body.caption !== undefined && body.caption.length > MAX_CAPTION_LENGTH) {
        throw sendError('caption_too_long');
      }
      const caption = body.caption !== undefined && body.caption !== '' ? { caption: body.caption } : {};
      if (t === 'audio') {
        return { chatId, content: { type: 'audio', ...(body.voice ? { voice: true } : {}), ...base }, media };
      }
      if (t === 'sticker') return { chatId, content: { type: 'sticker', ...base }, media };
      return { chatId, content: { type: t, ...caption, ...base }, media };
    }
    case 'location':
      return { chatId, content: { type: 'location', ...parseLocation(body.location), ...base } };
    case 'contact':
      return { chatId, content: { type: 'contact', vCard: parseContact(body.contact), ...base } };
    case 'reaction':
      return { chatId, content: { type: 'reaction', ...parseReaction(body.reaction) } };
    case 'poll':
      return { chatId, content: { type: 'poll', ...parsePoll(body.poll), ...base } };
  }
}

function parseMentions(mentions: string[]): string[] {
  if (mentions.length > MAX_MENTIONS) throw sendError('invalid_mentions');
  const out: string[] = [];
  for (const m of mentions) {
    let chatId: string;
    try {
      chatId = toChatId(m);
    } catch {
      throw sendError('invalid_mentions', `not a phone number or @c.us chat id: "${String(m).slice(0, 64)}"`);
    }
    if (!chatId.endsWith('@c.us') && !chatId.endsWith('@lid')) {
      throw sendError('invalid_mentions', `only people can be mentioned, not "${chatId}"`);
    }
    if (!out.includes(chatId)) out.push(chatId);
  }
  return out;
}

function parseLocation(location: SendMessageBody['location']): {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
} {
  if (location === undefined) throw sendError('location_required');
  const { latitude, longitude, name, address } = location;
  if (
    typeof latitude !== 'number' ||
    typeof longitude !== 'number' ||
    !Number.isFinite(latitude) ||
    !Number.isFinite(longitude) ||
    Math.abs(latitude) > 90 ||
    Math.abs(longitude) > 180
  ) {
    throw sendError('invalid_location');
  }
  if ((name !== undefined && name.length > 256) || (address !== undefined && address.length > 1024)) {
    throw sendError('invalid_location', 'location name (256) or address (1024) is too long');
  }
  return {
    latitude,
    longitude,
    ...(name ? { name } : {}),
    ...(address ? { address } : {}),
  };
}

function parseContact(contact: SendMessageBody['contact']): string {
  if (contact === undefined) throw sendError('contact_required');
  const { vcard, fullName, phoneNumber, organization, email } = contact;
  const hasFields = [fullName, phoneNumber, organization, email].some((v) => v !== undefined);
  if (vcard !== undefined) {
    if (hasFields) throw sendError('invalid_contact', 'give either `vcard` or the contact fields, not both');
    if (vcard.length > 16_384 || !isVCard(vcard)) {
      throw sendError('invalid_contact', '`vcard` is not a vCard (BEGIN:VCARD ... END:VCARD)');
    }
    return vcard;
  }
  if (typeof fullName !== 'string' || !fullName.trim() || fullName.length > 256) {
    throw sendError('invalid_contact', 'a contact needs a `vcard` or a `fullName`');
  }
  if (phoneNumber !== undefined) {
    try {
      normalizePhoneNumber(phoneNumber);
    } catch {
      throw sendError('invalid_contact', `not a phone number: "${phoneNumber.slice(0, 32)}"`);
    }
  }
  return buildVCard({
    fullName,
    ...(phoneNumber !== undefined ? { phoneNumber } : {}),
    ...(organization ? { organization } : {}),
    ...(email ? { email } : {}),
  });
}

function parseReaction(reaction: SendMessageBody['reaction']): { messageId: string; emoji: string } {
  if (reaction === undefined) throw sendError('reaction_required');
  const { messageId, emoji } = reaction;
  if (typeof messageId !== 'string' || !isWhatsAppMessageId(messageId)) {
    throw sendError(
      'invalid_reaction',
      '`reaction.messageId` must be the WhatsApp id of the message reacted to',
    );
  }
  if (typeof emoji !== 'string' || [...emoji].length > 8 || /[\p{L}\s]/u.test(emoji)) {
    throw sendError(
      'invalid_reaction',
      '`reaction.emoji` must be one emoji, or empty to remove the reaction',
    );
  }
  return { messageId, emoji };
}

function parsePoll(poll: SendMessageBody['poll']): {
  name: string;
  options: string[];
  allowMultipleAnswers: boolean;
} {
  if (poll === undefined) throw sendError('poll_required');
  if (typeof poll.name !== 'string' || !poll.name.trim() || poll.name.length > 256) {
    throw sendError('poll_name_required');
  }
  const options = Array.isArray(poll.options) ? poll.options.map((o) => o.trim()) : [];
  if (
    options.length < 2 ||
    options.length > MAX_POLL_OPTIONS ||
    options.some((o) => !o || o.length > MAX_POLL_OPTION_LENGTH) ||
    new Set(options).size !== options.length
  ) {
    throw sendError('poll_options_invalid');
  }
  return { name: poll.name.trim(), options, allowMultipleAnswers: poll.allowMultipleAnswers === true };
}

/** The stored content of a draft once its media (if any) is an upload. */
export function withMedia(content: DraftContent, media: MediaRef | undefined): QueuedContent {
  return (media ? { ...content, media } : content) as QueuedContent;
}
