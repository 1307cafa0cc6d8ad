import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS } from './faq-bots.service';

export class FaqReportQueryDto {
  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00Z',
    description: `Start (inclusive); default: ${DEFAULT_REPORT_DAYS} days before \`to\``,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-03-31T00:00:00Z',
    description: `End (exclusive); default: now. At most ${MAX_REPORT_DAYS} days after \`from\` (invalid_report_window)`,
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Unanswered question groups' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class FaqOutcomeCountsDto {
  @ApiProperty({ example: 42 }) answered!: number;
  @ApiProperty({ example: 7 }) missed!: number;
  @ApiProperty({ example: 1 }) handoff!: number;
}

export class FaqReportDayDto extends FaqOutcomeCountsDto {
  @ApiProperty({ example: '2026-03-01', description: 'UTC day' }) day!: string;
}

export class FaqUnansweredDto {
  @ApiProperty({ example: 'gift cards', description: 'The normalised question (the group key)' })
  key!: string;
  @ApiProperty({ example: 5 }) count!: number;
  @ApiProperty({ example: '2026-03-02T14:03:00.000Z' }) lastSeenAt!: string;
  @ApiProperty({ example: 'Do you sell gift cards?', description: 'The newest message of the group' })
  sample!: string;
}

export class FaqReportDto {
  @ApiProperty({ example: 'faq_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) botId!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: FaqOutcomeCountsDto }) totals!: FaqOutcomeCountsDto;
  @ApiProperty({ type: [FaqReportDayDto], description: 'Every UTC day of the window, oldest first' })
  days!: FaqReportDayDto[];
  @ApiProperty({ type: [FaqUnansweredDto], description: 'Most frequent first' })
  unanswered!: FaqUnansweredDto[];
}
