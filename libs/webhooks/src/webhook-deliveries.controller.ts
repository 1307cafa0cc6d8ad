import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import {
  DeliveryDetailDto,
  DeliveryPageDto,
  DeliveryQueryDto,
  RedeliveryDto,
  ReplayDto,
  ReplayJobDto,
  StatsQueryDto,
  WebhookStatsDto,
} from './webhook.dto';

const ID = { name: 'id', example: 'whk_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };

@ApiTags('webhooks')
@ApiKeyAuth()
@Controller('v1/webhooks/:id')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get('deliveries')
  @ApiParam(ID)
  @ApiOperation({ summary: "An endpoint's deliveries, newest first (status: pending, delivered, failed)" })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiErrorResponses(400, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryPageDto> {
    return this.deliveries.list(principal, id, query);
  }

  @Get('deliveries/:deliveryId')
  @ApiParam(ID)
  @ApiOperation({
    summary:
      'One delivery with every attempt (time, status code, latency, error, first 4 KB of the response)',
  })
  @ApiOkResponse({ type: DeliveryDetailDto })
  @ApiErrorResponses(404)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryDetailDto> {
    return this.deliveries.get(principal, id, deliveryId);
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Send a delivery again (same webhook-id and body; a new delivery with its own attempts)',
    description:
      'A redelivery is a job of the account until a worker has taken it: at the plan limit webhookJobs ' +
      '(GET /v1/account) 429 too_many_webhook_jobs with Retry-After.',
  })
  @ApiAcceptedResponse({ type: RedeliveryDto })
  @ApiErrorResponses(404)
  redeliver(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<RedeliveryDto> {
    return this.deliveries.redeliver(principal, id, deliveryId);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Re-send every event of a time window that the endpoint matches now',
    description:
      'Errors: invalid_replay_window; 429 too_many_webhook_jobs (with Retry-After) while the account has its ' +
      "plan's webhookJobs redeliveries and replays not done yet. Follow the job with GET /v1/webhooks/:id/replays/:jobId.",
  })
  @ApiAcceptedResponse({ type: ReplayJobDto })
  @ApiErrorResponses(400, 404, 413, 415)
  replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ReplayDto,
  ): Promise<ReplayJobDto> {
    return this.deliveries.replay(principal, id, body);
  }

  @Get('replays/:jobId')
  @ApiParam(ID)
  @ApiOperation({ summary: 'Progress of a replay' })
  @ApiOkResponse({ type: ReplayJobDto })
  @ApiErrorResponses(404)
  replayStatus(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('jobId') jobId: string,
  ): Promise<ReplayJobDto> {
    return this.deliveries.replayStatus(principal, id, jobId);
  }

  @Get('stats')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Success rate of attempts and p50/p99 from event to first attempt (default: last 24 h)',
  })
  @ApiOkResponse({ type: WebhookStatsDto })
  @ApiErrorResponses(400, 404)
  stats(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: StatsQueryDto,
  ): Promise<WebhookStatsDto> {
    return this.deliveries.stats(principal, id, query.hours);
  }
}
