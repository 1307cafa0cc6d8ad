import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '@wwb/http';
import { DomainError, RequestContext } from '@wwb/runtime';
import { ApiKeyAuthService } from './api-key-auth.service';
import { hashApiKey } from './api-key.generator';
import { AuthFailureLimiterService } from '../auth/auth-failure-limiter.service';
import { clientAddress, presentedKey, tooManyAuthFailures, withChallenge } from './presented-key';
import { attachPrincipal, Principal } from '../auth/principal.model';
import { forbiddenRole, roleAllows } from '../auth/role.policy';
import { SessionRequestService } from '../sessions/session-request.service';

/** The route's pattern (`/v1/connections/:id/messages`) as Express matched it, else the path. */
export function routePathOf(req: Request): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  return typeof path === 'string' ? path : req.path;
}

/**
 * Authenticates an API key: 401 missing_api_key / invalid_api_key, 403 account_disabled.
 * An address over its failure budget gets 429 too_many_auth_failures for any key this process has
 * not seen verify (no database lookup); keys that did verify go on to the normal check.
 *
 * Without a key, a console session cookie (wwb_session) authenticates a user of the account:
 * 401 not_signed_in when it ended, 403 csrf_failed for a change without the session's
 * X-CSRF-Token, 403 forbidden_role when the user's role does not allow the route, 403
 * forbidden_scope for an operator session. The key wins when both are sent.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: ApiKeyAuthService,
    private readonly failures: AuthFailureLimiterService,
    private readonly sessions: SessionRequestService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    try {
      const presented = presentedKey(req.headers);
      if (!presented) {
        if (this.sessions.tokenOf(req)) return await this.withSession(ctx, req);
        throw new AppError(
          401,
          'missing_api_key',
          'Send an API key as Authorization: Bearer <key> or X-API-Key: <key>',
        );
      }
      const address = clientAddress(req);
      const hash = hashApiKey(presented);
      const retryAfter = this.failures.retryAfterSeconds(address);
      if (retryAfter > 0 && !this.failures.isKnownKey(hash)) throw tooManyAuthFailures(ctx, retryAfter);
      try {
        const principal = await this.auth.authenticate(presented);
        this.failures.rememberKey(hash);
        attachPrincipal(req, principal);
        RequestContext.set({ accountId: principal.accountId });
        return true;
      } catch (err) {
        if (err instanceof AppError && err.status === 401) this.failures.recordFailure(address);
        throw err;
      }
    } catch (err) {
      throw withChallenge(ctx, err);
    }
  }

  private async withSession(ctx: ExecutionContext, req: Request): Promise<boolean> {
    const session = await this.sessions.authenticate(req, ctx.switchToHttp().getResponse<Response>());
    if (session.kind !== 'user') {
      throw new DomainError(
        'forbidden',
        'forbidden_scope',
        'An operator session opens the /v1/admin routes only; sign in as a user of the account',
      );
    }
    this.sessions.requireCsrf(req, session);
    const route = routePathOf(req);
    if (!roleAllows(session.role, req.method, route)) throw forbiddenRole(session.role, req.method, route);
    attachPrincipal(req, Principal.ofUser(session.accountId, { userId: session.userId, role: session.role }));
    RequestContext.set({ accountId: session.accountId });
    return true;
  }
}
