import type { AckStatus, MessageStatusData } from '@wwb/contracts';
import {
  applyChat,
  applyEdited,
  applyMessage,
  applyReaction,
  applyRevoked,
  applyStatus,
  MessageEventData,
  Origin,
} from './conversation.reducer';

const o: Origin = { accountId: 'acc_1', connectionId: 'con_1', now: new Date('2026-12-01T10:00:00Z') };
const WA = 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718';
const sent: MessageEventData = {
  waMessageId: WA,
  chatId: '15557654321@c.us',
  from: '15551234567@c.us',
  to: '15557654321@c.us',
  fromMe: true,
  type: 'text',
  rawType: 'chat',
  body: 'Yes, it ships today.',
  timestamp: '2026-12-01T10:00:00.000Z',
  hasMedia: false,
  mentions: [],
  vCards: [],
  isForwarded: false,
};
const status = (s: AckStatus, at: string, extra: object = {}): MessageStatusData => ({
  waMessageId: WA,
  chatId: sent.chatId,
  status: s,
  timestamp: at,
  ...extra,
});

describe('conversation reducer', () => {
  it('stores a message once, whatever the number of deliveries', () => {
    const first = applyMessage(null, sent, o);
    expect(first).toMatchObject({ _id: `con_1/${WA}`, hasContent: true, body: sent.body, fromMe: true });
    expect(applyMessage(first, sent, o)).toEqual(first);
  });

  it('statuses only move up, first time of each status kept, in any arrival order', () => {
    let m = applyMessage(null, sent, o);
    m = applyStatus(m, status('read', '2026-12-01T10:00:05.000Z'), o)!;
    m = applyStatus(m, status('delivered', '2026-12-01T10:00:02.000Z'), o)!;
    m = applyStatus(m, status('sent', '2026-12-01T10:00:01.000Z'), o)!;
    m = applyStatus(m, status('delivered', '2026-12-01T10:00:09.000Z'), o)!;
    expect(m.status).toBe('read');
    expect(m.statusAt).toEqual({
      read: new Date('2026-12-01T10:00:05.000Z'),
      delivered: new Date('2026-12-01T10:00:02.000Z'),
      sent: new Date('2026-12-01T10:00:01.000Z'),
    });
  });

  it('a status or our id that overtakes the message makes a stub, filled in when the message arrives', () => {
    let m = applyStatus(null, status('sent', '2026-12-01T10:00:01.000Z', { messageId: 'msg_X' }), o)!;
    expect(m).toMatchObject({ hasContent: false, status: 'sent', messageId: 'msg_X' });
    m = applyMessage(m, sent, o);
    expect(m).toMatchObject({ hasContent: true, status: 'sent', messageId: 'msg_X', body: sent.body });
    expect(
      applyStatus(
        null,
        { chatId: sent.chatId, status: 'failed', messageId: 'msg_Y', timestamp: sent.timestamp },
        o,
      ),
    ).toBeNull();
  });

  it('edits, revocations and reactions are idempotent', () => {
    const m = applyMessage(null, sent, o);
    const edit = {
      waMessageId: WA,
      chatId: sent.chatId,
      body: 'edited',
      previousBody: sent.body,
      timestamp: '2026-12-01T10:01:00.000Z',
    };
    const edited = applyEdited(m, edit, o)!;
    expect(edited).toMatchObject({ body: 'edited', edited: true });
    expect(applyEdited(edited, edit, o)).toEqual(edited);
    expect(applyEdited(null, edit, o)).toBeNull();

    const revoke = {
      waMessageId: WA,
      chatId: sent.chatId,
      fromMe: true,
      timestamp: '2026-12-01T10:02:00.000Z',
    };
    const revoked = applyRevoked(edited, revoke, o);
    expect(revoked.revoked).toBe(true);
    expect(applyRevoked(revoked, revoke, o)).toEqual(revoked);

    const react = (reaction: string, at: string) => ({
      waMessageId: WA,
      chatId: sent.chatId,
      reactionId: 'r1',
      from: '15557654321@c.us',
      reaction,
      timestamp: at,
    });
    let r = applyReaction(m, react('👍', '2026-12-01T10:03:00.000Z'), o);
    r = applyReaction(r, react('👍', '2026-12-01T10:03:00.000Z'), o);
    expect(r.reactions).toHaveLength(1);
    r = applyReaction(r, react('❤️', '2026-12-01T10:04:00.000Z'), o);
    expect(r.reactions!.map((x) => x.reaction)).toEqual(['❤️']);
    r = applyReaction(r, react('', '2026-12-01T10:05:00.000Z'), o);
    expect(r.reactions).toEqual([]);
  });

  it('the chat keeps its newest message as the last one', () => {
    const newer = applyMessage(null, { ...sent, timestamp: '2026-12-01T11:00:00.000Z', body: 'newer' }, o);
    const older = applyMessage(null, { ...sent, waMessageId: 'true_x@c.us_OLD', body: 'older' }, o);
    const chat = applyChat(null, newer, o);
    expect(chat).toMatchObject({ chatId: sent.chatId, isGroup: false, lastMessage: { body: 'newer' } });
    expect(applyChat(chat, older, o)).toBe(chat);
    expect(applyChat(null, { ...newer, chatId: '1203@g.us' }, o).isGroup).toBe(true);
  });

  it('an outgoing message keeps the first origin known (message.sent or its send), never an incoming one', () => {
    const auto = { source: 'auto_reply' as const, ruleId: 'rule_1', triggerEventId: 'evt_1' };
    const m = applyMessage(null, { ...sent, origin: auto }, o);
    expect(m).toMatchObject({ source: 'auto_reply', ruleId: 'rule_1' });
    expect(m.botId).toBeUndefined();
    // A later status bringing another origin does not change it; a redelivery neither.
    const later = applyStatus(m, status('sent', '2026-12-01T10:00:01.000Z', { messageId: 'msg_X' }), o, {
      source: 'api',
    })!;
    expect(later).toMatchObject({ source: 'auto_reply', ruleId: 'rule_1' });
    expect(applyMessage(later, sent, o, { source: 'faq_bot', botId: 'bot_1' })).toMatchObject({
      source: 'auto_reply',
    });

    // Known only from the send (status with our id) that overtook or followed the message.
    const stub = applyStatus(null, status('sent', '2026-12-01T10:00:01.000Z', { messageId: 'msg_Y' }), o, {
      source: 'faq_bot',
      botId: 'bot_1',
    })!;
    expect(stub).toMatchObject({ hasContent: false, source: 'faq_bot', botId: 'bot_1' });
    expect(applyMessage(stub, sent, o)).toMatchObject({
      hasContent: true,
      source: 'faq_bot',
      botId: 'bot_1',
    });

    const incoming = applyMessage(null, { ...sent, fromMe: false }, o, { source: 'api' });
    expect(incoming.source).toBeUndefined();
  });
});
