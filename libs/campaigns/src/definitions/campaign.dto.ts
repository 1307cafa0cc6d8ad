import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { pageQueryDto } from '@wwb/http';
import { CAMPAIGN_LIMITS } from './campaign-input.policy';
import {
  CampaignPacingDto,
  CampaignPacingInputDto,
  CampaignPacingLimitsDto,
  CampaignScheduleDto,
} from './campaign-settings.dto';
import { CAMPAIGN_VIEW_STATES, CampaignViewState } from './campaign-status.policy';
import { PREVIEW_COUNT } from '../schedule';
import { RUN_STATES } from '../runs/run-state.policy';
import { RUN_KINDS } from '../runs/campaign-run.schema';

/*
 * class-validator checks the shape (types, unknown fields: 400 validation_failed); the rules on
 * the values are CampaignDefinitionsService's, with their own codes (see the controller).
 */

export const MAX_CAMPAIGN_PAGE = 100;
const L = CAMPAIGN_LIMITS;
const ID_EXAMPLE = 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8';

export class CampaignAudienceInputDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: L.tags,
    example: ['vip'],
    description: `Contacts with any of these tags (lower-case slugs, at most ${L.tags})`,
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: L.contactIds,
    example: ['ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'],
    description: `And these contacts (at most ${L.contactIds})`,
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  contactIds?: string[];
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Weekly offer', minLength: 1, maxLength: L.nameLength })
  @IsString()
  name!: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: L.connections,
    example: ['con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8'],
    description: 'Connections it sends from; a recipient always goes through the same one',
  })
  @IsArray()
  connectionIds!: string[];

  @ApiProperty({ example: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @IsString()
  @MaxLength(100)
  templateId!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { offer: { text: '20% off', code: 'WEEK20' } },
    description: `Static template values besides the contact's fields: at most ${L.variables}, ${L.variablesBytes / 1024} KiB as JSON`,
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiProperty({ type: CampaignAudienceInputDto, description: 'At least one tag or contact' })
  @IsObject()
  @ValidateNested()
  @Type(() => CampaignAudienceInputDto)
  audience!: CampaignAudienceInputDto;

  @ApiProperty({ type: CampaignScheduleDto })
  @IsObject()
  schedule!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: CampaignPacingInputDto,
    description: 'Per connection; what is left out takes the safe default',
  })
  @IsOptional()
  @IsObject()
  pacing?: Record<string, unknown>;
}

export class UpdateCampaignDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: L.nameLength })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ type: [String], minItems: 1, maxItems: L.connections })
  @IsOptional()
  @IsArray()
  connectionIds?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) templateId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Replaces the variables' })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: CampaignAudienceInputDto,
    description: 'A list left out keeps its value; [] empties it',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CampaignAudienceInputDto)
  audience?: CampaignAudienceInputDto;

  @ApiPropertyOptional({ type: CampaignScheduleDto, description: 'Replaces the schedule' })
  @IsOptional()
  @IsObject()
  schedule?: Record<string, unknown>;

  @ApiPropertyOptional({ type: CampaignPacingInputDto, description: 'Merged onto the current settings' })
  @IsOptional()
  @IsObject()
  pacing?: Record<string, unknown>;
}

export class CampaignPageQueryDto extends pageQueryDto({ maxLimit: MAX_CAMPAIGN_PAGE, defaultLimit: 20 }) {}

export class CampaignAudienceDto {
  @ApiProperty({ type: [String], example: ['vip'] }) tags!: string[];
  @ApiProperty({ type: [String], example: [] }) contactIds!: string[];
}

export class CampaignLastRunDto {
  @ApiProperty({ example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8_20261207T0900' }) id!: string;
  @ApiProperty({ enum: RUN_STATES }) state!: string;
  @ApiProperty({ enum: RUN_KINDS }) kind!: string;
  @ApiProperty({ format: 'date-time', description: 'The occurrence it ran for' }) occurrence!: string;
}

export class CampaignDto {
  @ApiProperty({ example: ID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'Weekly offer' }) name!: string;
  @ApiProperty({ type: [String] }) connectionIds!: string[];
  @ApiProperty({ example: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) templateId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) variables!: Record<string, unknown>;
  @ApiProperty({ type: CampaignAudienceDto }) audience!: CampaignAudienceDto;
  @ApiProperty({ type: CampaignScheduleDto, description: 'As stored, defaults written out' })
  schedule!: CampaignScheduleDto;
  @ApiProperty({ type: CampaignPacingDto, description: 'The effective settings' })
  pacing!: CampaignPacingDto;
  @ApiProperty({ type: CampaignPacingLimitsDto, description: 'The bounds pacing is checked against' })
  pacingLimits!: CampaignPacingLimitsDto;
  @ApiProperty({
    enum: CAMPAIGN_VIEW_STATES,
    description: 'completed: the schedule has no occurrence left to run',
  })
  state!: CampaignViewState;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-12-14T08:00:00.000Z',
    description: 'The next run; null when paused, cancelled or completed',
  })
  nextRunAt!: string | null;
  @ApiProperty({
    type: CampaignLastRunDto,
    nullable: true,
    description:
      'The run with the latest occurrence (scheduled or manual), as GET /v1/campaigns/{id}/runs lists it; null before the first',
  })
  lastRun!: CampaignLastRunDto | null;
  @ApiProperty({ example: 1, description: 'Grows with every change' }) revision!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignDto] }) data!: CampaignDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SchedulePreviewRequestDto {
  @ApiProperty({ type: CampaignScheduleDto, description: 'A schedule as POST /v1/campaigns takes it' })
  @IsObject()
  schedule!: Record<string, unknown>;

  @ApiPropertyOptional({
    minimum: PREVIEW_COUNT.min,
    maximum: PREVIEW_COUNT.max,
    default: PREVIEW_COUNT.default,
    description: 'How many occurrences to list',
  })
  @IsOptional()
  @IsInt()
  @Min(PREVIEW_COUNT.min)
  @Max(PREVIEW_COUNT.max)
  count?: number;
}

export class PreviewOccurrenceDto {
  @ApiProperty({ example: '2026-12-14T08:00:00.000Z', description: 'The instant it runs (UTC)' })
  at!: string;
  @ApiProperty({ example: '2026-12-14T09:00', description: "Wall-clock time in the schedule's zone then" })
  local!: string;
  @ApiProperty({ example: '+01:00', description: "The zone's offset from UTC then" })
  offset!: string;
}

export class SchedulePreviewDto {
  @ApiProperty({
    type: CampaignScheduleDto,
    description: 'As a campaign would store it, defaults written out',
  })
  schedule!: CampaignScheduleDto;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({
    type: [PreviewOccurrenceDto],
    description: 'The next occurrences in order; fewer when the schedule ends first, none never',
  })
  occurrences!: PreviewOccurrenceDto[];
}
