import { DynamicModule, Module } from '@nestjs/common';

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
    return { module: AutomationApiModule, imports: [], controllers: [], providers: [], exports: [] };
  }

  static forWorker(): DynamicModule {
    return { module: AutomationWorkerModule, imports: [], providers: [], exports: [] };
  }
}
