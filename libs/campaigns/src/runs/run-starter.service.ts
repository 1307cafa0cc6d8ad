import { Injectable } from '@nestjs/common';
import { CampaignDispatchCommandData, GATEWAY_COMMANDS } from '@wwb/contracts';
import { EventFactory, EventPublisher } from '@wwb/kafka';
import { Clock } from '@wwb/runtime';
import type { CampaignRecord } from '../definitions';
import { CampaignEventProducer } from './campaign-event.producer';
import { CampaignRunRepository } from './campaign-run.repository';
import type { CampaignRunRecord, RunKind } from './campaign-run.schema';
import { PlanResult, RunPlannerService } from './run-planner.service';

export interface StartedRun {
  run: CampaignRunRecord;
  /** False when the run existed already (another scheduler started it). */
  started: boolean;
}

/**
 * Starts a run of a campaign: claims it (the unique insert of its id, runIdOf),
 * plans it, then hands each connection its share through Kafka (`gateway.campaign.dispatch`,
 * keyed by the connection, so the gateway running it paces its sends) and marks it `planned`.
 * The handing out comes before the mark: a planner that dies in between leaves a run the
 * scheduler plans again, which inserts nothing twice and re-sends commands the gateways treat
 * as the same.
 */
@Injectable()
export class RunStarterService {
  constructor(
    private readonly runs: CampaignRunRepository,
    private readonly planner: RunPlannerService,
    private readonly commands: EventFactory,
    private readonly publisher: EventPublisher,
    private readonly events: CampaignEventProducer,
    private readonly clock: Clock,
  ) {}

  async start(
    campaign: CampaignRecord,
    occurrence: { kind: RunKind; at: Date; id: string },
    heartbeat?: () => Promise<unknown>,
  ): Promise<StartedRun> {
    const run: CampaignRunRecord = {
      _id: runIdOf(campaign._id, occurrence.id),
      accountId: campaign.accountId,
      campaignId: campaign._id,
      kind: occurrence.kind,
      occurrence: occurrence.at,
      occurrenceId: occurrence.id,
      createdAt: this.clock.now(),
    };
    if (!(await this.runs.claimRun(run))) return { run, started: false };
    await this.planAndDispatch(run, campaign, heartbeat);
    return { run, started: true };
  }

  /** Plans a claimed run and hands it out (again, if a planner died on it). */
  async planAndDispatch(
    run: CampaignRunRecord,
    campaign: CampaignRecord,
    heartbeat?: () => Promise<unknown>,
  ): Promise<PlanResult> {
    const result = await this.planner.plan(run, campaign, heartbeat);
    for (const connectionId of result.connections) {
      await this.runs.insertDispatch({
        _id: `${run._id}/${connectionId}`,
        accountId: run.accountId,
        campaignId: run.campaignId,
        runId: run._id,
        connectionId,
        createdAt: this.clock.now(),
      });
      const data: CampaignDispatchCommandData = { campaignId: run.campaignId, runId: run._id };
      await this.publisher.publish(
        this.commands.create({
          type: GATEWAY_COMMANDS.campaignDispatch,
          accountId: run.accountId,
          connectionId,
          data,
        }),
        { topic: 'commands' },
      );
    }
    // Published before the mark: a planner that dies in between publishes it again (at least once).
    await this.events.runStarted(run.accountId, {
      campaignId: run.campaignId,
      runId: run._id,
      kind: run.kind,
      occurrence: run.occurrence.toISOString(),
      targeted: result.targeted,
      pending: result.pending,
      skipped: result.skipped,
    });
    const now = this.clock.now();
    await this.runs.mark(run._id, 'planned', now, {
      targeted: result.targeted,
      pending: result.pending,
      skipped: result.skipped,
      connections: result.connections,
    });
    if (result.pending === 0 && (await this.runs.mark(run._id, 'completed', now))) {
      await this.events.runCompleted(run.accountId, {
        campaignId: run.campaignId,
        runId: run._id,
        outcome: 'completed',
        completedAt: now.toISOString(),
      });
    }
    return result;
  }
}

/** A run's id: the campaign and the occurrence, URL-safe (`cmp_..._20261224T0900`), the same on every node. */
export function runIdOf(campaignId: string, occurrenceId: string): string {
  return `${campaignId}_${occurrenceId.replace(/[^0-9A-Za-z]/g, '')}`;
}
