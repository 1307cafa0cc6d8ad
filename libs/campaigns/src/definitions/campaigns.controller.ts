import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { reachOf } from './campaign-input.policy';
import { CampaignDefinitionsService, CampaignPage } from './campaign-definitions.service';
import { CampaignView } from './campaign.mapper';
import {
  CampaignDto,
  CampaignPageDto,
  CampaignPageQueryDto,
  CreateCampaignDto,
  SchedulePreviewDto,
  SchedulePreviewRequestDto,
  UpdateCampaignDto,
} from './campaign.dto';
import { SchedulePreviewService } from './schedule-preview.service';

const ID = { name: 'id', example: 'cmp_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };
const BODY_CODES =
  'invalid_name, invalid_connections, unknown_connection (details.connectionIds), template_not_found, ' +
  'invalid_variables, invalid_audience, empty_audience, invalid_schedule, invalid_time_zone, invalid_cron, ' +
  'invalid_rrule, schedule_end_before_start, schedule_in_past, schedule_too_frequent, invalid_pacing ' +
  '(details.field names the field), validation_failed (types, unknown fields)';
const SCOPE_NOTE =
  'A key restricted to some connections sees only campaigns whose connections it all reaches (others are ' +
  '404) and may name only its own connections (others are unknown_connection).';
const SCHEDULE_CODES =
  'invalid_schedule, invalid_time_zone, invalid_cron, invalid_rrule, schedule_end_before_start, ' +
  'schedule_in_past, schedule_too_frequent (details.field names the field), validation_failed (count, types)';
const STATE_CODES = '404 not_found; 409 campaign_changed when another change won the race.';

@ApiTags('campaigns')
@ApiKeyAuth()
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignDefinitionsService,
    private readonly schedules: SchedulePreviewService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a campaign',
    description: `A template sent to an audience on a schedule, paced per connection (docs/campaigns.md). Errors (400): ${BODY_CODES}; 403 plan_limit_exceeded. ${SCOPE_NOTE}`,
  })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiErrorResponses(400, 403, 413, 415)
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(p.scope, body, reachOf(p));
  }

  // A fixed path: declared before the `:id` routes so that it is never read as a campaign id.
  @Post('schedule-preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'When a schedule would run: its next occurrences, before saving it',
    description: `Checks the schedule as creating a campaign does and lists its next occurrences (count, default 5, at most 20) as instants and as wall-clock times in the schedule's zone. Saves nothing. Errors (400): ${SCHEDULE_CODES}.`,
  })
  @ApiOkResponse({ type: SchedulePreviewDto })
  @ApiErrorResponses(400, 413, 415)
  schedulePreview(
    @CurrentPrincipal() p: Principal,
    @Body() body: SchedulePreviewRequestDto,
  ): SchedulePreviewDto {
    return this.schedules.preview(p.scope, { schedule: body.schedule, count: body.count });
  }

  @Get()
  @ApiOperation({ summary: "The account's campaigns, newest first", description: '400 invalid_cursor.' })
  @ApiOkResponse({ type: CampaignPageDto })
  @ApiErrorResponses(400)
  list(@CurrentPrincipal() p: Principal, @Query() query: CampaignPageQueryDto): Promise<CampaignPage> {
    return this.campaigns.list(p.scope, query, reachOf(p));
  }

  @Get(':id')
  @ApiParam(ID)
  @ApiOperation({ summary: 'One campaign, with its state and next run' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrorResponses(404)
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CampaignView> {
    return this.campaigns.get(p.scope, id, reachOf(p));
  }

  @Patch(':id')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Change a campaign (absent fields stay)',
    description: `Errors (400): ${BODY_CODES}; ${STATE_CODES} 409 campaign_cancelled for a cancelled campaign.`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: UpdateCampaignDto,
  ): Promise<CampaignView> {
    return this.campaigns.update(p.scope, id, body, reachOf(p));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Delete a campaign',
    description: 'Gives back its plan slot and its hold on the template. 404 not_found.',
  })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  async delete(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.campaigns.delete(p.scope, id, reachOf(p));
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Pause a campaign (no new runs until resumed)',
    description: `Pausing a paused campaign changes nothing. ${STATE_CODES} 409 campaign_cancelled.`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrorResponses(404, 409)
  pause(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CampaignView> {
    return this.campaigns.pause(p.scope, id, reachOf(p));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Resume a paused campaign',
    description: `Resuming an active campaign changes nothing. ${STATE_CODES} 409 campaign_cancelled.`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrorResponses(404, 409)
  resume(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CampaignView> {
    return this.campaigns.resume(p.scope, id, reachOf(p));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Cancel a campaign for good',
    description: `It never runs again and cannot be resumed or changed; it keeps its plan slot until deleted. Cancelling it again changes nothing. ${STATE_CODES}`,
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrorResponses(404, 409)
  cancel(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<CampaignView> {
    return this.campaigns.cancel(p.scope, id, reachOf(p));
  }
}
