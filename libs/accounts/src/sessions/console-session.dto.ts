import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { USER_ROLES, UserRole } from '../auth/role.policy';
import type { OperatorSession, UserSession } from './console-sessions.service';

export class ConsoleSignInDto {
  @ApiProperty({ example: 'ana@example.com', maxLength: 320, description: 'Case does not matter' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'correct horse battery', maxLength: 1000, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  password!: string;
}

export class OperatorSignInDto {
  @ApiProperty({ description: 'ADMIN_API_KEY', maxLength: 1000, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  adminKey!: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token of the invitation (from its acceptUrl)', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  @ApiProperty({ example: 'Ana Pérez', maxLength: 200 })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    format: 'password',
    description: '10 to 200 characters, else 400 weak_password',
    example: 'correct horse battery',
  })
  @IsString()
  password!: string;
}

export class ConsoleUserDto {
  @ApiProperty({ example: 'usr_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty({ example: 'acc_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) accountId!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ example: 'Ana Pérez' }) name!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
}

const CSRF_NOTE = 'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE made with the session';

export class ConsoleSessionDto {
  @ApiProperty({ type: ConsoleUserDto }) user!: ConsoleUserDto;
  @ApiProperty({ description: CSRF_NOTE }) csrfToken!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When the session ends unless used (each use extends it by CONSOLE_SESSION_TTL_HOURS)',
  })
  expiresAt!: string;

  static from(s: UserSession): ConsoleSessionDto {
    return {
      user: { id: s.userId, accountId: s.accountId, email: s.email, name: s.name, role: s.role },
      csrfToken: s.csrfToken,
      expiresAt: new Date(s.expiresAt).toISOString(),
    };
  }
}

export class OperatorSessionDto {
  @ApiProperty({ enum: [true], description: 'Always true: the session opens /v1/admin only' })
  operator!: true;
  @ApiProperty({ description: CSRF_NOTE }) csrfToken!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;

  static from(s: OperatorSession): OperatorSessionDto {
    return { operator: true, csrfToken: s.csrfToken, expiresAt: new Date(s.expiresAt).toISOString() };
  }
}
