import type {
  ConnectionStatus,
  ConnectionStatusData,
  EventDataMap,
  EventType,
  GroupEventData,
  MessageData,
  MessageRevokedData,
} from '@wwb/contracts';
import type {
  CallEvent,
  ContactChangedEvent,
  DriverState,
  GroupEvent,
  MessageAckEvent,
  MessageEditedEvent,
  MessageReactionEvent,
  MessageRevokedEvent,
  WhatsAppAccount,
  WhatsAppDriverEventName,
  WhatsAppMessage,
} from '@wwb/whatsapp';
import type { OutgoingTag } from './outgoing-tag.store';

/**
 * Which event type every driver event becomes. A `Record` over every driver event name: adding
 * an event to the driver port without bridging it does not compile.
 */
export const BRIDGED_EVENT_TYPES = {
  status: 'connection.status',
  qr: 'connection.qr',
  pairing_code: 'connection.pairing_code',
  authenticated: 'connection.authenticated',
  ready: 'connection.ready',
  disconnected: 'connection.disconnected',
  'message.received': 'message.received',
  'message.created': 'message.sent',
  'message.ack': 'message.status',
  'message.revoked': 'message.revoked',
  'message.edited': 'message.edited',
  'message.reaction': 'message.reaction',
  'group.join': 'group.join',
  'group.leave': 'group.leave',
  'group.update': 'group.update',
  call: 'call.received',
  'contact.changed': 'contact.changed',
} as const satisfies Record<WhatsAppDriverEventName, EventType>;

export type BridgedEventType = (typeof BRIDGED_EVENT_TYPES)[WhatsAppDriverEventName];

/** An event to publish, before it gets its envelope: the type, the chat (Kafka key) and the data. */
export interface Bridged<T extends BridgedEventType> {
  type: T;
  chatId?: string;
  data: EventDataMap[T];
}

/** Any bridged event, discriminated by `type`. */
export type BridgedEvent = { [T in BridgedEventType]: Bridged<T> }[BridgedEventType];

const iso = (ms: number): string => new Date(Number.isFinite(ms) ? ms : 0).toISOString();

/** Copies the optional keys of `source` that are defined (schemas forbid nulls and extras). */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (source[k] !== undefined && source[k] !== null) out[k] = source[k];
  return out;
}

/** The chat of a serialized message id `<fromMe>_<chatId>_<id>[_<participant>]`. */
export function chatIdOfMessageId(messageId: string): string | undefined {
  const [, chatId] = messageId.split('_');
  return chatId && chatId.includes('@') ? chatId : undefined;
}

export function statusEvent(
  state: DriverState,
  previous: ConnectionStatus | null,
  account: WhatsAppAccount | undefined,
  reasonOverride?: string,
): Bridged<'connection.status'> {
  const data: ConnectionStatusData = {
    status: state.status,
    previousStatus: previous,
    failures: state.failures,
  };
  const reason = reasonOverride ?? state.reason;
  if (reason) data.reason = reason;
  if (state.retryAt !== undefined) data.retryAt = iso(state.retryAt);
  if (account && state.status !== 'logged_out') {
    data.phoneNumber = account.phoneNumber;
    data.pushName = account.pushName;
  }
  return { type: BRIDGED_EVENT_TYPES.status, data };
}

export const qrEvent = (qr: string): Bridged<'connection.qr'> => ({
  type: BRIDGED_EVENT_TYPES.qr,
  data: { qr },
});

export const pairingCodeEvent = (code: string): Bridged<'connection.pairing_code'> => ({
  type: BRIDGED_EVENT_TYPES.pairing_code,
  data: { code },
});

export const authenticatedEvent = (): Bridged<'connection.authenticated'> => ({
  type: BRIDGED_EVENT_TYPES.authenticated,
  data: {},
});

export const readyEvent = (account: WhatsAppAccount): Bridged<'connection.ready'> => ({
  type: BRIDGED_EVENT_TYPES.ready,
  data: { phoneNumber: account.phoneNumber, pushName: account.pushName, chatId: account.chatId },
});

export const disconnectedEvent = (reason: string): Bridged<'connection.disconnected'> => ({
  type: BRIDGED_EVENT_TYPES.disconnected,
  data: { reason },
});

/** The `data` of message.received / message.sent (and the original of a revoked message). */
export function messageData(m: WhatsAppMessage): MessageData {
  const data: MessageData = {
    waMessageId: m.id,
    chatId: m.chatId,
    from: m.from,
    to: m.to,
    fromMe: m.fromMe,
    type: m.type,
    rawType: m.rawType,
    body: m.body ?? '',
    timestamp: iso(m.timestamp),
    hasMedia: m.hasMedia,
    mentions: [...(m.mentions ?? [])],
    vCards: [...(m.vCards ?? [])],
    isForwarded: m.isForwarded === true,
  };
  if (m.author) data.author = m.author;
  if (m.quotedMessageId) data.quotedMessageId = m.quotedMessageId;
  if (m.media)
    data.media = pick(m.media, ['mimetype', 'filename', 'size', 'duration', 'voice', 'gif'] as const);
  if (m.location) {
    data.location = {
      latitude: m.location.latitude,
      longitude: m.location.longitude,
      ...pick(m.location, ['name', 'address', 'url'] as const),
    };
  }
  if (m.poll) {
    data.poll = {
      name: m.poll.name,
      options: [...m.poll.options],
      allowMultipleAnswers: m.poll.allowMultipleAnswers === true,
    };
  }
  return data;
}

export const messageReceivedEvent = (m: WhatsAppMessage): Bridged<'message.received'> => ({
  type: BRIDGED_EVENT_TYPES['message.received'],
  chatId: m.chatId,
  data: messageData(m),
});

/** `tag`: our id and origin when the message is one of our sends (absent: typed on the phone). */
export const messageSentEvent = (m: WhatsAppMessage, tag?: OutgoingTag): Bridged<'message.sent'> => ({
  type: BRIDGED_EVENT_TYPES['message.created'],
  chatId: m.chatId,
  data: tag
    ? { ...messageData(m), messageId: tag.messageId, ...(tag.origin ? { origin: tag.origin } : {}) }
    : messageData(m),
});

export const messageStatusEvent = (e: MessageAckEvent): Bridged<'message.status'> => ({
  type: BRIDGED_EVENT_TYPES['message.ack'],
  chatId: e.chatId,
  data: { waMessageId: e.messageId, chatId: e.chatId, status: e.status, timestamp: iso(e.timestamp) },
});

export function messageRevokedEvent(e: MessageRevokedEvent): Bridged<'message.revoked'> {
  const data: MessageRevokedData = {
    waMessageId: e.messageId,
    chatId: e.chatId,
    fromMe: e.fromMe,
    timestamp: iso(e.timestamp),
  };
  if (e.author) data.author = e.author;
  if (e.original) data.original = messageData(e.original);
  return { type: BRIDGED_EVENT_TYPES['message.revoked'], chatId: e.chatId, data };
}

export const messageEditedEvent = (e: MessageEditedEvent): Bridged<'message.edited'> => ({
  type: BRIDGED_EVENT_TYPES['message.edited'],
  chatId: e.chatId,
  data: {
    waMessageId: e.messageId,
    chatId: e.chatId,
    body: e.body ?? '',
    previousBody: e.previousBody ?? '',
    timestamp: iso(e.timestamp),
  },
});

export function messageReactionEvent(e: MessageReactionEvent): Bridged<'message.reaction'> {
  const chatId = chatIdOfMessageId(e.messageId) ?? chatIdOfMessageId(e.reactionId) ?? e.from;
  return {
    type: BRIDGED_EVENT_TYPES['message.reaction'],
    chatId,
    data: {
      waMessageId: e.messageId,
      chatId,
      reactionId: e.reactionId,
      from: e.from,
      reaction: e.reaction ?? '',
      timestamp: iso(e.timestamp),
    },
  };
}

export function groupEvent<T extends 'group.join' | 'group.leave' | 'group.update'>(
  type: T,
  e: GroupEvent,
): Bridged<T> {
  const data: GroupEventData = {
    chatId: e.chatId,
    action: e.action,
    participants: [...(e.participants ?? [])],
    body: e.body ?? '',
    timestamp: iso(e.timestamp),
  };
  if (e.author) data.author = e.author;
  return { type, chatId: e.chatId, data };
}

export const callEvent = (e: CallEvent): Bridged<'call.received'> => ({
  type: BRIDGED_EVENT_TYPES.call,
  chatId: e.from,
  data: {
    callId: e.callId,
    from: e.from,
    isVideo: e.isVideo,
    isGroup: e.isGroup,
    fromMe: e.fromMe,
    timestamp: iso(e.timestamp),
  },
});

export const contactChangedEvent = (e: ContactChangedEvent): Bridged<'contact.changed'> => ({
  type: BRIDGED_EVENT_TYPES['contact.changed'],
  data: { oldId: e.oldId, newId: e.newId, isContact: e.isContact, timestamp: iso(e.timestamp) },
});
