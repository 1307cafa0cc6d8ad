import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RUN_KINDS } from '../runs/campaign-run.schema';
import { RUN_STATES } from '../runs/run-state.policy';
import { RECIPIENT_STATUSES } from './run-report.service';

export const RECIPIENTS_PAGE_MAX = 500;

export class RecipientsQueryDto {
  @ApiPropertyOptional({
    description: 'Position after which the page starts (nextAfter of the previous page)',
    minimum: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: RECIPIENTS_PAGE_MAX, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECIPIENTS_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({
    enum: RECIPIENT_STATUSES,
    description: 'Only recipients in this status (within the page read)',
  })
  @IsOptional()
  @IsIn(RECIPIENT_STATUSES)
  status?: (typeof RECIPIENT_STATUSES)[number];
}

export class RunsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

class RunCountsDto {
  @ApiProperty() pending!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty({ description: 'Accepted for sending, not yet handed to WhatsApp' }) queued!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty({ description: 'Read (or played)' }) read!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({
    description: 'Claimed for sending but never stored (a gateway died at that moment): not resent',
  })
  unknown!: number;
}

export class RunSummaryDto {
  @ApiProperty({ example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_20261207T0900' }) id!: string;
  @ApiProperty({ enum: RUN_KINDS }) kind!: string;
  @ApiProperty({ format: 'date-time', description: 'The occurrence it runs for' }) occurrence!: string;
  @ApiProperty({ enum: RUN_STATES }) state!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RunListDto {
  @ApiProperty({ type: [RunSummaryDto] }) data!: RunSummaryDto[];
}

export class RunReportDto extends RunSummaryDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty({
    description: "Recipients by status; they add up to the run's recipients",
    type: RunCountsDto,
  })
  counts!: RunCountsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Skipped, by reason',
  })
  skipped!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Failed, by reason',
  })
  failed!: Record<string, number>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) plannedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
}

export class RunRecipientDto {
  @ApiProperty() contactId!: string;
  @ApiProperty({ example: '+15551234567', description: 'E.164 (empty when the contact no longer exists)' })
  phone!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ enum: RECIPIENT_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true, example: 'opted_out' }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true }) messageId!: string | null;
  @ApiProperty({
    format: 'date-time',
    description: 'Not sent before this (its local time, quiet hours apart)',
  })
  dueAt!: string;
  @ApiProperty({ description: 'Its position in the run (page with ?after=)' }) seq!: number;
}

export class RunRecipientPageDto {
  @ApiProperty({ type: [RunRecipientDto] }) data!: RunRecipientDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as ?after= for the next page' })
  nextAfter!: number | null;
}

export class RunNowDto {
  @ApiProperty({ example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_now01JDQ8Z6W5V7Y2M3N4P5Q6R7S9' }) runId!: string;
}

class CampaignDryRunSampleDto {
  @ApiProperty() contactId!: string;
  @ApiProperty() phone!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ enum: ['pending', 'skipped'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The rendered text (or caption)' }) text!:
    string | null;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
}

export class CampaignDryRunDto {
  @ApiProperty() targeted!: number;
  @ApiProperty({ description: 'Recipients that would be sent a message' }) pending!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) skipped!: Record<
    string,
    number
  >;
  @ApiProperty({ type: [String] }) connections!: string[];
  @ApiProperty({
    type: [CampaignDryRunSampleDto],
    description: 'The first recipients, with what they would get',
  })
  samples!: CampaignDryRunSampleDto[];
}
