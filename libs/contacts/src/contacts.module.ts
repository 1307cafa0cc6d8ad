import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MulterModule } from '@nestjs/platform-express';
import { AccountsModule } from '@wwb/accounts';
import { allowMultipartBody, allowStreamBody } from '@wwb/http';
import { ContactCreateService } from './contact-create.service';
import { ContactExportService } from './contact-export.service';
import { ContactImportService } from './contact-import.service';
import { ContactQuotaService } from './contact-quota.service';
import { ContactAudienceService } from './contact-audience.service';
import { ContactRepository } from './contact.repository';
import {
  ContactActivityDoc,
  ContactActivitySchema,
  ContactDoc,
  ContactPhoneKeyDoc,
  ContactPhoneKeySchema,
  ContactSchema,
} from './contact.schema';
import { CONTACTS_IMPORT_PATH, ContactsController, CSV_BODY_TYPE } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { CsvUploadStore, IMPORT_MAX_BYTES, IMPORT_UPLOAD_DIR } from './csv-upload.store';
import { OptOutPolicy } from './opt-out.policy';

export { IMPORT_MAX_BYTES } from './csv-upload.store';

const models = MongooseModule.forFeature([
  { name: ContactDoc.name, schema: ContactSchema },
  { name: ContactActivityDoc.name, schema: ContactActivitySchema },
  { name: ContactPhoneKeyDoc.name, schema: ContactPhoneKeySchema },
]);

/** The CSV goes to a temporary file, then is parsed as a stream from there (bounded memory). */
const multer = MulterModule.register({
  dest: IMPORT_UPLOAD_DIR,
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
});

@Module({})
class ContactsApiModule {}

@Module({})
class ContactsWorkerModule {}

/**
 * Contacts: the audience of every automation (phone, name, tags, attributes, time zone, opt-out).
 * - `forApi()`: /v1/contacts (CRUD, opt-out, CSV import and export);
 * - `forWorker()`: ContactsService (recordInbound, tags, opt-out) and OptOutPolicy for the
 *   worker's inbound pipeline. Contacts created from inbound messages are not held to the plan's
 *   limit, so the worker does not need the accounts module.
 */
@Module({})
export class ContactsModule {
  static forApi(): DynamicModule {
    allowMultipartBody(CONTACTS_IMPORT_PATH);
    allowStreamBody(CONTACTS_IMPORT_PATH, CSV_BODY_TYPE);
    return {
      module: ContactsApiModule,
      imports: [models, multer, AccountsModule],
      controllers: [ContactsController],
      providers: [
        ContactRepository,
        ContactsService,
        ContactQuotaService,
        ContactCreateService,
        ContactImportService,
        ContactExportService,
        CsvUploadStore,
        OptOutPolicy,
        ContactAudienceService,
      ],
      exports: [ContactsService, OptOutPolicy, ContactAudienceService],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: ContactsWorkerModule,
      imports: [models],
      providers: [ContactRepository, ContactsService, OptOutPolicy, ContactAudienceService],
      exports: [ContactsService, OptOutPolicy, ContactAudienceService],
    };
  }
}
