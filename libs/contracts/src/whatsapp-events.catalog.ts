import type { EventDefinition } from './event-catalog';

/**
 * Events of WhatsApp connections: their lifecycle (published by the API and by the gateway that
 * runs the connection) and everything the WhatsApp driver reports (bridged by the gateway).
 * Timestamps in `data` are ISO-8601 UTC strings; WhatsApp ids are kept as WhatsApp serializes
 * them (`waMessageId` like `true_15551234567@c.us_3EB0…`, chat ids like `15551234567@c.us` or
 * `1203630…@g.us`).
 */

const obj = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const ISO = { type: 'string', format: 'date-time' };
const STR = { type: 'string' };
const BOOL = { type: 'boolean' };
const STRINGS = { type: 'array', items: { type: 'string' } };

/** Statuses of a connection (the gateway's driver state machine). */
export const CONNECTION_STATUSES = [
  'starting',
  'qr',
  'authenticated',
  'ready',
  'disconnected',
  'failed',
  'logged_out',
  'stopped',
] as const;

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

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

export const ACK_STATUSES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;

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

const GROUP_EVENT = obj(
  {
    chatId: STR,
    action: { ...STR, description: 'add, invite, remove, leave, subject, description, picture, announce, …' },
    author: STR,
    participants: STRINGS,
    body: STR,
    timestamp: ISO,
  },
  ['chatId', 'action', 'participants', 'body', 'timestamp'],
);

const GROUP_EXAMPLE = {
  chatId: '120363041234567890@g.us',
  action: 'add',
  author: '15557654321@c.us',
  participants: ['15551234567@c.us'],
  body: '',
  timestamp: '2026-12-01T10:00:00.000Z',
};

const TEXT_IN = {
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

export const WHATSAPP_EVENT_DEFINITIONS: readonly EventDefinition[] = [
  {
    type: 'connection.created',
    version: 1,
    description: 'A WhatsApp connection was created through the API (it starts and shows a QR code).',
    orderingKey: 'connection',
    dataSchema: obj({ name: STR, driver: { type: 'string', enum: ['webjs', 'simulator'] }, createdAt: ISO }, [
      'name',
      'driver',
      'createdAt',
    ]),
    example: { name: 'Support line', driver: 'webjs', createdAt: '2026-12-01T10:00:00.000Z' },
  },
  {
    type: 'connection.deleted',
    version: 1,
    description:
      'A connection was deleted through the API; its gateway stops it, logs it out and deletes its session.',
    orderingKey: 'connection',
    dataSchema: obj({ name: STR, deletedAt: ISO }, ['name', 'deletedAt']),
    example: { name: 'Support line', deletedAt: '2026-12-01T12:00:00.000Z' },
  },
  {
    type: 'connection.status',
    version: 1,
    description:
      'The status of a connection changed (starting, qr, authenticated, ready, disconnected, failed, logged_out, ' +
      'stopped); every change, with the reason when there is one. `failed` repeats with a new reason and retry time ' +
      'while WhatsApp stays unreachable.',
    orderingKey: 'connection',
    dataSchema: obj(
      {
        status: { type: 'string', enum: CONNECTION_STATUSES },
        previousStatus: { type: ['string', 'null'], enum: [...CONNECTION_STATUSES, null] },
        reason: STR,
        failures: { type: 'integer', minimum: 0, description: 'Failed attempts since the last ready' },
        retryAt: { ...ISO, description: 'When the next automatic attempt starts' },
        phoneNumber: { ...STR, description: 'Digits only, once linked' },
        pushName: STR,
      },
      ['status', 'previousStatus', 'failures'],
    ),
    example: {
      status: 'ready',
      previousStatus: 'authenticated',
      failures: 0,
      phoneNumber: '15551234567',
      pushName: 'Acme Support',
    },
  },
  {
    type: 'connection.qr',
    version: 1,
    description:
      'A new QR code to scan with WhatsApp on the phone (Linked devices); refreshed about every 20 s until scanned. ' +
      'GET /v1/connections/{id}/qr renders it as a PNG.',
    orderingKey: 'connection',
    dataSchema: obj({ qr: { type: 'string', minLength: 1 } }, ['qr']),
    example: { qr: '2@Xq1Zb…,Hk9…,con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' },
  },
  {
    type: 'connection.pairing_code',
    version: 1,
    description: 'A pairing code was issued (link with a phone number instead of a QR scan).',
    orderingKey: 'connection',
    dataSchema: obj({ code: { type: 'string', minLength: 1 } }, ['code']),
    example: { code: 'ABCD1234' },
  },
  {
    type: 'connection.authenticated',
    version: 1,
    description: 'The phone confirmed the link (or a stored session was accepted); `ready` follows.',
    orderingKey: 'connection',
    dataSchema: obj({}, []),
    example: {},
  },
  {
    type: 'connection.ready',
    version: 1,
    description: 'The connection is ready to send and receive, as this WhatsApp account.',
    orderingKey: 'connection',
    dataSchema: obj({ phoneNumber: STR, pushName: STR, chatId: STR }, ['phoneNumber', 'pushName', 'chatId']),
    example: { phoneNumber: '15551234567', pushName: 'Acme Support', chatId: '15551234567@c.us' },
  },
  {
    type: 'connection.disconnected',
    version: 1,
    description:
      'The WhatsApp session dropped; `connection.status` follows with disconnected (restarting), failed or logged_out.',
    orderingKey: 'connection',
    dataSchema: obj({ reason: STR }, ['reason']),
    example: { reason: 'CONFLICT' },
  },
  {
    type: 'message.received',
    version: 1,
    description: 'A message from someone else arrived (a private chat or a group).',
    orderingKey: 'chat',
    dataSchema: MESSAGE_SCHEMA,
    example: TEXT_IN,
  },
  {
    type: 'message.sent',
    version: 1,
    description:
      'This account created an outgoing message: sent through the API or typed on the phone. Acks follow as message.status.',
    orderingKey: 'chat',
    dataSchema: MESSAGE_SCHEMA,
    example: {
      ...TEXT_IN,
      waMessageId: 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718',
      from: '15551234567@c.us',
      to: '15557654321@c.us',
      fromMe: true,
      body: 'Yes, it ships today.',
    },
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
    type: 'group.join',
    version: 1,
    description: 'Someone joined a group this account is in (added, invited, or this account itself).',
    orderingKey: 'chat',
    dataSchema: GROUP_EVENT,
    example: GROUP_EXAMPLE,
  },
  {
    type: 'group.leave',
    version: 1,
    description: 'Someone left or was removed from a group this account is in.',
    orderingKey: 'chat',
    dataSchema: GROUP_EVENT,
    example: { ...GROUP_EXAMPLE, action: 'remove' },
  },
  {
    type: 'group.update',
    version: 1,
    description: 'A group changed: subject, description, picture, settings (announce, restrict), …',
    orderingKey: 'chat',
    dataSchema: GROUP_EVENT,
    example: { ...GROUP_EXAMPLE, action: 'subject', participants: [], body: 'Acme customers' },
  },
  {
    type: 'call.received',
    version: 1,
    description: 'An incoming voice or video call (WhatsApp Web cannot answer it).',
    orderingKey: 'chat',
    dataSchema: obj({ callId: STR, from: STR, isVideo: BOOL, isGroup: BOOL, fromMe: BOOL, timestamp: ISO }, [
      'callId',
      'from',
      'isVideo',
      'isGroup',
      'fromMe',
      'timestamp',
    ]),
    example: {
      callId: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
      from: '15557654321@c.us',
      isVideo: false,
      isGroup: false,
      fromMe: false,
      timestamp: '2026-12-01T10:03:00.000Z',
    },
  },
  {
    type: 'contact.changed',
    version: 1,
    description: 'A contact (or a group participant) changed their phone number.',
    orderingKey: 'connection',
    dataSchema: obj({ oldId: STR, newId: STR, isContact: BOOL, timestamp: ISO }, [
      'oldId',
      'newId',
      'isContact',
      'timestamp',
    ]),
    example: {
      oldId: '15557654321@c.us',
      newId: '15559876543@c.us',
      isContact: true,
      timestamp: '2026-12-01T10:04:00.000Z',
    },
  },
];
