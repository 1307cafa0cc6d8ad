import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { Clock, DomainError } from '@wwb/runtime';
import {
  ContactDto,
  ContactFilterQueryDto,
  ContactListQueryDto,
  ContactPageDto,
  CreateContactDto,
  ImportBodyDto,
  ImportResultDto,
  OptOutRequestDto,
  UpdateContactDto,
} from './contact.dto';
import { ContactCreateService } from './contact-create.service';
import { ContactExportService } from './contact-export.service';
import { ContactImportService } from './contact-import.service';
import { ContactsService } from './contacts.service';
import { CsvUploadStore, IMPORT_MAX_BYTES, importTooLarge, SavedUpload } from './csv-upload.store';

export const CONTACTS_IMPORT_PATH = '/v1/contacts/import';

/** Media types of the import body besides multipart: a raw CSV (charset UTF-8 or none). */
export const CSV_BODY_TYPE = /^text\/csv$/i;
const MULTIPART = /^multipart\/form-data$/i;

const mediaType = (header: string | undefined): string => (header ?? '').split(';', 1)[0]!.trim();
const isUtf8 = (header: string | undefined): boolean => {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header ?? '')?.[1];
  return !charset || /^utf-?8$/i.test(charset);
};

@ApiTags('contacts')
@ApiKeyAuth()
@Controller('v1/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly creator: ContactCreateService,
    private readonly importer: ContactImportService,
    private readonly exporter: ContactExportService,
    private readonly uploads: CsvUploadStore,
    private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a contact',
    description:
      'Errors: 400 invalid_phone, invalid_tag, too_many_tags, invalid_attribute, too_many_attributes, ' +
      'attributes_too_large, invalid_time_zone, invalid_language, invalid_name, validation_failed; ' +
      '403 plan_limit_exceeded; 409 contact_exists (details.id is the existing contact).',
  })
  @ApiCreatedResponse({ type: ContactDto })
  @ApiErrorResponses(400, 403, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateContactDto): Promise<ContactDto> {
    return this.creator.create(principal.scope, body);
  }

  @Get()
  @ApiOperation({
    summary: 'Contacts, newest first; filter by tags (all must match), name/phone prefix, opt-out',
  })
  @ApiOkResponse({ type: ContactPageDto })
  @ApiErrorResponses(400)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ContactListQueryDto,
  ): Promise<ContactPageDto> {
    const { tag, ...rest } = query;
    return this.contacts.list(principal.scope, { ...rest, ...(tag ? { tags: tag } : {}) });
  }

  @Get('export')
  @ApiOperation({
    summary: 'Export contacts as CSV (the import format; same filters as the list)',
    description: 'Columns: phone, name, tags (separated by ;), timeZone, language, optedOut, attr.<name>...',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV, streamed', schema: { type: 'string' } })
  @ApiErrorResponses(400)
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ContactFilterQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { tag, ...rest } = query;
    const csv = await this.exporter.export(principal.scope, { ...rest, ...(tag ? { tags: tag } : {}) });
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="contacts.csv"');
    // Once the first bytes are out, a failure can only cut the stream (pipeline destroys res).
    await pipeline(csv, res).catch(() => undefined);
  }

  @Post('import')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Import contacts from CSV (a text/csv body, or multipart/form-data with the field "file")',
    description:
      'Header line required, with a phone column; also name, tags, timeZone, language, optedOut; any other ' +
      'column (or attr.<name>) is an attribute. Rows are upserted by phone; bad rows are reported, good ones ' +
      "applied. A leading ' before =, +, -, @, tab or CR (the export's formula guard) is dropped. At most " +
      '100,000 rows and 50 MiB. Errors: 400 file_required, invalid_csv; 413 payload_too_large; ' +
      '415 unsupported_media_type (another body type, or a charset other than UTF-8).',
    requestBody: {
      required: true,
      content: {
        'text/csv': {
          schema: { type: 'string', example: 'phone,name,tags\n+34612345678,Lucía,vip;es\n' },
        },
        'multipart/form-data': { schema: { $ref: getSchemaPath(ImportBodyDto) } },
      },
    },
  })
  @ApiExtraModels(ImportBodyDto)
  @ApiOkResponse({ type: ImportResultDto })
  @ApiErrorResponses(400, 413, 415)
  async import(
    @CurrentPrincipal() principal: Principal,
    @UploadedFile() file: SavedUpload | undefined,
    @Req() req: Request,
  ): Promise<ImportResultDto> {
    const upload = file ?? (await this.saveBody(req));
    const stream = createReadStream(upload.path);
    try {
      return await this.importer.import(principal.scope, stream);
    } finally {
      stream.destroy();
      await this.uploads.discard(upload.path);
    }
  }

  /** A text/csv body saved like a multipart file; anything else has no CSV to import. */
  private async saveBody(req: Request): Promise<SavedUpload> {
    const type = req.headers['content-type'];
    const media = mediaType(type);
    if (CSV_BODY_TYPE.test(media) && isUtf8(type)) {
      if (Number(req.headers['content-length'] ?? 0) > IMPORT_MAX_BYTES) {
        req.resume();
        throw importTooLarge(IMPORT_MAX_BYTES);
      }
      return this.uploads.save(req, IMPORT_MAX_BYTES);
    }
    if (media === '' || MULTIPART.test(media)) {
      throw DomainError.invalid(
        'file_required',
        'send the CSV as a text/csv body or as the multipart field "file"',
      );
    }
    throw new DomainError(
      'unsupported',
      'unsupported_media_type',
      'The import reads a text/csv body (UTF-8) or multipart/form-data with the field "file"',
      { contentType: type ?? null },
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contact' })
  @ApiOkResponse({ type: ContactDto })
  @ApiErrorResponses(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ContactDto> {
    return this.contacts.get(principal.scope, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a contact',
    description:
      'tags replaces the tags, addTags/removeTags change them (not both ways at once: 400 conflicting_tag_changes); ' +
      'attributes are merged, a null value removes the key. Errors as POST, plus 404.',
  })
  @ApiOkResponse({ type: ContactDto })
  @ApiErrorResponses(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactDto> {
    return this.contacts.update(principal.scope, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a contact' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.contacts.delete(principal.scope, id);
  }

  @Post(':id/opt-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'Opt the contact out: no automated or campaign messages any more' })
  @ApiOkResponse({ type: ContactDto })
  @ApiErrorResponses(400, 404)
  optOut(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: OptOutRequestDto,
  ): Promise<ContactDto> {
    return this.contacts.setOptOut(principal.scope, id, {
      optedOut: true,
      reason: body.reason ?? '',
      source: 'api',
      at: this.clock.now(),
    });
  }

  @Post(':id/opt-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Opt the contact back in' })
  @ApiOkResponse({ type: ContactDto })
  @ApiErrorResponses(400, 404)
  optIn(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: OptOutRequestDto,
  ): Promise<ContactDto> {
    return this.contacts.setOptOut(principal.scope, id, {
      optedOut: false,
      reason: body.reason ?? '',
      source: 'api',
      at: this.clock.now(),
    });
  }
}
