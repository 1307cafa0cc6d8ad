import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { TemplatesModule } from '@wwb/templates';
import {
  CAMPAIGN_CURSOR_MODEL,
  CAMPAIGN_RUN_MARK_MODEL,
  CAMPAIGN_RUN_MODEL,
  CampaignCursorSchema,
  CampaignRunMarkSchema,
  CampaignRunSchema,
} from '../runs/campaign-run.schema';
import { CampaignDefinitionsService } from './campaign-definitions.service';
import { CampaignRevisionStore } from './campaign-revision.store';
import { CampaignRepository } from './campaign.repository';
import {
  CAMPAIGN_MODEL,
  CAMPAIGN_REVISION_CLAIM_MODEL,
  CampaignRevisionClaimSchema,
  CampaignSchema,
} from './campaign.schema';
import { CampaignsController } from './campaigns.controller';
import { SchedulePreviewService } from './schedule-preview.service';

/**
 * Campaign definitions: /v1/campaigns (create, read, change, pause, resume, cancel, delete) and
 * the schedule preview.
 * Reads the scheduler's cursors and the runs (written by the runs side) to show each campaign's
 * state, next run and last run. Needs the global config, runtime, observability and persistence modules.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CAMPAIGN_MODEL, schema: CampaignSchema },
      { name: CAMPAIGN_REVISION_CLAIM_MODEL, schema: CampaignRevisionClaimSchema },
      { name: CAMPAIGN_CURSOR_MODEL, schema: CampaignCursorSchema },
      { name: CAMPAIGN_RUN_MODEL, schema: CampaignRunSchema },
      { name: CAMPAIGN_RUN_MARK_MODEL, schema: CampaignRunMarkSchema },
    ]),
    AccountsModule,
    ConnectionsModule,
    TemplatesModule.forWorker(),
  ],
  controllers: [CampaignsController],
  providers: [CampaignRepository, CampaignRevisionStore, CampaignDefinitionsService, SchedulePreviewService],
  exports: [CampaignRepository, CampaignDefinitionsService],
})
export class CampaignDefinitionsModule {}
