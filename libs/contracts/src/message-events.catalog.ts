import type { EventDefinition } from './event-catalog';
import { BOOL, defineEvent, ISO, obj, STR, STRINGS } from './catalog-schema.util';

/**
 * Message events of WhatsApp connections, bridged by the gateway from its driver (and
 * `message.status` also from the send pipeline). WhatsApp ids are kept as WhatsApp serializes
 * them (`waMessageId` like `true_15551234567@c.us_3EB0…`, chat ids like `15551234567@c.us` or
 * `1203630…@g.us`).
 */

/** Types of a message as received or seen sent (`type` of message.received and message.sent). */
export const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contact',
  'poll',
  'revoked',
  'unknown',
] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Types of message the API can send (`type` of POST /v1/connections/:id/messages). */
export const SENDABLE_MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contact',
  'reaction',
  'poll',
] as const;

export type SendableMessageType = (typeof SENDABLE_MESSAGE_TYPES)[number];

export const ACK_STATUSES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;

export type AckStatus = (typeof ACK_STATUSES)[number];

export interface MessageMedia {
  mimetype?: string;
  filename?: string;
  /** Bytes. */
  size?: number;
  /** Seconds (audio, video). */
  duration?: number;
  /** Audio sent as a voice note. */
  voice?: boolean;
  /** Video played as a GIF. */
  gif?: boolean;
}

export interface MessageLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface MessagePoll {
  name: string;
  options: string[];
  allowMultipleAnswers: boolean;
}

/** A message as events carry it: `data` of message.received and message.sent. */
export interface MessageData {
  /** WhatsApp id of the message. */
  waMessageId: string;
  /** Our id (msg_…) when the message was sent through the API and is known. */
  messageId?: string;
  chatId: string;
  from: string;
  to: string;
  /** Sender inside a group chat. */
  author?: string;
  fromMe: boolean;
  type: MessageType;
  /** WhatsApp Web's own type (chat, ptt, vcard, poll_creation, …). */
  rawType: string;
  /** Text, media caption, poll name or location description. */
  body: string;
  timestamp: string;
  hasMedia: boolean;
  media?: MessageMedia;
  /** waMessageId of the message this one replies to. */
  quotedMessageId?: string;
  mentions: string[];
  location?: MessageLocation;
  vCards: string[];
  poll?: MessagePoll;
  isForwarded: boolean;
}

/** Who had a message sent: the API, or an automation (with the rule, bot or event behind it). */
export const MESSAGE_SOURCES = ['api', 'scheduled', 'auto_reply', 'faq_bot', 'campaign', 'opt_out'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

export interface MessageOrigin {
  source: MessageSource;
  /** The auto-reply rule that sent it. */
  ruleId?: string;
  /** The FAQ bot that answered. */
  botId?: string;
  /** The event (e.g. the inbound message.received) the message answers. */
  triggerEventId?: string;
  /** The campaign and its run that sent it. */
  campaignId?: string;
  runId?: string;
}

export type MessageReceivedData = MessageData;
/**
 * A message this connection sent. `messageId` and `origin` are present when it was sent through
 * us (API or automation); absent when it was typed on the phone.
 */
export type MessageSentData = MessageData & { origin?: MessageOrigin };

interface MessageStatusFields {
  chatId: string;
  status: AckStatus;
  /** Why it failed. */
  reason?: string;
  timestamp: string;
}

/** `data` of message.status: WhatsApp's id, our id (msg_…), or both. */
export type MessageStatusData = MessageStatusFields &
  ({ waMessageId: string; messageId?: string } | { waMessageId?: string; messageId: string });

export interface MessageRevokedData {
  waMessageId: string;
  chatId: string;
  fromMe: boolean;
  author?: string;
  timestamp: string;
  /** The message before it was deleted, when still known. */
  original?: MessageData;
}

export interface MessageEditedData {
  waMessageId: string;
  chatId: string;
  body: string;
  previousBody: string;
  timestamp: string;
}

export interface MessageReactionData {
  /** The message reacted to. */
  waMessageId: string;
  chatId: string;
  reactionId: string;
  /** Who reacted. */
  from: string;
  /** The emoji; empty when removed. */
  reaction: string;
  timestamp: string;
}

export interface MessageEventDataMap {
  'message.received': MessageReceivedData;
  'message.sent': MessageSentData;
  'message.status': MessageStatusData;
  'message.revoked': MessageRevokedData;
  'message.edited': MessageEditedData;
  'message.reaction': MessageReactionData;
}

const MEDIA = obj(
  {
    mimetype: STR,
    filename: STR,
    size: { type: 'integer', minimum: 0, description: 'Bytes' },
    duration: { type: 'number', minimum: 0, description: 'Seconds (audio, video)' },
    voice: { ...BOOL, description: 'Audio sent as a voice note' },
    gif: { ...BOOL, description: 'Video played as a GIF' },
  },
  [],
);

const LOCATION = obj(
  { latitude: { type: 'number' }, longitude: { type: 'number' }, name: STR, address: STR, url: STR },
  ['latitude', 'longitude'],
);

const POLL = obj({ name: STR, options: STRINGS, allowMultipleAnswers: BOOL }, [
  'name',
  'options',
  'allowMultipleAnswers',
]);

const MESSAGE_PROPERTIES = {
  waMessageId: { ...STR, description: 'WhatsApp id of the message' },
  messageId: { ...STR, description: 'Our id (msg_…) when the message was sent through the API and is known' },
  chatId: STR,
  from: STR,
  to: STR,
  author: { ...STR, description: 'Sender inside a group chat' },
  fromMe: BOOL,
  type: { type: 'string', enum: MESSAGE_TYPES },
  rawType: { ...STR, description: "WhatsApp Web's own type (chat, ptt, vcard, poll_creation, …)" },
  body: { ...STR, description: 'Text, media caption, poll name or location description' },
  timestamp: ISO,
  hasMedia: BOOL,
  media: MEDIA,
  quotedMessageId: { ...STR, description: 'waMessageId of the message this one replies to' },
  mentions: STRINGS,
  location: LOCATION,
  vCards: STRINGS,
  poll: POLL,
  isForwarded: BOOL,
};

const MESSAGE_REQUIRED = [
  'waMessageId',
  'chatId',
  'from',
  'to',
  'fromMe',
  'type',
  'rawType',
  'body',
  'timestamp',
  'hasMedia',
  'mentions',
  'vCards',
  'isForwarded',
];

/** `data` of message.received and message.sent (and `original` of message.revoked). */
export const MESSAGE_SCHEMA = obj(MESSAGE_PROPERTIES, MESSAGE_REQUIRED);

/** message.sent of a message sent through us: who had it sent (absent when typed on the phone). */
const MESSAGE_ORIGIN = {
  ...obj(
    {
      source: { type: 'string', enum: MESSAGE_SOURCES },
      ruleId: { ...STR, description: 'The auto-reply rule that sent it' },
      botId: { ...STR, description: 'The FAQ bot that sent it' },
      triggerEventId: { ...STR, description: 'The event (e.g. message.received) it answers' },
      campaignId: { ...STR, description: 'The campaign that sent it' },
      runId: { ...STR, description: 'The campaign run that sent it' },
    },
    ['source'],
  ),
  description: 'Who had the message sent, when it was sent through us (absent when typed on the phone)',
};

const TEXT_IN: MessageData = {
  waMessageId: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
  chatId: '15557654321@c.us',
  from: '15557654321@c.us',
  to: '15551234567@c.us',
  fromMe: false,
  type: 'text',
  rawType: 'chat',
  body: 'Hello! Is my order on its way?',
  timestamp: '2026-12-01T10:00:00.000Z',
  hasMedia: false,
  mentions: [],
  vCards: [],
  isForwarded: false,
};

export const MESSAGE_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  defineEvent({
    type: 'message.received',
    version: 1,
    description: 'A message from someone else arrived (a private chat or a group).',
    orderingKey: 'chat',
    dataSchema: MESSAGE_SCHEMA,
    example: TEXT_IN,
  }),
  defineEvent({
    type: 'message.sent',
    version: 1,
    description:
      'This account created an outgoing message: sent through the API or typed on the phone. Acks follow as message.status.',
    orderingKey: 'chat',
    dataSchema: obj({ ...MESSAGE_PROPERTIES, origin: MESSAGE_ORIGIN }, MESSAGE_REQUIRED),
    example: {
      ...TEXT_IN,
      waMessageId: 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718',
      from: '15551234567@c.us',
      to: '15557654321@c.us',
      fromMe: true,
      body: 'Yes, it ships today.',
    },
  }),
  defineEvent({
    type: 'message.status',
    version: 1,
    description:
      'An outgoing message changed status: sent (reached WhatsApp), delivered, read, played (voice and video) or failed.',
    orderingKey: 'chat',
    dataSchema: {
      ...obj(
        {
          waMessageId: STR,
          messageId: { ...STR, description: 'Our id (msg_…) when known' },
          chatId: STR,
          status: { type: 'string', enum: ACK_STATUSES },
          reason: { ...STR, description: 'Why it failed' },
          timestamp: ISO,
        },
        ['chatId', 'status', 'timestamp'],
      ),
      anyOf: [{ required: ['waMessageId'] }, { required: ['messageId'] }],
    },
    example: {
      waMessageId: 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718',
      chatId: '15557654321@c.us',
      status: 'delivered',
      timestamp: '2026-12-01T10:00:02.000Z',
    },
  }),
  defineEvent({
    type: 'message.revoked',
    version: 1,
    description: 'A message was deleted for everyone.',
    orderingKey: 'chat',
    dataSchema: obj(
      {
        waMessageId: STR,
        chatId: STR,
        fromMe: BOOL,
        author: STR,
        timestamp: ISO,
        original: { ...MESSAGE_SCHEMA, description: 'The message before it was deleted, when still known' },
      },
      ['waMessageId', 'chatId', 'fromMe', 'timestamp'],
    ),
    example: {
      waMessageId: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
      chatId: '15557654321@c.us',
      fromMe: false,
      timestamp: '2026-12-01T10:05:00.000Z',
    },
  }),
  defineEvent({
    type: 'message.edited',
    version: 1,
    description: 'A message was edited.',
    orderingKey: 'chat',
    dataSchema: obj({ waMessageId: STR, chatId: STR, body: STR, previousBody: STR, timestamp: ISO }, [
      'waMessageId',
      'chatId',
      'body',
      'previousBody',
      'timestamp',
    ]),
    example: {
      waMessageId: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
      chatId: '15557654321@c.us',
      body: 'Hello! Has my order shipped?',
      previousBody: 'Hello! Is my order on its way?',
      timestamp: '2026-12-01T10:01:00.000Z',
    },
  }),
  defineEvent({
    type: 'message.reaction',
    version: 1,
    description: 'Someone (this account included) reacted to a message; an empty reaction removes it.',
    orderingKey: 'chat',
    dataSchema: obj(
      {
        waMessageId: { ...STR, description: 'The message reacted to' },
        chatId: STR,
        reactionId: STR,
        from: { ...STR, description: 'Who reacted' },
        reaction: { ...STR, description: 'The emoji; empty when removed' },
        timestamp: ISO,
      },
      ['waMessageId', 'chatId', 'reactionId', 'from', 'reaction', 'timestamp'],
    ),
    example: {
      waMessageId: 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718',
      chatId: '15557654321@c.us',
      reactionId: 'false_15557654321@c.us_3A99887766554433221100',
      from: '15557654321@c.us',
      reaction: '👍',
      timestamp: '2026-12-01T10:02:00.000Z',
    },
  }),
];
