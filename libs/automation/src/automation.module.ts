import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ConnectionsModule } from '@wwb/connections';
import { ChatHandoffController, ChatHandoffRequestsService } from './handoff';
import { AutomationPipelineModule } from './pipeline';
import { CHAT_STATE_MODEL, ChatStateSchema } from './pipeline/chat-state.schema';
import { ChatStateStore } from './pipeline/chat-state.store';
import { SIGNING_SECRET_MODEL, SigningSecretSchema } from './pipeline/signing-secret.schema';
import { SigningSecretController } from './pipeline/signing-secret.controller';
import { SigningSecretStore } from './pipeline/signing-secret.store';
import { RulesModule } from './rules';

@Module({})
class AutomationApiModule {}

@Module({})
class AutomationWorkerModule {}

/**
 * Auto-reply rules and the inbound pipeline (contacts, opt-outs, rules, FAQ bots) run by the worker.
 * - `forApi()`: controllers and what they need (hand-offs are published for the worker to apply,
 *   the chat states only read);
 * - `forWorker()`: what the worker's automation consumer set needs.
 */
@Module({})
export class AutomationModule {
  static forApi(): DynamicModule {
    return {
      module: AutomationApiModule,
      imports: [
        RulesModule.withHttp(),
        AccountsModule,
        ConnectionsModule,
        MongooseModule.forFeature([
          { name: SIGNING_SECRET_MODEL, schema: SigningSecretSchema },
          { name: CHAT_STATE_MODEL, schema: ChatStateSchema },
        ]),
      ],
      controllers: [SigningSecretController, ChatHandoffController],
      providers: [SigningSecretStore, ChatStateStore, ChatHandoffRequestsService],
      exports: [],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: AutomationWorkerModule,
      imports: [AutomationPipelineModule],
      providers: [],
      exports: [],
    };
  }
}
