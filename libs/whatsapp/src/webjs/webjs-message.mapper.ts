import type {
  AckStatus,
  CallEvent,
  GroupEvent,
  MediaMeta,
  MessageReactionEvent,
  WhatsAppMessage,
  WhatsAppMessageType,
} from '../whatsapp-message.dto';

/**
 * Maps the serialized message data of whatsapp-web.js (`message.rawData`, what WhatsApp Web's
 * `Msg.serialize()` returns) into our DTOs. Input is `unknown` and narrowed field by field: the
 * shapes drift between WhatsApp Web builds, so a missing field degrades, never throws.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean => v === true;

/** A wid is either `"123@c.us"` or `{_serialized: "123@c.us", user, server}`. */
export function widToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObj(v))
    return str(v._serialized) ?? (str(v.user) && str(v.server) ? `${v.user}@${v.server}` : undefined);
  return undefined;
}

const RAW_TYPES: Record<string, WhatsAppMessageType> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
  poll_creation: 'poll',
  revoked: 'revoked',
};

export function mapMessageType(rawType: string): WhatsAppMessageType {
  return RAW_TYPES[rawType] ?? 'unknown';
}

export interface SerializedId {
  fromMe: boolean;
  remote: string;
  id: string;
  serialized: string;
  participant?: string;
}

export function readMessageId(v: unknown): SerializedId | undefined {
  if (!isObj(v)) return undefined;
  const remote = widToString(v.remote);
  const id = str(v.id);
  if (!remote || !id) return undefined;
  const fromMe = bool(v.fromMe);
  const participant = widToString(v.participant);
  const serialized =
    str(v._serialized) ?? `${fromMe}_${remote}_${id}${participant && !fromMe ? `_${participant}` : ''}`;
  return { fromMe, remote, id, serialized, ...(participant ? { participant } : {}) };
}

const userOf = (wid: string | undefined): string | undefined => wid?.split('@')[0]?.split(':')[0];

/**
 * The serialized id of the quoted message. WhatsApp Web keeps only the stanza id, the quoted
 * sender and (sometimes) the chat; we rebuild `<fromMe>_<chat>_<id>[_<participant>]`.
 */
export function quotedMessageIdOf(raw: Obj, chatId: string, me?: string): string | undefined {
  const stanza = str(raw.quotedStanzaID);
  if (!stanza) return undefined;
  const participant = widToString(raw.quotedParticipant);
  const remote = widToString(raw.quotedRemoteJid) ?? chatId;
  const fromMe = !!participant && !!me && userOf(participant) === userOf(me);
  const suffix = remote.endsWith('@g.us') && !fromMe && participant ? `_${participant}` : '';
  return `${fromMe}_${remote}_${stanza}${suffix}`;
}

function mediaOf(raw: Obj, rawType: string): MediaMeta | undefined {
  if (!str(raw.directPath) && !str(raw.mimetype)) return undefined;
  const media: MediaMeta = {};
  const mimetype = str(raw.mimetype);
  const filename = str(raw.filename);
  const size = num(raw.size);
  const duration = num(raw.duration) ?? (str(raw.duration) ? Number(raw.duration) : undefined);
  if (mimetype) media.mimetype = mimetype;
  if (filename) media.filename = filename;
  if (size !== undefined) media.size = size;
  if (duration !== undefined && Number.isFinite(duration)) media.duration = duration;
  if (rawType === 'ptt') media.voice = true;
  if (bool(raw.isGif)) media.gif = true;
  return media;
}

/** Normalizes one serialized message. `me` is our own chat id (to tell who is quoted). */
export function normalizeMessage(data: unknown, me?: string): WhatsAppMessage | undefined {
  if (!isObj(data)) return undefined;
  const id = readMessageId(data.id);
  if (!id) return undefined;
  const rawType = str(data.type) ?? 'unknown';
  const type = mapMessageType(rawType);
  const from = widToString(data.from) ?? '';
  const to = widToString(data.to) ?? '';
  const chatId = id.remote;
  const hasMedia = !!str(data.directPath);
  const media = mediaOf(data, rawType);
  const author = widToString(data.author);

  let body: string;
  if (hasMedia || ['image', 'video', 'audio', 'document', 'sticker'].includes(type))
    body = str(data.caption) ?? '';
  else if (type === 'poll') body = str(data.pollName) ?? '';
  else if (type === 'location') body = str(data.loc) ?? '';
  else if (type === 'contact') body = '';
  else body = str(data.body) ?? '';

  const vCards: string[] =
    rawType === 'vcard'
      ? [str(data.body)].filter((v): v is string => !!v)
      : rawType === 'multi_vcard' && Array.isArray(data.vcardList)
        ? data.vcardList.map((c) => (isObj(c) ? str(c.vcard) : undefined)).filter((v): v is string => !!v)
        : [];

  const lat = num(data.lat);
  const lng = num(data.lng);
  let location: WhatsAppMessage['location'];
  if (type === 'location' && lat !== undefined && lng !== undefined) {
    const [name, address] = (str(data.loc) ?? '').split('\n');
    location = { latitude: lat, longitude: lng };
    if (name) location.name = name;
    if (address) location.address = address;
    const url = str(data.clientUrl);
    if (url) location.url = url;
  }

  let poll: WhatsAppMessage['poll'];
  if (type === 'poll') {
    const options = Array.isArray(data.pollOptions)
      ? data.pollOptions
          .map((o) => (isObj(o) ? str(o.name) : str(o)))
          .filter((v): v is string => v !== undefined)
      : [];
    poll = {
      name: str(data.pollName) ?? '',
      options,
      allowMultipleAnswers: !num(data.pollSelectableOptionsCount),
    };
  }

  const mentions = Array.isArray(data.mentionedJidList)
    ? data.mentionedJidList.map(widToString).filter((v): v is string => !!v)
    : [];
  const quotedMessageId = quotedMessageIdOf(data, chatId, me);
  const t = num(data.t);

  return {
    id: id.serialized,
    chatId,
    from,
    to,
    ...(author ? { author } : {}),
    fromMe: id.fromMe,
    type,
    rawType,
    body,
    timestamp: t !== undefined ? Math.round(t * 1000) : Date.now(),
    hasMedia,
    ...(media ? { media } : {}),
    ...(quotedMessageId ? { quotedMessageId } : {}),
    mentions,
    ...(location ? { location } : {}),
    vCards,
    ...(poll ? { poll } : {}),
    isForwarded: bool(data.isForwarded),
  };
}

/** whatsapp-web.js ack values: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export function mapAck(ack: unknown): AckStatus | undefined {
  switch (ack) {
    case -1:
      return 'failed';
    case 1:
      return 'sent';
    case 2:
      return 'delivered';
    case 3:
      return 'read';
    case 4:
      return 'played';
    default:
      return undefined;
  }
}

/** A `Reaction` of whatsapp-web.js (id, msgId, senderId, reaction, timestamp in seconds). */
export function normalizeReaction(r: unknown): MessageReactionEvent | undefined {
  if (!isObj(r)) return undefined;
  const messageId = readMessageId(r.msgId)?.serialized ?? widToString(r.msgId);
  if (!messageId) return undefined;
  const t = num(r.timestamp);
  return {
    messageId,
    reactionId: readMessageId(r.id)?.serialized ?? widToString(r.id) ?? '',
    from: widToString(r.senderId) ?? '',
    reaction: str(r.reaction) ?? '',
    timestamp: t !== undefined ? Math.round(t * 1000) : Date.now(),
  };
}

/** A `GroupNotification` of whatsapp-web.js. */
export function normalizeGroupNotification(n: unknown): GroupEvent | undefined {
  if (!isObj(n)) return undefined;
  const id = readMessageId(n.id);
  const chatId = widToString(n.chatId) ?? id?.remote;
  if (!chatId) return undefined;
  const author = widToString(n.author);
  const t = num(n.timestamp);
  return {
    chatId,
    action: str(n.type) ?? 'unknown',
    ...(author ? { author } : {}),
    participants: Array.isArray(n.recipientIds)
      ? n.recipientIds.map(widToString).filter((v): v is string => !!v)
      : [],
    body: str(n.body) ?? '',
    timestamp: t !== undefined ? Math.round(t * 1000) : Date.now(),
  };
}

/** A `Call` of whatsapp-web.js. */
export function normalizeCall(c: unknown): CallEvent | undefined {
  if (!isObj(c)) return undefined;
  const callId = str(c.id) ?? (num(c.id) !== undefined ? String(c.id) : undefined);
  if (!callId) return undefined;
  const t = num(c.timestamp);
  return {
    callId,
    from: widToString(c.from) ?? widToString(c.peerJid) ?? '',
    isVideo: bool(c.isVideo),
    isGroup: bool(c.isGroup),
    fromMe: bool(c.fromMe) || bool(c.outgoing),
    timestamp: t !== undefined ? Math.round(t * 1000) : Date.now(),
  };
}
