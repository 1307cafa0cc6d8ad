import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeasedJob, LeasedJobService, QuotaSlotRepository } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { WebhookJobSlotsService } from './webhook-job-slots.service';

export const WEBHOOK_JOB_SLOTS_LEASE = 'webhooks.job-slots';
const PAGE = 200;
const MAX_PAGES = 5;

/**
 * On the worker holding a Mongo lease, every few job polls: frees the webhookJobs quota slots of
 * jobs that are done, so that the accounts' usage (GET /v1/account) and room follow their jobs.
 * Pages through the slots by `_id`, the position kept between runs.
 */
@Injectable()
export class WebhookJobSlotsRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job: LeasedJob;
  private after: string | undefined;

  constructor(
    jobs: LeasedJobService,
    private readonly slots: QuotaSlotRepository,
    private readonly jobSlots: WebhookJobSlotsService,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    const logger: Logger = appLogger.child({ context: 'WebhookJobSlotsRunner' });
    const intervalMs = Math.max(1_000, 3 * config.webhooks.jobPollMs);
    this.job = jobs.create({
      name: WEBHOOK_JOB_SLOTS_LEASE,
      intervalMs,
      leaseMs: Math.max(3 * intervalMs, 30_000),
      logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One run, if this node holds the lease: how many slots were freed. */
  async run(): Promise<number> {
    if (!(await this.job.lead())) return 0;
    let freed = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const held = await this.slots.takenBefore('webhookJobs', this.clock.now(), this.after, PAGE);
      this.after = held.length === PAGE ? held[held.length - 1]!._id : undefined;
      freed += await this.jobSlots.freeDone(held);
      if (this.after === undefined) break;
    }
    return freed;
  }
}
