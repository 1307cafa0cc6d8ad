import {
  applied,
  chatLabel,
  chatPathId,
  handoffReason,
  isAtBottom,
  messageText,
  newestOf,
  oldestFirst,
  onNewest,
  senderLabel,
  statusLabel,
  statusTone,
  stillPending,
  type HandoffLike,
  type MessageLike,
} from './conversation.mapper';

const msg = (over: Partial<MessageLike>): MessageLike => ({
  waMessageId: 'w',
  messageId: null,
  fromMe: false,
  body: 'hi',
  type: 'text',
  timestamp: '2026-12-01T10:00:00.000Z',
  status: null,
  source: null,
  ...over,
});

const state = (over: Partial<HandoffLike>): HandoffLike => ({
  paused: true,
  until: '2026-12-01T11:00:00.000Z',
  reason: 'human_reply',
  ruleId: null,
  botId: null,
  requestedBy: null,
  ...over,
});

describe('conversation mapper', () => {
  it('names chats by phone number, groups by id', () => {
    expect(chatLabel('15557654321@c.us')).toBe('+15557654321');
    expect(chatLabel('120363041234567890@g.us')).toBe('Group 120363041234567890');
    expect(chatLabel('123@lid')).toBe('123@lid');
    expect(chatLabel('15557654321')).toBe('+15557654321');
  });

  it('puts a private chat in the page URL by its number', () => {
    expect(chatPathId('15557654321@c.us')).toBe('15557654321');
    expect(chatPathId('120363041234567890@g.us')).toBe('120363041234567890@g.us');
  });

  it('orders messages oldest first without changing the input', () => {
    const list = [msg({ waMessageId: 'b', timestamp: '2026-12-01T10:01:00Z' }), msg({ waMessageId: 'a' })];
    expect(oldestFirst(list).map((m) => m.waMessageId)).toEqual(['a', 'b']);
    expect(list[0]!.waMessageId).toBe('b');
  });

  it('keeps a sent reply pending until the chat lists it under its id', () => {
    const pending = [
      { messageId: 'msg_1', text: 'one', sentAt: 'x' },
      { messageId: 'msg_2', text: 'two', sentAt: 'x' },
    ];
    expect(stillPending(pending, [msg({ messageId: 'msg_1', fromMe: true })])).toEqual([pending[1]]);
    expect(stillPending(pending, [])).toEqual(pending);
  });

  it('labels senders, statuses and their tone', () => {
    expect(senderLabel({ fromMe: false, source: null })).toBe('Customer');
    expect(senderLabel({ fromMe: true, source: 'auto_reply' })).toBe('Auto-reply');
    expect(senderLabel({ fromMe: true, source: null })).toBe('Us');
    expect(statusLabel('delivered')).toBe('Delivered');
    expect(statusLabel(null)).toBe('Sending');
    expect([statusTone('read'), statusTone('sent'), statusTone('failed')]).toEqual(['ok', 'wait', 'bad']);
    expect(messageText({ body: '', type: 'image' })).toBe('[image]');
    expect(messageText({ body: 'x', type: 'revoked' })).toBe('This message was deleted.');
  });

  it('explains why the bot is silent, naming the viewer when they took over', () => {
    expect(handoffReason(state({ paused: false }), 'usr_1')).toBe('The bot answers in this chat.');
    expect(handoffReason(state({ requestedBy: 'usr_1' }), 'usr_1')).toBe('You took this chat over.');
    expect(handoffReason(state({ requestedBy: 'usr_2' }), 'usr_1')).toBe('A teammate took this chat over.');
    expect(handoffReason(state({ reason: 'rule', ruleId: 'r' }), 'usr_1')).toMatch(/rule/);
    expect(handoffReason(state({ reason: 'faq_misses' }), 'usr_1')).toMatch(/FAQ bot/);
    expect(handoffReason(state({}), 'usr_1')).toBe('A person answered in this chat.');
  });

  it('tells when a request shows as applied', () => {
    expect(applied({ paused: true }, 'take_over')).toBe(true);
    expect(applied({ paused: true }, 'give_back')).toBe(false);
    expect(applied({ paused: false }, 'give_back')).toBe(true);
  });
});

describe('following the newest message', () => {
  it('counts the end of the log as the bottom, give or take a few pixels', () => {
    expect(isAtBottom({ scrollTop: 600, clientHeight: 400, scrollHeight: 1000 })).toBe(true);
    expect(isAtBottom({ scrollTop: 580, clientHeight: 400, scrollHeight: 1000 })).toBe(true);
    expect(isAtBottom({ scrollTop: 300, clientHeight: 400, scrollHeight: 1000 })).toBe(false);
    // A log shorter than its box is always at the bottom.
    expect(isAtBottom({ scrollTop: 0, clientHeight: 400, scrollHeight: 200 })).toBe(true);
  });

  it("names the newest entry: this page's latest reply, else the latest message", () => {
    const list = [msg({ waMessageId: 'w1' }), msg({ waMessageId: 'w2' })];
    expect(newestOf([], [])).toBeNull();
    expect(newestOf(list, [])).toEqual({ key: 'w2', mine: false });
    expect(newestOf(list, [{ messageId: 'msg_1' }])).toEqual({ key: 'pending:msg_1', mine: true });
  });

  it('scrolls when the reader is at the end or sent it; else keeps their place', () => {
    expect(onNewest(true, false)).toBe('scroll');
    expect(onNewest(false, true)).toBe('scroll');
    expect(onNewest(false, false)).toBe('announce');
  });
});
