import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '@wwb/http';
import { ApiKeyDto, ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyAuth, CurrentPrincipal } from '../auth/auth.decorators';
import { PageQueryDto } from '../page.dto';
import { Principal } from '../auth/principal.model';

@ApiTags('api-keys')
@ApiKeyAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: "The account's active API keys (never the key itself)" })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiErrorResponses(400)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<ApiKeyPageDto> {
    const page = await this.apiKeys.list(principal.scope, query, principal);
    return { data: page.data.map((k) => ApiKeyDto.from(k)), nextCursor: page.nextCursor };
  }

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create an API key within the plan' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The full key is in this answer only' })
  @ApiErrorResponses(400, 413, 415)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { record, key } = await this.apiKeys.issue(principal.scope, body, principal);
    return CreatedApiKeyDto.from(record, key);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (the one in use included); effective at once' })
  @ApiParam({ name: 'id', example: 'key_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrorResponses(404)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(principal.scope, id, principal);
  }
}
