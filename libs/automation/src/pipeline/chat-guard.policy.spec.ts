import { ChatGuardPolicy, CONVERSATION_GAP_MS, LOOP_WINDOW_MS } from './chat-guard.policy';
import { ChatStateRecord } from './chat-state.schema';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const scope = { accountId: 'acc_1' };
const chat = { connectionId: 'con_1', chatId: '15557654321@c.us' };

describe('ChatGuardPolicy', () => {
  const guards = ChatGuardPolicy.of({ maxRepliesPerChat: 3 });
  let state: ChatStateRecord;

  beforeEach(() => {
    state = guards.newState(scope, chat, T0);
  });

  it('keys the state by account, connection and chat', () => {
    expect(state._id).toBe('acc_1/con_1/15557654321@c.us');
    expect(state).toMatchObject({ accountId: 'acc_1', connectionId: 'con_1', pause: null, replyTimes: [] });
  });

  describe('loop breaker', () => {
    it('allows N replies per window, refuses the next, trips once per episode', () => {
      for (let i = 0; i < 3; i++) {
        expect(guards.replyBudget(state, at(i * 1000))).toEqual({
          allowed: true,
          replies: i,
          tripped: false,
        });
        guards.noteReply(state, `msg_${i}`, at(i * 1000));
      }
      expect(guards.replyBudget(state, at(5000))).toEqual({ allowed: false, replies: 3, tripped: true });
      expect(guards.replyBudget(state, at(6000))).toEqual({ allowed: false, replies: 3, tripped: false });
      expect(state.loopTripped).toBe(true);
    });

    it('has room again once the oldest reply left the 10-minute window, and can trip again', () => {
      for (let i = 0; i < 3; i++) guards.noteReply(state, `msg_${i}`, at(i * 60_000));
      expect(guards.replyBudget(state, at(LOOP_WINDOW_MS - 1)).allowed).toBe(false);
      const later = guards.replyBudget(state, at(LOOP_WINDOW_MS));
      expect(later).toEqual({ allowed: true, replies: 2, tripped: false });
      expect(state.loopTripped).toBe(false);
      guards.noteReply(state, 'msg_3', at(LOOP_WINDOW_MS));
      expect(guards.replyBudget(state, at(LOOP_WINDOW_MS + 1)).tripped).toBe(true);
    });

    it('keeps the reply list bounded; uncounted messages (opt-out confirmations) use no budget', () => {
      for (let i = 0; i < 50; i++) guards.noteReply(state, `msg_${i}`, at(i));
      expect(state.replyTimes).toHaveLength(3);
      const fresh = guards.newState(scope, chat, T0);
      guards.noteReply(fresh, 'msg_x', T0, false);
      expect(fresh.replyTimes).toEqual([]);
      expect(guards.isOwnReply(fresh, 'msg_x')).toBe(true);
      expect(guards.isOwnReply(fresh, 'msg_y')).toBe(false);
      expect(guards.isOwnReply(fresh, undefined)).toBe(false);
    });
  });

  describe('cooldown per contact per rule', () => {
    it('holds for cooldownSeconds after the rule fired for that contact only', () => {
      guards.noteFiring(state, 'rule_a', 'ct_1', T0);
      expect(guards.inCooldown(state, 'rule_a', 'ct_1', 60, at(59_999))).toBe(true);
      expect(guards.inCooldown(state, 'rule_a', 'ct_1', 60, at(60_000))).toBe(false);
      expect(guards.inCooldown(state, 'rule_a', 'ct_2', 60, at(1))).toBe(false);
      expect(guards.inCooldown(state, 'rule_b', 'ct_1', 60, at(1))).toBe(false);
      expect(guards.inCooldown(state, 'rule_a', 'ct_1', 0, at(1))).toBe(false);
    });

    it('restarts with the latest firing and keeps one entry per rule and contact', () => {
      guards.noteFiring(state, 'rule_a', 'ct_1', T0);
      guards.noteFiring(state, 'rule_a', 'ct_1', at(50_000));
      expect(state.firings).toHaveLength(1);
      expect(guards.inCooldown(state, 'rule_a', 'ct_1', 60, at(100_000))).toBe(true);
    });
  });

  describe('hand-off pause', () => {
    it('pauses until a time, then reports the pause as ended (not before)', () => {
      expect(guards.pauseStatus(state, T0)).toBe('none');
      expect(guards.pause(state, { until: at(60_000), reason: 'rule', ruleId: 'rule_a' }, T0)).toBe(true);
      expect(guards.pauseStatus(state, at(59_999))).toBe('paused');
      expect(guards.pauseStatus(state, at(60_000))).toBe('ended');
      expect(guards.endPause(state)).toMatchObject({ reason: 'rule', ruleId: 'rule_a', since: T0 });
      expect(guards.pauseStatus(state, at(60_000))).toBe('none');
    });

    it('extends a running pause without announcing a new hand-off; never shortens it', () => {
      guards.pause(state, { until: at(60_000), reason: 'human_reply' }, T0);
      expect(guards.pause(state, { until: at(120_000), reason: 'human_reply' }, at(10_000))).toBe(false);
      expect(state.pause).toMatchObject({ until: at(120_000), since: T0 });
      expect(guards.pause(state, { until: at(30_000), reason: 'rule' }, at(20_000))).toBe(false);
      expect(state.pause?.until).toEqual(at(120_000));
    });

    it('a pause that ran out counts as no pause: the next one is a new hand-off', () => {
      guards.pause(state, { until: at(60_000), reason: 'human_reply' }, T0);
      expect(guards.pause(state, { until: at(200_000), reason: 'faq_misses', botId: 'b' }, at(100_000))).toBe(
        true,
      );
      expect(state.pause).toMatchObject({ reason: 'faq_misses', botId: 'b', since: at(100_000) });
    });

    it("a person's take-over sets the end they chose, shorter or longer; only a new pause starts a hand-off", () => {
      const person = { reason: 'human_reply' as const, requestedBy: 'usr_1' };
      expect(guards.takeOver(state, { until: at(60_000), ...person }, T0)).toBe(true);
      expect(state.pause).toEqual({ until: at(60_000), since: T0, ...person });
      guards.pause(state, { until: at(600_000), reason: 'rule', ruleId: 'r' }, at(1000));
      expect(guards.takeOver(state, { until: at(30_000), ...person }, at(2000))).toBe(false);
      expect(state.pause).toEqual({ until: at(30_000), since: T0, ...person });
      expect(guards.takeOver(state, { until: at(90_000), ...person }, at(40_000))).toBe(true);
      expect(state.pause?.since).toEqual(at(40_000));
    });
  });

  it('first message: none seen before, or after 24 hours of silence', () => {
    expect(guards.noteInbound(state, T0)).toBe(true);
    expect(guards.noteInbound(state, at(1000))).toBe(false);
    expect(guards.noteInbound(state, at(1000 + CONVERSATION_GAP_MS - 1))).toBe(false);
    expect(guards.noteInbound(state, at(1000 + 2 * CONVERSATION_GAP_MS))).toBe(true);
  });

  it('counts FAQ misses in a row per bot and resets them', () => {
    expect(guards.faqMissed(state, 'b1')).toBe(1);
    expect(guards.faqMissed(state, 'b1')).toBe(2);
    expect(guards.faqMissed(state, 'b2')).toBe(1);
    guards.resetFaqMisses(state, 'b1');
    expect(guards.faqMissed(state, 'b1')).toBe(1);
    expect(guards.faqMissed(state, 'b2')).toBe(2);
  });

  it('remembers the events it applied, a bounded number of them', () => {
    guards.markHandled(state, 'ev_1', T0);
    expect(guards.handled(state, 'ev_1')).toBe(true);
    expect(guards.handled(state, 'ev_2')).toBe(false);
    for (let i = 0; i < 100; i++) guards.markHandled(state, `ev_x${i}`, T0);
    expect(state.handledEventIds.length).toBeLessThanOrEqual(64);
    expect(guards.handled(state, 'ev_x99')).toBe(true);
  });
});
