import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { toWebhookDto } from './webhook.view';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  RotatedSecretDto,
  TestEventDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookPageDto,
  WebhookPageQueryDto,
} from '../webhook.dto';

const ID = { name: 'id', example: 'whk_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };

@ApiTags('webhooks')
@ApiKeyAuth()
@Controller('v1/webhooks')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create a webhook endpoint',
    description:
      'Deliveries are signed with Standard Webhooks headers (see docs/webhooks.md). The secret is in this answer only. ' +
      'Errors: invalid_webhook_url (not http/https, credentials in the URL), webhook_url_forbidden (private, loopback, ' +
      'link-local or metadata address), unknown_event_type, invalid_webhook_header, unknown_connection, plan_limit_exceeded.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrorResponses(400, 413, 415)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookDto> {
    const { view, secret } = await this.endpoints.create(principal, body);
    return { ...toWebhookDto(view), secret };
  }

  @Get()
  @ApiOperation({ summary: "The account's webhook endpoints" })
  @ApiOkResponse({ type: WebhookPageDto })
  @ApiErrorResponses(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: WebhookPageQueryDto,
  ): Promise<WebhookPageDto> {
    const page = await this.endpoints.list(principal, query);
    return { data: page.data.map(toWebhookDto), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiParam(ID)
  @ApiOperation({ summary: 'One webhook endpoint (status says whether it is disabled, and why)' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiErrorResponses(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.endpoints.get(principal, id));
  }

  @Patch(':id')
  @ApiParam(ID)
  @ApiOperation({ summary: 'Change an endpoint; {"enabled": true} re-enables a disabled one' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiErrorResponses(400, 404, 413, 415)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return toWebhookDto(await this.endpoints.update(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID)
  @ApiOperation({ summary: 'Delete an endpoint; pending deliveries are dropped' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.endpoints.delete(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Rotate the signing secret',
    description:
      'The old secret keeps signing for 24 h: meanwhile webhook-signature carries both signatures.',
  })
  @ApiOkResponse({ type: RotatedSecretDto })
  @ApiErrorResponses(404)
  async rotate(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RotatedSecretDto> {
    const { secret, previousExpiresAt } = await this.endpoints.rotateSecret(principal, id);
    return { secret, previousSecretExpiresAt: previousExpiresAt.toISOString() };
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiParam(ID)
  @ApiOperation({ summary: 'Send a webhook.test event to this endpoint through the normal delivery path' })
  @ApiAcceptedResponse({ type: TestEventDto })
  @ApiErrorResponses(404, 409)
  test(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TestEventDto> {
    return this.endpoints.test(principal, id);
  }
}
