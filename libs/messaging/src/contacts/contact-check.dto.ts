import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class ContactCheckDto {
  @ApiProperty({
    example: '+15551234567',
    description: 'International phone number (E.164; spaces and dashes allowed)',
  })
  @IsString()
  @MaxLength(32)
  phone!: string;
}

export class ContactCheckResultDto {
  @ApiProperty({ example: '+15551234567' }) phone!: string;
  @ApiProperty() registered!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '15551234567@c.us',
    description: 'Where to send, when registered',
  })
  chatId!: string | null;
}
