import { DomainError } from '@wwb/runtime';
import type { ScheduledAction, ScheduledMessageRecord } from './scheduled-message.schema';
import { ScheduledSendRunner } from './scheduled-send.runner';
import { ScheduledMessagesService } from './scheduled-messages.service';

/** Scheduled messages and their version claims in memory, with the repository's semantics. */
class FakeRepository {
  readonly docs = new Map<string, ScheduledMessageRecord>();
  readonly claims = new Map<string, ScheduledAction>();
  async claim(id: string, version: number, action: ScheduledAction) {
    const key = `${id}/v${version}`;
    const recorded = this.claims.get(key);
    if (recorded) return { won: false as const, recorded };
    this.claims.set(key, action);
    return { won: true as const };
  }
  async replace(r: ScheduledMessageRecord) {
    this.docs.set(r._id, { ...r });
  }
  async remove(id: string) {
    this.docs.delete(id);
  }
  async find(_: unknown, connectionId: string, id: string) {
    const r = this.docs.get(id);
    return r && r.connectionId === connectionId ? { ...r } : null;
  }
}

const T0 = new Date('2026-12-07T10:00:00Z');
let nowMs = T0.getTime();
const clock = { now: () => new Date(nowMs), nowMs: () => nowMs };

function record(over: Partial<ScheduledMessageRecord> = {}): ScheduledMessageRecord {
  return {
    _id: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    accountId: 'acc_1',
    connectionId: 'con_1',
    body: { to: '+15557654321', type: 'text', text: 'hello' },
    origin: { source: 'scheduled' },
    sendAt: T0,
    dueAt: T0,
    version: 0,
    state: 'scheduled',
    attempts: 0,
    slotId: 'slot-1',
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

function setUp(execute: jest.Mock) {
  const repo = new FakeRepository();
  const released: string[] = [];
  const published: unknown[] = [];
  const quotas = { releaseScheduledSlot: async (slot: string) => void released.push(slot) };
  const runner = new ScheduledSendRunner(
    { create: () => ({ start: jest.fn(), stop: jest.fn(), lead: async () => true }) } as never,
    repo as never,
    { execute } as never,
    { planOf: async () => ({ name: 'starter', limit: () => 10 }) } as never,
    quotas as never,
    {} as never,
    { publish: async (...args: unknown[]) => void published.push(args) } as never,
    clock as never,
    { child: () => ({ info: jest.fn(), warn: jest.fn() }) } as never,
  );
  const service = new ScheduledMessagesService(
    { get: async () => ({}) } as never,
    repo as never,
    quotas as never,
    clock as never,
  );
  return { repo, runner, service, released, published };
}

beforeEach(() => {
  nowMs = T0.getTime();
});

describe('ScheduledSendRunner.fire', () => {
  it('sends under the scheduled id with its idempotency key, then removes it and frees its slot', async () => {
    const execute = jest.fn().mockResolvedValue({ id: 'x', status: 'queued', replayed: false });
    const { repo, runner, released } = setUp(execute);
    const r = record();
    repo.docs.set(r._id, r);
    expect(await runner.fire(r)).toBe('sent');
    expect(execute).toHaveBeenCalledWith(
      { accountId: 'acc_1' },
      expect.objectContaining({
        connectionId: 'con_1',
        messageId: r._id,
        idempotencyKey: `scheduled:${r._id}`,
        scheduledFor: T0,
        origin: { source: 'scheduled' },
        quota: expect.objectContaining({ plan: 'starter', pendingMessages: 10 }),
      }),
    );
    expect(repo.docs.has(r._id)).toBe(false);
    expect(released).toEqual(['slot-1']);
  });

  it('a fire already recorded on this version (a run that died) sends again as a replay', async () => {
    const execute = jest.fn().mockResolvedValue({ id: 'x', status: 'queued', replayed: true });
    const { repo, runner } = setUp(execute);
    const r = record();
    repo.claims.set(`${r._id}/v0`, 'fire');
    expect(await runner.fire(r)).toBe('sent');
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('skips a version a cancel or reschedule won', async () => {
    const execute = jest.fn();
    const { repo, runner } = setUp(execute);
    const r = record();
    repo.claims.set(`${r._id}/v0`, 'cancel');
    expect(await runner.fire(r)).toBe('skipped');
    expect(execute).not.toHaveBeenCalled();
  });

  it('a permanent refusal keeps it as failed with the reason, frees the slot and publishes failed', async () => {
    const execute = jest.fn().mockRejectedValue(DomainError.conflict('connection_stopped', 'stopped'));
    const { repo, runner, released, published } = setUp(execute);
    const r = record();
    expect(await runner.fire(r)).toBe('failed');
    expect(repo.docs.get(r._id)).toMatchObject({
      state: 'failed',
      error: { code: 'connection_stopped', message: 'stopped' },
      version: 1,
    });
    expect(released).toEqual(['slot-1']);
    expect(published).toEqual([
      [
        { accountId: 'acc_1', connectionId: 'con_1' },
        '15557654321@c.us',
        expect.objectContaining({ messageId: r._id, status: 'failed', reason: 'connection_stopped' }),
      ],
    ]);
  });

  it('a transient refusal retries later with a doubling delay, as a new version the client may change', async () => {
    const busy = new DomainError('limit_reached', 'too_many_pending_messages', 'busy');
    const execute = jest.fn().mockRejectedValue(busy);
    const { repo, runner, released, service } = setUp(execute);
    expect(await runner.fire(record({ attempts: 2 }))).toBe('retry');
    const next = repo.docs.get('msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8')!;
    expect(next).toMatchObject({ state: 'scheduled', attempts: 3, version: 1 });
    expect(next.dueAt.getTime() - nowMs).toBe(20_000);
    expect(released).toEqual([]);
    // Version 1 is free: a cancel wins it.
    await service.cancel({ accountId: 'acc_1' }, 'con_1', next._id);
    expect(repo.docs.has(next._id)).toBe(false);
  });
});

describe('ScheduledMessagesService changes racing the runner', () => {
  it('409 message_already_sending once the runner claimed the version; the message is untouched', async () => {
    const { repo, service } = setUp(jest.fn());
    const r = record({ sendAt: new Date(T0.getTime() + 60_000) });
    repo.docs.set(r._id, r);
    repo.claims.set(`${r._id}/v0`, 'fire');
    const later = new Date(T0.getTime() + 3_600_000).toISOString();
    await expect(service.reschedule({ accountId: 'acc_1' }, 'con_1', r._id, later)).rejects.toMatchObject({
      code: 'message_already_sending',
      kind: 'conflict',
    });
    await expect(service.cancel({ accountId: 'acc_1' }, 'con_1', r._id)).rejects.toMatchObject({
      code: 'message_already_sending',
    });
    expect(repo.docs.get(r._id)).toEqual(r);
  });

  it('a reschedule writes the next version with the new time; a failed message cannot be rescheduled', async () => {
    const { repo, service } = setUp(jest.fn());
    const r = record({ sendAt: new Date(T0.getTime() + 60_000) });
    repo.docs.set(r._id, r);
    const later = '2026-12-07T11:00:00.000Z';
    const view = await service.reschedule({ accountId: 'acc_1' }, 'con_1', r._id, later);
    expect(view).toMatchObject({ sendAt: later, status: 'scheduled' });
    expect(repo.docs.get(r._id)).toMatchObject({ version: 1, dueAt: new Date(later), attempts: 0 });

    repo.docs.set(r._id, record({ state: 'failed', version: 1 }));
    await expect(service.reschedule({ accountId: 'acc_1' }, 'con_1', r._id, later)).rejects.toMatchObject({
      code: 'message_not_scheduled',
    });
  });
});
