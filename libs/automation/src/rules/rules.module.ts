import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { ContactsModule } from '@wwb/contacts';
import { FaqBotsModule } from '@wwb/faq-bots';
import { TemplatesModule } from '@wwb/templates';
import { AutoRepliesController } from './auto-replies.controller';
import { AutoRepliesService } from './auto-replies.service';
import { AutoReplyDryRunService } from './dry-run';
import { RuleCacheStore } from './rule-cache.store';
import { RuleReferencesService } from './rule-references.service';
import { RuleRepository } from './rule.repository';
import {
  AUTO_REPLY_MODEL,
  AUTO_REPLY_REVISION_MODEL,
  AutoReplyRevisionSchema,
  AutoReplySchema,
} from './rule.schema';
import { RulesService } from './rules.service';

@Module({})
class RulesHttpModule {}

/**
 * Auto-reply rules. `RulesModule` itself has no controllers: their storage and `RulesService`
 * (compiled rules per account, cached) for the worker's pipeline. The API imports
 * `RulesModule.withHttp()`: /v1/auto-replies (CRUD and the dry run).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AUTO_REPLY_MODEL, schema: AutoReplySchema },
      { name: AUTO_REPLY_REVISION_MODEL, schema: AutoReplyRevisionSchema },
    ]),
  ],
  providers: [RuleRepository, RuleCacheStore, RulesService],
  exports: [RuleRepository, RulesService],
})
export class RulesModule {
  static withHttp(): DynamicModule {
    return {
      module: RulesHttpModule,
      imports: [
        RulesModule,
        AccountsModule,
        ConnectionsModule,
        TemplatesModule.forWorker(),
        ContactsModule.forWorker(),
        FaqBotsModule.forWorker(),
      ],
      controllers: [AutoRepliesController],
      providers: [AutoRepliesService, RuleReferencesService, AutoReplyDryRunService],
      exports: [AutoRepliesService],
    };
  }
}
