import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MESSAGE_TYPES } from '@wwb/contracts';
import { MAX_RULE_PAGE } from './auto-replies.service';
import { MAX_ACTIONS, MAX_CONDITIONS, RULE_DEFAULTS } from './rule-definition.policy';
import { CHAT_TYPES, ChatType } from './rule.model';
import { ACTION_SCHEMAS, CONDITION_SCHEMAS } from './rule-vocabulary.schema';
import { pageQueryDto } from '@wwb/http';

/** The vocabulary's JSON Schemas in OpenAPI 3.0 terms (no `const`, no `propertyNames`). */
function openApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApi);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'const') {
      out.type = 'string';
      out.enum = [value];
    } else if (key !== 'propertyNames') out[key] = openApi(value);
  }
  return out;
}

const CONDITION_ITEMS = { oneOf: Object.values(CONDITION_SCHEMAS).map(openApi) } as Record<string, unknown>;
const ACTION_ITEMS = { oneOf: Object.values(ACTION_SCHEMAS).map(openApi) } as Record<string, unknown>;

const MAX_COOLDOWN = 30 * 24 * 3600;
const MAX_PRIORITY = 1_000_000;

export class ConditionGroupDto {
  @ApiProperty({ enum: ['all', 'any'], description: 'all: every condition holds; any: at least one' })
  @IsIn(['all', 'any'])
  mode!: 'all' | 'any';

  @ApiProperty({
    type: 'array',
    items: CONDITION_ITEMS,
    maxItems: MAX_CONDITIONS,
    description: 'Empty: the rule always matches. Unknown types: 400 unknown_condition_type',
  })
  @IsArray()
  @ArrayMaxSize(MAX_CONDITIONS)
  @IsObject({ each: true })
  items!: Record<string, unknown>[];
}

export class CreateAutoReplyDto {
  @ApiProperty({ example: 'Prices', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    default: RULE_DEFAULTS.priority,
    description: 'Ascending: lower numbers are evaluated first',
  })
  @IsOptional()
  @IsInt()
  @Min(-MAX_PRIORITY)
  @Max(MAX_PRIORITY)
  priority?: number;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;

  @ApiPropertyOptional({ default: true, description: 'A match ends the evaluation of later rules' })
  @IsOptional()
  @IsBoolean()
  stopOnMatch?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Empty or absent: every connection of the account' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50)
  connectionIds?: string[];

  @ApiPropertyOptional({ type: ConditionGroupDto, description: 'Absent: the rule always matches' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConditionGroupDto)
  conditions?: ConditionGroupDto;

  @ApiProperty({ type: 'array', items: ACTION_ITEMS, minItems: 1, maxItems: MAX_ACTIONS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ACTIONS)
  @IsObject({ each: true })
  actions!: Record<string, unknown>[];

  @ApiPropertyOptional({
    default: 0,
    description: 'Per contact and rule: no second match within this many seconds',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COOLDOWN)
  cooldownSeconds?: number;
}

export class UpdateAutoReplyDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(-MAX_PRIORITY)
  @Max(MAX_PRIORITY)
  priority?: number;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() stopOnMatch?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Empty: every connection' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50)
  connectionIds?: string[];

  @ApiPropertyOptional({ type: ConditionGroupDto, description: 'Replaces the conditions whole' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConditionGroupDto)
  conditions?: ConditionGroupDto;

  @ApiPropertyOptional({ type: 'array', items: ACTION_ITEMS, description: 'Replaces the actions whole' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ACTIONS)
  @IsObject({ each: true })
  actions?: Record<string, unknown>[];

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_COOLDOWN) cooldownSeconds?: number;
}

export class AutoReplyDto {
  @ApiProperty({ example: 'ar_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() priority!: number;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() stopOnMatch!: boolean;
  @ApiProperty({ type: [String] }) connectionIds!: string[];
  @ApiProperty({ type: ConditionGroupDto }) conditions!: ConditionGroupDto;
  @ApiProperty({ type: 'array', items: ACTION_ITEMS }) actions!: Record<string, unknown>[];
  @ApiProperty() cooldownSeconds!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AutoReplyPageDto {
  @ApiProperty({ type: [AutoReplyDto] }) data!: AutoReplyDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page' })
  nextCursor!: string | null;
}

export class AutoReplyPageQueryDto extends pageQueryDto({ maxLimit: MAX_RULE_PAGE, defaultLimit: 20 }) {}

export class DryRunDto {
  @ApiProperty({ example: 'con_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @IsString()
  @MaxLength(100)
  connectionId!: string;

  @ApiProperty({ example: '+15551234567', description: 'Sender phone (E.164, digits or a WhatsApp id)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  from!: string;

  @ApiProperty({ example: 'What is the price?' }) @IsString() @MaxLength(4096) text!: string;

  @ApiPropertyOptional({ enum: MESSAGE_TYPES, default: 'text' })
  @IsOptional()
  @IsIn(MESSAGE_TYPES)
  messageType?: string;

  @ApiPropertyOptional({ enum: CHAT_TYPES, default: 'direct' })
  @IsOptional()
  @IsIn(CHAT_TYPES)
  chatType?: ChatType;

  @ApiPropertyOptional({ description: "Evaluate with this contact's tags and render with its fields" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contactId?: string;

  @ApiPropertyOptional({ type: [String], description: "Tags to evaluate with (instead of the contact's)" })
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @ArrayMaxSize(50)
  tags?: string[];

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() firstMessage?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the message arrives (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({
    type: CreateAutoReplyDto,
    description:
      'An unsaved rule (as for creating one) evaluated with the saved rules: in place of the rule `draftOf`, ' +
      'or added to them. Checked like a save: the same 400 codes, with the message and `details.field` ' +
      'naming the draft part (`draft.name`, `draft.conditions.items[0]`, `draft.actions[1].text`).',
  })
  // required with draftOf: a draft of nothing is a mistake, not "evaluate without the rule";
  // null, like absent, is no draft
  @ValidateIf((o: DryRunDto) => o.draft != null || o.draftOf != null)
  @IsDefined({ message: 'draft is required with draftOf' })
  @IsObject()
  @ValidateNested()
  @Type(() => CreateAutoReplyDto)
  draft?: CreateAutoReplyDto;

  @ApiPropertyOptional({
    example: 'ar_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    description:
      "The saved rule the draft replaces (absent: the draft is a new rule); another account's is 404",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  draftOf?: string;
}

const DRAFT_ID_NOTE = "The rule's id; for a draft, `draftOf`, or `draft` for a draft of a new rule";
const DRAFT_FLAG = { type: Boolean, description: 'true on the outcome of the `draft` sent with the request' };

export class RuleOutcomeDto {
  @ApiProperty({ description: DRAFT_ID_NOTE }) ruleId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() matched!: boolean;
  @ApiProperty({ type: [String], example: ["text contains 'price'"] }) reasons!: string[];
  @ApiPropertyOptional(DRAFT_FLAG) draft?: boolean;
}

export class RenderedReplyDto {
  @ApiProperty() text!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) media?: Record<string, unknown>;
}

export class RenderErrorDto {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class DryRunActionDto {
  @ApiProperty({ enum: ['reply', 'tag', 'http', 'handoff', 'askFaq'] }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) action!: Record<string, unknown>;
  @ApiPropertyOptional({ type: RenderedReplyDto }) rendered?: RenderedReplyDto;
  @ApiPropertyOptional({ type: RenderErrorDto, description: 'Why the reply could not be rendered' })
  error?: RenderErrorDto;
}

export class DryRunMatchDto {
  @ApiProperty({ description: DRAFT_ID_NOTE }) ruleId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [DryRunActionDto] }) actions!: DryRunActionDto[];
  @ApiPropertyOptional(DRAFT_FLAG) draft?: boolean;
}

export class DryRunResultDto {
  @ApiProperty({ type: [RuleOutcomeDto], description: 'Rules evaluated, in order, with the reasons' })
  evaluated!: RuleOutcomeDto[];
  @ApiProperty({ type: [DryRunMatchDto] }) matched!: DryRunMatchDto[];
}
