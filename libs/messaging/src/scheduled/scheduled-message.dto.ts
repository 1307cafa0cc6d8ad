import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { SENDABLE_MESSAGE_TYPES } from '@wwb/contracts';
import { pageQueryDto } from '@wwb/http';
import { MESSAGE_SOURCES } from '../outbound';
import { MessageErrorDto } from '../send/send-message.dto';
import { SCHEDULED_STATES } from './scheduled-message.schema';

export const SCHEDULED_PAGE_MAX = 200;

export class ScheduledMessagePageQueryDto extends pageQueryDto({
  maxLimit: SCHEDULED_PAGE_MAX,
  defaultLimit: 50,
}) {}

export class RescheduleMessageDto {
  @ApiProperty({
    example: '2026-12-24T09:00:00+01:00',
    description: 'The new time: ISO 8601 with a zone, at most 366 days ahead',
  })
  @IsString()
  sendAt!: string;
}

export class ScheduledMessageDto {
  @ApiProperty({ example: 'msg_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8', description: 'The id it keeps once sent' })
  id!: string;
  @ApiProperty() connectionId!: string;
  @ApiProperty({ example: '+15551234567' }) to!: string;
  @ApiProperty({ enum: SENDABLE_MESSAGE_TYPES }) type!: string;
  @ApiProperty({
    enum: SCHEDULED_STATES,
    description: 'scheduled: waiting for sendAt; failed: it could not be sent when sendAt came (see error)',
  })
  status!: string;
  @ApiProperty({ format: 'date-time' }) sendAt!: string;
  @ApiProperty({ type: MessageErrorDto, nullable: true }) error!: MessageErrorDto | null;
  @ApiProperty({ enum: MESSAGE_SOURCES }) source!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ScheduledMessagePageDto {
  @ApiProperty({ type: [ScheduledMessageDto] }) data!: ScheduledMessageDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page' })
  nextCursor!: string | null;
}
