import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal } from '@wwb/accounts';
import { ApiErrorResponses } from '@wwb/http';
import { ChatMessagePageDto, ChatPageDto } from './chat.dto';
import { ChatQueryService } from './chat-query.service';
import { ConversationPageQueryDto } from './page-query.dto';

@ApiTags('chats')
@ApiKeyAuth()
@Controller('v1/connections/:id/chats')
export class ChatsController {
  constructor(private readonly chats: ChatQueryService) {}

  @Get()
  @ApiOperation({ summary: "The connection's chats, most recent activity first" })
  @ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' })
  @ApiOkResponse({ type: ChatPageDto })
  @ApiErrorResponses(400, 404)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Query() query: ConversationPageQueryDto,
  ): Promise<ChatPageDto> {
    return this.chats.listChats(principal, connectionId, query);
  }

  @Get(':chatId/messages')
  @ApiOperation({ summary: 'Messages of a chat (in and out), newest first' })
  @ApiParam({ name: 'id', example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' })
  @ApiParam({ name: 'chatId', example: '15557654321@c.us', description: 'A chat id or a phone number' })
  @ApiOkResponse({ type: ChatMessagePageDto })
  @ApiErrorResponses(400, 404)
  async messages(
    @CurrentPrincipal() principal: Principal,
    @Param('id') connectionId: string,
    @Param('chatId') chatId: string,
    @Query() query: ConversationPageQueryDto,
  ): Promise<ChatMessagePageDto> {
    return this.chats.listMessages(principal, connectionId, chatId, query);
  }
}
