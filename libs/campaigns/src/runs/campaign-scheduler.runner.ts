import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '@wwb/config';
import { LeasedJob, LeasedJobService } from '@wwb/infrastructure';
import { AppLogger } from '@wwb/observability';
import { Clock } from '@wwb/runtime';
import { compileSchedule } from '../schedule';
import { ActiveCampaignRepository } from './active-campaign.repository';
import { CampaignRunRepository } from './campaign-run.repository';
import { RunStarterService } from './run-starter.service';

export const CAMPAIGN_SCHEDULER_LEASE = 'campaigns.scheduler';
export const CAMPAIGN_TICK_MS = 2_000;
const PAGE = 200;

export interface SchedulerResult {
  leader: boolean;
  started: string[];
  replanned: string[];
}

/**
 * Starts the runs that are due, on the worker holding the scheduler's Mongo lease (an
 * @nestjs/schedule interval ticks on every worker; a lease hand-over cannot start a run twice:
 * the run's unique id decides). For each active campaign, the schedule says which occurrence is
 * due after the last one started (the misfire policy decides what a downtime missed); the
 * occurrence is started, then the campaign's cursor moves to it. Manual runs (the API claims
 * them) are planned here too, and runs whose planning died are planned again.
 */
@Injectable()
export class CampaignSchedulerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly job: LeasedJob;
  /** CAMPAIGN_PLAN_STALE_MS: a run not planned this long after its claim is planned again. */
  private readonly planStaleMs: number;

  constructor(
    jobs: LeasedJobService,
    private readonly campaigns: ActiveCampaignRepository,
    private readonly runs: CampaignRunRepository,
    private readonly starter: RunStarterService,
    private readonly clock: Clock,
    config: AppConfig,
    appLogger: AppLogger,
  ) {
    this.logger = appLogger.child({ context: 'CampaignScheduler' });
    this.planStaleMs = config.messaging.campaignPlanStaleMs;
    this.job = jobs.create({
      name: CAMPAIGN_SCHEDULER_LEASE,
      intervalMs: CAMPAIGN_TICK_MS,
      // Longer than most plannings; one that outlives it may be planned twice, which the
      // unique recipient rows make harmless. Short enough that a dead holder is replaced soon.
      leaseMs: 20_000,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(() => this.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  async run(): Promise<SchedulerResult> {
    const result: SchedulerResult = { leader: false, started: [], replanned: [] };
    if (!(await this.job.lead())) return result;
    result.leader = true;
    await this.replanStale(result);
    let after: string | undefined;
    for (;;) {
      const page = await this.campaigns.active(after, PAGE);
      const cursors = await this.runs.cursorsOf(page.map((c) => c._id));
      for (const campaign of page) {
        try {
          const schedule = compileSchedule(campaign.schedule);
          for (const occurrence of schedule.due(cursors.get(campaign._id) ?? null, this.clock.now())) {
            const { run, started } = await this.starter.start(
              campaign,
              {
                kind: 'scheduled',
                at: occurrence,
                id: schedule.occurrenceId(occurrence),
              },
              this.renewal(),
            );
            await this.runs.setCursor(campaign._id, occurrence);
            if (started) result.started.push(run._id);
          }
        } catch (err) {
          // One campaign's trouble (its template deleted, a stored schedule that no longer
          // compiles) must not hold up the others; it is tried again at the next tick.
          this.logger.warn({ err, campaignId: campaign._id }, 'campaign not scheduled');
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!._id;
    }
    if (result.started.length || result.replanned.length) this.logger.info(result, 'campaign runs started');
    return result;
  }

  private async replanStale(result: SchedulerResult): Promise<void> {
    const stale = await this.runs.unplanned(new Date(this.clock.nowMs() - this.planStaleMs), 10);
    for (const run of stale) {
      const campaign = await this.campaigns.byId(run.campaignId);
      if (!campaign) {
        await this.runs.mark(run._id, 'planned', this.clock.now(), { targeted: 0, pending: 0, skipped: {} });
        await this.runs.mark(run._id, 'completed', this.clock.now());
        continue;
      }
      await this.starter.planAndDispatch(run, campaign, this.renewal());
      result.replanned.push(run._id);
    }
  }

  /** Renews the lease while a long planning runs (every 5 s at most: it is a write). */
  private renewal(): () => Promise<unknown> {
    let last = this.clock.nowMs();
    return async () => {
      if (this.clock.nowMs() - last < 5_000) return;
      last = this.clock.nowMs();
      await this.job.lead();
    };
  }
}
