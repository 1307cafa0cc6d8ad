import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '@wwb/http';
import { DomainError } from '@wwb/runtime';
import { ApiKeyAuth, CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal.model';
import { InvitationsService } from './invitations.service';
import {
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationDto,
  InvitationListDto,
  UpdateUserDto,
  UserDto,
  UserListDto,
} from './user.dto';
import { UsersService } from './users.service';

const WHO =
  'With an API key of the account (not one restricted to connections: 403 forbidden_scope) or a console ' +
  'session of an admin (other roles: 403 forbidden_role).';

const LAST_ADMIN = '409 last_admin for the only admin of the account (make another user admin first).';

/** A key restricted to some connections acts for an integration, not for the account's people. */
function requireAccountWide(principal: Principal): void {
  if (principal.restricted) {
    throw new DomainError(
      'forbidden',
      'forbidden_scope',
      'A key restricted to some connections cannot manage console users',
    );
  }
}

@ApiTags('users')
@ApiKeyAuth()
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The account's console users, oldest first", description: WHO })
  @ApiOkResponse({ type: UserListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<UserListDto> {
    requireAccountWide(principal);
    return { data: (await this.users.list(principal.scope)).map((u) => UserDto.from(u)) };
  }

  @Post('invitations')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Invite a person to the console',
    description:
      `${WHO} The token is in this answer only; the invitation expires after 7 days. A pending invitation ` +
      "counts against the plan's `users` limit (403 plan_limit_exceeded); inviting the same email again " +
      'replaces its pending invitation. 409 user_exists when the email is a user of this account already.',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  @ApiErrorResponses(400, 409, 413, 415)
  async invite(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateInvitationDto,
  ): Promise<CreatedInvitationDto> {
    requireAccountWide(principal);
    const issued = await this.invitations.invite(principal.scope, body);
    return CreatedInvitationDto.issued(issued.record, issued.token, issued.acceptUrl);
  }

  @Get('invitations')
  @ApiOperation({ summary: 'Pending invitations (never their token)', description: WHO })
  @ApiOkResponse({ type: InvitationListDto })
  async pending(@CurrentPrincipal() principal: Principal): Promise<InvitationListDto> {
    requireAccountWide(principal);
    return { data: (await this.invitations.pending(principal.scope)).map((i) => InvitationDto.from(i)) };
  }

  @Delete('invitations/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a pending invitation (its plan slot is given back)', description: WHO })
  @ApiParam({ name: 'id', example: 'inv_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiNoContentResponse({ description: 'Withdrawn' })
  @ApiErrorResponses(404)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    requireAccountWide(principal);
    await this.invitations.revoke(principal.scope, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a user's role (its sessions end at once)",
    description: `${WHO} ${LAST_ADMIN}`,
  })
  @ApiParam({ name: 'id', example: 'usr_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrorResponses(400, 404, 409, 413, 415)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserDto> {
    requireAccountWide(principal);
    return UserDto.from(await this.users.changeRole(principal.scope, id, body.role));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user (its sessions end at once)', description: `${WHO} ${LAST_ADMIN}` })
  @ApiParam({ name: 'id', example: 'usr_01JDQ8Z6W5V7Y2M3N4P5Q6R7S8' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponses(404, 409)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    requireAccountWide(principal);
    await this.users.remove(principal.scope, id);
  }
}
