import pino from 'pino';
import { CachedEndpoint, EndpointDirectory } from '../endpoints/endpoint.directory';
import { Lane, PendingDelivery } from './delivery-queue';
import { LaneSpillStore } from './lane-spill.store';
import { PartitionRecoveryRunner } from './partition-recovery.runner';
import { RecentIdsStore } from './recent-ids.store';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookMetrics } from './webhook.metrics';
import { WorkingSetStore } from './working-set.store';
import { ManualClock } from '@wwb/testing';

const MAX_HELD = 4;
const endpoint = { record: { ordering: 'none' } } as unknown as CachedEndpoint;

describe('LaneSpillStore', () => {
  let clock: ManualClock;
  let stored: WebhookDeliveryRecord[];
  let attempts: WebhookAttemptRecord[];
  let failReads: number;
  let finished: RecentIdsStore;
  let held: WorkingSetStore;
  let spilledCount: number;
  let store: LaneSpillStore;
  let lane: Lane;

  const record = (id: string, partition = 0): WebhookDeliveryRecord => ({
    _id: id,
    accountId: 'acc_1',
    endpointId: 'whk_1',
    eventId: `evt_${id}`,
    eventType: 'message.received',
    webhookId: `msg_${id}`,
    partition,
    order: id,
    orderKey: 'chat',
    occurredAt: new Date(clock.ms),
    createdAt: new Date(clock.ms),
    body: '{}',
  });

  const pending = (id: string): PendingDelivery => ({
    id,
    endpointId: 'whk_1',
    accountId: 'acc_1',
    eventId: id,
    webhookId: `msg_${id}`,
    partition: 0,
    order: id,
    streamKey: id,
    occurredAtMs: clock.ms,
    attempts: 0,
    dueAtMs: clock.ms,
  });

  const heldIds = (): string[] => [...lane.streams.values()].flatMap((s) => s.queue.map((d) => d.id)).sort();

  /** Lets a reload's reads and its follow-up reloads run. */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await jest.advanceTimersByTimeAsync(0);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = new ManualClock(1_700_000_000_000);
    stored = [];
    attempts = [];
    failReads = 0;
    finished = new RecentIdsStore(10_000);
    held = new WorkingSetStore(2);
    spilledCount = 0;
    const repository = {
      endpointDeliveriesFrom: async (_e: string, partitions: number[], fromId: string, limit: number) => {
        if (failReads > 0) {
          failReads--;
          throw new Error('store down');
        }
        return stored
          .filter((r) => partitions.includes(r.partition) && r._id >= fromId)
          .sort((a, b) => (a._id < b._id ? -1 : 1))
          .slice(0, limit);
      },
      attemptsOf: async (ids: string[]) => attempts.filter((a) => ids.includes(a.deliveryId)),
    } as unknown as WebhookDeliveryRepository;
    const directory = {
      get: (id: string) => (id === 'whk_1' ? endpoint : undefined),
    } as unknown as EndpointDirectory;
    const partitions = {
      activePartitions: () => [0],
      isActive: (p: number) => p === 0,
    } as unknown as PartitionRecoveryRunner;
    const metrics = {
      pending: { set: jest.fn() },
      spilled: { inc: () => spilledCount++ },
    } as unknown as WebhookMetrics;
    store = new LaneSpillStore(
      {
        directory,
        repository,
        partitions,
        finished,
        held,
        metrics,
        clock,
        logger: pino({ level: 'silent' }),
        maxHeld: MAX_HELD,
      },
      (l, d) => void held.add(l, d),
    );
    lane = held.lane('whk_1');
  });

  afterEach(() => {
    store.stop();
    jest.useRealTimers();
  });

  it('is full at the maximum, or while deliveries wait in the store', () => {
    expect(store.isFull(lane)).toBe(false);
    lane.held = MAX_HELD;
    expect(store.isFull(lane)).toBe(true);
    lane.held = 0;
    store.spill(lane, pending('b'));
    expect(store.isFull(lane)).toBe(true);
  });

  it('remembers the smallest id left in the store and counts every spill', () => {
    store.spill(lane, pending('c'));
    store.spill(lane, pending('b'));
    store.spill(lane, pending('d'));
    expect(lane.spilledFromId).toBe('b');
    expect(spilledCount).toBe(3);
  });

  it('reads back once the lane has drained to half, skipping what is known, finished or done', async () => {
    const a = held.add(lane, pending('a'));
    const a2 = held.add(lane, pending('a2'));
    held.add(lane, pending('a3'));
    stored = ['a3', 'b', 'c', 'd', 'e'].map((id) => record(id));
    store.spill(lane, pending('a3'));
    finished.add('c', clock.ms);
    attempts = [
      { _id: 'd~1', deliveryId: 'd', n: 1, outcome: 'failed' } as WebhookAttemptRecord,
      {
        _id: 'e~1',
        deliveryId: 'e',
        n: 1,
        outcome: 'retrying',
        nextAttemptAt: new Date(clock.ms + 5_000),
      } as WebhookAttemptRecord,
    ];
    store.maybeReload(lane);
    await settle();
    expect(heldIds()).toEqual(['a', 'a2', 'a3']); // 3 of 4 held: more than half

    held.remove(a, a.head!);
    held.remove(a2, a2.head!);
    store.maybeReload(lane);
    await settle();
    // Two batches (of the room there was): [a3, b, c] then [d, e].
    expect(heldIds()).toEqual(['a3', 'b', 'e']);
    const e = [...lane.streams.values()].find((x) => x.head?.id === 'e')!.head!;
    expect(e).toMatchObject({ attempts: 1, dueAtMs: clock.ms + 5_000 });
    // The second batch was full too: the store may hold more after e.
    expect(lane.spilledFromId).toBe('e\0');
    expect(lane.reloading).toBe(false);
  });

  it('goes on after the last id of a full batch once there is room again', async () => {
    stored = ['b', 'c', 'd', 'e', 'f'].map((id) => record(id));
    store.spill(lane, pending('b'));
    store.maybeReload(lane);
    await settle();
    expect(heldIds()).toEqual(['b', 'c', 'd', 'e']);
    expect(lane.spilledFromId).toBe('e\0');
    const b = [...lane.streams.values()].find((x) => x.head?.id === 'b')!;
    const c = [...lane.streams.values()].find((x) => x.head?.id === 'c')!;
    held.remove(b, b.head!);
    held.remove(c, c.head!);
    store.maybeReload(lane);
    await settle();
    expect(heldIds()).toEqual(['d', 'e', 'f']);
    expect(lane.spilledFromId).toBeUndefined();
  });

  it('stops where the lane filled up during the read, and goes on from there', async () => {
    stored = ['b', 'c', 'd', 'e'].map((id) => record(id));
    store.spill(lane, pending('b'));
    store.maybeReload(lane);
    held.add(lane, pending('x'));
    held.add(lane, pending('y'));
    await settle();
    expect(heldIds()).toEqual(['b', 'c', 'x', 'y']);
    expect(lane.spilledFromId).toBe('d');
  });

  it('takes back deliveries spilled during a reload by a later one', async () => {
    stored = [record('b')];
    store.spill(lane, pending('b'));
    store.maybeReload(lane);
    expect(lane.reloading).toBe(true);
    stored.push(record('c'));
    store.spill(lane, pending('c'));
    await settle();
    expect(heldIds()).toEqual(['b', 'c']);
    expect(lane.spilledFromId).toBeUndefined();
  });

  it('retries a failed read a second later, from the same id', async () => {
    failReads = 1;
    stored = [record('b')];
    store.spill(lane, pending('b'));
    store.maybeReload(lane);
    await settle();
    expect(lane.spilledFromId).toBe('b');
    expect(heldIds()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(heldIds()).toEqual(['b']);
  });

  it('reads nothing back once stopped', async () => {
    stored = [record('b')];
    store.spill(lane, pending('b'));
    store.stop();
    store.maybeReload(lane);
    await settle();
    expect(heldIds()).toEqual([]);
    expect(lane.reloading).toBe(false);
  });
});
