import { Injectable } from '@nestjs/common';
import { QuotaSlotRepository, UsageCounterRepository } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { PlanSlotRepository, Usage } from './plan-slot.repository';
import type { ConcurrentResource } from './plan.value-object';

/** What an account uses of each limited resource except contacts (counted by @wwb/contacts on demand). */
export type AccountUsage = Usage & Record<ConcurrentResource | 'mediaBytes', number>;

const CONCURRENT: readonly ConcurrentResource[] = [
  'pendingMessages',
  'sseStreams',
  'webhookJobs',
  'mediaFetches',
  'scheduledMessages',
  'bulkJobs',
];

/**
 * Usage as GET /v1/account and the operator views show it: plan slots (keys, connections, ...),
 * quota slots (pending messages, streams, jobs, fetches in flight) and the stored-media byte
 * counter. Not a hot path (the account view is cached): the slot counts are aggregations, which
 * MongoDB serves from the `accountId` indexes and FerretDB by a scan of the slot collections.
 */
@Injectable()
export class AccountUsageService {
  constructor(
    private readonly planSlots: PlanSlotRepository,
    private readonly quotaSlots: QuotaSlotRepository,
    private readonly counters: UsageCounterRepository,
  ) {}

  async of(scope: AccountScope): Promise<AccountUsage> {
    return (await this.ofMany([scope.accountId])).get(scope.accountId)!;
  }

  async ofMany(accountIds: string[]): Promise<Map<string, AccountUsage>> {
    const [slotted, held, bytes] = await Promise.all([
      this.planSlots.usageOf(accountIds),
      this.quotaSlots.usageOf(accountIds),
      this.counters.getMany(accountIds, 'mediaBytes'),
    ]);
    const out = new Map<string, AccountUsage>();
    for (const id of accountIds) {
      const usage = { ...slotted.get(id)!, mediaBytes: Math.max(0, bytes.get(id) ?? 0) } as AccountUsage;
      for (const r of CONCURRENT) usage[r] = held.get(id)?.[r] ?? 0;
      out.set(id, usage);
    }
    return out;
  }

  /** A new account: nothing used. */
  static none(): AccountUsage {
    return {
      apiKeys: 0,
      connections: 0,
      webhooks: 0,
      templates: 0,
      autoReplies: 0,
      faqBots: 0,
      campaigns: 0,
      users: 0,
      pendingMessages: 0,
      mediaBytes: 0,
      sseStreams: 0,
      webhookJobs: 0,
      mediaFetches: 0,
      scheduledMessages: 0,
      bulkJobs: 0,
    };
  }
}
