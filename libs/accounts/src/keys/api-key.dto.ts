import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ApiKeyRecord } from './api-key.schema';

export const CONNECTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export class CreateApiKeyDto {
  @ApiProperty({ example: 'crm-integration', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 100,
    description:
      'Restrict the key to these connections (enforced by the connection endpoints). A restricted key ' +
      'can only create keys restricted to a subset of its own connections.',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.connectionIds !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(CONNECTION_ID_PATTERN, {
    each: true,
    message: 'each value in connectionIds must be a connection id',
  })
  connectionIds?: string[];
}

/** A key as listed: never the key itself nor its hash. */
export class ApiKeyDto {
  @ApiProperty({ example: 'key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'wwb_3f9KqP2a', description: 'First 12 characters of the key' }) prefix!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'null = every connection of the account' })
  connectionIds!: string[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Updated at most once a minute',
  })
  lastUsedAt!: string | null;

  static from(k: ApiKeyRecord): ApiKeyDto {
    return {
      id: k._id,
      name: k.name,
      prefix: k.prefix,
      connectionIds: k.connectionIds?.length ? k.connectionIds : null,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
    };
  }
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** The answer to a key creation: the only time the full key is shown. */
export class CreatedApiKeyDto {
  @ApiProperty({ example: 'key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'wwb_3f9KqP2a…', description: 'The full key. Shown once: store it now.' })
  key!: string;
  @ApiProperty({ example: 'wwb_3f9KqP2a' }) prefix!: string;
  @ApiProperty({ type: [String], nullable: true }) connectionIds!: string[] | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(k: ApiKeyRecord, key: string): CreatedApiKeyDto {
    return {
      id: k._id,
      name: k.name,
      key,
      prefix: k.prefix,
      connectionIds: k.connectionIds?.length ? k.connectionIds : null,
      createdAt: k.createdAt.toISOString(),
    };
  }
}
