import { EventEnvelope } from '@wwb/contracts';
import { AttributionRecord } from './attribution.schema';
import { CountedEvent, countEvents, Increment } from './event-counting.policy';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const CHAT = '15550001111@c.us';
const CON = 'con_A';

let offset = 100;
function ev(type: string, data: object, atMs: number, extra: Partial<EventEnvelope> = {}): CountedEvent {
  offset += 1;
  return {
    offset,
    event: {
      id: `evt_${offset}`,
      type,
      version: 1,
      occurredAt: new Date(atMs).toISOString(),
      accountId: 'acc_1',
      connectionId: CON,
      chatId: CHAT,
      data,
      ...extra,
    },
  };
}

const sent = (wa: string, atMs: number, campaign = true) =>
  ev(
    'message.sent',
    {
      waMessageId: wa,
      chatId: CHAT,
      fromMe: true,
      ...(campaign
        ? { origin: { source: 'campaign', campaignId: 'cmp_1', runId: 'cmp_1_r1' } }
        : { origin: { source: 'api' } }),
    },
    atMs,
  );
const status = (wa: string, s: string, atMs: number) =>
  ev('message.status', { waMessageId: wa, chatId: CHAT, status: s }, atMs);
const received = (atMs: number) =>
  ev('message.received', { waMessageId: `in_${atMs}`, chatId: CHAT, fromMe: false }, atMs);

/** `metric` counts per scope, e.g. {account: 1, campaign: 1}. */
function tally(increments: Increment[], metric: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of increments) if (i.metric === metric) out[i.scope] = (out[i.scope] ?? 0) + i.n;
  return out;
}

const ALL = { account: 1, connection: 1, campaign: 1, run: 1 };
const WINDOW = 24 * HOUR;

describe('countEvents', () => {
  it('counts a campaign message sent once for its account, connection, campaign and run, even if published twice', () => {
    const r = countEvents([sent('wa1', T0), sent('wa1', T0 + 1)], [], WINDOW);
    expect(tally(r.increments, 'sent')).toEqual(ALL);
    expect(r.writes.map((w) => w.record)).toEqual([
      expect.objectContaining({
        _id: `${CON}|wa1`,
        k: 't',
        c: `${CON}|${CHAT}`,
        campaignId: 'cmp_1',
        runId: 'cmp_1_r1',
      }),
    ]);
  });

  it('counts each status of a message once, a read without its delivery ack as delivered too, and ignores unknown messages', () => {
    const r = countEvents(
      [
        sent('wa1', T0),
        sent('wa2', T0, false),
        status('wa1', 'delivered', T0 + MIN),
        status('wa1', 'delivered', T0 + 2 * MIN),
        status('wa1', 'read', T0 + 3 * MIN),
        status('wa2', 'read', T0 + 3 * MIN),
        status('wa2', 'played', T0 + 4 * MIN),
        status('unknown', 'read', T0 + 4 * MIN),
      ],
      [],
      WINDOW,
    );
    expect(tally(r.increments, 'delivered')).toEqual({ account: 2, connection: 2, campaign: 1, run: 1 });
    expect(tally(r.increments, 'read')).toEqual({ account: 2, connection: 2, campaign: 1, run: 1 });
  });

  it('puts a reply down to the last campaign message within the window, once per message', () => {
    const r = countEvents(
      [
        sent('wa1', T0),
        received(T0 + HOUR),
        received(T0 + 2 * HOUR),
        sent('wa2', T0 + 3 * HOUR, false),
        received(T0 + 4 * HOUR),
      ],
      [],
      WINDOW,
    );
    expect(tally(r.increments, 'received')).toEqual({ account: 3, connection: 3 });
    expect(tally(r.increments, 'replied')).toEqual(ALL);
  });

  it('does not count a reply after the window or before the message', () => {
    const late = countEvents([sent('wa1', T0), received(T0 + WINDOW + MIN)], [], WINDOW);
    expect(tally(late.increments, 'replied')).toEqual({});
    const earlier = countEvents([received(T0 - MIN), sent('wa1', T0)], [], WINDOW);
    expect(tally(earlier.increments, 'replied')).toEqual({});
  });

  it('uses what was remembered from earlier chunks: touches to attribute, marks not to count again', () => {
    const loaded: AttributionRecord[] = [
      {
        _id: `${CON}|wa1`,
        k: 't',
        c: `${CON}|${CHAT}`,
        accountId: 'acc_1',
        connectionId: CON,
        atMs: T0,
        campaignId: 'cmp_1',
        runId: 'cmp_1_r1',
      },
      { _id: `${CON}|wa1#delivered`, k: 'm', c: `${CON}|${CHAT}` },
    ];
    const r = countEvents([status('wa1', 'read', T0 + HOUR), received(T0 + 2 * HOUR)], loaded, WINDOW);
    expect(tally(r.increments, 'delivered')).toEqual({});
    expect(tally(r.increments, 'read')).toEqual(ALL);
    expect(tally(r.increments, 'replied')).toEqual(ALL);
    // Marks are stored in the table of the day of their message.
    expect(r.writes.map((w) => [w.record._id, w.dayMs])).toEqual([
      [`${CON}|wa1#read`, Date.UTC(2026, 11, 7)],
      [`${CON}|wa1#replied`, Date.UTC(2026, 11, 7)],
    ]);
  });

  it('counts an opt-out for the account and connection, and for the campaign whose message came before it', () => {
    const optOut = (atMs: number) =>
      ev(
        'contact.opted_out',
        { contactId: 'ctc_1', phone: '+15550001111', reason: 'keyword STOP', source: 'keyword' },
        atMs,
      );
    const r = countEvents([sent('wa1', T0), optOut(T0 + HOUR), optOut(T0 + 2 * HOUR)], [], WINDOW);
    expect(tally(r.increments, 'opted_out')).toEqual({ account: 2, connection: 2, campaign: 1, run: 1 });
  });

  it('counts a run once: targeted and planning skips by reason; odd reasons become `other`', () => {
    const started = () =>
      ev(
        'campaign.run.started',
        {
          campaignId: 'cmp_1',
          runId: 'cmp_1_r1',
          kind: 'scheduled',
          occurrence: new Date(T0).toISOString(),
          targeted: 10,
          pending: 7,
          skipped: { opted_out: 2, 'we.ird$': 1, template_render_failed: 0 },
        },
        T0,
        { connectionId: undefined, chatId: undefined },
      );
    const r = countEvents([started(), started()], [], WINDOW);
    expect(tally(r.increments, 'targeted')).toEqual({ account: 10, campaign: 10, run: 10 });
    expect(tally(r.increments, 'skipped.opted_out')).toEqual({ account: 2, campaign: 2, run: 2 });
    expect(tally(r.increments, 'skipped.other')).toEqual({ account: 1, campaign: 1, run: 1 });
    expect(tally(r.increments, 'skipped.template_render_failed')).toEqual({});
  });

  it('counts send-time skips per reason and recipient failures for the campaign only (the account counts the message.status)', () => {
    const recipient = { campaignId: 'cmp_1', runId: 'cmp_1_r1', contactId: 'ctc_1', chatId: CHAT };
    const r = countEvents(
      [
        ev('campaign.recipient.skipped', { ...recipient, reason: 'frequency_capped' }, T0),
        ev('campaign.recipient.skipped', { ...recipient, reason: 'frequency_capped' }, T0),
        ev('campaign.recipient.failed', { ...recipient, messageId: 'msg_1', code: 'connection_stopped' }, T0),
        ev('message.status', { messageId: 'msg_1', chatId: CHAT, status: 'failed' }, T0),
        ev('message.status', { messageId: 'msg_1', chatId: CHAT, status: 'failed' }, T0),
      ],
      [],
      WINDOW,
    );
    expect(tally(r.increments, 'skipped.frequency_capped')).toEqual({ account: 1, campaign: 1, run: 1 });
    expect(tally(r.increments, 'failed')).toEqual({ account: 1, connection: 1, campaign: 1, run: 1 });
  });

  it('gives each count the offset and time of the event behind it', () => {
    const e = sent('wa9', T0 + 5 * HOUR);
    const [first] = countEvents([e], [], WINDOW).increments;
    expect(first).toMatchObject({ offset: e.offset, atMs: T0 + 5 * HOUR, accountId: 'acc_1' });
  });
});
