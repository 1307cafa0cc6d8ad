import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { HANDOFF_REASONS, HANDOFF_REQUEST_ACTIONS } from '@wwb/contracts';

/** A month: the longest a rule's handoff action may pause a chat too. */
export const MAX_TAKE_OVER_MINUTES = 43_200;

export class TakeOverDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_TAKE_OVER_MINUTES,
    example: 60,
    description:
      'How long automation stays silent in the chat, unless given back earlier. Default ' +
      'AUTOMATION_HUMAN_PAUSE_MINUTES (30 when that is 0). Replaces the end of a pause already running.',
  })
  // Absent means the default; null is no number of minutes and is refused like any other non-integer.
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_TAKE_OVER_MINUTES)
  minutes?: number;
}

export class HandoffStateDto {
  @ApiProperty({ example: '15557654321@c.us' }) chatId!: string;

  @ApiProperty({ description: 'Automation stays silent in this chat (until `until`)' })
  paused!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'End of the pause' })
  until!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Start of the pause' })
  since!: string | null;

  @ApiProperty({
    type: String,
    enum: HANDOFF_REASONS,
    nullable: true,
    description:
      'human_reply: a person answered or took the chat over (see requestedBy); rule: a rule handed off; ' +
      'faq_misses: a FAQ bot missed too often in a row',
  })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The rule that handed off' })
  ruleId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The FAQ bot that handed off' })
  botId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Who took the chat over on purpose: the console user id, else the API key id',
  })
  requestedBy!: string | null;
}

export class HandoffRequestDto {
  @ApiProperty({
    example: '01JDQ8Z6W5V7Y2M3N4P5Q6R7S8',
    description: 'Id of the automation.handoff.requested event carrying the request',
  })
  requestId!: string;

  @ApiProperty({ example: '15557654321@c.us' }) chatId!: string;
  @ApiProperty({ enum: HANDOFF_REQUEST_ACTIONS }) action!: string;

  @ApiPropertyOptional({ example: 30, description: 'take_over: the pause asked for, in minutes' })
  minutes?: number;

  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
}
