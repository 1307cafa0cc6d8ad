import pino from 'pino';
import { DomainError } from '@wwb/runtime';
import type { CampaignRecord } from '../definitions';
import { DEFAULT_PACING, emptyPacerState, PacingSettings } from '../pacing';
import type {
  CampaignDispatchRecord,
  CampaignRecipientRecord,
  CampaignSendRecord,
} from '../runs/campaign-run.schema';
import { ConnectionDispatch, DispatchStepService } from './dispatch-step.service';

const T0 = Date.parse('2027-06-07T10:00:00Z'); // 10:00 UTC
let now = T0;
const clock = { now: () => new Date(now), nowMs: () => now, sleep: async () => undefined };

const SHARE: CampaignDispatchRecord = {
  _id: 'run_1/con_1',
  accountId: 'acc_1',
  campaignId: 'cmp_1',
  runId: 'run_1',
  connectionId: 'con_1',
  createdAt: new Date(T0),
};

function recipient(n: number, over: Partial<CampaignRecipientRecord> = {}): CampaignRecipientRecord {
  return {
    _id: `run_1/ctc_${n}`,
    accountId: 'acc_1',
    campaignId: 'cmp_1',
    runId: 'run_1',
    contactId: `ctc_${n}`,
    phone: `+155500000${n}`,
    timeZone: 'UTC',
    connectionId: 'con_1',
    seq: n,
    state: 'pending',
    messageId: `msg_${n}`,
    message: { to: `+155500000${n}`, type: 'text', text: `hi ${n}` },
    dueAt: new Date(T0),
    ...over,
  };
}

/** The run's records in memory, with the repositories' insert-once semantics. */
function world(recipients: CampaignRecipientRecord[], pacing: Partial<PacingSettings> = {}) {
  const sends = new Map<string, CampaignSendRecord>();
  const marks = new Map<string, Record<string, unknown> | undefined>();
  const campaign: CampaignRecord = {
    _id: 'cmp_1',
    accountId: 'acc_1',
    state: 'active',
    schedule: { timeZone: 'UTC' },
    pacing: {
      ...DEFAULT_PACING,
      jitter: 0,
      pauseEvery: null,
      quietHours: null,
      frequencyCap: null,
      ...pacing,
    },
  } as unknown as CampaignRecord;
  const sent: string[] = [];
  const events: string[] = [];
  const execute = jest.fn(
    async (_scope: unknown, cmd: { messageId: string }) => void sent.push(cmd.messageId),
  );
  const mark = async (runId: string, m: string, _at: Date, data?: Record<string, unknown>) => {
    if (marks.has(`${runId}/${m}`)) return false;
    marks.set(`${runId}/${m}`, data);
    return true;
  };
  const runs = {
    dispatchesOf: async () => [SHARE],
    dispatchesOfRun: async () => [SHARE],
    marked: async (ids: string[], m: string) => new Set(ids.filter((id) => marks.has(`${id}/${m}`))),
    mark,
    marksOf: async () =>
      [...marks.keys()].map((k) => ({ mark: k.slice('run_1/'.length), data: marks.get(k) })),
    duePending: async (_ids: string[], _c: string, at: Date) =>
      recipients.filter((r) => r.state === 'pending' && r.dueAt <= at),
    pendingIds: async () => recipients.filter((r) => r.state === 'pending').map((r) => r._id),
    recipientsByIds: async (ids: string[]) => recipients.filter((r) => ids.includes(r._id)),
  };
  const sendRepo = {
    record: async (s: CampaignSendRecord) => (sends.has(s._id) ? false : (sends.set(s._id, s), true)),
    of: async (ids: string[]) => new Map(ids.filter((id) => sends.has(id)).map((id) => [id, sends.get(id)!])),
    claimedOn: async () => [...sends.values()].filter((s) => s.outcome === 'claimed'),
    sentToContactSince: async (_a: string, contactId: string, since: Date) =>
      [...sends.values()].filter((s) => s.contactId === contactId && s.at >= since).map((s) => s.at),
  };
  const producer = new Proxy({}, { get: (_t, name) => async () => void events.push(String(name)) });
  const step = new DispatchStepService(
    runs as never,
    sendRepo as never,
    { byId: async () => campaign } as never,
    {
      load: async () => ({ state: emptyPacerState(), since: new Date(T0) }),
      save: async () => undefined,
    } as never,
    { execute } as never,
    {
      of: async (_a: string, ids: string[]) => new Map(ids.map((id) => [id, { stored: sent.includes(id) }])),
    } as never,
    producer as never,
    clock as never,
    { child: () => pino({ level: 'silent' }) } as never,
  );
  return { step, sends, marks, campaign, sent, events, execute };
}

async function drain(
  step: DispatchStepService,
  d: ConnectionDispatch,
  max = 20,
): Promise<(string | number)[]> {
  const outcomes: (string | number)[] = [];
  for (let i = 0; i < max; i++) {
    const o = await step.next(d);
    outcomes.push(o);
    if (o === 'finished' || o === 'idle') break;
    if (typeof o === 'number' && o > 0) now += o;
  }
  return outcomes;
}

beforeEach(() => {
  now = T0;
});

describe('DispatchStepService', () => {
  it('sends each recipient once, paced (60/min: 1 s apart), then finishes the share and completes the run', async () => {
    const w = world([recipient(1), recipient(2), recipient(3)], { messagesPerMinute: 60 });
    const d = await w.step.open('con_1', 'acc_1');
    const sentAt: number[] = [];
    w.execute.mockImplementation(async (_s: unknown, cmd: { messageId: string }) => {
      w.sent.push(cmd.messageId);
      sentAt.push(now);
    });
    const outcomes = await drain(w.step, d);
    expect(outcomes[outcomes.length - 1]).toBe('idle'); // nothing left: the share is done
    expect(w.sent).toEqual(['msg_1', 'msg_2', 'msg_3']);
    expect(sentAt.map((t) => t - T0)).toEqual([0, 1_000, 2_000]);
    expect(w.execute).toHaveBeenCalledWith(
      { accountId: 'acc_1' },
      expect.objectContaining({ messageId: 'msg_1', idempotencyKey: 'campaign:run_1/ctc_1' }),
    );
    expect(w.marks.has('run_1/done/con_1')).toBe(true);
    expect(w.marks.has('run_1/completed')).toBe(true);
    expect(await w.step.next(d)).toBe('finished');
    expect(w.events.filter((e) => e === 'recipientSent')).toHaveLength(3);
    expect(w.events).toContain('runCompleted');
  });

  it('a paused campaign waits; a cancelled one ends its share as cancelled', async () => {
    const w = world([recipient(1)]);
    const d = await w.step.open('con_1', 'acc_1');
    w.campaign.state = 'paused';
    expect(await w.step.next(d)).toBe('idle');
    expect(w.sent).toEqual([]);
    w.campaign.state = 'cancelled';
    now += 2_000; // past the campaign cache
    await w.step.next(d);
    expect(w.marks.get('run_1/done/con_1')).toEqual({ how: 'cancelled' });
    expect(w.marks.has('run_1/cancelled')).toBe(true);
    expect(w.sent).toEqual([]);
  });

  it('quiet hours in the recipient zone defer (never drop) it; the frequency cap skips it', async () => {
    const w = world([recipient(1, { timeZone: 'Asia/Kolkata' }), recipient(2)], {
      quietHours: { start: '15:00', end: '16:00' }, // 10:00Z is 15:30 in Kolkata
      frequencyCap: { max: 1, perHours: 24 },
    });
    w.sends.set('run_0/ctc_2', {
      _id: 'run_0/ctc_2',
      accountId: 'acc_1',
      runId: 'run_0',
      contactId: 'ctc_2',
      connectionId: 'con_1',
      outcome: 'claimed',
      at: new Date(T0 - 3_600_000),
    });
    const d = await w.step.open('con_1', 'acc_1');
    await drain(w.step, d, 4);
    expect(w.sent).toEqual([]);
    expect(d.deferred.get('run_1/ctc_1')).toBe(Date.parse('2027-06-07T10:30:00Z'));
    expect(w.sends.get('run_1/ctc_2')).toMatchObject({ outcome: 'skipped', reason: 'frequency_capped' });
    now = Date.parse('2027-06-07T10:30:00Z');
    await drain(w.step, d);
    expect(w.sent).toEqual(['msg_1']);
  });

  it('a refused send is marked failed with its code, never retried; a transient one is retried under the same key', async () => {
    const w = world([recipient(1), recipient(2)], { messagesPerMinute: 60 });
    w.execute
      .mockRejectedValueOnce(DomainError.conflict('connection_stopped', 'stopped'))
      .mockRejectedValueOnce(new Error('mongo blip'))
      .mockResolvedValue(undefined);
    const d = await w.step.open('con_1', 'acc_1');
    await drain(w.step, d);
    expect(w.marks.get('run_1/failed/ctc_1')).toMatchObject({ code: 'connection_stopped' });
    expect(w.execute.mock.calls.map((c) => (c[1] as { messageId: string }).messageId)).toEqual([
      'msg_1',
      'msg_2',
      'msg_2',
    ]);
    expect(w.events).toContain('recipientFailed');
  });

  it("an earlier owner's send whose key is still in progress is not failed: it is tried again later", async () => {
    const w = world([recipient(1)]);
    w.sends.set('run_1/ctc_1', {
      _id: 'run_1/ctc_1',
      accountId: 'acc_1',
      runId: 'run_1',
      contactId: 'ctc_1',
      connectionId: 'con_1',
      outcome: 'claimed',
      messageId: 'msg_1',
      at: new Date(T0 - 5_000),
    });
    w.execute.mockRejectedValueOnce(DomainError.conflict('idempotency_key_in_progress', 'in progress'));
    const d = await w.step.open('con_1', 'acc_1');
    await w.step.next(d);
    expect(w.sent).toEqual([]);
    expect(d.recovered).toBe(false);
    expect(w.marks.has('run_1/failed/ctc_1')).toBe(false);
    await w.step.next(d); // too soon: not tried again yet
    expect(w.execute).toHaveBeenCalledTimes(1);
    now += 10_000;
    await w.step.next(d);
    expect(w.sent).toEqual(['msg_1']);
    expect(d.recovered).toBe(true);
  });

  it('finishes a send an earlier owner claimed but never stored, under the same message id', async () => {
    const w = world([recipient(1), recipient(2)]);
    w.sends.set('run_1/ctc_1', {
      _id: 'run_1/ctc_1',
      accountId: 'acc_1',
      runId: 'run_1',
      contactId: 'ctc_1',
      connectionId: 'con_1',
      outcome: 'claimed',
      messageId: 'msg_1',
      at: new Date(T0 - 60_000),
    });
    const d = await w.step.open('con_1', 'acc_1');
    await w.step.next(d);
    expect(w.sent).toEqual(['msg_1', 'msg_2']);
    expect(d.recovered).toBe(true);
  });
});
