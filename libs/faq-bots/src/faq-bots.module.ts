import { DynamicModule, Module } from '@nestjs/common';

@Module({})
class FaqBotsApiModule {}

@Module({})
class FaqBotsWorkerModule {}

/**
 * FAQ bots: entries, scored multilingual matching, misses and hand-offs.
 * - `forApi()`: controllers and what they need;
 * - `forWorker()`: what the worker's automation consumer set needs.
 */
@Module({})
export class FaqBotsModule {
  static forApi(): DynamicModule {
    return { module: FaqBotsApiModule, imports: [], controllers: [], providers: [], exports: [] };
  }

  static forWorker(): DynamicModule {
    return { module: FaqBotsWorkerModule, imports: [], providers: [], exports: [] };
  }
}
