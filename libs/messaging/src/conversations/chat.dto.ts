import { ApiProperty } from '@nestjs/swagger';
import { CHAT_MESSAGE_SOURCES } from './conversation.schema';

export class LastMessageDto {
  @ApiProperty() waMessageId!: string;
  @ApiProperty({ example: 'text' }) type!: string;
  @ApiProperty({ description: 'First 200 characters' }) body!: string;
  @ApiProperty() fromMe!: boolean;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
}

export class ChatDto {
  @ApiProperty({ example: '15557654321@c.us' }) chatId!: string;
  @ApiProperty() isGroup!: boolean;
  @ApiProperty({ type: LastMessageDto, nullable: true }) lastMessage!: LastMessageDto | null;
  @ApiProperty({ format: 'date-time' }) lastMessageAt!: string;
}

export class ChatPageDto {
  @ApiProperty({ type: [ChatDto] }) data!: ChatDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ReactionDto {
  @ApiProperty() from!: string;
  @ApiProperty({ example: '👍' }) reaction!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
}

export class ChatMessageDto {
  @ApiProperty({ example: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB' }) waMessageId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Our id when sent through us (API or automation)',
  })
  messageId!: string | null;
  @ApiProperty() chatId!: string;
  @ApiProperty() fromMe!: boolean;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) to!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Sender in a group' }) author!: string | null;
  @ApiProperty({ example: 'text' }) type!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty() hasMedia!: boolean;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: '{mimetype, filename, size, duration, voice, gif}',
  })
  media!: object | null;
  @ApiProperty({ type: String, nullable: true }) quotedMessageId!: string | null;
  @ApiProperty({ type: [String] }) mentions!: string[];
  @ApiProperty({ type: Object, nullable: true }) location!: object | null;
  @ApiProperty({ type: [String] }) vCards!: string[];
  @ApiProperty({ type: Object, nullable: true }) poll!: object | null;
  @ApiProperty() isForwarded!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Outgoing: sent, delivered, read, played, failed',
  })
  status!: string | null;
  @ApiProperty({ type: Object, description: 'Status -> ISO time it was reached' })
  statusTimestamps!: Record<string, string>;
  @ApiProperty() revoked!: boolean;
  @ApiProperty() edited!: boolean;
  @ApiProperty({ type: [ReactionDto] }) reactions!: ReactionDto[];
  @ApiProperty({
    type: String,
    enum: CHAT_MESSAGE_SOURCES,
    nullable: true,
    description:
      'Outgoing: who sent it (api, auto_reply, faq_bot, campaign, opt_out through us; phone when typed ' +
      'on the phone, or sent through us and not yet confirmed by the gateway); null for incoming',
  })
  source!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The auto-reply rule that sent it' })
  ruleId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The FAQ bot that sent it' })
  botId!: string | null;
}

export class ChatMessagePageDto {
  @ApiProperty({ type: [ChatMessageDto] }) data!: ChatMessageDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
