import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { WHATSAPP_DRIVERS } from '@wwb/config';
import { CONNECTION_STATUSES, ConnectionStatus } from '@wwb/contracts';
import { DESIRED_STATES, DesiredState, DriverKind } from './connection.schema';
import { ConnectionView } from './connection.view';
import { pageQueryDto } from '@wwb/http';

/** E.164 with or without the plus sign (spaces, dashes and brackets are not accepted). */
export const PHONE_NUMBER_PATTERN = /^\+?[1-9][0-9]{6,14}$/;
export const MAX_CONNECTION_PAGE = 100;

export class CreateConnectionDto {
  @ApiProperty({ example: 'Support line', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    enum: WHATSAPP_DRIVERS,
    description:
      'webjs (a real phone through WhatsApp Web) or simulator; default: the first of WHATSAPP_DRIVER',
  })
  @IsOptional()
  @IsIn(WHATSAPP_DRIVERS)
  driver?: DriverKind;
}

export class ConnectionPageQueryDto extends pageQueryDto({
  maxLimit: MAX_CONNECTION_PAGE,
  defaultLimit: 20,
}) {}

export class ConnectionDto {
  @ApiProperty({ example: 'con_01JDQ8Z0A1B2C3D4E5F6G7H8J9' }) id!: string;
  @ApiProperty({ example: 'Support line' }) name!: string;
  @ApiProperty({ enum: WHATSAPP_DRIVERS }) driver!: DriverKind;
  @ApiProperty({
    enum: CONNECTION_STATUSES,
    description:
      'starting -> qr -> authenticated -> ready; disconnected (restarting), failed (see statusReason; retried with ' +
      'backoff), logged_out, stopped',
  })
  status!: ConnectionStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why the connection is in this status' })
  statusReason!: string | null;
  @ApiProperty({ format: 'date-time' }) statusAt!: string;
  @ApiProperty({
    enum: DESIRED_STATES,
    description: 'What the account asked for: running, or stopped after a logout',
  })
  desiredState!: DesiredState;
  @ApiProperty({ type: String, nullable: true, example: '15551234567', description: 'Digits, once linked' })
  phoneNumber!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Acme Support' }) pushName!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The last failure or disconnection reason' })
  lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastErrorAt!: string | null;
  @ApiProperty({ description: 'Failed attempts since the last ready' }) failures!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Next automatic attempt' })
  retryAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readyAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(v: ConnectionView): ConnectionDto {
    return {
      id: v.id,
      name: v.name,
      driver: v.driver,
      status: v.status,
      statusReason: v.statusReason,
      statusAt: v.statusAt.toISOString(),
      desiredState: v.desiredState,
      phoneNumber: v.phoneNumber,
      pushName: v.pushName,
      lastError: v.lastError,
      lastErrorAt: v.lastErrorAt?.toISOString() ?? null,
      failures: v.failures,
      retryAt: v.retryAt?.toISOString() ?? null,
      readyAt: v.readyAt?.toISOString() ?? null,
      createdAt: v.createdAt.toISOString(),
      updatedAt: v.updatedAt.toISOString(),
    };
  }
}

export class ConnectionPageDto {
  @ApiProperty({ type: [ConnectionDto] }) data!: ConnectionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class QrQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'png'],
    default: 'json',
    description: 'png: the image itself (image/png)',
  })
  @IsOptional()
  @IsIn(['json', 'png'])
  format?: 'json' | 'png';
}

export class QrDto {
  @ApiProperty({ description: 'The QR payload (scan it, or render it yourself)' }) qr!: string;
  @ApiProperty({
    example: 'data:image/png;base64,iVBORw0KGgo…',
    description: 'The QR code as a PNG data URL',
  })
  image!: string;
  @ApiProperty({ format: 'date-time', description: 'When this code was issued (refreshed about every 20 s)' })
  issuedAt!: string;
}

export class PairingCodeRequestDto {
  @ApiProperty({
    example: '+15551234567',
    description: 'The phone number of the WhatsApp account to link, E.164 (the plus sign is optional)',
  })
  @IsString()
  @Matches(PHONE_NUMBER_PATTERN, { message: 'phoneNumber must be an E.164 phone number like +15551234567' })
  phoneNumber!: string;
}

export class PairingCodeDto {
  @ApiProperty({
    example: 'ABCD1234',
    description: 'Enter it on the phone: WhatsApp > Linked devices > Link with phone number',
  })
  code!: string;
}
