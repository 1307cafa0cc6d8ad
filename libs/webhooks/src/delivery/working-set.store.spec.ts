import { PendingDelivery } from './delivery-queue';
import { WorkingSetStore } from './working-set.store';

const pending = (id: string, over: Partial<PendingDelivery> = {}): PendingDelivery => ({
  id,
  endpointId: 'whk_1',
  accountId: 'acc_1',
  eventId: `evt_${id}`,
  webhookId: `msg_${id}`,
  partition: 0,
  order: id,
  streamKey: id,
  occurredAtMs: 0,
  attempts: 0,
  dueAtMs: 0,
  ...over,
});

describe('WorkingSetStore', () => {
  let set: WorkingSetStore;
  beforeEach(() => {
    set = new WorkingSetStore(4);
  });

  it('creates a lane once per endpoint, with the concurrency cap', () => {
    const lane = set.lane('whk_1');
    expect(set.lane('whk_1')).toBe(lane);
    expect(set.laneOf('whk_1')).toBe(lane);
    expect(set.laneOf('whk_2')).toBeUndefined();
    expect(lane.limit).toBe(4);
  });

  it('holds deliveries in their streams and counts them per lane', () => {
    const lane = set.lane('whk_1');
    const a = pending('a', { streamKey: 'chat' });
    const b = pending('b', { streamKey: 'chat' });
    const s = set.add(lane, a);
    expect(set.add(lane, b)).toBe(s);
    expect(s.queue).toEqual([a, b]);
    expect(lane.held).toBe(2);
    expect(set.size).toBe(2);
    expect(set.has('a')).toBe(true);
    expect(set.holds(a)).toBe(true);
    // Another object with the same id (a reload) is not the one held.
    expect(set.holds(pending('a'))).toBe(false);
  });

  it('frees the lane slot once when a delivery is removed', () => {
    const lane = set.lane('whk_1');
    const a = pending('a');
    const s = set.add(lane, a);
    expect(set.remove(s, a)).toBe(true);
    expect(s.queue).toEqual([]);
    expect(lane.held).toBe(0);
    expect(set.has('a')).toBe(false);
    expect(set.remove(s, a)).toBe(false);
    expect(lane.held).toBe(0);
  });

  it('drops the streams of a lost partition and forgets lanes left empty', () => {
    const one = set.lane('whk_1');
    const two = set.lane('whk_2');
    set.add(one, pending('a', { partition: 1 }));
    set.add(one, pending('b', { partition: 2 }));
    set.add(two, pending('c', { endpointId: 'whk_2', partition: 1 }));
    set.dropPartition(1);
    expect(set.has('a')).toBe(false);
    expect(set.has('c')).toBe(false);
    expect(set.has('b')).toBe(true);
    expect(one.held).toBe(1);
    expect(set.laneOf('whk_1')).toBe(one);
    expect(set.laneOf('whk_2')).toBeUndefined();
  });

  it('drops a deleted endpoint with what waits for it in the store', () => {
    const lane = set.lane('whk_1');
    set.add(lane, pending('a'));
    lane.spilledFromId = 'b';
    set.dropEndpoint('whk_1');
    expect(set.size).toBe(0);
    expect(lane.spilledFromId).toBeUndefined();
    expect(set.laneOf('whk_1')).toBeUndefined();
  });

  it('keeps a lane that has a request in flight, deliveries in the store or a reload running', () => {
    const lane = set.lane('whk_1');
    lane.inFlight = 1;
    set.forgetLaneIfIdle(lane);
    expect(set.laneOf('whk_1')).toBe(lane);
    lane.inFlight = 0;
    lane.spilledFromId = 'x';
    set.forgetLaneIfIdle(lane);
    expect(set.laneOf('whk_1')).toBe(lane);
    lane.spilledFromId = undefined;
    lane.reloading = true;
    set.forgetLaneIfIdle(lane);
    expect(set.laneOf('whk_1')).toBe(lane);
    lane.reloading = false;
    set.forgetLaneIfIdle(lane);
    expect(set.laneOf('whk_1')).toBeUndefined();
  });

  it('keeps the stream whose head is in flight, and removes empty ones', () => {
    const lane = set.lane('whk_1');
    const a = pending('a', { streamKey: 'busy' });
    const busy = set.add(lane, a);
    const idle = set.add(lane, pending('b', { streamKey: 'idle' }));
    set.remove(busy, a);
    busy.inFlight = true;
    set.remove(idle, idle.head!);
    set.forgetLaneIfIdle(lane);
    expect([...lane.streams.keys()]).toEqual(['busy']);
  });
});
