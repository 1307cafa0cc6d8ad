import { DynamicModule, Module } from '@nestjs/common';

@Module({})
class TemplatesApiModule {}

@Module({})
class TemplatesWorkerModule {}

/**
 * Message templates rendered with a sandboxed Handlebars instance.
 * - `forApi()`: controllers and what they need;
 * - `forWorker()`: what the worker's automation consumer set needs.
 */
@Module({})
export class TemplatesModule {
  static forApi(): DynamicModule {
    return { module: TemplatesApiModule, imports: [], controllers: [], providers: [], exports: [] };
  }

  static forWorker(): DynamicModule {
    return { module: TemplatesWorkerModule, imports: [], providers: [], exports: [] };
  }
}
