import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { pageQueryDto } from '@wwb/http';
import { CONTACT_LIMITS } from './contact-fields.policy';
import { OPT_OUT_SOURCES } from './contact.schema';
import { DEFAULT_PAGE, MAX_PAGE } from './contacts.service';

const ATTRIBUTES_DOC =
  `Flat values (string, number, boolean); at most ${CONTACT_LIMITS.attributes} keys of letters, digits ` +
  `and _, strings of at most ${CONTACT_LIMITS.attributeValueLength} characters. Templates read them as ` +
  '{{contact.attributes.<key>}}.';
const TAGS_DOC = `Lower-case slugs (a-z, 0-9, -, _), at most ${CONTACT_LIMITS.tags} per contact; upper case is lowered.`;

/** `tag=a&tag=b` or `tag=a,b` -> ['a', 'b']. */
const toList = ({ value }: { value: unknown }): unknown =>
  (Array.isArray(value) ? value : [value])
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
    .map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class CreateContactDto {
  @ApiProperty({ example: '+15551234567', description: 'E.164, digits with country code, or a WhatsApp id' })
  @IsString()
  @MaxLength(64)
  phone!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Ada Lovelace',
    maxLength: CONTACT_LIMITS.nameLength,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  name?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['vip', 'newsletter'], description: TAGS_DOC })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { plan: 'gold', orders: 3 },
    description: ATTRIBUTES_DOC,
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'America/New_York',
    description: "IANA zone; default: the main zone of the phone's country, else UTC",
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timeZone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'en-US', description: 'BCP-47 language tag' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  language?: string | null;
}

/** PATCH: absent fields stay as they are. */
export class UpdateContactDto {
  @ApiPropertyOptional({ example: '+15551234567' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phone?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'null removes the name (the WhatsApp push name shows instead)',
  })
  @ValidateIf((o: UpdateContactDto) => o.name !== undefined && o.name !== null)
  @IsString()
  @MaxLength(1000)
  name?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: `Replaces every tag. ${TAGS_DOC} Not with addTags/removeTags.`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: [String], example: ['vip'], description: 'Tags to add' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  addTags?: string[];

  @ApiPropertyOptional({ type: [String], example: ['trial'], description: 'Tags to remove (after adding)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  removeTags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { plan: 'platinum', coupon: null },
    description: `Merged into the attributes; a null value removes that key. ${ATTRIBUTES_DOC}`,
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: "IANA zone; null: back to the phone country's default",
  })
  @ValidateIf((o: UpdateContactDto) => o.timeZone !== undefined && o.timeZone !== null)
  @IsString()
  @MaxLength(100)
  timeZone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'BCP-47; null removes it' })
  @ValidateIf((o: UpdateContactDto) => o.language !== undefined && o.language !== null)
  @IsString()
  @MaxLength(100)
  language?: string | null;
}

export class OptOutRequestDto {
  @ApiPropertyOptional({ example: 'asked by phone', maxLength: CONTACT_LIMITS.reasonLength })
  @IsOptional()
  @IsString()
  @MaxLength(CONTACT_LIMITS.reasonLength)
  reason?: string;
}

export class ContactFilterQueryDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Contacts having every one of these tags (repeat the parameter or separate with commas)',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  tag?: string[];

  @ApiPropertyOptional({
    description: 'Prefix of the name (any case) or of the phone number',
    example: 'ada',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  optedOut?: boolean;
}

export class ContactListQueryDto extends IntersectionType(
  ContactFilterQueryDto,
  pageQueryDto({ maxLimit: MAX_PAGE, defaultLimit: DEFAULT_PAGE }),
) {}

export class ContactOptOutDto {
  @ApiProperty() optedOut!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'When the state last changed' }) at!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: OPT_OUT_SOURCES }) source!: string | null;
}

export class ContactDto {
  @ApiProperty({ example: 'ctc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty({ example: '+15551234567' }) phone!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The name given, else the WhatsApp push name' })
  name!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'WhatsApp push name of the last inbound message',
  })
  pushName!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, unknown>;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
  @ApiProperty({ type: String, nullable: true }) language!: string | null;
  @ApiProperty({ type: ContactOptOutDto }) optOut!: ContactOptOutDto;
  @ApiProperty({ type: String, nullable: true }) lastInboundAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ContactPageDto {
  @ApiProperty({ type: [ContactDto] }) data!: ContactDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ImportRowErrorDto {
  @ApiProperty({ description: 'Line in the file (the header is line 1)' }) row!: number;
  @ApiProperty({ example: 'invalid_phone' }) code!: string;
  @ApiProperty() message!: string;
}

export class ImportResultDto {
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'Rows not applied (all of them, even beyond the errors listed)' })
  failed!: number;
  @ApiProperty({ type: [ImportRowErrorDto], description: 'The first 100 row errors' })
  errors!: ImportRowErrorDto[];
}

export class ImportBodyDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The CSV file' }) file!: unknown;
}
