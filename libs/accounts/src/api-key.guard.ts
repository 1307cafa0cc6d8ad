import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@wwb/http';
import { RequestContext } from '@wwb/runtime';
import { ApiKeyAuthService } from './api-key-auth.service';
import { presentedKey, withChallenge } from './presented-key';
import { attachPrincipal } from './principal.model';

/** Authenticates an API key: 401 missing_api_key / invalid_api_key, 403 account_disabled. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly auth: ApiKeyAuthService) {}

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
      const principal = await this.auth.authenticate(presented);
      attachPrincipal(req, principal);
      RequestContext.set({ accountId: principal.accountId });
      return true;
    } catch (err) {
      throw withChallenge(ctx, err);
    }
  }
}
