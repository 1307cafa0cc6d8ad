import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ContactsModule } from '@wwb/contacts';
import { GatewayModule } from '@wwb/gateway';
import { LeasedJobsModule } from '@wwb/infrastructure';
import { MessagingModule } from '@wwb/messaging';
import { TemplatesModule } from '@wwb/templates';
import { ConnectionsModule } from '@wwb/connections';
import { allowMultipartBody, allowStreamBody } from '@wwb/http';
import {
  BULK_CSV_TYPE,
  BULK_PATH,
  BULK_ROW_MODEL,
  BulkRowRepository,
  BulkRowSchema,
  BulkSendService,
  BulkSendsController,
} from './bulk';
import { CAMPAIGN_MODEL, CampaignDefinitionsModule, CampaignSchema } from './definitions';
import { CampaignRunsController, RunLaunchService, RunProgressStream, RunReportService } from './reports';
import {
  CampaignDispatchRegistrar,
  CampaignDispatchRunner,
  ConnectionPacerRepository,
  DispatchStepService,
} from './dispatch';
import {
  ActiveCampaignRepository,
  CAMPAIGN_CURSOR_MODEL,
  CAMPAIGN_DISPATCH_MODEL,
  CAMPAIGN_RECIPIENT_MODEL,
  CAMPAIGN_RUN_MARK_MODEL,
  CAMPAIGN_RUN_MODEL,
  CAMPAIGN_SEND_MODEL,
  CampaignCursorSchema,
  CampaignDispatchSchema,
  CampaignEventProducer,
  CampaignRecipientSchema,
  CampaignRunMarkSchema,
  CampaignRunRepository,
  CampaignRunSchema,
  CampaignSchedulerRunner,
  CampaignSendRepository,
  CampaignSendSchema,
  CONNECTION_PACER_MODEL,
  ConnectionPacerSchema,
  RunPlannerService,
  RunStarterService,
} from './runs';

/** Every collection of campaigns (mongoose model name and schema). */
export const CAMPAIGN_MODELS = [
  { name: CAMPAIGN_MODEL, schema: CampaignSchema },
  { name: CAMPAIGN_RUN_MODEL, schema: CampaignRunSchema },
  { name: CAMPAIGN_RUN_MARK_MODEL, schema: CampaignRunMarkSchema },
  { name: CAMPAIGN_RECIPIENT_MODEL, schema: CampaignRecipientSchema },
  { name: CAMPAIGN_SEND_MODEL, schema: CampaignSendSchema },
  { name: CAMPAIGN_DISPATCH_MODEL, schema: CampaignDispatchSchema },
  { name: CONNECTION_PACER_MODEL, schema: ConnectionPacerSchema },
  { name: CAMPAIGN_CURSOR_MODEL, schema: CampaignCursorSchema },
  { name: BULK_ROW_MODEL, schema: BulkRowSchema },
];
const models = MongooseModule.forFeature(CAMPAIGN_MODELS);

/** Runs: claiming, planning and handing out (worker), and their reads (API). */
const RUN_PROVIDERS = [
  ActiveCampaignRepository,
  CampaignRunRepository,
  CampaignSendRepository,
  CampaignEventProducer,
  BulkRowRepository,
];

@Module({})
class CampaignsApiModule {}

@Module({})
class CampaignsWorkerModule {}

@Module({})
class CampaignsGatewayModule {}

/**
 * Campaigns (issue 10): recurring and one-off sends of a template to an audience, paced per
 * connection. Composed per process role:
 * - `forApi()`: /v1/campaigns (definitions, runs and their reports);
 * - `forWorker()`: the scheduler (one node at a time, Mongo lease) that claims due runs, plans
 *   them (audience, rendering, one row per recipient) and hands each connection its share
 *   through Kafka;
 * - `forGateway()`: the paced dispatch of the shares of the connections running on the gateway,
 *   through SendMessageUseCase (import it in the gateway role only: it imports GatewayModule).
 */
@Module({})
export class CampaignsModule {
  static forApi(): DynamicModule {
    allowMultipartBody(BULK_PATH);
    allowStreamBody(BULK_PATH, BULK_CSV_TYPE);
    return {
      module: CampaignsApiModule,
      imports: [
        models,
        AccountsModule,
        CampaignDefinitionsModule,
        ContactsModule.forWorker(),
        TemplatesModule.forWorker(),
        MessagingModule.outcomes(),
        ConnectionsModule,
      ],
      controllers: [CampaignRunsController, BulkSendsController],
      providers: [
        ...RUN_PROVIDERS,
        RunPlannerService,
        RunLaunchService,
        RunReportService,
        RunProgressStream,
        BulkSendService,
      ],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: CampaignsWorkerModule,
      imports: [models, LeasedJobsModule, ContactsModule.forWorker(), TemplatesModule.forWorker()],
      providers: [...RUN_PROVIDERS, RunPlannerService, RunStarterService, CampaignSchedulerRunner],
      exports: [CampaignSchedulerRunner, RunStarterService],
    };
  }

  static forGateway(): DynamicModule {
    return {
      module: CampaignsGatewayModule,
      imports: [models, GatewayModule, MessagingModule.sending(), MessagingModule.outcomes()],
      providers: [
        ...RUN_PROVIDERS,
        ConnectionPacerRepository,
        DispatchStepService,
        CampaignDispatchRunner,
        CampaignDispatchRegistrar,
      ],
      exports: [CampaignDispatchRunner, DispatchStepService],
    };
  }
}
