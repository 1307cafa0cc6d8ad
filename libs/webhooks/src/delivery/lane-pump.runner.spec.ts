import { Lane, PendingDelivery, Stream } from './delivery-queue';
import { LanePumpRunner } from './lane-pump.runner';
import { PartitionLeases } from './partition.leases';
import { WorkingSetStore } from './working-set.store';
import { ManualClock } from '@wwb/testing';

const TIMEOUT_MS = 1_000;

describe('LanePumpRunner', () => {
  let clock: ManualClock;
  let held: WorkingSetStore;
  let leaseOk: boolean;
  let sent: string[];
  let runner: LanePumpRunner;

  const pending = (id: string, dueInMs = 0, streamKey = id): PendingDelivery => ({
    id,
    endpointId: 'whk_1',
    accountId: 'acc_1',
    eventId: id,
    webhookId: `msg_${id}`,
    partition: 0,
    order: id,
    streamKey,
    occurredAtMs: clock.ms,
    attempts: 0,
    dueAtMs: clock.ms + dueInMs,
  });

  /** What the dispatcher does: hold, arm a new head, pump. */
  const hold = (d: PendingDelivery): Stream => {
    const lane = held.lane(d.endpointId);
    const s = held.add(lane, d);
    if (s.head === d) runner.arm(s);
    runner.pump(lane);
    return s;
  };

  /** Ends the request of a stream's head, as the dispatcher's send does. */
  const complete = (lane: Lane, s: Stream): void => {
    held.remove(s, s.head!);
    lane.inFlight--;
    s.inFlight = false;
    runner.arm(s);
    runner.pump(lane);
  };

  const advance = (ms: number): void => {
    clock.ms += ms;
    jest.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = new ManualClock(1_700_000_000_000);
    held = new WorkingSetStore(2);
    leaseOk = true;
    sent = [];
    const leases = {
      canSend: (_p: number, durationMs: number) => leaseOk && durationMs === TIMEOUT_MS,
    } as unknown as PartitionLeases;
    runner = new LanePumpRunner(leases, held, clock, TIMEOUT_MS, (lane, s, d) => {
      lane.inFlight++;
      s.inFlight = true;
      sent.push(d.id);
    });
  });

  afterEach(() => {
    runner.stop();
    jest.useRealTimers();
  });

  it('sends a due head at once', () => {
    hold(pending('a'));
    expect(sent).toEqual(['a']);
  });

  it('sends a later head when it is due, not before', () => {
    hold(pending('a', 5_000));
    advance(4_999);
    expect(sent).toEqual([]);
    advance(1);
    expect(sent).toEqual(['a']);
  });

  it('runs at most the lane limit at once and starts the next when one ends', () => {
    hold(pending('a'));
    hold(pending('b'));
    hold(pending('c'));
    expect(sent).toEqual(['a', 'b']);
    const lane = held.laneOf('whk_1')!;
    complete(lane, lane.streams.get('a')!);
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('sends one delivery of a stream at a time, in order', () => {
    const s = hold(pending('a', 0, 'chat'));
    hold(pending('b', 0, 'chat'));
    expect(sent).toEqual(['a']);
    complete(s.lane, s);
    expect(sent).toEqual(['a', 'b']);
  });

  it('waits for a paused lane to resume', () => {
    const lane = held.lane('whk_1');
    lane.pausedUntilMs = clock.ms + 2_000;
    hold(pending('a'));
    expect(sent).toEqual([]);
    advance(2_000);
    expect(sent).toEqual(['a']);
  });

  it('looks again shortly when the lease cannot cover a request', () => {
    leaseOk = false;
    hold(pending('a'));
    expect(sent).toEqual([]);
    leaseOk = true;
    advance(199);
    expect(sent).toEqual([]);
    advance(1);
    expect(sent).toEqual(['a']);
  });

  it('forgets a lane whose last stream emptied', () => {
    const s = hold(pending('a'));
    complete(s.lane, s);
    expect(held.laneOf('whk_1')).toBeUndefined();
  });

  it('starts nothing once stopped', () => {
    hold(pending('a', 1_000));
    runner.stop();
    advance(1_000);
    hold(pending('b'));
    expect(sent).toEqual([]);
  });
});
