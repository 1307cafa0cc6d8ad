import {
  AUTOMATION_TEST_ENV,
  AutomationDriver,
  chatOf,
  ruleCacheCatchUp,
  SettableClock,
  startWorkerWithClock,
} from './support/automation-stack';
import { MessagingStack } from './support/messaging-stack';

jest.setTimeout(180_000);

/**
 * Business hours in the real pipeline (simulator -> gateway -> message.received -> worker ->
 * reply through the send use case), with the worker's Clock set to instants around 09:00 and
 * 17:00 Berlin wall time on the Mondays after both DST changes of 2026. Berlin is UTC+2 from
 * 2026-03-29 01:00 UTC and UTC+1 again from 2026-10-25 01:00 UTC: a rule reading UTC, or the
 * offset of the wrong season, gets one side of each boundary wrong.
 *
 * The pipeline reads the worker's Clock (not the message's timestamp), so the clock is set just
 * before each inbound message; every instant is 30 s from its boundary, and the chat state's
 * `lastInboundAt` (the instant the rules were evaluated at) is checked to be on the intended side.
 * Each message comes from its own peer, so cooldowns and the loop breaker play no part.
 */
describe('automation business hours across DST changes (e2e, worker with a settable clock)', () => {
  const clock = new SettableClock();
  let s: MessagingStack;
  let a: AutomationDriver;
  let ruleId: string;
  let peers = 0;

  const CLOSED = 'We are closed';
  const weekdays = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '17:00' }]]),
  );

  beforeAll(async () => {
    // The worker lives in fake time from its first instant: its clock only ever moves forward.
    clock.set('2026-03-30T06:50:00Z');
    s = await MessagingStack.start(AUTOMATION_TEST_ENV);
    await startWorkerWithClock(s, clock);
    await s.stack.startGateway();
    const account = await s.stack.account();
    const con = await s.readyConnection(account.key, '+15551240001');
    a = new AutomationDriver(s, account.key, con);
    const rule = await a.rule({
      name: 'Closed',
      conditions: {
        mode: 'all',
        items: [
          { type: 'businessHours', inside: false, hours: { timeZone: 'Europe/Berlin', weekly: weekdays } },
        ],
      },
      actions: [{ type: 'reply', text: CLOSED }],
    });
    ruleId = rule.id as string;
    await ruleCacheCatchUp();
  });

  afterAll(async () => {
    await s?.close();
  });

  /**
   * A message from a new peer, handled by the worker at `at` (give or take the few seconds it
   * takes): waits until automation applied it and checks the instant the rules saw.
   */
  async function inboundAt(at: string): Promise<string> {
    peers += 1;
    const peer = `+1555124${String(peers).padStart(4, '0')}`;
    const chatId = chatOf(peer);
    clock.set(at);
    await a.inbound(peer, 'Hello, is anybody there?');
    await a.waitHandled(chatId, 1);
    const state = await s.stack.db
      .collection('automation_chat_states')
      .findOne({ connectionId: a.connectionId, chatId });
    const seen = new Date(state!.lastInboundAt as Date).getTime() - new Date(at).getTime();
    expect(seen).toBeGreaterThanOrEqual(0);
    expect(seen).toBeLessThan(30_000); // still on the intended side of the boundary
    return chatId;
  }

  async function expectClosedReply(chatId: string): Promise<void> {
    const [reply] = await a.waitOutgoing(chatId, 1);
    expect(reply).toMatchObject({ body: CLOSED, source: 'auto_reply', ruleId, chatId });
    // the stored message, as expectNoReply looks for it
    expect(await s.stack.db.collection('messages').countDocuments({ chatId })).toBe(1);
  }

  /**
   * No reply: the message was handled (the chat state is saved after its replies were stored), and
   * a later message's reply went all the way to the chat listing, so a reply would show by now.
   */
  async function expectNoReply(chatId: string): Promise<void> {
    expect(await a.outgoing(chatId)).toEqual([]);
    expect(await s.stack.db.collection('messages').countDocuments({ chatId })).toBe(0);
  }

  it('spring forward: Monday 2026-03-30 (UTC+2) opens at 07:00Z and closes at 15:00Z', async () => {
    const before9 = await inboundAt('2026-03-30T06:59:30Z'); // 08:59:30 Berlin: closed
    const after9 = await inboundAt('2026-03-30T07:00:30Z'); // 09:00:30: open (08:00:30 at UTC+1)
    const before17 = await inboundAt('2026-03-30T14:59:30Z'); // 16:59:30: open
    const after17 = await inboundAt('2026-03-30T15:00:30Z'); // 17:00:30: closed

    await expectClosedReply(before9);
    await expectClosedReply(after17);
    await expectNoReply(after9);
    await expectNoReply(before17);
  });

  it('fall back: Monday 2026-10-26 (UTC+1) opens at 08:00Z and closes at 16:00Z', async () => {
    const before9 = await inboundAt('2026-10-26T07:59:30Z'); // 08:59:30 Berlin: closed (09:59:30 at UTC+2)
    const after9 = await inboundAt('2026-10-26T08:00:30Z'); // 09:00:30: open
    const before17 = await inboundAt('2026-10-26T15:59:30Z'); // 16:59:30: open (17:59:30 at UTC+2)
    const after17 = await inboundAt('2026-10-26T16:00:30Z'); // 17:00:30: closed

    await expectClosedReply(before9);
    await expectClosedReply(after17);
    await expectNoReply(after9);
    await expectNoReply(before17);
  });

  it('Saturday 2026-10-31 is closed all day, also at the hours a weekday is open', async () => {
    const weekday = await inboundAt('2026-10-30T09:00:00Z'); // Friday 10:00 Berlin: open
    const saturday = await inboundAt('2026-10-31T09:00:00Z'); // Saturday 10:00: closed

    await expectClosedReply(saturday);
    await expectNoReply(weekday);
  });
});
