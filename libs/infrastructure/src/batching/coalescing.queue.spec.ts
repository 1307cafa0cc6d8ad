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
    const queue = new CoalescingQueue<number>(
      async (items) => {
        sizes.push(items.length);
        if (sizes.length === 1) await new Promise<void>((r) => (release = r));
      },
      { maxBatch: 2 },
    );
    const all = [queue.add(0), ...[1, 2, 3, 4, 5].map((i) => queue.add(i))];
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all(all);
    expect(sizes).toEqual([1, 2, 2, 1]);
  });

  describe('lingerMs (fake timers)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('a flush waits lingerMs for more items, so items arriving meanwhile share it', async () => {
      const flushes: { at: number; items: number[] }[] = [];
      const start = Date.now();
      const queue = new CoalescingQueue<number>(
        async (items) => {
          flushes.push({ at: Date.now() - start, items });
        },
        { lingerMs: 5 },
      );
      const added = [queue.add(0)];
      await jest.advanceTimersByTimeAsync(1);
      added.push(queue.add(1));
      await jest.advanceTimersByTimeAsync(2);
      added.push(queue.add(2));
      await jest.advanceTimersByTimeAsync(1);
      expect(flushes).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(flushes).toEqual([{ at: 5, items: [0, 1, 2] }]);
      await Promise.all(added);

      // The next item waits lingerMs again from when it starts a flush.
      const late = queue.add(3);
      await jest.advanceTimersByTimeAsync(4);
      expect(flushes).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await late;
      expect(flushes[1]).toEqual({ at: 10, items: [3] });
    });

    it('a full batch waiting goes at once; only the remainder lingers', async () => {
      const flushes: { at: number; items: number[] }[] = [];
      const start = Date.now();
      const queue = new CoalescingQueue<number>(
        async (items) => {
          flushes.push({ at: Date.now() - start, items });
        },
        { maxBatch: 2, lingerMs: 10 },
      );
      const added = [0, 1, 2, 3, 4].map((i) => queue.add(i));
      await jest.advanceTimersByTimeAsync(10);
      expect(flushes).toEqual([
        { at: 10, items: [0, 1] },
        { at: 10, items: [2, 3] },
      ]);
      await jest.advanceTimersByTimeAsync(10);
      await Promise.all(added);
      expect(flushes[2]).toEqual({ at: 20, items: [4] });
    });
  });
});
