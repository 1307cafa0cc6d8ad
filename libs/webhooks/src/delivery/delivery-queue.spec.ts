import { DueHeap, Fifo, Lane, PendingDelivery } from './delivery-queue';

const d = (id: string, order: string): PendingDelivery => ({
  id,
  endpointId: 'whk_x',
  accountId: 'acc',
  eventId: id,
  webhookId: `msg_${id}`,
  partition: 0,
  order,
  streamKey: 'chat',
  occurredAtMs: 0,
  attempts: 0,
  dueAtMs: 0,
});

describe('delivery queue structures', () => {
  it('keeps a stream in creation order', () => {
    const lane = new Lane('whk_x', 4);
    const s = lane.stream('chat', 0);
    s.add(d('b', '02'));
    s.add(d('c', '03'));
    s.add(d('a', '01'));
    expect(s.queue.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(lane.stream('chat', 0)).toBe(s);
  });

  it('pops the heap by due time', () => {
    const heap = new DueHeap();
    const s = new Lane('whk_x', 1).stream('k', 0);
    for (const at of [5, 1, 9, 3, 7, 2]) heap.push({ at, stream: s });
    const out: number[] = [];
    while (heap.size) out.push(heap.pop()!.at);
    expect(out).toEqual([1, 2, 3, 5, 7, 9]);
  });

  it('fifo pushes and shifts', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 3000; i++) q.push(i);
    for (let i = 0; i < 2000; i++) expect(q.shift()).toBe(i);
    expect(q.length).toBe(1000);
    q.push(3000);
    expect(q.shift()).toBe(2000);
  });

  it('backs off (pause doubling, concurrency halved) and recovers', () => {
    const lane = new Lane('whk_x', 16);
    lane.backOff(1000, undefined, 500, 30_000);
    expect(lane.limit).toBe(8);
    expect(lane.pausedUntilMs).toBe(1500);
    lane.backOff(1000, 5000, 500, 30_000);
    expect(lane.pausedUntilMs).toBe(6000);
    expect(lane.limit).toBe(4);
    lane.succeeded();
    expect(lane.limit).toBe(5);
    expect(lane.strikes).toBe(0);
  });
});
