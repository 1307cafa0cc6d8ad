import { CoalescingQueue } from './coalescing.queue';

describe('CoalescingQueue', () => {
  it('sends what arrives during a flush together in the next one, in order, each with its own outcome', async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    const queue = new CoalescingQueue<number>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((n) => (n === 3 ? new Error('three') : undefined));
    });
    const first = queue.add(0);
    const rest = [1, 2, 3].map((n) => queue.add(n));
    await new Promise((r) => setImmediate(r));
    release();
    await first;
    const results = await Promise.allSettled(rest);
    expect(flushes).toEqual([[0], [1, 2, 3]]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('a failed flush rejects its whole batch; the queue goes on', async () => {
    let n = 0;
    const queue = new CoalescingQueue<string>(async () => {
      if (++n === 1) throw new Error('down');
    });
    await expect(queue.add('a')).rejects.toThrow('down');
    await expect(queue.add('b')).resolves.toBeUndefined();
  });

  it('splits long queues into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    let release!: () => void;
    const queue = new CoalescingQueue<number>(async (items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await new Promise<void>((r) => (release = r));
    }, 2);
    const all = [queue.add(0), ...[1, 2, 3, 4, 5].map((i) => queue.add(i))];
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all(all);
    expect(sizes).toEqual([1, 2, 2, 1]);
  });
});
