import { EventValidator, findEventDefinition } from '@wwb/contracts';
import type { WhatsAppMessage } from '@wwb/whatsapp';
import {
  authenticatedEvent,
  BRIDGED_EVENT_TYPES,
  BridgedEvent,
  callEvent,
  chatIdOfMessageId,
  contactChangedEvent,
  disconnectedEvent,
  groupEvent,
  messageEditedEvent,
  messageReactionEvent,
  messageReceivedEvent,
  messageRevokedEvent,
  messageSentEvent,
  messageStatusEvent,
  pairingCodeEvent,
  qrEvent,
  readyEvent,
  statusEvent,
} from './driver-event.mapper';

const validator = new EventValidator();
const T = Date.UTC(2026, 11, 1, 10, 0, 0);

/** What a consumer would receive: the bridged event in its envelope, validated against the catalogue. */
function check(e: BridgedEvent): void {
  const envelope = {
    id: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    type: e.type,
    version: 1,
    occurredAt: new Date(T).toISOString(),
    accountId: 'acc_1',
    connectionId: 'con_1',
    ...(e.chatId ? { chatId: e.chatId } : {}),
    data: e.data,
  };
  expect(findEventDefinition(e.type, 1)).toBeDefined();
  expect(validator.validate(envelope)).toEqual({ ok: true, event: envelope });
}

const message = (over: Partial<WhatsAppMessage> = {}): WhatsAppMessage => ({
  id: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
  chatId: '15557654321@c.us',
  from: '15557654321@c.us',
  to: '15551234567@c.us',
  fromMe: false,
  type: 'text',
  rawType: 'chat',
  body: 'hi',
  timestamp: T,
  hasMedia: false,
  mentions: [],
  vCards: [],
  isForwarded: false,
  ...over,
});

describe('driver event mapping', () => {
  it('bridges every driver event to a catalogued event type', () => {
    for (const type of Object.values(BRIDGED_EVENT_TYPES)) expect(findEventDefinition(type, 1)).toBeDefined();
  });

  it('connection events match their schemas', () => {
    const account = { phoneNumber: '15551234567', pushName: 'Acme', chatId: '15551234567@c.us' };
    const ready = statusEvent({ status: 'ready', since: T, failures: 0 }, 'authenticated', account);
    check(ready);
    expect(ready.data).toEqual({
      status: 'ready',
      previousStatus: 'authenticated',
      failures: 0,
      phoneNumber: '15551234567',
      pushName: 'Acme',
    });
    const failed = statusEvent(
      { status: 'failed', since: T, failures: 3, reason: 'offline', retryAt: T + 4000 },
      null,
      undefined,
    );
    check(failed);
    expect(failed.data).toEqual({
      status: 'failed',
      previousStatus: null,
      failures: 3,
      reason: 'offline',
      retryAt: '2026-12-01T10:00:04.000Z',
    });
    const stopped = statusEvent(
      { status: 'stopped', since: T, failures: 0, reason: 'stopped' },
      'ready',
      account,
      'moved',
    );
    expect(stopped.data.reason).toBe('moved');
    const out = statusEvent({ status: 'logged_out', since: T, failures: 0 }, 'ready', account);
    expect(out.data.phoneNumber).toBeUndefined();
    for (const e of [
      qrEvent('2@abc'),
      pairingCodeEvent('ABCD1234'),
      authenticatedEvent(),
      readyEvent(account),
      disconnectedEvent('CONFLICT'),
    ]) {
      check(e);
      expect(e.chatId).toBeUndefined();
    }
  });

  it('messages of every shape match message.received / message.sent, keyed by chat', () => {
    const samples: WhatsAppMessage[] = [
      message(),
      message({
        author: '15550001111@c.us',
        chatId: '1203630@g.us',
        quotedMessageId: 'true_1203630@g.us_3EB0',
      }),
      message({
        type: 'image',
        rawType: 'image',
        hasMedia: true,
        media: { mimetype: 'image/jpeg', size: 10, filename: 'a.jpg' },
      }),
      message({
        type: 'audio',
        rawType: 'ptt',
        hasMedia: true,
        media: { mimetype: 'audio/ogg', voice: true, duration: 3 },
      }),
      message({
        type: 'location',
        rawType: 'location',
        location: { latitude: 1.5, longitude: 2.5, name: 'HQ' },
      }),
      message({ type: 'contact', rawType: 'vcard', vCards: ['BEGIN:VCARD\nEND:VCARD'] }),
      message({
        type: 'poll',
        rawType: 'poll_creation',
        poll: { name: 'Q', options: ['a', 'b'], allowMultipleAnswers: false },
      }),
    ];
    for (const m of samples) {
      const received = messageReceivedEvent(m);
      check(received);
      expect(received.chatId).toBe(m.chatId);
      expect(received.data.waMessageId).toBe(m.id);
      expect(received.data.timestamp).toBe('2026-12-01T10:00:00.000Z');
      const sent = messageSentEvent({ ...m, fromMe: true, id: 'true_15557654321@c.us_3EB0AA' });
      check(sent);
      expect(sent.type).toBe('message.sent');
    }
  });

  it('acks, revokes, edits, reactions, groups, calls and contact changes match their schemas', () => {
    const events = [
      messageStatusEvent({
        messageId: 'true_15557654321@c.us_3EB0AA',
        chatId: '15557654321@c.us',
        status: 'read',
        timestamp: T,
      }),
      messageRevokedEvent({
        messageId: message().id,
        chatId: '15557654321@c.us',
        fromMe: false,
        timestamp: T,
        original: message(),
      }),
      messageRevokedEvent({
        messageId: message().id,
        chatId: '1203630@g.us',
        fromMe: false,
        author: '1555@c.us',
        timestamp: T,
      }),
      messageEditedEvent({
        messageId: message().id,
        chatId: '15557654321@c.us',
        body: 'b',
        previousBody: 'a',
        timestamp: T,
      }),
      messageReactionEvent({
        messageId: 'true_15557654321@c.us_3EB0AA',
        reactionId: 'r',
        from: '15557654321@c.us',
        reaction: '👍',
        timestamp: T,
      }),
      groupEvent('group.join', {
        chatId: '1203630@g.us',
        action: 'add',
        participants: ['1555@c.us'],
        body: '',
        timestamp: T,
        author: '1666@c.us',
      }),
      groupEvent('group.leave', {
        chatId: '1203630@g.us',
        action: 'leave',
        participants: ['1555@c.us'],
        body: '',
        timestamp: T,
      }),
      groupEvent('group.update', {
        chatId: '1203630@g.us',
        action: 'subject',
        participants: [],
        body: 'New',
        timestamp: T,
      }),
      callEvent({
        callId: 'c1',
        from: '15557654321@c.us',
        isVideo: true,
        isGroup: false,
        fromMe: false,
        timestamp: T,
      }),
      contactChangedEvent({ oldId: '1@c.us', newId: '2@c.us', isContact: true, timestamp: T }),
    ];
    for (const e of events) check(e);
    expect(events[0]!.chatId).toBe('15557654321@c.us');
    expect(events[4]!.chatId).toBe('15557654321@c.us');
    expect(events[5]!.chatId).toBe('1203630@g.us');
    expect(events[8]!.chatId).toBe('15557654321@c.us');
    expect(events[9]!.chatId).toBeUndefined();
  });

  it('finds the chat of a serialized message id', () => {
    expect(chatIdOfMessageId('true_15557654321@c.us_3EB0AA')).toBe('15557654321@c.us');
    expect(chatIdOfMessageId('false_1203630@g.us_3A99_1555@c.us')).toBe('1203630@g.us');
    expect(chatIdOfMessageId('garbage')).toBeUndefined();
  });
});
