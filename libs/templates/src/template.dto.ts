import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_BODY_LENGTH, MAX_VARIABLES } from './template-fields.policy';
import {
  TEMPLATE_CATEGORIES,
  TEMPLATE_MEDIA_TYPES,
  TemplateCategory,
  TemplateMediaType,
} from './template.schema';
import { pageQueryDto } from '@wwb/http';

export const MAX_PAGE = 100;
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u;
const NAME_MESSAGE = 'name must start with a letter or digit and hold only letters, digits, spaces, _ . -';

export class TemplateVariableDto {
  @ApiProperty({ example: 'order.total', description: 'A path: identifiers joined by dots' })
  @IsString()
  @MaxLength(200)
  name!: string;

  // Without a schema the property reads as an empty object type; any JSON value but null is meant.
  @ApiProperty({
    example: 42.5,
    description: 'Any JSON value but null (a list for {{#each}}); used by previews',
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: {} },
      { type: 'object', additionalProperties: true },
    ],
  })
  @IsDefined()
  example!: unknown;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class TemplateMediaDto {
  @ApiProperty({ enum: TEMPLATE_MEDIA_TYPES })
  @IsIn(TEMPLATE_MEDIA_TYPES)
  type!: TemplateMediaType;

  @ApiPropertyOptional({
    example: 'https://example.com/menu.pdf',
    description: 'Checked when a message is sent',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({
    example: 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    description: 'An id from POST /v1/media',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  uploadId?: string;

  @ApiPropertyOptional({ example: 'menu.pdf' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

export class CreateTemplateDto {
  @ApiProperty({
    example: 'order_shipped',
    maxLength: 100,
    description: 'Unique per account (case-insensitive)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME, { message: NAME_MESSAGE })
  name!: string;

  @ApiProperty({ example: 'en-US', description: 'BCP-47 language tag' })
  @IsString()
  @MaxLength(35)
  language!: string;

  @ApiProperty({ enum: TEMPLATE_CATEGORIES })
  @IsIn(TEMPLATE_CATEGORIES)
  category!: TemplateCategory;

  @ApiProperty({
    example: 'Hi {{default contact.name "there"}}, order {{orderId}} ships on {{formatDate shipDate}}.',
    maxLength: MAX_BODY_LENGTH,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_BODY_LENGTH)
  body!: string;

  @ApiPropertyOptional({ type: [TemplateVariableDto], maxItems: MAX_VARIABLES })
  @IsOptional()
  @ArrayMaxSize(MAX_VARIABLES)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariableDto)
  variables?: TemplateVariableDto[];

  @ApiPropertyOptional({ type: TemplateMediaDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateMediaDto)
  media?: TemplateMediaDto;
}

export class UpdateTemplateDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(NAME, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(35) language?: string;

  @ApiPropertyOptional({ enum: TEMPLATE_CATEGORIES })
  @IsOptional()
  @IsIn(TEMPLATE_CATEGORIES)
  category?: TemplateCategory;

  @ApiPropertyOptional({ maxLength: MAX_BODY_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_BODY_LENGTH)
  body?: string;

  @ApiPropertyOptional({ type: [TemplateVariableDto], description: 'Replaces the declared variables' })
  @IsOptional()
  @ArrayMaxSize(MAX_VARIABLES)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariableDto)
  variables?: TemplateVariableDto[];

  @ApiPropertyOptional({ type: TemplateMediaDto, nullable: true, description: 'null removes the media' })
  @ValidateIf((_: object, v: unknown) => v !== undefined && v !== null)
  @ValidateNested()
  @Type(() => TemplateMediaDto)
  media?: TemplateMediaDto | null;
}

export class ValidateTemplateDto {
  @ApiProperty({ maxLength: MAX_BODY_LENGTH })
  @IsString()
  @MaxLength(MAX_BODY_LENGTH)
  body!: string;

  @ApiPropertyOptional({ type: [TemplateVariableDto] })
  @IsOptional()
  @ArrayMaxSize(MAX_VARIABLES)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariableDto)
  variables?: TemplateVariableDto[];

  @ApiPropertyOptional({
    example: 'en-US',
    description: 'Language of the preview (number and date helpers); default en',
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  language?: string;

  @ApiPropertyOptional({
    example: 'ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    description: 'Render the preview for this contact (404 when the account has none such)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contactId?: string;
}

export class PreviewTemplateDto {
  @ApiPropertyOptional({
    example: { orderId: 'A-1001', 'order.total': 99.9 },
    description: 'Values over the declared examples; keys may be dotted paths',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', description: 'Render for this contact' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contactId?: string;
}

export class TemplatePageQueryDto extends pageQueryDto({ maxLimit: MAX_PAGE, defaultLimit: 20 }) {
  @ApiPropertyOptional({ enum: TEMPLATE_CATEGORIES })
  @IsOptional()
  @IsIn(TEMPLATE_CATEGORIES)
  category?: TemplateCategory;
}

export class TemplateProblemDto {
  @ApiProperty({ example: 'undeclared_variable' }) code!: string;
  @ApiProperty({ example: 'orderid is not a declared variable' }) message!: string;
  @ApiPropertyOptional({ example: 1 }) line?: number;
  @ApiPropertyOptional({ example: 12 }) column?: number;
}

export class TemplateWarningDto {
  @ApiProperty({ example: 'unused_variable' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ example: 'order.total' }) variable!: string;
}

export class TemplateDto {
  @ApiProperty({ example: 'tpl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'en-US' }) language!: string;
  @ApiProperty({ enum: TEMPLATE_CATEGORIES }) category!: TemplateCategory;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [TemplateVariableDto] }) variables!: TemplateVariableDto[];
  @ApiProperty({ type: TemplateMediaDto, nullable: true }) media!: TemplateMediaDto | null;
  @ApiProperty({ example: 1, description: 'Grows with every change' }) revision!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class SavedTemplateDto extends TemplateDto {
  @ApiProperty({ type: [TemplateWarningDto], description: 'e.g. declared variables the body does not use' })
  warnings!: TemplateWarningDto[];
}

export class TemplatePageDto {
  @ApiProperty({ type: [TemplateDto] }) data!: TemplateDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

@ApiExtraModels(TemplateProblemDto)
export class TemplatePreviewProblemDto {
  @ApiProperty({ example: 'template_render_failed' }) code!: string;
  @ApiProperty({ example: 'formatNumber needs a number, got "abc"' }) message!: string;
}

export class TemplatePreviewDto {
  @ApiProperty({ example: 'Hi Jana, order A-1001 ships on Mar 3, 2026.' }) text!: string;
  @ApiPropertyOptional({ type: TemplateMediaDto }) media?: TemplateMediaDto;
  @ApiPropertyOptional({ type: [String], description: 'Paths without a value (rendered as empty text)' })
  missingVariables?: string[];
}

export class TemplateValidationDto {
  @ApiProperty({ description: 'true when the body can be saved' }) valid!: boolean;
  @ApiProperty({ type: 'array', items: { $ref: getSchemaPath(TemplateProblemDto) } })
  problems!: TemplateProblemDto[];
  @ApiProperty({ type: [TemplateWarningDto] }) warnings!: TemplateWarningDto[];
  @ApiProperty({
    type: [String],
    example: ['orderId', 'contact.name'],
    description: 'Top-level paths the body reads',
  })
  paths!: string[];
  @ApiPropertyOptional({
    type: TemplatePreviewDto,
    description:
      'When valid: the body rendered with the examples (and the contact), as POST /{id}/preview would',
  })
  preview?: TemplatePreviewDto;
  @ApiPropertyOptional({
    type: TemplatePreviewProblemDto,
    description: 'When valid but the examples do not render (e.g. a helper refused a value)',
  })
  previewProblem?: TemplatePreviewProblemDto;
}
