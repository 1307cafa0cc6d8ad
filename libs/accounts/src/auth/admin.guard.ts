import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '@wwb/config';
import { AppError } from '@wwb/http';
import { DomainError } from '@wwb/runtime';
import { AuthFailureLimiterService } from './auth-failure-limiter.service';
import { clientAddress, presentedKey, tooManyAuthFailures, withChallenge } from '../keys/presented-key';
import { SessionRequestService } from '../sessions/session-request.service';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether `presented` is the operator key; constant time over sha256 digests (no length leak). */
export function isAdminKey(presented: string | undefined, expectedDigest: Buffer): boolean {
  return presented !== undefined && timingSafeEqual(sha256(presented), expectedDigest);
}

/**
 * The operator key (ADMIN_API_KEY) as Bearer or X-API-Key: 401 invalid_admin_key otherwise, and
 * 429 too_many_auth_failures once the client address is over its failure budget (the right key
 * still passes: the check costs nothing, and an attacker must not lock the operator out).
 *
 * Without a key, an operator console session (POST /v1/console/operator-session) passes, with
 * X-CSRF-Token on changes (403 csrf_failed); a user's session is 403 forbidden_scope.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    config: AppConfig,
    private readonly failures: AuthFailureLimiterService,
    private readonly sessions: SessionRequestService,
  ) {
    this.expected = sha256(config.auth.adminApiKey);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const presented = presentedKey(req.headers);
    if (isAdminKey(presented, this.expected)) return true;
    if (presented === undefined && this.sessions.tokenOf(req)) {
      try {
        return await this.withSession(ctx, req);
      } catch (err) {
        throw withChallenge(ctx, err);
      }
    }
    const address = clientAddress(req);
    const retryAfter = this.failures.retryAfterSeconds(address);
    if (retryAfter > 0) throw tooManyAuthFailures(ctx, retryAfter);
    // A request without any key is not a guess: it is refused but does not spend the budget.
    if (presented !== undefined) this.failures.recordFailure(address);
    throw withChallenge(ctx, new AppError(401, 'invalid_admin_key', 'A valid operator key is required'));
  }

  private async withSession(ctx: ExecutionContext, req: Request): Promise<boolean> {
    const session = await this.sessions.authenticate(req, ctx.switchToHttp().getResponse<Response>());
    if (session.kind !== 'operator') {
      throw new DomainError(
        'forbidden',
        'forbidden_scope',
        'A user session does not open the operator routes; sign in as the operator',
      );
    }
    this.sessions.requireCsrf(req, session);
    return true;
  }
}
