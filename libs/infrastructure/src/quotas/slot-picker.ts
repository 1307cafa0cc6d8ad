import { Injectable } from '@nestjs/common';
import { Clock } from '@wwb/runtime';

/** How a holder of numbered slots `n0` … `n<limit-1>` takes one; the store's unique key decides. */
export interface SlotProbe {
  /** Holds `slot` (a unique write): false when another holder has it. */
  tryTake(slot: string): Promise<boolean>;
  /** The slots held now, read when random probes keep missing. */
  held(): Promise<Iterable<string>>;
}

/**
 * Random slots tried before the held ones are read. A read costs more than a refused write on
 * FerretDB, where it scans the collection (about 30 µs a document: 0.7 s at 20,000 held), so
 * it comes only when random slots keep missing: after 8 misses, at 30% held once in 15,000 picks.
 */
const RANDOM_PROBES = 8;
/** Slots tried per pick from what a read found free (others may be taking them at the same moment). */
const FREE_PROBES = 6;
/**
 * How long the free slots a read found stand in for random probes. Only a hint (the store's
 * unique key decides), so it may be old: a slot taken since is one refused write.
 */
export const FREE_LIST_MS = 30_000;
/** Free slots kept per key from one read: a random sample, so that processes reading together rarely pick alike. */
export const FREE_SAMPLE = 5_000;
/** After a refusal, this process refuses the same key without a read for this long. */
export const FULL_MEMORY_MS = 1_000;
/** Keys remembered as full at most; past it the memory starts afresh. */
const MAX_FULL_REMEMBERED = 10_000;
/** Keys with free slots remembered at most (FREE_SAMPLE slots each: 20 KB). */
const MAX_FREE_LISTS = 1_000;

/** 0 … n-1. Slot numbers are no secret: Math.random, cheaper than crypto's randomInt. */
const randomInt = (n: number): number => Math.floor(Math.random() * n);

interface FreeList {
  /** Slot numbers a read found free, in random order; picks take from the end. */
  free: Int32Array;
  /** How many of `free` are left. */
  left: number;
  until: number;
}

/**
 * Picks a free numbered slot under a limit, for any store whose unique key makes two holders of
 * one slot impossible (quota_slots' `_id`, a message's held slot). While the key is well under its
 * limit a slot costs one write (a random slot). Once random slots keep missing, the held slots
 * are read and a sample of the free ones serves this process's next picks: an account near its
 * limit costs about one write per pick and a read per FREE_SAMPLE picks (or FREE_LIST_MS), rather
 * than a run of refused writes and a read per pick, which on FerretDB (every read a scan of the
 * collection) took most of the database's time. A refusal is remembered for FULL_MEMORY_MS, so a
 * caller hammering at its limit costs the store nothing more; `forget` ends that early when a
 * slot is given back here.
 */
@Injectable()
export class SlotPicker {
  private readonly fullUntil = new Map<string, number>();
  private readonly freeLists = new Map<string, FreeList>();

  constructor(private readonly clock: Clock) {}

  /** True while a refusal of `key` is remembered (a caller may refuse before doing costly work). */
  isFull(key: string): boolean {
    return (this.fullUntil.get(key) ?? 0) > this.clock.nowMs();
  }

  /** The slot taken (`n<i>`), or null when all `limit` slots are held. */
  async pick(key: string, limit: number, probe: SlotProbe): Promise<string | null> {
    if (limit <= 0 || this.isFull(key)) return null;
    const tried = new Set<number>();
    const known = this.freeLists.get(key);
    if (known && known.until > this.clock.nowMs()) {
      const slot = await this.tryFree(known, limit, tried, probe);
      if (slot !== null) return slot;
    }
    const probes = Math.min(limit, RANDOM_PROBES);
    while (tried.size < probes) {
      const i = randomInt(limit);
      if (tried.has(i)) continue;
      tried.add(i);
      if (await probe.tryTake(`n${i}`)) return `n${i}`;
    }
    if (tried.size < limit) {
      // Random slots are taken: read which are free rather than guess on.
      const slot = await this.tryFree(await this.readFree(key, limit, probe), limit, tried, probe);
      if (slot !== null) return slot;
    }
    this.freeLists.delete(key);
    if (this.fullUntil.size >= MAX_FULL_REMEMBERED) this.fullUntil.clear();
    this.fullUntil.set(key, this.clock.nowMs() + FULL_MEMORY_MS);
    return null;
  }

  /** A slot of `key` was given back in this process: the next pick tries again at once. */
  forget(key: string): void {
    this.fullUntil.delete(key);
  }

  /** Up to FREE_PROBES slots from a free list (shared by concurrent picks: each takes its own). */
  private async tryFree(
    list: FreeList,
    limit: number,
    tried: Set<number>,
    probe: SlotProbe,
  ): Promise<string | null> {
    for (let n = 0; n < FREE_PROBES && list.left > 0;) {
      const i = list.free[--list.left]!;
      // A list read under a larger limit (the plan changed) may hold slots past this one.
      if (i >= limit || tried.has(i)) continue;
      tried.add(i);
      n += 1;
      if (await probe.tryTake(`n${i}`)) return `n${i}`;
    }
    return null;
  }

  private async readFree(key: string, limit: number, probe: SlotProbe): Promise<FreeList> {
    const held = new Uint8Array(limit);
    for (const slot of await probe.held()) {
      const i = Number(slot.slice(1));
      if (slot.startsWith('n') && Number.isInteger(i) && i >= 0 && i < limit) held[i] = 1;
    }
    let count = 0;
    for (let i = 0; i < limit; i++) count += 1 - held[i]!;
    // A random sample of FREE_SAMPLE (reservoir sampling), then shuffled: picks take it in random order.
    const free = new Int32Array(Math.min(count, FREE_SAMPLE));
    let seen = 0;
    for (let i = 0; i < limit; i++) {
      if (held[i]) continue;
      if (seen < free.length) free[seen] = i;
      else {
        const j = randomInt(seen + 1);
        if (j < free.length) free[j] = i;
      }
      seen += 1;
    }
    for (let k = free.length - 1; k > 0; k--) {
      const j = randomInt(k + 1);
      [free[k], free[j]] = [free[j]!, free[k]!];
    }
    const list = { free, left: free.length, until: this.clock.nowMs() + FREE_LIST_MS };
    if (this.freeLists.size >= MAX_FREE_LISTS) this.freeLists.clear();
    this.freeLists.set(key, list);
    return list;
  }
}
