import { MessageSendRecord, SendClaimState } from './message-send.schema';
import { decideClaim, holdersInFlight, mayCallDriver } from './send-claim.policy';

const T = { claimGraceMs: 60_000, sendingLeaseMs: 300_000 };
const NOW = Date.parse('2026-12-01T10:00:00Z');

function gen(
  n: number,
  state: SendClaimState,
  ageMs = 0,
  extra: Partial<MessageSendRecord> = {},
): MessageSendRecord {
  const at = new Date(NOW - ageMs);
  return {
    _id: `msg_A#${n}`,
    messageId: 'msg_A',
    gen: n,
    accountId: 'acc',
    connectionId: 'con',
    chatId: '1@c.us',
    state,
    claimedAt: at,
    ...(state === 'sending' ? { sendingAt: at } : {}),
    ...extra,
  };
}

describe('send claim policy', () => {
  it('first delivery takes generation 0; a settled send is done', () => {
    expect(decideClaim([], NOW, T)).toEqual({ kind: 'take', gen: 0 });
    expect(decideClaim([gen(0, 'aborted'), gen(1, 'done')], NOW, T)).toEqual({ kind: 'done' });
  });

  it('a fresh claim or a send in progress is busy; stale ones are taken over or closed as interrupted', () => {
    expect(decideClaim([gen(0, 'claimed', 1000)], NOW, T).kind).toBe('busy');
    expect(decideClaim([gen(0, 'claimed', 61_000)], NOW, T)).toEqual({ kind: 'take', gen: 1 });
    expect(decideClaim([gen(0, 'sending', 1000)], NOW, T).kind).toBe('busy');
    expect(decideClaim([gen(0, 'sending', 301_000)], NOW, T)).toEqual({ kind: 'interrupted', gen: 1 });
    expect(decideClaim([gen(0, 'aborted'), gen(1, 'sending', 1000)], NOW, T).kind).toBe('busy');
  });

  it('a claimed or sending generation of a dead node is settled at once; a live or unknown holder keeps its lease', () => {
    const dead = new Set(['gw_DEAD']);
    const on = (nodeId: string) => ({ nodeId });
    expect(decideClaim([gen(0, 'sending', 1000, on('gw_DEAD'))], NOW, T, dead)).toEqual({
      kind: 'interrupted',
      gen: 1,
    });
    expect(decideClaim([gen(0, 'claimed', 1000, on('gw_DEAD'))], NOW, T, dead)).toEqual({
      kind: 'take',
      gen: 1,
    });
    expect(decideClaim([gen(0, 'sending', 1000, on('gw_LIVE'))], NOW, T, dead).kind).toBe('busy');
    expect(decideClaim([gen(0, 'claimed', 1000, on('gw_LIVE'))], NOW, T, dead).kind).toBe('busy');
    // Written before node ids were recorded: the leases alone decide.
    expect(decideClaim([gen(0, 'sending', 1000)], NOW, T, dead).kind).toBe('busy');
    // An older dead claim under a live newer one: the newest decides.
    expect(
      decideClaim(
        [gen(0, 'aborted', 5000, on('gw_DEAD')), gen(1, 'claimed', 1000, on('gw_LIVE'))],
        NOW,
        T,
        dead,
      ).kind,
    ).toBe('busy');
  });

  it('asks about the holders of claimed and sending generations only', () => {
    expect(
      holdersInFlight([
        gen(0, 'aborted', 0, { nodeId: 'gw_A' }),
        gen(1, 'waiting', 0, { nodeId: 'gw_B' }),
        gen(2, 'claimed', 0, { nodeId: 'gw_C' }),
        gen(3, 'sending', 0, { nodeId: 'gw_D' }),
        gen(4, 'claimed'),
      ]),
    ).toEqual(['gw_C', 'gw_D']);
  });

  it('a parked (waiting) or aborted claim is taken over at once, keeping the first wait', () => {
    const since = new Date(NOW - 40_000);
    expect(decideClaim([gen(0, 'waiting', 10, { waitingSince: since })], NOW, T)).toEqual({
      kind: 'take',
      gen: 1,
      waitingSince: since,
    });
    expect(decideClaim([gen(0, 'waiting', 10, { waitingSince: since }), gen(1, 'aborted')], NOW, T)).toEqual({
      kind: 'take',
      gen: 2,
      waitingSince: since,
    });
  });

  it('the driver is called only by the newest generation, with no other sending or done', () => {
    expect(mayCallDriver([gen(0, 'waiting'), gen(1, 'sending')], 'msg_A#1')).toBe(true);
    // A late holder of an old generation that was taken over backs off...
    expect(mayCallDriver([gen(0, 'sending'), gen(1, 'claimed')], 'msg_A#0')).toBe(false);
    // ...and so does the new one if the late holder got to `sending` first.
    expect(mayCallDriver([gen(0, 'sending'), gen(1, 'sending')], 'msg_A#1')).toBe(false);
    expect(mayCallDriver([gen(0, 'done'), gen(1, 'sending')], 'msg_A#1')).toBe(false);
    expect(mayCallDriver([gen(0, 'claimed')], 'msg_A#0')).toBe(false);
  });
});
