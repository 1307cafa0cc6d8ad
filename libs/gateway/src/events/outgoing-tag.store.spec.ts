import { OUTGOING_TAG_TTL_MS, OutgoingTagStore } from './outgoing-tag.store';
import { ManualClock } from '@wwb/testing';

const CHAT = '15557654321@c.us';
const tagA = { messageId: 'msg_A', origin: { source: 'auto_reply' as const, ruleId: 'rul_1' } };
const tagB = { messageId: 'msg_B', origin: { source: 'api' as const } };

describe('OutgoingTagStore', () => {
  let clock: ManualClock;
  let store: OutgoingTagStore;
  beforeEach(() => {
    clock = new ManualClock(1_000_000);
    store = new OutgoingTagStore(clock);
  });

  it('gives the tag to a message.created that arrives during the send call (simulator order)', () => {
    store.expect('con_1', CHAT, tagA);
    expect(store.take('con_1', { id: 'true_x_1', chatId: CHAT })).toBe(tagA);
    store.settle('con_1', CHAT, tagA, 'true_x_1');
    expect(store.size).toBe(0);
  });

  it('gives the tag by WhatsApp id to a message.created that comes after the call returned', () => {
    store.expect('con_1', CHAT, tagA);
    store.settle('con_1', CHAT, tagA, 'true_x_1');
    // A message typed on the phone into the same chat meanwhile is not ours.
    expect(store.take('con_1', { id: 'true_x_phone', chatId: CHAT })).toBeUndefined();
    expect(store.take('con_1', { id: 'true_x_1', chatId: CHAT })).toBe(tagA);
    expect(store.take('con_1', { id: 'true_x_1', chatId: CHAT })).toBeUndefined();
  });

  it('does not give our tag to a message typed on the phone while our send is under way', () => {
    const tag = { ...tagA, text: 'Our prices are on the site' };
    store.expect('con_1', CHAT, tag);
    expect(store.take('con_1', { id: 'true_phone', chatId: CHAT, body: 'let me check' })).toBeUndefined();
    expect(store.take('con_1', { id: 'true_ours', chatId: CHAT, body: 'Our prices are on the site' })).toBe(
      tag,
    );
  });

  it('keeps sends of one chat in order and apart from other chats and connections', () => {
    store.expect('con_1', CHAT, tagA);
    store.expect('con_1', CHAT, tagB);
    expect(store.take('con_2', { id: 'true_y', chatId: CHAT })).toBeUndefined();
    expect(store.take('con_1', { id: 'true_z', chatId: 'other@c.us' })).toBeUndefined();
    expect(store.take('con_1', { id: 'true_1', chatId: CHAT })).toBe(tagA);
    expect(store.take('con_1', { id: 'true_2', chatId: CHAT })).toBe(tagB);
  });

  it('forgets a failed send, and any tag after its time to live', () => {
    const cancel = store.expect('con_1', CHAT, tagA);
    cancel();
    expect(store.take('con_1', { id: 'true_1', chatId: CHAT })).toBeUndefined();

    store.expect('con_1', CHAT, tagB);
    store.settle('con_1', CHAT, tagB, 'true_2');
    store.expect('con_1', CHAT, tagA);
    clock.ms += OUTGOING_TAG_TTL_MS + 1;
    expect(store.take('con_1', { id: 'true_2', chatId: CHAT })).toBeUndefined();
    expect(store.take('con_1', { id: 'true_3', chatId: CHAT })).toBeUndefined();
    expect(store.size).toBe(0);
  });
});
