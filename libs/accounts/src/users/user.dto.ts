import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { USER_ROLES, UserRole } from '../auth/role.policy';
import type { InvitationRecord } from './invitation.schema';
import type { UserRecord } from './user.schema';

const ROLES_NOTE =
  'admin: everything of the account; support: read, auto-replies, FAQ bots, replies in chats, opt-outs; ' +
  'marketing: read, templates, contacts, campaigns, bulk sends, media; viewer: read only ' +
  '(not API keys, users or the automation signing secret). See docs/api.md.';

export class UserDto {
  @ApiProperty({ example: 'usr_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ example: 'Ana Pérez' }) name!: string;
  @ApiProperty({ enum: USER_ROLES, description: ROLES_NOTE }) role!: UserRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(u: UserRecord): UserDto {
    return { id: u._id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt.toISOString() };
  }
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) data!: UserDto[];
}

export class UpdateUserDto {
  @ApiProperty({ enum: USER_ROLES, description: `${ROLES_NOTE} Changing it ends the user's sessions.` })
  @IsIn(USER_ROLES)
  role!: UserRole;
}

export class CreateInvitationDto {
  @ApiProperty({ example: 'ana@example.com', maxLength: 254, description: 'Stored lower-cased' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: USER_ROLES, description: ROLES_NOTE })
  @IsIn(USER_ROLES)
  role!: UserRole;
}

export class InvitationDto {
  @ApiProperty({ example: 'inv_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' }) id!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: '7 days after the invitation' }) expiresAt!: string;

  static from(i: InvitationRecord): InvitationDto {
    return {
      id: i._id,
      email: i.email,
      role: i.role,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    };
  }
}

export class InvitationListDto {
  @ApiProperty({ type: [InvitationDto], description: 'Pending invitations (not accepted, not expired)' })
  data!: InvitationDto[];
}

export class CreatedInvitationDto extends InvitationDto {
  @ApiProperty({
    example: 'm3Zk8Q1h0p5vJ2sXc7WfYbN4rT6uLaEeGiKoMqSwUy0',
    description: 'Shown in this answer only (stored hashed): send it to the invitee',
  })
  token!: string;

  @ApiProperty({
    example:
      'https://wwb.example.com/console/accept-invitation?token=m3Zk8Q1h0p5vJ2sXc7WfYbN4rT6uLaEeGiKoMqSwUy0',
    description: 'PUBLIC_BASE_URL + /console/accept-invitation?token=…',
  })
  acceptUrl!: string;

  static issued(i: InvitationRecord, token: string, acceptUrl: string): CreatedInvitationDto {
    return { ...InvitationDto.from(i), token, acceptUrl };
  }
}
