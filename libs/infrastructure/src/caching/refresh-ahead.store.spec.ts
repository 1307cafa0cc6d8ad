import { RefreshAheadStore } from './refresh-ahead.store';

/** A load the test settles by hand, counting calls. */
class Loader {
  calls = 0;
  private pending: { resolve: (v: string | undefined) => void; reject: (e: Error) => void }[] = [];
  readonly fn = () => {
    this.calls++;
    return new Promise<string | undefined>((resolve, reject) => this.pending.push({ resolve, reject }));
  };
  resolve(v: string | undefined) {
    this.pending.shift()!.resolve(v);
  }
  reject(e: Error) {
    this.pending.shift()!.reject(e);
  }
  get waiting() {
    return this.pending.length;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RefreshAheadStore', () => {
  let now: number;
  let store: RefreshAheadStore<string>;
  let loader: Loader;

  beforeEach(() => {
    now = 1_000_000;
    store = new RefreshAheadStore<string>(
      { ttlMs: 5_000, refreshAfterMs: 2_500, maxEntries: 3 },
      { nowMs: () => now },
    );
    loader = new Loader();
  });

  it('loads once for concurrent first reads, then answers from memory', async () => {
    const a = store.get('k', loader.fn);
    const b = store.get('k', loader.fn);
    expect(loader.calls).toBe(1);
    loader.resolve('v1');
    expect(await Promise.all([a, b])).toEqual(['v1', 'v1']);
    now += 2_000;
    expect(await store.get('k', loader.fn)).toBe('v1');
    expect(loader.calls).toBe(1);
  });

  it('past refreshAfterMs, answers at once and reloads in the background (one reload for many reads)', async () => {
    const first = store.get('k', loader.fn);
    loader.resolve('v1');
    await first;
    now += 3_000;
    expect(await store.get('k', loader.fn)).toBe('v1'); // not waiting for the reload
    expect(await store.get('k', loader.fn)).toBe('v1');
    expect(loader.calls).toBe(2);
    loader.resolve('v2');
    await tick();
    expect(await store.get('k', loader.fn)).toBe('v2');
    // The entry's age counts from when its reload started.
    now += 2_499;
    expect(await store.get('k', loader.fn)).toBe('v2');
    expect(loader.calls).toBe(2);
  });

  it('never serves an entry at or past its TTL: the read waits for the load', async () => {
    const first = store.get('k', loader.fn);
    loader.resolve('v1');
    await first;
    now += 5_000;
    let answered: string | undefined;
    const read = store.get('k', loader.fn).then((v) => (answered = v));
    await tick();
    expect(answered).toBeUndefined();
    loader.resolve('v2');
    await read;
    expect(answered).toBe('v2');
  });

  it('a failed background reload keeps the entry until its TTL; then the error reaches the caller and nothing is cached', async () => {
    const first = store.get('k', loader.fn);
    loader.resolve('v1');
    await first;
    now += 3_000;
    expect(await store.get('k', loader.fn)).toBe('v1');
    loader.reject(new Error('db down'));
    await tick();
    expect(await store.get('k', loader.fn)).toBe('v1'); // another background attempt
    loader.reject(new Error('db down'));
    await tick();
    now += 2_000;
    const failing = store.get('k', loader.fn);
    loader.reject(new Error('db still down'));
    await expect(failing).rejects.toThrow('db still down');
    expect(store.size).toBe(1); // the expired entry is kept, but never served
    const again = store.get('k', loader.fn);
    expect(loader.waiting).toBe(1);
    loader.resolve('v3');
    expect(await again).toBe('v3');
  });

  it('a loader resolving undefined drops the entry (the value is gone, e.g. a revoked key)', async () => {
    const first = store.get('k', loader.fn);
    loader.resolve('v1');
    await first;
    now += 3_000;
    expect(await store.get('k', loader.fn)).toBe('v1');
    loader.resolve(undefined);
    await tick();
    expect(store.size).toBe(0);
    const next = store.get('k', loader.fn);
    loader.resolve(undefined);
    expect(await next).toBeUndefined();
  });

  it('a deletion discards loads in flight, so a read that started before a change stores nothing stale', async () => {
    const first = store.get('k', loader.fn);
    store.delete('k');
    loader.resolve('stale');
    expect(await first).toBe('stale'); // its own caller still gets what it read
    const second = store.get('k', loader.fn);
    expect(loader.calls).toBe(2);
    loader.resolve('fresh');
    expect(await second).toBe('fresh');
    expect(await store.get('k', loader.fn)).toBe('fresh');

    const other = store.get('x', loader.fn);
    loader.resolve('xv');
    await other;
    store.deleteWhere((v) => v === 'xv');
    expect(store.size).toBe(1);
    store.clear();
    expect(store.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest loaded; a TTL of 0 caches nothing', async () => {
    for (const k of ['a', 'b', 'c', 'd']) {
      const p = store.get(k, loader.fn);
      loader.resolve(k);
      await p;
    }
    expect(store.size).toBe(3);
    const a = store.get('a', loader.fn);
    expect(loader.waiting).toBe(1); // 'a' was dropped: loaded again
    loader.resolve('a');
    await a;

    const none = new RefreshAheadStore<string>(
      { ttlMs: 0, refreshAfterMs: 0, maxEntries: 3 },
      { nowMs: () => now },
    );
    const p = none.get('k', loader.fn);
    loader.resolve('v');
    await p;
    expect(none.size).toBe(0);
  });
});
