import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { Clock } from '@wwb/runtime';

/** How a holder of numbered slots `n0` … `n<limit-1>` takes one; the store's unique key decides. */
export interface SlotProbe {
  /** Holds `slot` (a unique write): false when another holder has it. */
  tryTake(slot: string): Promise<boolean>;
  /** The slots held now, read when random probes keep missing. */
  held(): Promise<Iterable<string>>;
}

/** Random slots tried before reading which are free. */
const RANDOM_PROBES = 6;
/** Free slots tried after reading them (others may be taking them at the same moment). */
const FREE_PROBES = 6;
/** After a refusal, this process refuses the same key without a read for this long. */
export const FULL_MEMORY_MS = 1_000;
const MAX_FULL_REMEMBERED = 10_000;

/**
 * Picks a free numbered slot under a limit, for any store whose unique key makes two holders of
 * one slot impossible (quota_slots' `_id`, a message's held slot). While the key is well under its
 * limit a slot costs one write (a random slot); when random slots are taken, the held slots are
 * read once and free ones tried. A refusal is remembered for FULL_MEMORY_MS in this process, so a
 * caller hammering at its limit costs the store nothing more; `forget` ends that early when a
 * slot is given back here.
 */
@Injectable()
export class SlotPicker {
  private readonly fullUntil = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** True while a refusal of `key` is remembered (a caller may refuse before doing costly work). */
  isFull(key: string): boolean {
    return (this.fullUntil.get(key) ?? 0) > this.clock.nowMs();
  }

  /** The slot taken (`n<i>`), or null when all `limit` slots are held. */
  async pick(key: string, limit: number, probe: SlotProbe): Promise<string | null> {
    if (limit <= 0 || this.isFull(key)) return null;
    const tried = new Set<number>();
    const probes = Math.min(limit, RANDOM_PROBES);
    while (tried.size < probes) {
      const i = randomInt(limit);
      if (tried.has(i)) continue;
      tried.add(i);
      if (await probe.tryTake(`n${i}`)) return `n${i}`;
    }
    if (tried.size < limit) {
      // Most of what was tried is taken: read which slots are free rather than guess on.
      const taken = new Set(await probe.held());
      const free: number[] = [];
      for (let i = 0; i < limit; i++) if (!tried.has(i) && !taken.has(`n${i}`)) free.push(i);
      for (let n = 0; n < FREE_PROBES && free.length > 0; n++) {
        const [i] = free.splice(randomInt(free.length), 1);
        if (await probe.tryTake(`n${i!}`)) return `n${i!}`;
      }
    }
    if (this.fullUntil.size >= MAX_FULL_REMEMBERED) this.fullUntil.clear();
    this.fullUntil.set(key, this.clock.nowMs() + FULL_MEMORY_MS);
    return null;
  }

  /** A slot of `key` was given back in this process: the next pick tries again at once. */
  forget(key: string): void {
    this.fullUntil.delete(key);
  }
}
