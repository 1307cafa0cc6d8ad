import { EVENT_DEFINITIONS, EventDefinition } from './event-catalog';
import { eventExample } from './event-docs';
import { EventEnvelope } from './event-envelope';
import { EventDataMap, EventType, isEventOf, TypedEvent } from './event-types';
import { EventValidator } from './event-validator';
import { MESSAGE_TYPES, MessageData, MessageType, SENDABLE_MESSAGE_TYPES } from './message-events.catalog';

/**
 * Keeps the TypeScript types of `data` (EventDataMap) and the JSON Schemas in step. The samples
 * below are typed with EventDataMap, so a field the type lacks or mistypes fails typecheck; the
 * schema checks then fail on a field the schema lacks (data objects are closed) or requires but
 * the type leaves out. Catalogue examples are typed too: defineEvent() types them.
 */

/** The keys of T that are not optional. */
type RequiredPart<T> = T extends unknown
  ? { [P in keyof T as Record<string, never> extends Pick<T, P> ? never : P]: T[P] }
  : never;

/** Every field, optional ones included: the type has no field the schema does not know. */
const MESSAGE_FULL: Required<MessageData> = {
  waMessageId: 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718',
  messageId: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
  chatId: '120363041234567890@g.us',
  from: '15551234567@c.us',
  to: '120363041234567890@g.us',
  author: '15551234567@c.us',
  fromMe: true,
  type: 'image',
  rawType: 'image',
  body: 'caption',
  timestamp: '2026-12-01T10:00:00.000Z',
  hasMedia: true,
  media: { mimetype: 'image/jpeg', filename: 'a.jpg', size: 10, duration: 0, voice: false, gif: false },
  quotedMessageId: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
  mentions: ['15557654321@c.us'],
  location: { latitude: 1.5, longitude: 2.5, name: 'HQ', address: 'Main St 1', url: 'https://example.com' },
  vCards: ['BEGIN:VCARD\nEND:VCARD'],
  poll: { name: 'Lunch?', options: ['yes', 'no'], allowMultipleAnswers: false },
  isForwarded: true,
};

const MESSAGE_MIN: RequiredPart<MessageData> = {
  waMessageId: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
  chatId: '15557654321@c.us',
  from: '15557654321@c.us',
  to: '15551234567@c.us',
  fromMe: false,
  type: 'text',
  rawType: 'chat',
  body: '',
  timestamp: '2026-12-01T10:00:00.000Z',
  hasMedia: false,
  mentions: [],
  vCards: [],
  isForwarded: false,
};

const T = '2026-12-01T10:00:00.000Z';
const RUN = { campaignId: 'cmp_1', runId: 'cmp_1_20261201T1000' };
const RECIPIENT = { ...RUN, contactId: 'ctc_1', chatId: '1@c.us' };
const GROUP = {
  chatId: '120363041234567890@g.us',
  action: 'add',
  participants: ['1@c.us'],
  body: '',
  timestamp: T,
};

const FULL: { [K in EventType]: Required<EventDataMap[K]> } = {
  'account.created': { name: 'Acme', plan: 'starter' },
  'account.updated': { name: 'Acme', plan: 'enterprise', disabled: true },
  'api_key.created': {
    apiKeyId: 'key_1',
    name: 'crm',
    prefix: 'wwb_1',
    connectionIds: ['con_1'],
    createdAt: T,
  },
  'api_key.revoked': { apiKeyId: 'key_1', revokedAt: T },
  'connection.created': { name: 'Support', driver: 'simulator', createdAt: T },
  'connection.deleted': { name: 'Support', deletedAt: T },
  'connection.status': {
    status: 'failed',
    previousStatus: 'ready',
    reason: 'net',
    failures: 2,
    retryAt: T,
    phoneNumber: '15551234567',
    pushName: 'Acme',
  },
  'connection.qr': { qr: '2@abc' },
  'connection.pairing_code': { code: 'ABCD1234' },
  'connection.authenticated': {},
  'connection.ready': { phoneNumber: '15551234567', pushName: 'Acme', chatId: '15551234567@c.us' },
  'connection.disconnected': { reason: 'CONFLICT' },
  'message.received': MESSAGE_FULL,
  'message.sent': {
    ...MESSAGE_FULL,
    origin: {
      source: 'auto_reply',
      ruleId: 'rul_1',
      botId: 'faq_1',
      triggerEventId: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    },
  },
  'message.status': {
    waMessageId: 'true_1@c.us_3EB0',
    messageId: 'msg_1',
    chatId: '1@c.us',
    status: 'failed',
    reason: 'not_on_whatsapp',
    timestamp: T,
  },
  'message.revoked': {
    waMessageId: 'true_1@c.us_3EB0',
    chatId: '1@c.us',
    fromMe: true,
    author: '1@c.us',
    timestamp: T,
    original: MESSAGE_FULL,
  },
  'message.edited': { waMessageId: 'w', chatId: '1@c.us', body: 'b', previousBody: 'a', timestamp: T },
  'message.reaction': {
    waMessageId: 'w',
    chatId: '1@c.us',
    reactionId: 'r',
    from: '1@c.us',
    reaction: '',
    timestamp: T,
  },
  'group.join': { ...GROUP, author: '2@c.us' },
  'group.leave': { ...GROUP, author: '2@c.us' },
  'group.update': { ...GROUP, author: '2@c.us' },
  'call.received': {
    callId: 'c',
    from: '1@c.us',
    isVideo: true,
    isGroup: false,
    fromMe: false,
    timestamp: T,
  },
  'contact.changed': { oldId: '1@c.us', newId: '2@c.us', isContact: false, timestamp: T },
  'webhook.test': { endpointId: 'whk_1', message: 'hi', requestedAt: T },
  'webhook.endpoint.disabled': {
    endpointId: 'whk_1',
    url: 'https://example.com/h',
    reason: 'failing',
    disabledAt: T,
    lastStatusCode: 500,
    lastError: 'HTTP 500',
  },
  'automation.rule.matched': {
    ruleId: 'r',
    ruleName: 'n',
    triggerEventId: 'e',
    chatId: '1@c.us',
    contactId: null,
  },
  'automation.reply.sent': {
    messageId: 'msg_1',
    ruleId: 'r',
    botId: 'b',
    source: 'faq_bot',
    triggerEventId: 'e',
    chatId: '1@c.us',
  },
  'automation.handoff.started': {
    chatId: '1@c.us',
    until: T,
    reason: 'rule',
    ruleId: 'r',
    botId: 'b',
    triggerEventId: 'e',
  },
  'automation.handoff.ended': { chatId: '1@c.us', reason: 'resumed', endedAt: T },
  'automation.handoff.requested': {
    chatId: '1@c.us',
    action: 'take_over',
    minutes: 30,
    requestedBy: 'usr_1',
  },
  'automation.loop_breaker.tripped': {
    chatId: '1@c.us',
    replies: 5,
    windowSeconds: 600,
    triggerEventId: 'e',
  },
  'automation.action.failed': {
    ruleId: 'r',
    action: 'http',
    code: 'c',
    message: 'm',
    triggerEventId: 'e',
    chatId: '1@c.us',
  },
  'faq.answered': {
    botId: 'b',
    entryId: 'x',
    score: 1,
    question: 'q',
    chatId: '1@c.us',
    triggerEventId: 'e',
    ruleId: 'r',
  },
  'faq.missed': {
    botId: 'b',
    entryId: 'x',
    score: 0.5,
    question: 'q',
    chatId: '1@c.us',
    triggerEventId: 'e',
    missesInRow: 2,
    ruleId: 'r',
  },
  'contact.opted_out': {
    contactId: 'ct_1',
    phone: '+1555',
    reason: 'keyword STOP',
    source: 'keyword',
    triggerEventId: 'e',
  },
  'contact.opted_in': {
    contactId: 'ct_1',
    phone: '+1555',
    reason: 'api',
    source: 'api',
    triggerEventId: 'e',
  },
  'campaign.run.started': {
    ...RUN,
    kind: 'scheduled',
    occurrence: T,
    targeted: 3,
    pending: 2,
    skipped: { opted_out: 1 },
  },
  'campaign.run.progress': { ...RUN, connectionId: 'con_1', sent: 1, skipped: 0, failed: 0, remaining: 1 },
  'campaign.run.completed': { ...RUN, outcome: 'completed', completedAt: T },
  'campaign.recipient.sent': { ...RECIPIENT, messageId: 'msg_1' },
  'campaign.recipient.skipped': { ...RECIPIENT, reason: 'frequency_capped' },
  'campaign.recipient.failed': { ...RECIPIENT, messageId: 'msg_1', code: 'connection_stopped' },
};

/** Only the fields the type requires: the schema requires exactly these (no optional field here). */
const MINIMAL: { [K in EventType]: RequiredPart<EventDataMap[K]> } = {
  'account.created': { name: 'Acme', plan: 'starter' },
  'account.updated': { name: 'Acme', plan: 'professional', disabled: false },
  'api_key.created': { apiKeyId: 'key_1', name: 'crm', prefix: 'wwb_1', createdAt: T },
  'api_key.revoked': { apiKeyId: 'key_1', revokedAt: T },
  'connection.created': { name: 'Support', driver: 'webjs', createdAt: T },
  'connection.deleted': { name: 'Support', deletedAt: T },
  'connection.status': { status: 'starting', previousStatus: null, failures: 0 },
  'connection.qr': { qr: '2@abc' },
  'connection.pairing_code': { code: 'ABCD1234' },
  'connection.authenticated': {},
  'connection.ready': { phoneNumber: '15551234567', pushName: 'Acme', chatId: '15551234567@c.us' },
  'connection.disconnected': { reason: 'CONFLICT' },
  'message.received': MESSAGE_MIN,
  'message.sent': MESSAGE_MIN,
  'message.status': { waMessageId: 'true_1@c.us_3EB0', chatId: '1@c.us', status: 'read', timestamp: T },
  'message.revoked': { waMessageId: 'w', chatId: '1@c.us', fromMe: false, timestamp: T },
  'message.edited': { waMessageId: 'w', chatId: '1@c.us', body: 'b', previousBody: 'a', timestamp: T },
  'message.reaction': {
    waMessageId: 'w',
    chatId: '1@c.us',
    reactionId: 'r',
    from: '1@c.us',
    reaction: 'x',
    timestamp: T,
  },
  'group.join': GROUP,
  'group.leave': GROUP,
  'group.update': GROUP,
  'call.received': {
    callId: 'c',
    from: '1@c.us',
    isVideo: false,
    isGroup: false,
    fromMe: false,
    timestamp: T,
  },
  'contact.changed': { oldId: '1@c.us', newId: '2@c.us', isContact: true, timestamp: T },
  'webhook.test': { endpointId: 'whk_1', message: 'hi', requestedAt: T },
  'webhook.endpoint.disabled': {
    endpointId: 'whk_1',
    url: 'https://example.com/h',
    reason: 'gone',
    disabledAt: T,
  },
  'automation.rule.matched': {
    ruleId: 'r',
    ruleName: 'n',
    triggerEventId: 'e',
    chatId: '1@c.us',
    contactId: 'ct_1',
  },
  'automation.reply.sent': { messageId: 'msg_1', source: 'opt_out', triggerEventId: 'e', chatId: '1@c.us' },
  'automation.handoff.started': { chatId: '1@c.us', until: T, reason: 'human_reply', triggerEventId: 'e' },
  'automation.handoff.ended': { chatId: '1@c.us', reason: 'expired', endedAt: T },
  'automation.handoff.requested': { chatId: '1@c.us', action: 'give_back', requestedBy: 'key_1' },
  'automation.loop_breaker.tripped': {
    chatId: '1@c.us',
    replies: 5,
    windowSeconds: 600,
    triggerEventId: 'e',
  },
  'automation.action.failed': {
    ruleId: 'r',
    action: 'reply',
    code: 'c',
    message: 'm',
    triggerEventId: 'e',
    chatId: '1@c.us',
  },
  'faq.answered': {
    botId: 'b',
    entryId: 'x',
    score: 1,
    question: 'q',
    chatId: '1@c.us',
    triggerEventId: 'e',
  },
  'faq.missed': { botId: 'b', question: 'q', chatId: '1@c.us', triggerEventId: 'e', missesInRow: 1 },
  'contact.opted_out': { contactId: 'ct_1', phone: '+1555', reason: 'keyword STOP', source: 'keyword' },
  'contact.opted_in': { contactId: 'ct_1', phone: '+1555', reason: 'keyword START', source: 'keyword' },
  'campaign.run.started': {
    ...RUN,
    kind: 'manual',
    occurrence: T,
    targeted: 3,
    pending: 2,
    skipped: { opted_out: 1 },
  },
  'campaign.run.progress': { ...RUN, connectionId: 'con_1', sent: 1, skipped: 0, failed: 0, remaining: 1 },
  'campaign.run.completed': { ...RUN, outcome: 'completed', completedAt: T },
  'campaign.recipient.sent': { ...RECIPIENT, messageId: 'msg_1' },
  'campaign.recipient.skipped': { ...RECIPIENT, reason: 'frequency_capped' },
  'campaign.recipient.failed': { ...RECIPIENT, messageId: 'msg_1', code: 'connection_stopped' },
};

const newest = (type: string): EventDefinition =>
  EVENT_DEFINITIONS.filter((d) => d.type === type).reduce((a, b) => (b.version > a.version ? b : a));

const withData = (type: string, data: unknown): Record<string, unknown> => ({
  ...eventExample(newest(type)),
  data,
});

/** The keys a minimal `data` must have by the schema (`required`, plus the first `anyOf` branch). */
function schemaRequired(d: EventDefinition): string[] {
  const s = d.dataSchema as { required: string[]; anyOf?: { required: string[] }[] };
  return [...s.required, ...(s.anyOf?.[0]?.required ?? [])].sort();
}

describe('typed event data (EventDataMap)', () => {
  const validator = new EventValidator();
  const types = Object.keys(FULL) as EventType[];

  it('names exactly the catalogued types', () => {
    expect([...types].sort()).toEqual([...new Set(EVENT_DEFINITIONS.map((d) => d.type))].sort());
  });

  it.each(types)('%s: a sample with every field of the type is valid by the schema', (type) => {
    expect(validator.validate(withData(type, FULL[type]))).toMatchObject({ ok: true });
  });

  it.each(types)('%s: the fields the type requires are the ones the schema requires', (type) => {
    expect(validator.validate(withData(type, MINIMAL[type]))).toMatchObject({ ok: true });
    expect(Object.keys(MINIMAL[type]).sort()).toEqual(schemaRequired(newest(type)));
  });

  it('message.status needs our id or WhatsApp id, in the type and in the schema', () => {
    const noId = { chatId: '1@c.us', status: 'sent', timestamp: T };
    // @ts-expect-error neither waMessageId nor messageId
    const typed: EventDataMap['message.status'] = noId;
    expect(validator.validate(withData('message.status', typed)).ok).toBe(false);
    const ours: EventDataMap['message.status'] = { ...noId, status: 'sent', messageId: 'msg_1' };
    expect(validator.validate(withData('message.status', ours)).ok).toBe(true);
  });

  it('isEventOf narrows an envelope to its typed data, for the newest version only', () => {
    const event: EventEnvelope = withData('message.received', MESSAGE_FULL) as unknown as EventEnvelope;
    expect(isEventOf(event, 'message.status')).toBe(false);
    expect(isEventOf({ ...event, version: 2 }, 'message.received')).toBe(false);
    if (!isEventOf(event, 'message.received')) throw new Error('expected message.received');
    const type: MessageType = event.data.type;
    const typed: TypedEvent<'message.received'> = event;
    expect([type, typed.data.waMessageId]).toEqual(['image', MESSAGE_FULL.waMessageId]);
  });

  it('every sendable type but a reaction comes back as a message of that type', () => {
    const received: readonly string[] = MESSAGE_TYPES;
    expect(SENDABLE_MESSAGE_TYPES.filter((t) => !received.includes(t))).toEqual(['reaction']);
  });
});
