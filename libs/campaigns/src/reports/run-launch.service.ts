import { Injectable } from '@nestjs/common';
import { AccountScope } from '@wwb/persistence';
import { Clock, DomainError, IdGenerator } from '@wwb/runtime';
import type { CampaignRecord } from '../definitions';
import { CampaignRunRepository } from '../runs/campaign-run.repository';
import type { CampaignRecipientRecord } from '../runs/campaign-run.schema';
import { PlanResult, RunPlannerService } from '../runs/run-planner.service';
import { runIdOf } from '../runs/run-starter.service';

/** Recent runs looked at for one still under way (run now allows one at a time). */
const RECENT_RUNS = 5;
export const DRY_RUN_SAMPLES = 20;

export interface DryRunResult extends PlanResult {
  samples: Omit<CampaignRecipientRecord, 'seq'>[];
}

/**
 * The API's run controls: run now (a manual run is claimed here and planned by the worker's
 * scheduler within seconds, like any run) and dry run (the audience, rendering and skips of a
 * run starting now, computed in the request and written nowhere).
 */
@Injectable()
export class RunLaunchService {
  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly planner: RunPlannerService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** Claims a manual run; 409 campaign_cancelled, or run_in_progress while another run is under way. */
  async runNow(scope: AccountScope, campaign: CampaignRecord): Promise<{ runId: string }> {
    if (campaign.state === 'cancelled') {
      throw DomainError.conflict('campaign_cancelled', 'The campaign is cancelled; it runs no more');
    }
    const recent = await this.runs.runsOf(scope.accountId, campaign._id, RECENT_RUNS);
    const ended = await Promise.all([
      this.runs.marked(
        recent.map((r) => r._id),
        'completed',
      ),
      this.runs.marked(
        recent.map((r) => r._id),
        'cancelled',
      ),
    ]);
    const busy = recent.find((r) => !ended[0].has(r._id) && !ended[1].has(r._id));
    if (busy) {
      throw DomainError.conflict(
        'run_in_progress',
        `Run ${busy._id} of this campaign is still under way; run it again once that one is done`,
        { runId: busy._id },
      );
    }
    const now = this.clock.now();
    const occurrenceId = `now${this.ids.ulid()}`;
    const runId = runIdOf(campaign._id, occurrenceId);
    await this.runs.claimRun({
      _id: runId,
      accountId: scope.accountId,
      campaignId: campaign._id,
      kind: 'manual',
      occurrence: now,
      occurrenceId,
      createdAt: now,
    });
    return { runId };
  }

  dryRun(campaign: CampaignRecord): Promise<DryRunResult> {
    return this.planner
      .preview(campaign, DRY_RUN_SAMPLES)
      .then(({ result, samples }) => ({ ...result, samples }));
  }
}
