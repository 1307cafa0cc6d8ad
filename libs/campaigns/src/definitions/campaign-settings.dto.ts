import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PACING } from '../pacing';
import { MISFIRE_POLICIES, SCHEDULE_TYPES, type MisfirePolicy, type ScheduleType } from '../schedule';

/*
 * OpenAPI shapes of `schedule` and `pacing`. The bodies are checked by parseSchedule and
 * parsePacing (400 invalid_schedule, invalid_pacing, ... naming the field), not by
 * class-validator, so these classes only document them.
 */

export class CampaignScheduleDto {
  @ApiProperty({ enum: SCHEDULE_TYPES, example: 'rrule' }) type!: ScheduleType;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA zone the wall times are read in' })
  timeZone!: string;

  @ApiPropertyOptional({
    enum: MISFIRE_POLICIES,
    default: 'run_once',
    description: 'After downtime: skip what was missed, or run the latest missed occurrence once',
  })
  misfire?: MisfirePolicy;

  @ApiPropertyOptional({
    default: false,
    description: "Each recipient gets the occurrence's wall time in their own zone",
  })
  recipientLocalTime?: boolean;

  @ApiPropertyOptional({
    example: '2026-12-24T09:00',
    description: 'once: wall time in timeZone, or an instant with an offset',
  })
  at?: string;

  @ApiPropertyOptional({
    example: '0 9 * * MON',
    description: 'cron: minute hour day-of-month month day-of-week',
  })
  expression?: string;

  @ApiPropertyOptional({
    example: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9',
    description: 'rrule: stored with its DTSTART and time of day written out',
  })
  rule?: string;

  @ApiPropertyOptional({
    example: '2026-12-01T00:00:00.000Z',
    description: 'cron, rrule: no occurrence before it; default (and a start in the past) = when accepted',
  })
  startAt?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'cron, rrule: no occurrence after it',
  })
  endAt?: string | null;
}

export class QuietHoursDto {
  @ApiProperty({ example: '21:00', description: "HH:mm in the recipient's zone" }) start!: string;
  @ApiProperty({ example: '09:00', description: 'Before start: the window crosses midnight' }) end!: string;
}

export class FrequencyCapDto {
  @ApiProperty({ example: 1 }) max!: number;
  @ApiProperty({ example: 24 }) perHours!: number;
}

/** A partial pacing object: what is left out keeps its default (or, on PATCH, its value). */
export class CampaignPacingInputDto {
  @ApiPropertyOptional({ example: DEFAULT_PACING.messagesPerMinute }) messagesPerMinute?: number;
  @ApiPropertyOptional({ example: DEFAULT_PACING.jitter }) jitter?: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: DEFAULT_PACING.pauseEvery })
  pauseEvery?: number | null;
  @ApiPropertyOptional({ example: DEFAULT_PACING.pauseMinutes }) pauseMinutes?: number;
  @ApiPropertyOptional({ example: DEFAULT_PACING.dailyCap }) dailyCap?: number;
  @ApiPropertyOptional({ type: [Number], nullable: true, example: [...DEFAULT_PACING.warmup] })
  warmup?: number[] | null;
  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true }) quietHours?: QuietHoursDto | null;
  @ApiPropertyOptional({ type: FrequencyCapDto, nullable: true }) frequencyCap?: FrequencyCapDto | null;
}

export class CampaignPacingDto {
  @ApiProperty({ example: DEFAULT_PACING.messagesPerMinute, description: 'Average sends per minute' })
  messagesPerMinute!: number;

  @ApiProperty({ example: DEFAULT_PACING.jitter, description: 'Fraction each gap may shrink or grow' })
  jitter!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: DEFAULT_PACING.pauseEvery,
    description: 'A break after this many sends',
  })
  pauseEvery!: number | null;

  @ApiProperty({ example: DEFAULT_PACING.pauseMinutes }) pauseMinutes!: number;

  @ApiProperty({ example: DEFAULT_PACING.dailyCap, description: 'Sends per local day once warmed up' })
  dailyCap!: number;

  @ApiProperty({
    type: [Number],
    example: [...DEFAULT_PACING.warmup],
    description: 'Daily caps of the first days of a new number',
  })
  warmup!: number[];

  @ApiProperty({ type: QuietHoursDto, nullable: true }) quietHours!: QuietHoursDto | null;
  @ApiProperty({ type: FrequencyCapDto, nullable: true }) frequencyCap!: FrequencyCapDto | null;
}

export class LimitRangeDto {
  @ApiPropertyOptional({ example: 1 }) min?: number;
  @ApiProperty({ example: 60 }) max!: number;
}

/** PACING_LIMITS: the bounds parsePacing checks, shown with every campaign. */
export class CampaignPacingLimitsDto {
  @ApiProperty({ type: LimitRangeDto }) messagesPerMinute!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto }) jitter!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto }) pauseEvery!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto }) pauseMinutes!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto }) dailyCap!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto, description: 'Days a warm-up list may cover' })
  warmupDays!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto }) frequencyCapMax!: LimitRangeDto;
  @ApiProperty({ type: LimitRangeDto }) frequencyCapPerHours!: LimitRangeDto;
}
