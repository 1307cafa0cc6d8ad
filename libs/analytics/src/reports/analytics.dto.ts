import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({
    description: 'First day (YYYY-MM-DD, in timeZone); default 29 days before `to`',
    example: '2026-12-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({
    description: 'Last day (YYYY-MM-DD, in timeZone), included; default today',
    example: '2026-12-07',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone the days are cut in; default UTC',
    example: 'Europe/Berlin',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv: one row per day (text/csv)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

class AnalyticsFiguresDto {
  @ApiProperty({ description: 'Recipients of campaign runs (planned), opted-out and skipped ones included' })
  targeted!: number;
  @ApiProperty({
    description: 'Messages WhatsApp took from this account (message.sent; for a campaign: its messages)',
  })
  sent!: number;
  @ApiProperty({ description: 'Sent messages delivered to the phone (read ones included), each once' })
  delivered!: number;
  @ApiProperty({ description: 'Sent messages read (or voice notes played), each once' })
  read!: number;
  @ApiProperty({ description: 'Sends that failed (refused, or failed in WhatsApp)' })
  failed!: number;
  @ApiProperty({ description: 'Inbound messages (account and connection)' })
  received!: number;
  @ApiProperty({
    description:
      'Campaign messages answered: an inbound message in the chat within ANALYTICS_REPLY_WINDOW_HOURS, once per message',
  })
  replied!: number;
  @ApiProperty({ description: 'Opt-outs (for a campaign: those within the reply window of its message)' })
  optedOut!: number;
  @ApiProperty({
    description:
      'Campaign recipients skipped, by reason (opted_out, template_render_failed, frequency_capped, ...)',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { opted_out: 3 },
  })
  skipped!: Record<string, number>;
}

export class AnalyticsDayDto extends AnalyticsFiguresDto {
  @ApiProperty({ example: '2026-12-07' }) date!: string;
}

export class AnalyticsRatesDto {
  @ApiProperty({ type: Number, nullable: true, description: 'delivered / sent' }) delivery!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'read / sent' }) read!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'replied / sent' }) reply!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'optedOut / sent' }) optOut!: number | null;
}

export class AnalyticsTotalsDto extends AnalyticsFiguresDto {
  @ApiProperty({ type: AnalyticsRatesDto }) rates!: AnalyticsRatesDto;
}

export class AnalyticsReportDto {
  @ApiProperty({ enum: ['account', 'connection', 'campaign', 'run'] }) scope!: string;
  @ApiProperty({ description: 'The account, connection, campaign or run id' }) id!: string;
  @ApiProperty({ example: '2026-12-01' }) from!: string;
  @ApiProperty({ example: '2026-12-07' }) to!: string;
  @ApiProperty({ example: 'UTC' }) timeZone!: string;
  @ApiProperty({ type: AnalyticsTotalsDto }) totals!: AnalyticsTotalsDto;
  @ApiProperty({ type: [AnalyticsDayDto], description: 'Every day of the range, in order (zeros included)' })
  days!: AnalyticsDayDto[];
}

class ApiUsageFiguresDto {
  @ApiProperty({ description: 'Authenticated requests answered' }) requests!: number;
  @ApiProperty({ description: 'Messages accepted by POST /v1/connections/{id}/messages (202)' })
  messages!: number;
  @ApiProperty({ description: 'Requests answered with a 4xx or 5xx' }) errors!: number;
}

export class ApiUsageDayDto extends ApiUsageFiguresDto {
  @ApiProperty({ example: '2026-12-07' }) date!: string;
}

export class ApiKeyUsageDto {
  @ApiProperty() apiKeyId!: string;
  @ApiProperty({ type: ApiUsageFiguresDto }) totals!: ApiUsageFiguresDto;
  @ApiProperty({ type: [ApiUsageDayDto], description: 'Every day of the range, in order (zeros included)' })
  days!: ApiUsageDayDto[];
}

export class ApiUsageReportDto {
  @ApiProperty({ example: '2026-12-01' }) from!: string;
  @ApiProperty({ example: '2026-12-07' }) to!: string;
  @ApiProperty({ example: 'UTC' }) timeZone!: string;
  @ApiProperty({ type: [ApiKeyUsageDto], description: 'Keys with any usage in the range' })
  keys!: ApiKeyUsageDto[];
}
