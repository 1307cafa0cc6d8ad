import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '@wwb/accounts';
import { ContactsModule } from '@wwb/contacts';
import { TemplateAuthoringService } from './template-authoring.service';
import { TemplateEngine } from './template-engine.service';
import { TemplateReferenceRepository } from './template-reference.repository';
import { TemplateReferencesService } from './template-references.service';
import { TemplateRepository } from './template.repository';
import { TEMPLATE_MODELS } from './template.schema';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

const models = MongooseModule.forFeature(TEMPLATE_MODELS);

/** What both roles need: the engine, reading and rendering, references. */
const SHARED = [
  TemplateEngine,
  TemplateRepository,
  TemplateReferenceRepository,
  TemplatesService,
  TemplateReferencesService,
];
const EXPORTS = [TemplateEngine, TemplatesService, TemplateReferencesService];

@Module({})
class TemplatesApiModule {}

@Module({})
class TemplatesWorkerModule {}

/**
 * Message templates rendered with a sandboxed Handlebars instance (docs/templates.md).
 * - `forApi()`: /v1/templates (CRUD, validate, preview) and the shared services;
 * - `forWorker()`: TemplateEngine, TemplatesService (render) and TemplateReferencesService for
 *   the worker's automation (no plan limits there, so no accounts module).
 * Needs the global config, runtime, persistence and event-emitter modules (PlatformModule).
 */
@Module({})
export class TemplatesModule {
  static forApi(): DynamicModule {
    return {
      module: TemplatesApiModule,
      imports: [models, AccountsModule, ContactsModule.forWorker()],
      controllers: [TemplatesController],
      providers: [...SHARED, TemplateAuthoringService],
      exports: EXPORTS,
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: TemplatesWorkerModule,
      imports: [models, ContactsModule.forWorker()],
      providers: SHARED,
      exports: EXPORTS,
    };
  }
}
