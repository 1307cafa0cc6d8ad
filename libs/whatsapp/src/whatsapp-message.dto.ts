import type { AckStatus, MessageType } from '@wwb/contracts';

/**
 * Driver-neutral shapes of WhatsApp messages and events. Nothing here refers to
 * whatsapp-web.js: both drivers (webjs and simulator) map into these.
 */

/** Media as the API hands it over: base64 bytes plus a mime type. */
export interface MediaInput {
  mimetype: string;
  /** Base64 (standard alphabet, no data: prefix). */
  data: string;
  filename?: string;
}

interface OutgoingBase {
  /** Serialized id of the message this one replies to (quotes). */
  replyTo?: string;
  /** Chat ids (`<digits>@c.us`) mentioned in the message. */
  mentions?: string[];
}

export interface OutgoingText extends OutgoingBase {
  type: 'text';
  text: string;
  /** Default true: WhatsApp shows a preview of the first link. */
  linkPreview?: boolean;
}
export interface OutgoingImage extends OutgoingBase {
  type: 'image';
  media: MediaInput;
  caption?: string;
  viewOnce?: boolean;
}
export interface OutgoingVideo extends OutgoingBase {
  type: 'video';
  media: MediaInput;
  caption?: string;
  /** Play as a looping GIF. */
  asGif?: boolean;
  viewOnce?: boolean;
}
export interface OutgoingAudio extends OutgoingBase {
  type: 'audio';
  media: MediaInput;
  /** Send as a voice note (push-to-talk) rather than an audio file. */
  voice?: boolean;
}
export interface OutgoingDocument extends OutgoingBase {
  type: 'document';
  media: MediaInput;
  caption?: string;
}
export interface OutgoingSticker extends OutgoingBase {
  type: 'sticker';
  media: MediaInput;
}
export interface OutgoingLocation extends OutgoingBase {
  type: 'location';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}
export interface OutgoingContact extends OutgoingBase {
  type: 'contact';
  /** A vCard 3.0 text (see buildVCard). */
  vCard: string;
}
export interface OutgoingReaction {
  type: 'reaction';
  /** Serialized id of the message reacted to. */
  messageId: string;
  /** One emoji; the empty string removes our reaction. */
  emoji: string;
}
export interface OutgoingPoll extends OutgoingBase {
  type: 'poll';
  name: string;
  options: string[];
  allowMultipleAnswers?: boolean;
}

/** Everything the drivers can send, discriminated by `type`. */
export type OutgoingMessage =
  | OutgoingText
  | OutgoingImage
  | OutgoingVideo
  | OutgoingAudio
  | OutgoingDocument
  | OutgoingSticker
  | OutgoingLocation
  | OutgoingContact
  | OutgoingReaction
  | OutgoingPoll;

export type OutgoingMessageType = OutgoingMessage['type'];

export interface SendResult {
  /** Serialized WhatsApp id (`true_<chat>_<id>`); for a reaction, the id of the reaction key. */
  messageId: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export type WhatsAppMessageType = MessageType;

export interface MediaMeta {
  mimetype?: string;
  filename?: string;
  /** Bytes. */
  size?: number;
  /** Seconds, for audio and video. */
  duration?: number;
  /** Audio sent as a voice note. */
  voice?: boolean;
  /** Video played as a GIF. */
  gif?: boolean;
}

export interface LocationMeta {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/** A message, inbound or outbound, normalized. */
export interface WhatsAppMessage {
  /** Serialized WhatsApp id: `<fromMe>_<chatId>_<id>[_<participant>]`. */
  id: string;
  chatId: string;
  from: string;
  to: string;
  /** Sender inside a group chat. */
  author?: string;
  fromMe: boolean;
  type: WhatsAppMessageType;
  /** The library's own type (chat, ptt, vcard, poll_creation, ...). */
  rawType: string;
  /** Text, caption of media, poll name or location description. */
  body: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  hasMedia: boolean;
  media?: MediaMeta;
  quotedMessageId?: string;
  mentions: string[];
  location?: LocationMeta;
  vCards: string[];
  poll?: { name: string; options: string[]; allowMultipleAnswers: boolean };
  isForwarded: boolean;
}

export type { AckStatus };

export interface MessageAckEvent {
  messageId: string;
  chatId: string;
  status: AckStatus;
  timestamp: number;
}

export interface MessageRevokedEvent {
  messageId: string;
  chatId: string;
  fromMe: boolean;
  author?: string;
  timestamp: number;
  /** The message before it was revoked, when the library still had it. */
  original?: WhatsAppMessage;
}

export interface MessageEditedEvent {
  messageId: string;
  chatId: string;
  body: string;
  previousBody: string;
  timestamp: number;
}

export interface MessageReactionEvent {
  /** Id of the message reacted to. */
  messageId: string;
  reactionId: string;
  /** Who reacted. */
  from: string;
  /** The emoji; empty when the reaction was removed. */
  reaction: string;
  timestamp: number;
}

export interface GroupEvent {
  chatId: string;
  /** add, invite, remove, leave, subject, description, picture, announce, ... */
  action: string;
  author?: string;
  participants: string[];
  body: string;
  timestamp: number;
}

export interface CallEvent {
  callId: string;
  from: string;
  isVideo: boolean;
  isGroup: boolean;
  fromMe: boolean;
  timestamp: number;
}

export interface ContactChangedEvent {
  oldId: string;
  newId: string;
  /** True for a contact, false for a group participant. */
  isContact: boolean;
  timestamp: number;
}

export interface NumberCheckResult {
  registered: boolean;
  /** `<digits>@c.us` (or `@lid`) when registered. */
  chatId: string | null;
}
