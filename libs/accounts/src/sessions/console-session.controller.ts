import { Body, Controller, Delete, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '@wwb/http';
import { clientAddress } from '../keys/presented-key';
import {
  AcceptInvitationDto,
  ConsoleSessionDto,
  ConsoleSignInDto,
  OperatorSessionDto,
  OperatorSignInDto,
} from './console-session.dto';
import { ActiveSession, ConsoleSessionsService, StartedSession } from './console-sessions.service';
import { ConsoleSignInService } from './console-sign-in.service';
import { SessionRequestService } from './session-request.service';

const COOKIE_NOTE =
  'Sets the session cookie `wwb_session` (HttpOnly; SameSite=Strict; Path=/; Max-Age = CONSOLE_SESSION_TTL_HOURS; ' +
  'Secure over https). With it, every account route works without an API key (POST/PUT/PATCH/DELETE need the ' +
  "X-CSRF-Token header); the console's role decides what is allowed (403 forbidden_role).";

const sessionBody = (s: ActiveSession): ConsoleSessionDto | OperatorSessionDto =>
  s.kind === 'user' ? ConsoleSessionDto.from(s) : OperatorSessionDto.from(s);

/** Sign-in and sign-out of people (the web console); machines keep using API keys. */
@ApiTags('console')
@Controller('v1/console')
export class ConsoleSessionController {
  constructor(
    private readonly signIn: ConsoleSignInService,
    private readonly sessions: ConsoleSessionsService,
    private readonly requests: SessionRequestService,
  ) {}

  @Post('session')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      `${COOKIE_NOTE} A wrong email or password is 401 invalid_credentials (the same answer for both); failures ` +
      'count per client address with failed API keys (429 too_many_auth_failures); 403 account_disabled.',
  })
  @ApiOkResponse({ type: ConsoleSessionDto })
  @ApiErrorResponses(400, 401, 403, 413, 415, 429, 500)
  async create(
    @Body() body: ConsoleSignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleSessionDto> {
    const started = await this.signIn.signIn(body, clientAddress(req));
    this.started(req, res, started);
    return ConsoleSessionDto.from(started.session);
  }

  @Get('session')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The current session (user and csrfToken), or 401 not_signed_in',
    description: 'An operator session answers `{operator: true, csrfToken, expiresAt}`.',
  })
  @ApiExtraModels(ConsoleSessionDto, OperatorSessionDto)
  @ApiOkResponse({
    schema: {
      oneOf: [{ $ref: getSchemaPath(ConsoleSessionDto) }, { $ref: getSchemaPath(OperatorSessionDto) }],
    },
  })
  @ApiErrorResponses(401, 403, 500)
  async current(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleSessionDto | OperatorSessionDto> {
    return sessionBody(await this.requests.authenticate(req, res));
  }

  @Delete('session')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out: the session ends and the cookie is cleared',
    description: 'Answers 204 with or without a session; no X-CSRF-Token needed.',
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrorResponses(500)
  async remove(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = this.requests.tokenOf(req);
    if (token) await this.sessions.end(token);
    this.requests.clearCookie(req, res);
  }

  @Post('operator-session')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Operator sign-in with ADMIN_API_KEY',
    description:
      'Sets the same cookie; the session opens /v1/admin routes only (account routes answer 403 forbidden_scope). ' +
      'A wrong key is 401 invalid_admin_key and counts as an authentication failure.',
  })
  @ApiOkResponse({ type: OperatorSessionDto })
  @ApiErrorResponses(400, 401, 413, 415, 429, 500)
  async operator(
    @Body() body: OperatorSignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OperatorSessionDto> {
    const started = await this.signIn.signInOperator(body.adminKey, clientAddress(req));
    this.started(req, res, started);
    return OperatorSessionDto.from(started.session);
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Accept an invitation: the user is created and signed in',
    description:
      `${COOKIE_NOTE} 404 invitation_not_found for a token that is unknown, expired or used; 400 weak_password ` +
      '(10 to 200 characters); 409 user_exists when the email is a user already; 403 account_disabled.',
  })
  @ApiOkResponse({ type: ConsoleSessionDto })
  @ApiErrorResponses(400, 403, 404, 409, 413, 415, 429, 500)
  async accept(
    @Body() body: AcceptInvitationDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConsoleSessionDto> {
    const started = await this.signIn.acceptInvitation(body, clientAddress(req));
    this.started(req, res, started);
    return ConsoleSessionDto.from(started.session);
  }

  private started(req: Request, res: Response, started: StartedSession): void {
    // A session cookie the browser still holds is replaced: end its session rather than orphan it.
    const previous = this.requests.tokenOf(req);
    if (previous && previous !== started.token) void this.sessions.end(previous).catch(() => undefined);
    this.requests.setCookie(req, res, started.token);
  }
}
