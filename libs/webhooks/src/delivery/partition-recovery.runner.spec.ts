import pino from 'pino';
import { CachedEndpoint, EndpointDirectory } from '../endpoints/endpoint.directory';
import { PendingDelivery } from './delivery-queue';
import { PartitionRecoveryRunner } from './partition-recovery.runner';
import { RecentIdsStore } from './recent-ids.store';
import { WebhookAttemptRecord, WebhookDeliveryRecord } from './webhook-delivery.schema';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookMetrics } from './webhook.metrics';
import { WorkingSetStore } from './working-set.store';
import { ManualClock } from '@wwb/testing';

const endpoint = { record: { ordering: 'none' } } as unknown as CachedEndpoint;

describe('PartitionRecoveryRunner', () => {
  let clock: ManualClock;
  let deliveries: WebhookDeliveryRecord[];
  let attempts: WebhookAttemptRecord[];
  let failReads: number;
  let finished: RecentIdsStore;
  let placed: PendingDelivery[];
  let enqueued: PendingDelivery[];
  let runner: PartitionRecoveryRunner;
  let reads: jest.Mock[];

  const record = (id: string, partition: number, endpointId = 'whk_1'): WebhookDeliveryRecord => ({
    _id: id,
    accountId: 'acc_1',
    endpointId,
    eventId: `evt_${id}`,
    eventType: 'message.received',
    webhookId: `msg_${id}`,
    partition,
    order: id,
    orderKey: 'chat',
    occurredAt: new Date(clock.ms - 1_000),
    createdAt: new Date(clock.ms - 1_000),
    body: '{}',
  });

  const attempt = (deliveryId: string, n: number, outcome: WebhookAttemptRecord['outcome']) => ({
    _id: `${deliveryId}~${n}`,
    accountId: 'acc_1',
    endpointId: 'whk_1',
    deliveryId,
    partition: 0,
    n,
    at: new Date(clock.ms - 500),
    outcome,
    ...(outcome === 'retrying' ? { nextAttemptAt: new Date(clock.ms + 60_000) } : {}),
  });

  const pending = (id: string, partition: number): PendingDelivery => ({
    id,
    endpointId: 'whk_1',
    accountId: 'acc_1',
    eventId: id,
    webhookId: `msg_${id}`,
    partition,
    order: id,
    streamKey: id,
    occurredAtMs: clock.ms,
    attempts: 0,
    dueAtMs: clock.ms,
  });

  beforeEach(() => {
    jest.useFakeTimers();
    clock = new ManualClock(1_700_000_000_000);
    deliveries = [];
    attempts = [];
    failReads = 0;
    finished = new RecentIdsStore(10_000);
    placed = [];
    enqueued = [];
    const read = <T>(rows: () => T[]) =>
      jest.fn(async () => {
        if (failReads > 0) {
          failReads--;
          throw new Error('store down');
        }
        return rows();
      });
    reads = [read(() => deliveries), read(() => attempts)];
    const repository = {
      forPartitions: reads[0],
      attemptsForPartitions: reads[1],
    } as unknown as WebhookDeliveryRepository;
    const directory = {
      load: async () => undefined,
      get: (id: string) => (id === 'whk_1' ? endpoint : undefined),
    } as unknown as EndpointDirectory;
    const metrics = { pending: { set: jest.fn() } } as unknown as WebhookMetrics;
    runner = new PartitionRecoveryRunner(
      {
        directory,
        repository,
        finished,
        held: new WorkingSetStore(4),
        metrics,
        clock,
        logger: pino({ level: 'silent' }),
        horizonMs: 7 * 24 * 3_600_000,
      },
      { place: (d) => placed.push(d), enqueue: (d) => enqueued.push(d) },
    );
  });

  afterEach(() => {
    runner.stop();
    jest.useRealTimers();
  });

  it('recovers the unfinished deliveries of an acquired partition in order, then activates it', async () => {
    deliveries = [
      record('c', 0),
      record('a', 0),
      record('done', 0),
      record('late', 0),
      record('gone', 0, 'whk_x'),
    ];
    attempts = [attempt('c', 1, 'retrying'), attempt('done', 1, 'retrying'), attempt('done', 2, 'delivered')];
    finished.add('late', clock.ms);
    runner.acquired(0);
    expect(runner.state(0)).toBe('recovering');
    expect(runner.activePartitions()).toEqual([]);
    await jest.advanceTimersByTimeAsync(50);
    expect(runner.state(0)).toBe('active');
    expect(runner.activePartitions()).toEqual([0]);
    expect(placed.map((d) => d.id)).toEqual(['a', 'c']);
    expect(placed[1]).toMatchObject({ attempts: 1, dueAtMs: clock.ms + 60_000 });
    expect(placed[0]).toMatchObject({ attempts: 0, dueAtMs: clock.ms });
    // Everything the recovery read counts as seen, finished or not.
    expect(runner.wasRecovered(0, 'done')).toBe(true);
    expect(runner.wasRecovered(0, 'zzz')).toBe(false);
  });

  it('reads partitions acquired together in one recovery', async () => {
    runner.acquired(0);
    runner.acquired(1);
    await jest.advanceTimersByTimeAsync(50);
    expect(runner.activePartitions().sort()).toEqual([0, 1]);
    expect(reads[0]).toHaveBeenCalledTimes(1);
    expect(reads[0]).toHaveBeenCalledWith([0, 1], new Date(clock.ms - 7 * 24 * 3_600_000));
  });

  it('hands over what was parked during the recovery after the recovered ones', async () => {
    deliveries = [record('a', 0)];
    runner.acquired(0);
    runner.park(pending('b', 0));
    await jest.advanceTimersByTimeAsync(50);
    expect(placed.map((d) => d.id)).toEqual(['a']);
    expect(enqueued.map((d) => d.id)).toEqual(['b']);
  });

  it('drops parked deliveries of a disabled endpoint', async () => {
    runner.acquired(0);
    runner.park(pending('b', 0));
    runner.unparkEndpoint('whk_1');
    await jest.advanceTimersByTimeAsync(50);
    expect(enqueued).toEqual([]);
  });

  it('does not activate a partition lost during its recovery, and aborts its requests', async () => {
    deliveries = [record('a', 0)];
    runner.acquired(0);
    const signal = runner.signal(0)!;
    expect(signal.aborted).toBe(false);
    runner.lost(0);
    expect(signal.aborted).toBe(true);
    expect(runner.signal(0)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(50);
    expect(runner.state(0)).toBeUndefined();
    expect(placed).toEqual([]);
  });

  it('retries a failed recovery a second later', async () => {
    failReads = 1;
    deliveries = [record('a', 0)];
    runner.acquired(0);
    await jest.advanceTimersByTimeAsync(50);
    expect(runner.state(0)).toBe('recovering');
    await jest.advanceTimersByTimeAsync(999);
    expect(placed).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(runner.state(0)).toBe('active');
    expect(placed.map((d) => d.id)).toEqual(['a']);
  });
});
