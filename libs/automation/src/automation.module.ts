import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { AutomationPipelineModule } from './pipeline';
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
 * - `forApi()`: controllers and what they need;
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
        MongooseModule.forFeature([{ name: SIGNING_SECRET_MODEL, schema: SigningSecretSchema }]),
      ],
      controllers: [SigningSecretController],
      providers: [SigningSecretStore],
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
