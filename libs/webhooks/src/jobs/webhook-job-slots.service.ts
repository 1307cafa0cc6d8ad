import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';
import { QuotaSlotRecord, QuotaSlotRepository } from '@wwb/infrastructure';
import { scopeOf } from '@wwb/persistence';
import { Clock } from '@wwb/runtime';
import { RECOVERY_HORIZON_MS } from '../delivery/delivery-state';
import { parseJobHolderId, webhookJobDone } from './webhook-job-quota.policy';
import { WebhookJobRepository } from './webhook-job.repository';

/** A slot whose job cannot be found is left alone this long (the job is stored just after its slot is taken). */
const MISSING_JOB_GRACE_MS = 60_000;

/**
 * Frees the webhookJobs quota slots (plan limit, see @wwb/accounts) of jobs that are done,
 * given up (older than the recovery horizon) or were never stored. Used by the API when an
 * account is at its limit, and by the worker's WebhookJobQuotaRunner so that GET /v1/account
 * counts only jobs not done yet.
 */
@Injectable()
export class WebhookJobSlotsService {
  private readonly partitions: number;

  constructor(
    private readonly slots: QuotaSlotRepository,
    private readonly jobs: WebhookJobRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.partitions = config.kafka.topics.events.partitions;
  }

  /** Frees the slots among `held` whose job is done; how many were freed. */
  async freeDone(held: QuotaSlotRecord[]): Promise<number> {
    const parsed = held
      .map((slot) => ({ slot, job: parseJobHolderId(slot.holderId) }))
      .filter((x): x is { slot: QuotaSlotRecord; job: NonNullable<typeof x.job> } => !!x.job);
    if (parsed.length === 0) return 0;
    const done = new Map<string, number>();
    for (const p of await this.jobs.progressOf(parsed.map((x) => x.job.jobId)))
      done.set(p.jobId, (done.get(p.jobId) ?? 0) + 1);
    const now = this.clock.nowMs();
    let freed = 0;
    for (const { slot, job } of parsed) {
      const ageMs = now - slot.takenAt.getTime();
      const finished = webhookJobDone({
        kind: job.kind,
        partitionsDone: done.get(job.jobId) ?? 0,
        partitions: this.partitions,
        ageMs,
        horizonMs: RECOVERY_HORIZON_MS,
      });
      const lost =
        !finished &&
        ageMs > MISSING_JOB_GRACE_MS &&
        !(await this.jobs.get(scopeOf(slot.accountId), job.endpointId, job.jobId));
      if ((finished || lost) && (await this.slots.remove(slot))) freed += 1;
    }
    return freed;
  }
}
