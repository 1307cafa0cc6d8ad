import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FAQ_BOT_MODES, FaqBotMode } from './faq-bot.schema';
import {
  DEFAULT_HANDOFF_AFTER_MISSES,
  DEFAULT_THRESHOLD,
  MAX_ENTRIES,
  MAX_HANDOFF_AFTER_MISSES,
  MAX_KEYWORDS,
  MAX_QUESTIONS,
} from './faq-bot.policy';
import { pageQueryDto } from '@wwb/http';

const MAX_TEXT = 4096;

export class FaqAnswerDto {
  @ApiPropertyOptional({ example: 'We are open Monday to Friday, 9:00-18:00.', maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  text?: string;

  @ApiPropertyOptional({ example: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', description: 'Instead of text' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  templateId?: string;
}

export class FaqEntryBodyDto {
  @ApiPropertyOptional({
    example: 'opening-hours',
    description: 'Your id (1-64 letters, digits, _ or -); generated when absent',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  id?: string;

  @ApiProperty({
    example: ['What are your opening hours?', 'When are you open?'],
    description: `Question variants, at least 1, at most ${MAX_QUESTIONS} (entry_without_question, too_many_questions)`,
  })
  @IsArray()
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  questions!: string[];

  @ApiPropertyOptional({
    example: ['hours', 'schedule'],
    description: `Words that point at this entry (each adds half its score), at most ${MAX_KEYWORDS}`,
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  keywords?: string[];

  @ApiProperty({
    type: FaqAnswerDto,
    description: '{text} or {templateId} (invalid_answer, template_not_found)',
  })
  @ValidateNested()
  @Type(() => FaqAnswerDto)
  answer!: FaqAnswerDto;
}

export class UpdateFaqEntryDto {
  @ApiPropertyOptional({ example: ['When do you open?'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  questions?: string[];

  @ApiPropertyOptional({ example: ['hours'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ type: FaqAnswerDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => FaqAnswerDto)
  answer?: FaqAnswerDto;
}

/** Everything of a bot but its name. */
class FaqBotSettingsDto {
  @ApiPropertyOptional({
    example: 'pt-BR',
    description: 'BCP-47; only picks the stop-word list (en, es, pt, de, fr, it) (invalid_language)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string;

  @ApiPropertyOptional({
    example: DEFAULT_THRESHOLD,
    description: `Minimum score (0..1) of the best entry to answer, default ${DEFAULT_THRESHOLD} (invalid_threshold)`,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold?: number;

  @ApiPropertyOptional({
    example: "Sorry, I don't know that one yet. A colleague will get back to you.",
    nullable: true,
    description: 'Sent on a miss (null: nothing is sent)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  fallbackAnswer?: string | null;

  @ApiPropertyOptional({
    example: DEFAULT_HANDOFF_AFTER_MISSES,
    description: `Misses in a row in one chat that hand the chat to a human, 0 = never, at most ${MAX_HANDOFF_AFTER_MISSES} (invalid_handoff_after_misses)`,
  })
  @IsOptional()
  @IsInt()
  handoffAfterMisses?: number;

  @ApiPropertyOptional({
    example: [],
    description: 'Connections served; empty = all of the account (unknown_connection)',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  connectionIds?: string[];

  @ApiPropertyOptional({
    enum: FAQ_BOT_MODES,
    description:
      'fallback: answers inbound messages no auto-reply rule matched; rule_only: only when a rule action asks it',
  })
  @IsOptional()
  @IsIn(FAQ_BOT_MODES)
  mode?: FaqBotMode;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [FaqEntryBodyDto],
    description: `The entries, at most ${MAX_ENTRIES} (too_many_entries, duplicate_entry_id)`,
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FaqEntryBodyDto)
  entries?: FaqEntryBodyDto[];
}

/** POST and PUT: a whole bot (absent fields take their defaults). */
export class CreateFaqBotDto extends FaqBotSettingsDto {
  @ApiProperty({ example: 'Support FAQ', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  name!: string;
}

/** PATCH: every field optional; `entries`, when given, replaces the whole list. */
export class UpdateFaqBotDto extends FaqBotSettingsDto {
  @ApiPropertyOptional({ example: 'Support FAQ', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class FaqBotPageQueryDto extends pageQueryDto({ maxLimit: 100, defaultLimit: 20 }) {}

export class AskFaqBotDto {
  @ApiProperty({ example: 'hi, when are you open on saturday?', maxLength: MAX_TEXT })
  @IsString()
  @MaxLength(MAX_TEXT)
  text!: string;
}

export class FaqEntryDto {
  @ApiProperty({ example: 'opening-hours' }) id!: string;
  @ApiProperty({ example: ['What are your opening hours?'] }) questions!: string[];
  @ApiProperty({ example: ['hours'] }) keywords!: string[];
  @ApiProperty({ type: FaqAnswerDto }) answer!: FaqAnswerDto;
}

export class FaqBotDto {
  @ApiProperty({ example: 'faq_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty({ example: 'Support FAQ' }) name!: string;
  @ApiProperty({ example: 'en' }) language!: string;
  @ApiProperty({ example: DEFAULT_THRESHOLD }) threshold!: number;
  @ApiProperty({ type: String, nullable: true }) fallbackAnswer!: string | null;
  @ApiProperty({ example: DEFAULT_HANDOFF_AFTER_MISSES }) handoffAfterMisses!: number;
  @ApiProperty({ example: [] }) connectionIds!: string[];
  @ApiProperty({ enum: FAQ_BOT_MODES }) mode!: FaqBotMode;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ example: 12, description: 'Number of entries' }) entryCount!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class FaqBotDetailDto extends FaqBotDto {
  @ApiProperty({ type: [FaqEntryDto] }) entries!: FaqEntryDto[];
}

export class FaqBotPageDto {
  @ApiProperty({ type: [FaqBotDto] }) data!: FaqBotDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class FaqCandidateDto {
  @ApiProperty({ example: 'opening-hours' }) entryId!: string;
  @ApiProperty({ example: 'What are your opening hours?', description: 'The variant that matched best' })
  question!: string;
  @ApiProperty({ example: 0.92, description: '0..1: share of the variant the message covers (+ keywords)' })
  score!: number;
  @ApiProperty({ type: FaqAnswerDto }) answer!: FaqAnswerDto;
}

export class FaqAskResultDto {
  @ApiProperty({ description: 'best.score >= threshold' }) matched!: boolean;
  @ApiProperty({ type: FaqCandidateDto, nullable: true }) best!: FaqCandidateDto | null;
  @ApiProperty({ type: [FaqCandidateDto], description: 'At most 5, best first' })
  candidates!: FaqCandidateDto[];
}
