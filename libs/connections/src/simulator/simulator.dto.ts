import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PHONE_NUMBER_PATTERN } from '../connection.dto';

/** A phone number (E.164) or a WhatsApp chat id (`<digits>@c.us`, `<id>@g.us`, `<id>@lid`). */
export const PHONE_OR_CHAT_PATTERN = /^(\+?[1-9][0-9]{6,14}|[0-9][0-9-]{4,40}@(c\.us|g\.us|lid))$/;
const PHONE_OR_CHAT_MESSAGE = '$property must be an E.164 phone number or a chat id (…@c.us, …@g.us)';

export const SIMULATED_INBOUND_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contact',
  'poll',
] as const;

export class SimulatorScanDto {
  @ApiPropertyOptional({
    example: '+15551234567',
    description: 'Number of the simulated phone (default: derived from the id)',
  })
  @IsOptional()
  @IsString()
  @Matches(PHONE_NUMBER_PATTERN, { message: 'phoneNumber must be an E.164 phone number like +15551234567' })
  phoneNumber?: string;

  @ApiPropertyOptional({ example: 'Acme Support', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  pushName?: string;
}

export class SimulatedMediaDto {
  @ApiProperty({ example: 'image/jpeg' })
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mimetype must be a media type like image/jpeg' })
  mimetype!: string;

  @ApiPropertyOptional({ description: 'Base64 bytes (optional: the simulator only reports metadata)' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  data?: string;

  @ApiPropertyOptional({ example: 'photo.jpg' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;

  @ApiPropertyOptional({ description: 'Bytes' })
  @IsOptional()
  @IsInt()
  @Min(0)
  size?: number;
}

export class SimulatedLocationDto {
  @ApiProperty({ example: 52.52 }) @IsLatitude() latitude!: number;
  @ApiProperty({ example: 13.405 }) @IsLongitude() longitude!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) address?: string;
}

export class SimulatedPollDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(256) name!: string;
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(12)
  @IsString({ each: true })
  options!: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowMultipleAnswers?: boolean;
}

/** A message arriving at the simulated phone. */
export class SimulatorInboundDto {
  @ApiProperty({
    example: '+15557654321',
    description: 'Sender: phone number or chat id (a group id for a group message)',
  })
  @IsString()
  @Matches(PHONE_OR_CHAT_PATTERN, { message: PHONE_OR_CHAT_MESSAGE })
  from!: string;

  @ApiPropertyOptional({ example: '+15550001111', description: 'The member who wrote, in a group' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_OR_CHAT_PATTERN, { message: PHONE_OR_CHAT_MESSAGE })
  author?: string;

  @ApiPropertyOptional({ enum: SIMULATED_INBOUND_TYPES, default: 'text' })
  @IsOptional()
  @IsIn(SIMULATED_INBOUND_TYPES)
  type?: (typeof SIMULATED_INBOUND_TYPES)[number];

  @ApiPropertyOptional({ example: 'Hello!' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  text?: string;

  @ApiPropertyOptional({ type: SimulatedMediaDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimulatedMediaDto)
  media?: SimulatedMediaDto;

  @ApiPropertyOptional({ description: 'Audio as a voice note' })
  @IsOptional()
  @IsBoolean()
  voice?: boolean;

  @ApiPropertyOptional({ type: SimulatedLocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimulatedLocationDto)
  location?: SimulatedLocationDto;

  @ApiPropertyOptional({ description: 'A vCard 3.0 text' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  vCard?: string;

  @ApiPropertyOptional({ type: SimulatedPollDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimulatedPollDto)
  poll?: SimulatedPollDto;

  @ApiPropertyOptional({ description: 'waMessageId of the message this one replies to' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  replyTo?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(PHONE_OR_CHAT_PATTERN, { each: true, message: PHONE_OR_CHAT_MESSAGE })
  mentions?: string[];
}

export class SimulatorInboundResultDto {
  @ApiProperty({ example: 'false_15557654321@c.us_3A1F2E3D4C5B6A7980AB' }) waMessageId!: string;
  @ApiProperty({ example: '15557654321@c.us' }) chatId!: string;
}

/** A text someone types on the simulated linked phone (not sent through the API). */
export class SimulatorPhoneMessageDto {
  @ApiProperty({ example: '+15557654321', description: 'Recipient: phone number or chat id' })
  @IsString()
  @Matches(PHONE_OR_CHAT_PATTERN, { message: PHONE_OR_CHAT_MESSAGE })
  to!: string;

  @ApiProperty({ example: 'Hi, Anna from support here', maxLength: 65_536 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(65_536)
  text!: string;
}

export class SimulatorPhoneMessageResultDto {
  @ApiProperty({ example: 'true_15557654321@c.us_3A1F2E3D4C5B6A7980AB' }) waMessageId!: string;
  @ApiProperty({ example: '15557654321@c.us' }) chatId!: string;
}

export const SIMULATED_ACKS = ['sent', 'delivered', 'read', 'played', 'failed'] as const;

export class SimulatorAckDto {
  @ApiProperty({
    example: 'true_15557654321@c.us_3EB0A1B2C3D4E5F60718',
    description:
      'One of our messages: its id as the send returned it (msg_...) or its WhatsApp id (waMessageId of its ' +
      'message.sent event); 404 message_not_found when the connection has no such message',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  messageId!: string;

  @ApiProperty({ enum: SIMULATED_ACKS, example: 'read' })
  @IsIn(SIMULATED_ACKS)
  status!: (typeof SIMULATED_ACKS)[number];
}

export class SimulatorDisconnectDto {
  @ApiPropertyOptional({
    example: 'CONFLICT',
    description: 'LOGOUT or UNPAIRED unlink the device (terminal: logged_out); anything else restarts it',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason?: string;
}

export class SimulatedAccountDto {
  @ApiProperty({ example: '15551234567' }) phoneNumber!: string;
  @ApiProperty({ example: 'Acme Support' }) pushName!: string;
  @ApiProperty({ example: '15551234567@c.us' }) chatId!: string;
}
