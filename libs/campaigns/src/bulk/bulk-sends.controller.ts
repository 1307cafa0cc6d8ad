import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { DomainError } from '@wwb/runtime';
import { BulkRows, collectCsvRows, collectJsonRows } from './bulk-row.policy';
import { BulkAcceptedDto, BulkCsvBodyDto, BulkCsvQueryDto, BulkJobDto, BulkSendDto } from './bulk-send.dto';
import { BulkSendCommand, BulkSendService } from './bulk-send.service';

export const BULK_PATH = '/v1/connections/:id/bulk';
/** A CSV body besides multipart (charset UTF-8 or none). */
export const BULK_CSV_TYPE = /^text\/csv$/i;
/** Largest CSV read (100,000 rows of a phone and a few variables). */
export const BULK_CSV_MAX_BYTES = 20 * 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;
const JSON_FIELDS = new Set(['templateId', 'recipients', 'pacing', 'name']);
const ID = { name: 'id', example: 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };

const csvTooLarge = (): DomainError =>
  new DomainError('too_large', 'payload_too_large', `The CSV is larger than ${BULK_CSV_MAX_BYTES} bytes`, {
    maxBytes: BULK_CSV_MAX_BYTES,
  });
const invalidBody = (field: string, message: string): DomainError =>
  DomainError.invalid('validation_failed', `${field}: ${message}`, { field });

/** Bulk sends from one connection: a one-off campaign to up to 100,000 recipients. */
@ApiTags('campaigns')
@ApiKeyAuth()
@Controller('v1/connections/:id/bulk')
export class BulkSendsController {
  constructor(private readonly bulk: BulkSendService) {}

  @Post()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: BULK_CSV_MAX_BYTES, files: 1 } }))
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Send a template to up to 100,000 recipients (JSON, a text/csv body or multipart "file")',
    description:
      'Accepted at once: the good rows are stored and sent as a one-off campaign run with campaign pacing; ' +
      'bad rows are answered per row (invalid_phone, duplicate_phone, invalid_variables). CSV: a header with ' +
      'a phone (or to) column, every other column a variable; templateId, pacing (JSON) and name as query ' +
      'parameters. Errors: 400 no_valid_recipients (details.errors), template_not_found, file_required, invalid_pacing, ' +
      'invalid_csv, invalid_name, validation_failed; 404 not_found; 413 too_many_recipients, payload_too_large; ' +
      '415 unsupported_media_type; 429 too_many_bulk_jobs.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(BulkSendDto) } },
        'text/csv': { schema: { type: 'string', example: 'phone,first_name\n+15551234567,Ana\n' } },
        'multipart/form-data': { schema: { $ref: getSchemaPath(BulkCsvBodyDto) } },
      },
    },
  })
  @ApiExtraModels(BulkSendDto, BulkCsvBodyDto)
  @ApiAcceptedResponse({ type: BulkAcceptedDto })
  @ApiErrorResponses(400, 404, 413, 415, 429)
  async create(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() query: BulkCsvQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Req() req: Request,
  ): Promise<BulkAcceptedDto> {
    if (!p.mayUseConnection(id)) throw DomainError.notFound('Connection');
    const cmd = file
      ? csvCommand(query, collectCsvRows(file.buffer.toString('utf8')))
      : await this.fromBody(req, query);
    return this.bulk.create(p.scope, id, cmd);
  }

  @Get(':jobId')
  @ApiParam(ID)
  @ApiParam({ name: 'jobId', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiOperation({ summary: "A bulk job: its rows and its run's report (state, counts by status)" })
  @ApiOkResponse({ type: BulkJobDto })
  @ApiErrorResponses(404)
  get(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('jobId') jobId: string,
  ): Promise<BulkJobDto> {
    if (!p.mayUseConnection(id)) throw DomainError.notFound('Connection');
    return this.bulk.get(p.scope, id, jobId);
  }

  private async fromBody(req: Request, query: BulkCsvQueryDto): Promise<BulkSendCommand> {
    const type = req.headers['content-type'];
    if (JSON_TYPE.test((type ?? '').split(';', 1)[0]!.trim())) return jsonCommand(req.body as unknown);
    const media = (type ?? '').split(';', 1)[0]!.trim();
    if (BULK_CSV_TYPE.test(media)) return csvCommand(query, collectCsvRows(await readCapped(req)));
    if (/^multipart\/form-data$/i.test(media)) {
      throw DomainError.invalid(
        'file_required',
        'file: a multipart upload carries the CSV in the field "file"',
        {
          field: 'file',
        },
      );
    }
    throw new DomainError(
      'unsupported',
      'unsupported_media_type',
      'A bulk send reads JSON, a text/csv body (UTF-8) or multipart/form-data with the field "file"',
      { contentType: type ?? null },
    );
  }
}

function jsonCommand(body: unknown): BulkSendCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidBody('body', 'must be an object {templateId, recipients, pacing?, name?}');
  }
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !JSON_FIELDS.has(k));
  if (unknown.length) throw invalidBody(unknown[0]!.slice(0, 64), 'is not a field of a bulk send');
  if (typeof b.templateId !== 'string' || !b.templateId)
    throw invalidBody('templateId', 'must be a template id');
  if (!Array.isArray(b.recipients)) throw invalidBody('recipients', 'must be an array of {to, variables?}');
  if (b.name !== undefined && typeof b.name !== 'string') throw invalidBody('name', 'must be a string');
  return {
    templateId: b.templateId,
    rows: collectJsonRows(b.recipients),
    ...(b.pacing !== undefined ? { pacing: b.pacing } : {}),
    ...(typeof b.name === 'string' ? { name: b.name } : {}),
  };
}

function csvCommand(query: BulkCsvQueryDto, rows: BulkRows): BulkSendCommand {
  if (!query.templateId) throw invalidBody('templateId', 'a CSV upload names its template in ?templateId=');
  let pacing: unknown;
  if (query.pacing !== undefined) {
    try {
      pacing = JSON.parse(query.pacing);
    } catch {
      throw DomainError.invalid('invalid_pacing', 'pacing: the query parameter must be a JSON object', {
        field: 'pacing',
      });
    }
  }
  return {
    templateId: query.templateId,
    rows,
    ...(pacing !== undefined ? { pacing } : {}),
    ...(query.name !== undefined ? { name: query.name } : {}),
  };
}

/** The request body as UTF-8 text; 413 payload_too_large past BULK_CSV_MAX_BYTES. */
async function readCapped(req: Request): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > BULK_CSV_MAX_BYTES) {
    req.resume();
    throw csvTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BULK_CSV_MAX_BYTES) {
      // Read and drop the rest, so the client gets the 413 instead of a reset connection.
      req.resume();
      throw csvTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
