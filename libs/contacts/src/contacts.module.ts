import { DynamicModule, Module } from '@nestjs/common';

@Module({})
class ContactsApiModule {}

@Module({})
class ContactsWorkerModule {}

/**
 * Contacts: the audience of every automation (phone, name, tags, attributes, time zone, opt-out).
 * - `forApi()`: controllers and what they need;
 * - `forWorker()`: what the worker's automation consumer set needs.
 */
@Module({})
export class ContactsModule {
  static forApi(): DynamicModule {
    return { module: ContactsApiModule, imports: [], controllers: [], providers: [], exports: [] };
  }

  static forWorker(): DynamicModule {
    return { module: ContactsWorkerModule, imports: [], providers: [], exports: [] };
  }
}
