import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsNumber,
  IsObject,
  IsString,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SENDABLE_MESSAGE_TYPES } from '@wwb/contracts';
import { MESSAGE_SOURCES } from '../outbound';

/** Present = validated (null is a wrong type, not "absent"). */
const Present = () => ValidateIf((_: object, v: unknown) => v !== undefined);

export class MediaInputDto {
  @ApiPropertyOptional({ description: 'http(s) URL fetched when the message is accepted (SSRF-guarded)' })
  @Present()
  @IsString()
  url?: string;

  @ApiPropertyOptional({ description: 'Base64 bytes, or a data: URL (`data:image/png;base64,...`)' })
  @Present()
  @IsString()
  base64?: string;

  @ApiPropertyOptional({
    example: 'upl_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    description: 'An id from POST /v1/media',
  })
  @Present()
  @IsString()
  uploadId?: string;

  @ApiPropertyOptional({
    example: 'image/jpeg',
    description: 'Required for base64 without a data: prefix; defaults to the upload / URL type',
  })
  @Present()
  @IsString()
  mimetype?: string;

  @ApiPropertyOptional({ example: 'invoice.pdf' })
  @Present()
  @IsString()
  filename?: string;
}

export class LocationInputDto {
  @ApiProperty({ example: 48.8584, minimum: -90, maximum: 90 })
  @Present()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  latitude?: number;

  @ApiProperty({ example: 2.2945, minimum: -180, maximum: 180 })
  @Present()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  longitude?: number;

  @ApiPropertyOptional({ example: 'Eiffel Tower' })
  @Present()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ example: 'Champ de Mars, Paris' })
  @Present()
  @IsString()
  address?: string;
}

export class ContactInputDto {
  @ApiPropertyOptional({
    description: 'A complete vCard (BEGIN:VCARD ... END:VCARD); or give the fields below',
  })
  @Present()
  @IsString()
  vcard?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @Present()
  @IsString()
  fullName?: string;

  @ApiPropertyOptional({ example: '+442079460958' })
  @Present()
  @IsString()
  phoneNumber?: string;

  @ApiPropertyOptional()
  @Present()
  @IsString()
  organization?: string;

  @ApiPropertyOptional()
  @Present()
  @IsString()
  email?: string;
}

export class ReactionInputDto {
  @ApiProperty({
    example: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB',
    description: 'WhatsApp id reacted to',
  })
  @Present()
  @IsString()
  messageId?: string;

  @ApiProperty({ example: '👍', description: 'One emoji; empty removes our reaction' })
  @Present()
  @IsString()
  emoji?: string;
}

export class PollInputDto {
  @ApiProperty({ example: 'Lunch?' })
  @Present()
  @IsString()
  name?: string;

  @ApiProperty({ type: [String], example: ['Pizza', 'Sushi'], minItems: 2, maxItems: 12 })
  @Present()
  @IsArray()
  @IsString({ each: true })
  options?: string[];

  @ApiPropertyOptional({ default: false })
  @Present()
  @IsBoolean()
  allowMultipleAnswers?: boolean;
}

/** Body of POST /v1/connections/:id/messages. Combinations are checked by parseSendRequest. */
export class SendMessageDto {
  @ApiProperty({
    example: '+15551234567',
    description: 'E.164 phone number, or a chat id `...@c.us` / `...@g.us`',
  })
  @Present()
  @IsString()
  to?: string;

  @ApiProperty({ enum: SENDABLE_MESSAGE_TYPES, example: 'text' })
  @Present()
  @IsString()
  type?: string;

  @ApiPropertyOptional({ example: 'Your order has shipped', description: 'type text' })
  @Present()
  @IsString()
  text?: string;

  @ApiPropertyOptional({ description: 'image, video, document' })
  @Present()
  @IsString()
  caption?: string;

  @ApiPropertyOptional({
    type: MediaInputDto,
    description: 'image, video, audio, document, sticker: exactly one source',
  })
  @Present()
  @IsObject()
  @ValidateNested()
  @Type(() => MediaInputDto)
  media?: MediaInputDto;

  @ApiPropertyOptional({ description: 'audio: send as a voice note (push to talk)' })
  @Present()
  @IsBoolean()
  voice?: boolean;

  @ApiPropertyOptional({ type: LocationInputDto })
  @Present()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationInputDto)
  location?: LocationInputDto;

  @ApiPropertyOptional({ type: ContactInputDto })
  @Present()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactInputDto)
  contact?: ContactInputDto;

  @ApiPropertyOptional({ type: ReactionInputDto })
  @Present()
  @IsObject()
  @ValidateNested()
  @Type(() => ReactionInputDto)
  reaction?: ReactionInputDto;

  @ApiPropertyOptional({ type: PollInputDto })
  @Present()
  @IsObject()
  @ValidateNested()
  @Type(() => PollInputDto)
  poll?: PollInputDto;

  @ApiPropertyOptional({ description: 'WhatsApp id of the message to quote' })
  @Present()
  @IsString()
  replyTo?: string;

  @ApiPropertyOptional({ type: [String], description: 'Phone numbers or @c.us ids mentioned' })
  @Present()
  @IsArray()
  @IsString({ each: true })
  mentions?: string[];

  @ApiPropertyOptional({
    example: '2026-12-24T09:00:00+01:00',
    description:
      'Send later: an ISO 8601 time with a zone, at most 366 days ahead (a time up to a minute ago is sent ' +
      'at once). The answer is then status `scheduled`; see GET .../scheduled-messages',
  })
  @Present()
  @IsString()
  sendAt?: string;
}

export class AcceptedMessageDto {
  @ApiProperty({ example: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty({ enum: ['queued', 'scheduled'] }) status!: 'queued' | 'scheduled';
  @ApiPropertyOptional({ format: 'date-time', description: 'When a scheduled message is due' })
  sendAt?: string;
}

export class MessageTimestampsDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while scheduled' })
  queued!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sent!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) failed!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) delivered!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) read!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) played!: string | null;
}

export class MessageErrorDto {
  @ApiProperty({ example: 'number_not_on_whatsapp' }) code!: string;
  @ApiProperty() message!: string;
}

export class MessageDto {
  @ApiProperty({ example: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ example: '+15551234567' }) to!: string;
  @ApiProperty({ example: '15551234567@c.us' }) chatId!: string;
  @ApiProperty({ enum: SENDABLE_MESSAGE_TYPES }) type!: string;
  @ApiProperty({ enum: ['scheduled', 'queued', 'sent', 'failed', 'delivered', 'read', 'played'] })
  status!: string;
  @ApiProperty({ type: String, nullable: true }) waMessageId!: string | null;
  @ApiProperty({ type: MessageTimestampsDto }) timestamps!: MessageTimestampsDto;
  @ApiProperty({ type: MessageErrorDto, nullable: true }) error!: MessageErrorDto | null;
  @ApiProperty({
    enum: MESSAGE_SOURCES,
    description:
      'Who sent it: api, scheduled (the API with sendAt), or an automation (auto_reply, faq_bot, campaign, opt_out)',
  })
  source!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The auto-reply rule that sent it' })
  ruleId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The FAQ bot that sent it' })
  botId!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The time it was scheduled for (sendAt), if it was',
  })
  sendAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
