import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { RunReportDto } from '../reports/run-report.dto';
import { BULK_ERRORS_SHOWN, BULK_MAX_ROWS, BULK_ROW_ERROR_CODES } from './bulk-row.policy';

export class BulkRecipientDto {
  @ApiProperty({ example: '+15551234567', description: 'E.164 (other spellings are normalised)' })
  to!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    example: { first_name: 'Ana', code: 'WEEK20' },
    description: 'Flat values the template reads as {{<name>}}',
  })
  variables?: Record<string, string | number | boolean>;
}

/** The JSON body (documentation: the controller checks it row by row itself). */
export class BulkSendDto {
  @ApiProperty({ example: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) templateId!: string;
  @ApiProperty({ type: [BulkRecipientDto], maxItems: BULK_MAX_ROWS }) recipients!: BulkRecipientDto[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Pacing settings, as for a campaign (defaults: the safe campaign pacing)',
  })
  pacing?: Record<string, unknown>;
  @ApiPropertyOptional({ maxLength: 120 }) name?: string;
}

/** A CSV upload takes its settings from the query. */
export class BulkCsvQueryDto {
  @ApiPropertyOptional({ description: 'Required with a CSV upload' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  templateId?: string;

  @ApiPropertyOptional({
    description: 'Pacing settings as JSON, e.g. {"messagesPerMinute":20}',
    example: '{"messagesPerMinute":20}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  pacing?: string;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  name?: string;
}

export class BulkCsvBodyDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'CSV: a phone (or to) column, others variables',
  })
  file!: unknown;
}

export class BulkRowErrorDto {
  @ApiProperty({ example: 3, description: '1-based row (CSV: data line after the header)' }) row!: number;
  @ApiProperty({ enum: BULK_ROW_ERROR_CODES }) code!: string;
  @ApiProperty() message!: string;
}

export class BulkAcceptedDto {
  @ApiProperty({ example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', description: 'The job id (also a campaign id)' })
  id!: string;
  @ApiProperty({ description: 'The run sending it' }) runId!: string;
  @ApiProperty({ description: 'Rows that will be sent' }) accepted!: number;
  @ApiProperty({ description: 'Rows refused' }) rejected!: number;
  @ApiProperty({ type: [BulkRowErrorDto], description: `The first ${BULK_ERRORS_SHOWN} refused rows` })
  errors!: BulkRowErrorDto[];
}

export class BulkJobDto {
  @ApiProperty() id!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() accepted!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: String, nullable: true }) runId!: string | null;
  @ApiProperty({ type: RunReportDto, nullable: true, description: 'The run: state and counts by status' })
  report!: RunReportDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}
