import { Type as NestType } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export interface PageQuery {
  cursor?: string;
  limit?: number;
}

/**
 * The `?cursor=&limit=` query of every list: the cursor is the opaque `nextCursor` of the previous
 * page (base64url), the limit is bounded per list. Extend the returned class to add filters.
 */
export function pageQueryDto(options: { maxLimit: number; defaultLimit: number }): NestType<PageQuery> {
  class PageQueryDto implements PageQuery {
    @ApiPropertyOptional({
      description: 'nextCursor of the previous page',
      pattern: '^[A-Za-z0-9_-]+$',
      maxLength: 512,
    })
    @IsOptional()
    @IsString()
    @MaxLength(512)
    @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not a valid cursor' })
    cursor?: string;

    @ApiPropertyOptional({ minimum: 1, maximum: options.maxLimit, default: options.defaultLimit })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(options.maxLimit)
    limit?: number;
  }
  return PageQueryDto;
}
