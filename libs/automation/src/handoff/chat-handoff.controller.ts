import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { HandoffRequestDto, HandoffStateDto, TakeOverDto } from './chat-handoff.dto';
import { ChatHandoffRequestsService } from './chat-handoff-requests.service';

const ID = { name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' };
const CHAT = { name: 'chatId', example: '15557654321@c.us', description: 'A chat id or a phone number' };
const APPLIED =
  'Answers 202 once the request is published: the automation worker applies it in order with the ' +
  "chat's messages (an inbound message already queued is handled before it). Follow GET .../handoff " +
  'or the automation.handoff.started / automation.handoff.ended events. 400 invalid_chat_id; 404 for ' +
  "an unknown connection or another account's.";

/** Hand-off of one chat between automation and people (support may use these; viewers read). */
@ApiTags('chats')
@ApiKeyAuth()
@Controller('v1/connections/:id/chats/:chatId/handoff')
export class ChatHandoffController {
  constructor(private readonly handoffs: ChatHandoffRequestsService) {}

  @Get()
  @ApiParam(ID)
  @ApiParam(CHAT)
  @ApiOperation({
    summary: 'Whether automation is paused in the chat, until when and why',
    description: "400 invalid_chat_id; 404 for an unknown connection or another account's.",
  })
  @ApiOkResponse({ type: HandoffStateDto })
  @ApiErrorResponses(400, 404)
  state(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('chatId') chatId: string,
  ): Promise<HandoffStateDto> {
    return this.handoffs.state(principal, connectionId, chatId);
  }

  @Post('take-over')
  @HttpCode(202)
  @ApiParam(ID)
  @ApiParam(CHAT)
  @ApiOperation({
    summary: 'Take the chat over from automation: no auto-replies or FAQ answers until given back',
    description: `${APPLIED} validation_failed for minutes outside 1..43200.`,
  })
  @ApiAcceptedResponse({ type: HandoffRequestDto })
  @ApiErrorResponses(400, 404, 413, 415)
  takeOver(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('chatId') chatId: string,
    @Body() body: TakeOverDto,
  ): Promise<HandoffRequestDto> {
    return this.handoffs.request(principal, {
      connectionId,
      chat: chatId,
      action: 'take_over',
      ...(body.minutes !== undefined ? { minutes: body.minutes } : {}),
    });
  }

  @Post('give-back')
  @HttpCode(202)
  @ApiParam(ID)
  @ApiParam(CHAT)
  @ApiOperation({
    summary: 'Give the chat back to automation (ends any pause, also one a rule or FAQ bot started)',
    description: APPLIED,
  })
  @ApiAcceptedResponse({ type: HandoffRequestDto })
  @ApiErrorResponses(400, 404)
  giveBack(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('chatId') chatId: string,
  ): Promise<HandoffRequestDto> {
    return this.handoffs.request(principal, { connectionId, chat: chatId, action: 'give_back' });
  }
}
