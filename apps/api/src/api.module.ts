import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '@wwb/accounts';
import { AnalyticsModule } from '@wwb/analytics';
import { AutomationModule } from '@wwb/automation';
import { CampaignsModule } from '@wwb/campaigns';
import { AppConfig } from '@wwb/config';
import { ConnectionsModule } from '@wwb/connections';
import { ConsoleModule } from '@wwb/console';
import { ContactsModule } from '@wwb/contacts';
import { FaqBotsModule } from '@wwb/faq-bots';
import { HttpPlatformModule } from '@wwb/http';
import { MessagingModule } from '@wwb/messaging';
import { PlatformModule } from '@wwb/platform';
import { TemplatesModule } from '@wwb/templates';
import { WebhooksModule } from '@wwb/webhooks';

/** The API role: HTTP conventions and the domain modules with controllers. */
export const API_ROLE_MODULES = [
  HttpPlatformModule,
  AccountsModule,
  ConnectionsModule.withHttp(),
  MessagingModule.forApi(),
  WebhooksModule.forApi(),
  ContactsModule.forApi(),
  TemplatesModule.forApi(),
  AutomationModule.forApi(),
  FaqBotsModule.forApi(),
  CampaignsModule.forApi(),
  AnalyticsModule.forApi(),
  ConsoleModule,
];

/** The API process: shared infrastructure plus the API role. */
@Module({})
export class ApiModule {
  /** `config` overrides loading from the environment (tests, benchmarks). */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(config), ...API_ROLE_MODULES],
    };
  }
}
