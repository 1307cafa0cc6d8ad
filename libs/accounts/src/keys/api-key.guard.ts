import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@wwb/http';
import { RequestContext } from '@wwb/runtime';
import { ApiKeyAuthService } from './api-key-auth.service';
import { hashApiKey } from './api-key.generator';
import { AuthFailureLimiterService } from '../auth/auth-failure-limiter.service';
import { clientAddress, presentedKey, tooManyAuthFailures, withChallenge } from './presented-key';
import { attachPrincipal } from '../auth/principal.model';

/**
 * Authenticates an API key: 401 missing_api_key / invalid_api_key, 403 account_disabled.
 * An address over its failure budget gets 429 too_many_auth_failures for any key this process has
 * not seen verify (no database lookup); keys that did verify go on to the normal check.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly auth: ApiKeyAuthService,
    private readonly failures: AuthFailureLimiterService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    try {
      const presented = presentedKey(req.headers);
      if (!presented) {
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
}
