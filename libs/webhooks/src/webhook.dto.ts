import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ORDERINGS, Ordering } from './endpoints/webhook-endpoint.schema';
import { pageQueryDto } from '@wwb/http';

export const MAX_PAGE = 100;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/whatsapp', description: 'http or https only' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({
    example: ['message.*', 'connection.status'],
    description: 'Exact event types, prefix patterns (`message.*`) or `*`',
  })
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  events!: string[];

  @ApiPropertyOptional({ description: 'Only events of these connections (default: all of the account)' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(100)
  connectionIds?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Authorization: 'Bearer s3cr3t' },
    description: 'Sent with every delivery (at most 20; no hop-by-hop, signature or content headers)',
  })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    enum: ORDERINGS,
    default: 'none',
    description: "`chat`: one chat's events are delivered one at a time, in order",
  })
  @IsOptional()
  @IsIn(ORDERINGS)
  ordering?: Ordering;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2048) url?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  events?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Empty list = every connection' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(100)
  connectionIds?: string[];

  @ApiPropertyOptional({ description: 'Empty string removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Replaces all custom headers. A value sent back exactly as GET shows it (masked) keeps the stored value',
  })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ enum: ORDERINGS }) @IsOptional() @IsIn(ORDERINGS) ordering?: Ordering;

  @ApiPropertyOptional({ description: 'true re-enables a disabled endpoint; false disables it' })
  @ValidateIf((o: UpdateWebhookDto) => o.enabled !== undefined)
  @IsBoolean()
  enabled?: boolean;
}

export class DisabledInfoDto {
  @ApiProperty({ enum: ['gone', 'failing', 'manual'] }) reason!: string;
  @ApiProperty({ format: 'date-time' }) disabledAt!: string;
  @ApiPropertyOptional() lastStatusCode?: number;
  @ApiPropertyOptional() lastError?: string;
}

export class WebhookDto {
  @ApiProperty({ example: 'whk_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) events!: string[];
  @ApiProperty({ type: [String] }) connectionIds!: string[];
  @ApiPropertyOptional() description?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Custom header names with masked values (`****` plus the last 4 characters of values of 12 or more)',
  })
  headers!: Record<string, string>;
  @ApiProperty({ enum: ORDERINGS }) ordering!: Ordering;
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status!: 'enabled' | 'disabled';
  @ApiPropertyOptional({ type: DisabledInfoDto }) disabled?: DisabledInfoDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Signing secret; shown in this answer only',
  })
  secret!: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) data!: WebhookDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RotatedSecretDto {
  @ApiProperty({ description: 'The new secret (shown once); the previous one keeps signing for 24 h' })
  secret!: string;
  @ApiProperty({ format: 'date-time', description: 'When the previous secret stops signing' })
  previousSecretExpiresAt!: string;
}

export class TestEventDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() deliveryId!: string;
}

export class WebhookPageQueryDto extends pageQueryDto({ maxLimit: MAX_PAGE, defaultLimit: 20 }) {}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export class DeliveryQueryDto extends WebhookPageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ example: 'message.received' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  eventType?: string;
}

export class AttemptDto {
  @ApiProperty() n!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['delivered', 'retrying', 'failed', 'cancelled'] }) outcome!: string;
  @ApiPropertyOptional() statusCode?: number;
  @ApiPropertyOptional() latencyMs?: number;
  @ApiPropertyOptional() error?: string;
  @ApiPropertyOptional({ description: 'First 4 KB of the response body' }) responseBody?: string;
  @ApiPropertyOptional({ format: 'date-time' }) nextAttemptAt?: string;
}

export class DeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ description: 'The webhook-id header' }) webhookId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ format: 'date-time' }) lastAttemptAt?: string;
  @ApiPropertyOptional() lastStatusCode?: number;
  @ApiPropertyOptional({ format: 'date-time' }) nextAttemptAt?: string;
  @ApiPropertyOptional() chatId?: string;
  @ApiPropertyOptional() sequence?: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional() redeliveryOf?: string;
}

export class DeliveryDetailDto extends DeliveryDto {
  @ApiProperty({ type: [AttemptDto] }) attemptLog!: AttemptDto[];
  @ApiProperty({ description: 'The JSON body sent' }) body!: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) data!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RedeliveryDto {
  @ApiProperty() deliveryId!: string;
  @ApiProperty() redeliveryOf!: string;
  @ApiProperty() jobId!: string;
}

export class ReplayDto {
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) since!: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

export class ReplayJobDto {
  @ApiProperty() jobId!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ format: 'date-time' }) until!: string;
  @ApiProperty({ description: 'Partitions of deliveries that have finished creating their part' })
  partitionsDone!: number;
  @ApiProperty() partitions!: number;
  @ApiProperty({ description: 'Deliveries created so far' }) deliveries!: number;
  @ApiProperty() done!: boolean;
}

export class WebhookStatsDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the window: the top of the hour `hours` ago' })
  since!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() succeededAttempts!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Successful attempts / attempts' })
  successRate!: number | null;
  @ApiProperty({ description: 'Deliveries whose first attempt is in the window' }) firstAttempts!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Event to first attempt, median (ms, rounded up to 2 significant digits)',
  })
  firstAttemptP50Ms!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Event to first attempt, 99th percentile (ms, rounded up to 2 significant digits)',
  })
  firstAttemptP99Ms!: number | null;
}

export class StatsQueryDto {
  @ApiPropertyOptional({ description: 'Window in hours (default 24, at most 720)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  hours?: number;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (an event id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_-]+$/)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Comma-separated event types',
    example: 'message.received,message.ack',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  types?: string;
}

export class EventPageDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Event envelopes in order' })
  data!: Record<string, unknown>[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?after= for the next page; null when this page was not full',
  })
  nextCursor!: string | null;
}
