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
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
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

export const CONTACTS_IMPORT_PATH = '/v1/contacts/import';

/** The part of multer's file (disk storage) the import reads. */
interface UploadedCsv {
  path: string;
  size: number;
}

@ApiTags('contacts')
@ApiKeyAuth()
@Controller('v1/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly creator: ContactCreateService,
    private readonly importer: ContactImportService,
    private readonly exporter: ContactExportService,
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
    summary: 'Import contacts from CSV (multipart/form-data, field "file")',
    description:
      'Header line required, with a phone column; also name, tags, timeZone, language, optedOut; any other ' +
      'column (or attr.<name>) is an attribute. Rows are upserted by phone; bad rows are reported, good ones ' +
      'applied. At most 100,000 rows. Errors: 400 file_required, invalid_csv; 413 payload_too_large.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportBodyDto })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiErrorResponses(400, 413)
  async import(
    @CurrentPrincipal() principal: Principal,
    @UploadedFile() file: UploadedCsv | undefined,
  ): Promise<ImportResultDto> {
    if (!file) throw DomainError.invalid('file_required', 'send the CSV as the multipart field "file"');
    const stream = createReadStream(file.path);
    try {
      return await this.importer.import(principal.scope, stream);
    } finally {
      stream.destroy();
      await unlink(file.path).catch(() => undefined);
    }
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
