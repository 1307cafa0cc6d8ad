import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { TemplatesModule } from '@wwb/templates';
import { FaqBotEditorService } from './faq-bot-editor.service';
import { FaqBotEntriesController } from './faq-bot-entries.controller';
import { FaqBotRepository } from './faq-bot.repository';
import {
  FAQ_BOT_MODEL,
  FAQ_ENTRY_MODEL,
  FAQ_OUTCOME_MODEL,
  FAQ_REVISION_MODEL,
  FaqBotSchema,
  FaqEntrySchema,
  FaqOutcomeSchema,
  FaqRevisionSchema,
} from './faq-bot.schema';
import { FaqBotsController } from './faq-bots.controller';
import { FaqBotsService } from './faq-bots.service';
import { FaqIndexStore } from './faq-index.store';
import { FaqOutcomeRepository } from './faq-outcome.repository';
import { FaqServingStore } from './faq-serving.store';

const models = MongooseModule.forFeature([
  { name: FAQ_BOT_MODEL, schema: FaqBotSchema },
  { name: FAQ_ENTRY_MODEL, schema: FaqEntrySchema },
  { name: FAQ_REVISION_MODEL, schema: FaqRevisionSchema },
  { name: FAQ_OUTCOME_MODEL, schema: FaqOutcomeSchema },
]);

const core = [FaqBotRepository, FaqOutcomeRepository, FaqIndexStore, FaqServingStore, FaqBotsService];

@Module({})
class FaqBotsApiModule {}

@Module({})
class FaqBotsWorkerModule {}

/**
 * FAQ bots: entries, scored multilingual matching, misses and hand-offs (docs/faq-bots.md).
 * - `forApi()`: /v1/faq-bots (bots, entries, ask, report);
 * - `forWorker()`: FaqBotsService for the automation consumer (botsServing, ask, recordOutcome).
 * Needs the global config, runtime, observability and persistence modules.
 */
@Module({})
export class FaqBotsModule {
  static forApi(): DynamicModule {
    return {
      module: FaqBotsApiModule,
      imports: [models, AccountsModule, ConnectionsModule, TemplatesModule.forWorker()],
      controllers: [FaqBotsController, FaqBotEntriesController],
      providers: [...core, FaqBotEditorService],
      exports: [FaqBotsService],
    };
  }

  static forWorker(): DynamicModule {
    return { module: FaqBotsWorkerModule, imports: [models], providers: core, exports: [FaqBotsService] };
  }
}
