import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { assertConnectionReach } from '../send/connection-lookup.service';
import {
  RescheduleMessageDto,
  ScheduledMessageDto,
  ScheduledMessagePageDto,
  ScheduledMessagePageQueryDto,
} from './scheduled-message.dto';
import {
  ScheduledMessagePage,
  ScheduledMessagesService,
  ScheduledMessageView,
} from './scheduled-messages.service';

const CONNECTION = { name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' };
const MESSAGE = { name: 'messageId', example: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' };
const SEND_AT_CODES = 'invalid_send_at, send_at_in_past, send_at_too_far, validation_failed';

/** Messages sent with `sendAt` that are still waiting (or failed when their time came). */
@ApiTags('messages')
@ApiKeyAuth()
@Controller('v1/connections/:id/scheduled-messages')
export class ScheduledMessagesController {
  constructor(private readonly scheduled: ScheduledMessagesService) {}

  @Get()
  @ApiOperation({
    summary: 'Scheduled messages of a connection, soonest first (sent ones are gone from this list)',
    description: '400 invalid_cursor, validation_failed.',
  })
  @ApiParam(CONNECTION)
  @ApiOkResponse({ type: ScheduledMessagePageDto })
  @ApiErrorResponses(400, 404)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Query() query: ScheduledMessagePageQueryDto,
  ): Promise<ScheduledMessagePage> {
    assertConnectionReach(principal, connectionId);
    return this.scheduled.list(principal.scope, connectionId, query);
  }

  @Get(':messageId')
  @ApiOperation({ summary: 'A scheduled message (404 once sent: read it at GET .../messages/{messageId})' })
  @ApiParam(CONNECTION)
  @ApiParam(MESSAGE)
  @ApiOkResponse({ type: ScheduledMessageDto })
  @ApiErrorResponses(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('messageId') messageId: string,
  ): Promise<ScheduledMessageView> {
    assertConnectionReach(principal, connectionId);
    return this.scheduled.get(principal.scope, connectionId, messageId);
  }

  @Patch(':messageId')
  @ApiOperation({
    summary: 'Reschedule a message that is still waiting',
    description:
      `400 ${SEND_AT_CODES}. 409 message_already_sending (its time came: it is being sent), ` +
      'message_not_scheduled (it failed), scheduled_message_changed (a concurrent change won; retry).',
  })
  @ApiParam(CONNECTION)
  @ApiParam(MESSAGE)
  @ApiOkResponse({ type: ScheduledMessageDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async reschedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('messageId') messageId: string,
    @Body() body: RescheduleMessageDto,
  ): Promise<ScheduledMessageView> {
    assertConnectionReach(principal, connectionId);
    return this.scheduled.reschedule(principal.scope, connectionId, messageId, body.sendAt);
  }

  @Delete(':messageId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Cancel a scheduled message (or forget a failed one)',
    description: '409 message_already_sending (its time came: it is being sent), scheduled_message_changed.',
  })
  @ApiParam(CONNECTION)
  @ApiParam(MESSAGE)
  @ApiNoContentResponse()
  @ApiErrorResponses(404, 409)
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('messageId') messageId: string,
  ): Promise<void> {
    assertConnectionReach(principal, connectionId);
    await this.scheduled.cancel(principal.scope, connectionId, messageId);
  }
}
