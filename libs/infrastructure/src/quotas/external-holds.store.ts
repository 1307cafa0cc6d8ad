import { Injectable } from '@nestjs/common';

/** How many slots of one resource each account holds on documents of its own (by account id). */
export type HeldCount = (accountIds: string[]) => Promise<Map<string, number>>;

/**
 * Resources whose slots are held on another collection's documents rather than in quota_slots
 * (a pending message holds its slot on the message itself: one write instead of two). The lib
 * that owns those documents registers how to count them at start-up; QuotaSlotRepository.usageOf
 * adds them, so usage shows every slot wherever it is held.
 */
@Injectable()
export class ExternalHoldsStore {
  private readonly counts = new Map<string, HeldCount>();

  register(resource: string, count: HeldCount): void {
    this.counts.set(resource, count);
  }

  /** Per account, the slots held elsewhere of each registered resource. */
  async usageOf(accountIds: string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(accountIds.map((id) => [id, {}]));
    if (accountIds.length === 0) return out;
    await Promise.all(
      [...this.counts].map(async ([resource, count]) => {
        for (const [accountId, n] of await count(accountIds)) {
          const usage = out.get(accountId);
          if (usage) usage[resource] = (usage[resource] ?? 0) + n;
        }
      }),
    );
    return out;
  }
}
