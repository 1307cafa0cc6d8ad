import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountQuotaService, ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { assertConnectionReach } from './connection-lookup.service';
import { MessageQueryService, MessageView } from './message-query.service';
import { AcceptedMessageDto, MessageDto, SendMessageDto } from './send-message.dto';
import { SendMessageUseCase } from './send-message.service';
import { ScheduleMessageUseCase } from '../scheduled/schedule-message.service';
import { SEND_ERROR_CODES } from './send-request.errors';

@ApiTags('messages')
@ApiKeyAuth()
@Controller('v1/connections/:id/messages')
export class MessagesController {
  constructor(
    private readonly sending: SendMessageUseCase,
    private readonly scheduling: ScheduleMessageUseCase,
    private readonly query: MessageQueryService,
    private readonly quotas: AccountQuotaService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a message (queued: stored, then sent by the gateway that runs the connection)',
    description:
      'Answers 202 once the message is stored; follow it with GET .../messages/{messageId} or the ' +
      'message.status events. 400 codes: ' +
      Object.keys(SEND_ERROR_CODES).join(', ') +
      ', validation_failed, invalid_idempotency_key, and with sendAt invalid_send_at, send_at_in_past, ' +
      'send_at_too_far. 409 connection_stopped, connection_logged_out, ' +
      'idempotency_key_in_progress. 422 idempotency_key_reused. Plan limits (GET /v1/account): 429 ' +
      'too_many_pending_messages (messages accepted and not yet sent or failed) and too_many_media_fetches ' +
      '(media URLs being fetched), too_many_scheduled_messages (with sendAt), with Retry-After; 403 ' +
      'plan_limit_exceeded when the media would take the stored bytes over mediaBytes. With sendAt the message ' +
      'is checked now and stored as `scheduled` (202 status scheduled); it is sent through this same path ' +
      'when sendAt comes, under the same id.',
  })
  @ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Same key and body: the same message again (header Idempotent-Replayed: true); another body: 422',
  })
  @ApiAcceptedResponse({ type: AcceptedMessageDto })
  @ApiErrorResponses(400, 404, 409, 413, 415, 422)
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Body() body: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedMessageDto> {
    assertConnectionReach(principal, connectionId);
    const plan = await this.quotas.planOf(principal.scope);
    const quota = {
      plan: plan.name,
      pendingMessages: plan.limit('pendingMessages'),
      mediaFetches: plan.limit('mediaFetches'),
      mediaBytes: plan.limit('mediaBytes'),
      scheduledMessages: plan.limit('scheduledMessages'),
    };
    const { sendAt, ...message } = body;
    const key = idempotencyKey !== undefined ? { idempotencyKey } : {};
    if (sendAt !== undefined) {
      const scheduled = await this.scheduling.execute(principal.scope, {
        connectionId,
        message,
        sendAt,
        ...key,
        quota,
      });
      if (scheduled.replayed) res.setHeader('Idempotent-Replayed', 'true');
      return { id: scheduled.id, status: scheduled.status, sendAt: scheduled.sendAt.toISOString() };
    }
    const result = await this.sending.execute(principal.scope, {
      connectionId,
      message,
      ...key,
      origin: { source: 'api' },
      quota,
    });
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { id: result.id, status: result.status };
  }

  @Get(':messageId')
  @ApiOperation({
    summary:
      'A message sent through the API: status (queued, sent, delivered, read, played, failed) and timestamps',
  })
  @ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' })
  @ApiParam({ name: 'messageId', example: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiOkResponse({ type: MessageDto })
  @ApiErrorResponses(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('messageId') messageId: string,
  ): Promise<MessageView> {
    return this.query.get(principal, connectionId, messageId);
  }
}
