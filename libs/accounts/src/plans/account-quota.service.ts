import { Injectable } from '@nestjs/common';
import { QuotaSlotRepository, UsageCounterRepository } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { AccountsService } from '../accounts.service';
import type { ConcurrentResource, Plan } from './plan.value-object';
import { fitsStoredBytes, mediaBytesExceeded, quotaExceeded } from './quota.policy';

/** Something held under a quota: give it back with release() (idempotent). */
export interface QuotaHold {
  readonly slotId: string;
  readonly holderId: string;
}

/**
 * The per-account limits of things held for a while and of stored media bytes, over every
 * process (quota slots and usage counters in MongoDB, see @wwb/infrastructure quotas):
 * - acquire(): a unit of sseStreams, webhookJobs or mediaFetches, or a DomainError
 *   `limit_reached` (429 too_many_*; details {resource, plan, limit}); a pending message holds
 *   its pendingMessages slot on itself (@wwb/messaging);
 * - checkMediaBytes(): 403 plan_limit_exceeded when storing more would pass mediaBytes.
 * The account's plan comes from AccountsService.planOf() (cached for API_KEY_CACHE_TTL_MS).
 */
@Injectable()
export class AccountQuotaService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly slots: QuotaSlotRepository,
    private readonly counters: UsageCounterRepository,
  ) {}

  planOf(scope: AccountScope): Promise<Plan> {
    return this.accounts.planOf(scope);
  }

  /** Takes one unit of `resource` for `holderId`; `ttlMs` makes it a registration to renew. */
  async acquire(
    scope: AccountScope,
    resource: ConcurrentResource,
    holderId: string,
    opts: { ttlMs?: number } = {},
  ): Promise<QuotaHold> {
    const plan = await this.accounts.planOf(scope);
    const limit = plan.limit(resource);
    const slotId = await this.slots.take({
      accountId: scope.accountId,
      resource,
      limit,
      holderId,
      ...(opts.ttlMs !== undefined ? { ttlMs: opts.ttlMs } : {}),
    });
    if (slotId === null) throw quotaExceeded(resource, plan.name, limit ?? 0);
    this.accounts.forgetUsage(scope);
    return { slotId, holderId };
  }

  async release(scope: AccountScope, hold: QuotaHold): Promise<void> {
    await this.slots.release(hold.slotId, hold.holderId);
    this.accounts.forgetUsage(scope);
  }

  /** Extends a registration; false when it lapsed and was reaped (take a new one or stop). */
  renew(hold: QuotaHold, ttlMs: number): Promise<boolean> {
    return this.slots.renew(hold.slotId, hold.holderId, ttlMs);
  }

  /** Throws 403 plan_limit_exceeded when `adding` bytes more would pass the plan's mediaBytes. */
  async checkMediaBytes(scope: AccountScope, adding: number): Promise<void> {
    const plan = await this.accounts.planOf(scope);
    const limit = plan.limit('mediaBytes');
    if (limit === null) return;
    const used = await this.counters.get(scope.accountId, 'mediaBytes');
    if (!fitsStoredBytes(limit, used, adding)) throw mediaBytesExceeded(plan.name, limit, used, adding);
  }
}
