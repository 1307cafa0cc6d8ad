import { Injectable } from '@nestjs/common';
import { AccountQuotaService } from '@wwb/accounts';
import { QuotaSlotRepository } from '@wwb/infrastructure';
import { AccountScope } from '@wwb/persistence';
import { DomainError } from '@wwb/runtime';
import { RECOVERY_HORIZON_MS } from '../delivery/delivery-state';
import { jobHolderId, WebhookJobKind } from './webhook-job-quota.policy';
import { WebhookJobSlotsService } from './webhook-job-slots.service';

/**
 * The plan limit webhookJobs: redelivery and replay jobs of an account not done yet, over every
 * API process. A job takes a quota slot before it is stored; the slot is freed once the job is
 * done (WebhookJobQuotaRunner on the worker, or here when the account is at its limit). At the
 * limit: 429 too_many_webhook_jobs (Retry-After), so that one account's replays cannot queue up
 * work in front of the others'.
 */
@Injectable()
export class WebhookJobQuotaService {
  constructor(
    private readonly quotas: AccountQuotaService,
    private readonly slots: QuotaSlotRepository,
    private readonly jobSlots: WebhookJobSlotsService,
  ) {}

  async acquire(scope: AccountScope, kind: WebhookJobKind, endpointId: string, jobId: string): Promise<void> {
    const holder = jobHolderId(kind, endpointId, jobId);
    // A job not run within the horizon is given up by the workers; so is its slot.
    const take = () => this.quotas.acquire(scope, 'webhookJobs', holder, { ttlMs: RECOVERY_HORIZON_MS });
    try {
      await take();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'too_many_webhook_jobs') throw err;
      // At the limit: jobs finished since the worker last looked may still hold slots.
      const freed = await this.jobSlots.freeDone(await this.slots.held(scope.accountId, 'webhookJobs'));
      if (freed === 0) throw err;
      await take();
    }
  }
}
