/** What the store needs of a clock (the runtime Clock, or a fake one in specs). */
export interface StoreClock {
  nowMs(): number;
}

export interface RefreshAheadOptions {
  /** An entry is never served once this old (ms since its load started); 0 disables caching. */
  ttlMs: number;
  /**
   * From this age on, a read is still answered from the entry but starts a reload in the
   * background (one per key at a time), so that an entry in use is replaced before it expires.
   */
  refreshAfterMs: number;
  /** Past this many entries, the oldest inserted is dropped. */
  maxEntries: number;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
}

/**
 * A per-process cache of values read from the database on the request path (verified API keys,
 * plans, connections), refreshed ahead of expiry.
 *
 * Why: with a plain TTL, every request that arrives while an expired entry is reloaded waits for
 * that reload. Under load a read takes tens of milliseconds, so each expiry of a hot key stalled
 * every request of that key for that long, a bubble every TTL that set the API's p99. Here an
 * entry in use is reloaded in the background once it is `refreshAfterMs` old and keeps being
 * served until `ttlMs`: requests wait only for a first load, or when no reload succeeded within
 * the TTL (the database is unreachable), which bounds staleness exactly as the plain TTL did.
 *
 * - Loads are single-flight per key: requests arriving during a load share it.
 * - A loader that resolves `undefined` says the value is gone (a revoked key): the entry is
 *   dropped and `undefined` returned.
 * - A background reload that fails leaves the entry until its TTL; the caller of a foreground
 *   load gets the error, and nothing is cached.
 * - `delete`/`deleteWhere`/`clear` also discard loads in flight, so that a read that started
 *   before a change cannot store what the change made stale.
 */
export class RefreshAheadStore<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, { generation: number; promise: Promise<V | undefined> }>();
  /** Bumped by every deletion: a load started before it is not stored. */
  private generation = 0;

  constructor(
    private readonly options: RefreshAheadOptions,
    private readonly clock: StoreClock,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.entries.get(key);
    if (hit) {
      const age = this.clock.nowMs() - hit.loadedAt;
      if (age < this.options.ttlMs) {
        if (age >= this.options.refreshAfterMs) this.load(key, load).catch(() => undefined);
        return hit.value;
      }
    }
    return this.load(key, load);
  }

  delete(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /** Drops every entry whose value matches (and every load in flight). */
  deleteWhere(matches: (value: V) => boolean): void {
    this.generation++;
    this.loading.clear();
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.loading.clear();
    this.entries.clear();
  }

  private load(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const inFlight = this.loading.get(key);
    if (inFlight && inFlight.generation === this.generation) return inFlight.promise;
    const generation = this.generation;
    const startedAt = this.clock.nowMs();
    const promise = load()
      .then((value) => {
        if (generation === this.generation) this.store(key, value, startedAt);
        return value;
      })
      .finally(() => {
        if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
      });
    this.loading.set(key, { generation, promise });
    return promise;
  }

  private store(key: string, value: V | undefined, loadedAt: number): void {
    if (value === undefined) {
      this.entries.delete(key);
      return;
    }
    if (this.options.ttlMs <= 0) return;
    this.entries.delete(key); // re-inserted last: the eviction order follows the loads
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, loadedAt });
  }
}
