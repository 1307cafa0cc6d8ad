import { Injectable } from '@nestjs/common';
import { fitsStoredBytes, mediaBytesExceeded, quotaExceeded } from '@wwb/accounts';
import { AppConfig } from '@wwb/config';
import { QuotaSlotRepository, UsageCounterRepository } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { MEDIA_BYTES } from '../media';

/** The limits of the account's plan that a send is checked against (`null` = unlimited). */
export interface SendQuota {
  plan: string;
  pendingMessages: number | null;
  mediaFetches: number | null;
  mediaBytes: number | null;
  /** Checked when a message is scheduled (absent: counted, never refused). */
  scheduledMessages?: number | null;
}

/** A media fetch's slot outlives MEDIA_URL_TIMEOUT_MS by this much before the reaper may free it. */
const FETCH_SLOT_MARGIN_MS = 30_000;

/**
 * The per-account limits a send is held to, over every API process (quota slots and the media
 * byte counter of @wwb/infrastructure; the pendingMessages slot is held on the message itself,
 * see OutboundMessageRepository.insertHolding). Without a quota (automated replies) everything
 * is counted, nothing refused.
 */
@Injectable()
export class SendQuotaService {
  private readonly fetchSlotTtlMs: number;

  constructor(
    private readonly slots: QuotaSlotRepository,
    private readonly counters: UsageCounterRepository,
    config: AppConfig,
  ) {
    this.fetchSlotTtlMs = config.media.urlTimeoutMs + FETCH_SLOT_MARGIN_MS;
  }

  /**
   * The scheduledMessages slot of message `id`, held until it is sent, failed or cancelled; 429
   * too_many_scheduled_messages when the account holds its plan's limit.
   */
  async takeScheduledSlot(scope: AccountScope, id: string, quota?: SendQuota): Promise<string> {
    const slot = { accountId: scope.accountId, resource: 'scheduledMessages', holderId: id };
    const limit = quota?.scheduledMessages;
    if (!quota || limit === undefined) return this.slots.takeUncapped(slot);
    const taken = await this.slots.take({ ...slot, limit });
    if (!taken) throw quotaExceeded('scheduledMessages', quota.plan, limit ?? 0);
    return taken;
  }

  /** Gives back a scheduledMessages slot (idempotent). */
  async releaseScheduledSlot(slotId: string, id: string): Promise<void> {
    await this.slots.release(slotId, id);
  }

  /**
   * Runs `fetch` holding a mediaFetches slot (429 too_many_media_fetches at the limit). The slot
   * expires on its own if this process dies mid-fetch (the reaper frees it).
   */
  async whileFetching<T>(
    scope: AccountScope,
    id: string,
    quota: SendQuota | undefined,
    fetch: () => Promise<T>,
  ) {
    const slot = {
      accountId: scope.accountId,
      resource: 'mediaFetches',
      holderId: id,
      ttlMs: this.fetchSlotTtlMs,
    };
    const held = quota
      ? await this.slots.take({ ...slot, limit: quota.mediaFetches })
      : await this.slots.takeUncapped(slot);
    if (!held) throw quotaExceeded('mediaFetches', quota!.plan, quota!.mediaFetches ?? 0);
    try {
      return await fetch();
    } finally {
      // A slot not given back now is freed by the reaper once it expires.
      await this.slots.release(held, id).catch(() => undefined);
    }
  }

  /** 403 plan_limit_exceeded when storing `size` more bytes would pass the plan's mediaBytes. */
  async checkStoredBytes(scope: AccountScope, size: number, quota?: SendQuota): Promise<void> {
    if (!quota || quota.mediaBytes === null) return;
    const used = await this.counters.get(scope.accountId, MEDIA_BYTES);
    if (!fitsStoredBytes(quota.mediaBytes, used, size))
      throw mediaBytesExceeded(quota.plan, quota.mediaBytes, used, size);
  }
}
